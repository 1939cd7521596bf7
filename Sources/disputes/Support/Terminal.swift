import Foundation

/// Buffered writing to the standard streams.
struct Terminal {
  static let standardError = Terminal(handle: .standardError)
  static let standardOutput = Terminal(handle: .standardOutput)

  let handle: FileHandle

  func writeLine(_ text: String) {
    handle.write(Data((text + "\n").utf8))
  }

  func write(_ text: String) {
    handle.write(Data(text.utf8))
  }

  /// Encodes a value as pretty-printed JSON with sorted keys, the format of every `--json`.
  static func json(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}
