/// A computed report: its parameters, its tables and its charts, independent of the output
/// format. ``ReportRenderer`` writes it as an aligned table, CSV, JSON or HTML with SVG charts.
public struct ReportDocument: Sendable, Equatable {
  /// `adr`, `sla` or `snapshot`.
  public var kind: String
  /// The report's title.
  public var title: String
  /// What it was computed for (period, scheme, cut-offs, source), in order.
  public var parameters: [Parameter]
  /// The tables.
  public var sections: [Section]
  /// The charts the HTML output draws.
  public var charts: [Chart]

  /// A named parameter.
  public struct Parameter: Sendable, Equatable {
    /// What it is (`year`, `as of`, `source`…).
    public var name: String
    /// Its value as text.
    public var value: String
  }

  /// One table.
  public struct Section: Sendable, Equatable {
    /// A stable identifier (`summary`, `refusal-grounds`, …), used as the JSON key.
    public var id: String
    /// The heading.
    public var title: String
    /// The column headings.
    public var columns: [String]
    /// The rows, each with one cell per column.
    public var rows: [[Cell]]
    /// A remark printed under the table (definitions, omissions).
    public var note: String?

    /// The cell in the row whose first cell reads `label`, in column `column`.
    public func value(_ label: String, _ column: String) -> Cell? {
      guard let columnIndex = columns.firstIndex(of: column),
        let row = rows.first(where: { $0.first == .text(label) })
      else { return nil }
      return row[columnIndex]
    }
  }

  /// A table cell.
  public enum Cell: Sendable, Equatable, CustomStringConvertible {
    case text(String)
    case count(Int)
    /// A number of days or a percentage with a fixed number of decimals.
    case number(Double, decimals: Int)
    /// A share, rendered as a percentage with one decimal.
    case share(Double)
    /// No value (for example a median of no cases).
    case none

    /// The cell as the table format prints it (`12`, `33.3%`, `47.7`, `–`).
    public var description: String {
      switch self {
      case .text(let text): text
      case .count(let count): String(count)
      case .number(let value, let decimals): Self.format(value, decimals)
      case .share(let value): Self.format(value * 100, 1) + "%"
      case .none: "–"
      }
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
      var scale = 1.0
      for _ in 0..<decimals { scale *= 10 }
      let rounded = (value * scale).rounded() / scale
      guard decimals > 0 else { return String(Int(rounded)) }
      let negative = rounded < 0
      let scaled = Int((abs(rounded) * scale).rounded())
      let whole = scaled / Int(scale)
      var fraction = String(scaled % Int(scale))
      while fraction.count < decimals { fraction = "0" + fraction }
      return (negative ? "-" : "") + "\(whole).\(fraction)"
    }
  }

  /// A bar chart: one bar per label for each series.
  public struct Chart: Sendable, Equatable {
    /// A stable identifier, used as the HTML element's id.
    public var id: String
    /// The caption.
    public var title: String
    /// The unit of the values (`disputes`, `cases`).
    public var unit: String
    /// The label of each group of bars.
    public var labels: [String]
    /// The bars: one value per label in each series.
    public var series: [Series]

    /// One series of values, drawn in its own colour.
    public struct Series: Sendable, Equatable {
      /// The legend's text.
      public var name: String
      /// One value per label.
      public var values: [Double]
    }
  }

  /// The section with this identifier.
  public func section(_ id: String) -> Section? { sections.first { $0.id == id } }
}
