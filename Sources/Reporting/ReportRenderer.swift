import CanonicalJSON
import Foundation

/// Writes a ``ReportDocument`` in one of four formats.
public enum ReportRenderer {
  /// An output format.
  public enum Format: String, Sendable, CaseIterable {
    /// Aligned plain-text tables, for a terminal.
    case table
    /// One CSV table after another (RFC 4180 quoting), each preceded by a `# title` line.
    case csv
    /// One JSON object: parameters, then each section's rows as objects keyed by column.
    case json
    /// A self-contained HTML page with inline CSS and SVG bar charts; no script, no network.
    case html
  }

  /// Renders a report.
  public static func render(_ report: ReportDocument, as format: Format) -> String {
    switch format {
    case .table: table(report)
    case .csv: csv(report)
    case .json: json(report)
    case .html: html(report)
    }
  }

  // MARK: - Table

  static func table(_ report: ReportDocument) -> String {
    var out = report.title + "\n" + String(repeating: "=", count: report.title.count) + "\n"
    for parameter in report.parameters { out += "\(parameter.name): \(parameter.value)\n" }
    for section in report.sections {
      out += "\n" + section.title + "\n"
      let cells = [section.columns] + section.rows.map { $0.map(\.description) }
      var widths = [Int](repeating: 0, count: section.columns.count)
      for row in cells {
        for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
      }
      for (number, row) in cells.enumerated() {
        var line = ""
        for (index, cell) in row.enumerated() {
          let padding = String(repeating: " ", count: widths[index] - cell.count)
          let numeric = number > 0 && index > 0 && section.rows[number - 1][index].isNumeric
          line += (index > 0 ? "  " : "") + (numeric ? padding + cell : cell + padding)
        }
        out += line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        if number == 0 {
          out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        }
      }
      if section.rows.isEmpty { out += "(none)\n" }
      if let note = section.note { out += note + "\n" }
    }
    return out
  }

  // MARK: - CSV

  static func csv(_ report: ReportDocument) -> String {
    func field(_ text: String) -> String {
      guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
        return text
      }
      return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    func value(_ cell: ReportDocument.Cell) -> String {
      switch cell {
      case .text(let text): field(text)
      case .count(let count): String(count)
      case .number(let number, let decimals): ReportDocument.Cell.format(number, decimals)
      case .share(let share): ReportDocument.Cell.format(share * 100, 1)
      case .none: ""
      }
    }
    var out = ""
    for parameter in report.parameters {
      out += "# \(parameter.name): \(parameter.value)\n"
    }
    for section in report.sections {
      out += "\n# \(section.title)\n"
      out += section.columns.map { field($0.isEmpty ? "figure" : $0) }.joined(separator: ",")
      out += "\n"
      for row in section.rows {
        out += row.map(value).joined(separator: ",") + "\n"
      }
    }
    return out
  }

  // MARK: - JSON

  static func json(_ report: ReportDocument) -> String {
    var writer = JSONWriter()
    writer.beginObject()
    writer.key("report")
    writer.string(report.kind)
    writer.key("title")
    writer.string(report.title)
    writer.key("parameters")
    writer.beginObject()
    for parameter in report.parameters {
      writer.key(text: parameter.name)
      writer.string(parameter.value)
    }
    writer.endObject()
    writer.key("sections")
    writer.beginArray()
    for section in report.sections {
      writer.beginObject()
      writer.key("id")
      writer.string(section.id)
      writer.key("title")
      writer.string(section.title)
      writer.key("rows")
      writer.beginArray()
      for row in section.rows {
        writer.beginObject()
        for (index, cell) in row.enumerated() {
          writer.key(text: section.columns[index].isEmpty ? "figure" : section.columns[index])
          switch cell {
          case .text(let text): writer.string(text)
          case .count(let count): writer.int(count)
          case .number(let number, let decimals):
            writer.raw(Array(ReportDocument.Cell.format(number, decimals).utf8))
          case .share(let share): writer.raw(Array(ReportDocument.Cell.format(share, 4).utf8))
          case .none: writer.null()
          }
        }
        writer.endObject()
      }
      writer.endArray()
      if let note = section.note {
        writer.key("note")
        writer.string(note)
      }
      writer.endObject()
    }
    writer.endArray()
    writer.endObject()
    return writer.text + "\n"
  }

  // MARK: - HTML

  static func html(_ report: ReportDocument) -> String {
    func escape(_ text: String) -> String {
      text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>\(escape(report.title))</title>
      <style>
      body{font-family:system-ui,sans-serif;margin:2em auto;max-width:64em;color:#222;padding:0 1em}
      table{border-collapse:collapse;margin:.5em 0 1.5em}
      th,td{border-bottom:1px solid #ddd;padding:.25em .75em;text-align:left}
      td.n{text-align:right;font-variant-numeric:tabular-nums}
      caption{text-align:left;font-weight:600;padding:.5em 0}
      p.note{color:#555;font-size:.9em;margin-top:-1em}
      dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}
      dt{font-weight:600}
      figure{margin:1em 0 2em}
      svg text{font-size:11px;fill:#333}
      </style>
      </head>
      <body>
      <h1>\(escape(report.title))</h1>
      <dl>

      """
    for parameter in report.parameters {
      out += "<dt>\(escape(parameter.name))</dt><dd>\(escape(parameter.value))</dd>\n"
    }
    out += "</dl>\n"
    for chart in report.charts { out += svg(chart, escape: escape) }
    for section in report.sections {
      out +=
        "<table id=\"\(escape(section.id))\">\n<caption>\(escape(section.title))</caption>\n<tr>"
      out += section.columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
      for row in section.rows {
        out += "<tr>"
        out += row.map { cell in
          cell.isNumeric
            ? "<td class=\"n\">\(escape(cell.description))</td>"
            : "<td>\(escape(cell.description))</td>"
        }.joined()
        out += "</tr>\n"
      }
      out += "</table>\n"
      if let note = section.note { out += "<p class=\"note\">\(escape(note))</p>\n" }
    }
    out += "</body>\n</html>\n"
    return out
  }

  /// A grouped bar chart as inline SVG.
  static func svg(_ chart: ReportDocument.Chart, escape: (String) -> String) -> String {
    let colours = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5"]
    let height = 180.0
    let left = 40.0
    // Wide enough for a label such as "91–120" under each group of bars.
    let group = max(48.0, Double(chart.series.count) * 14 + 16)
    let width = left + Double(chart.labels.count) * group + 10
    let maximum = max(1, chart.series.flatMap(\.values).max() ?? 1)
    var out =
      "<figure id=\"\(escape(chart.id))\">\n<figcaption>\(escape(chart.title))</figcaption>\n"
    out +=
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height + 40))\" role=\"img\" aria-label=\"\(escape(chart.title))\">\n"
    out +=
      "<line x1=\"\(left)\" y1=\"\(height)\" x2=\"\(width)\" y2=\"\(height)\" stroke=\"#999\"/>\n"
    out += "<text x=\"0\" y=\"12\">\(ReportDocument.Cell.format(maximum, 0))</text>\n"
    out += "<text x=\"0\" y=\"\(height)\">0</text>\n"
    for (index, label) in chart.labels.enumerated() {
      let x = left + Double(index) * group
      for (seriesIndex, series) in chart.series.enumerated() where index < series.values.count {
        let value = series.values[index]
        let barHeight = (value / maximum) * (height - 20)
        let barX = x + 4 + Double(seriesIndex) * 14
        out +=
          "<rect x=\"\(ReportDocument.Cell.format(barX, 1))\" y=\"\(ReportDocument.Cell.format(height - barHeight, 1))\" width=\"12\" height=\"\(ReportDocument.Cell.format(barHeight, 1))\" fill=\"\(colours[seriesIndex % colours.count])\"><title>\(escape(series.name)) \(escape(label)): \(ReportDocument.Cell.format(value, 0)) \(escape(chart.unit))</title></rect>\n"
      }
      out +=
        "<text x=\"\(ReportDocument.Cell.format(x + 4, 1))\" y=\"\(Int(height + 14))\">\(escape(label))</text>\n"
    }
    for (seriesIndex, series) in chart.series.enumerated() where chart.series.count > 1 {
      let x = left + Double(seriesIndex) * 110
      out +=
        "<rect x=\"\(x)\" y=\"\(height + 24)\" width=\"10\" height=\"10\" fill=\"\(colours[seriesIndex % colours.count])\"/><text x=\"\(x + 14)\" y=\"\(height + 33)\">\(escape(series.name))</text>\n"
    }
    out += "</svg>\n</figure>\n"
    return out
  }
}

extension ReportDocument.Cell {
  var isNumeric: Bool {
    switch self {
    case .text: false
    default: true
    }
  }
}
