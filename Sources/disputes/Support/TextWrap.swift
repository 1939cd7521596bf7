/// Word-wrapping for human output, so every line fits an 80-column terminal.
enum TextWrap {
  /// Wraps `text` at `width` columns; continuation lines start with `indent`.
  static func wrap(_ text: String, width: Int = 80, indent: String = "    ") -> String {
    let leading = String(text.prefix { $0 == " " })
    var lines: [String] = []
    var current = leading
    for word in text.dropFirst(leading.count).split(separator: " ") {
      if current == leading {
        current += word
      } else if current.count + 1 + word.count <= width {
        current += " " + word
      } else {
        lines.append(current)
        current = indent + word
      }
    }
    lines.append(current)
    return lines.joined(separator: "\n")
  }

  /// Wraps each line of `text` separately, keeping its leading spaces for its continuations.
  static func wrapLines(_ text: String, width: Int = 80) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      let leading = line.prefix { $0 == " " }
      return wrap(String(line), width: width, indent: leading + "    ")
    }.joined(separator: "\n")
  }
}
