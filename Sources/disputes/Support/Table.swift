import Foundation

/// Aligned text tables for human output.
enum Table {
  /// Renders rows under a header, each column as wide as its widest cell.
  static func render(header: [String], rows: [[String]], indent: Int = 0) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    let pad = String(repeating: " ", count: indent)
    return all.map { row in
      let cells = row.enumerated().map { index, cell in
        index == row.count - 1
          ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }
      return pad + cells.joined(separator: "  ")
    }.joined(separator: "\n")
  }
}
