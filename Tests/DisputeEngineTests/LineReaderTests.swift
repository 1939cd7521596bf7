import Foundation
import Testing

@testable import EventLog

/// The import's line reader against a plain split of the same bytes, at the edges of its
/// block: lines that end on the block's last byte, CRLF split across two blocks, a line
/// longer than a block, and a pipe that delivers the bytes in uneven pieces.
@Suite("Line reader")
struct LineReaderTests {
  static let block = LineReader.blockSize

  /// The lines of `bytes` as an independent reading gives them: split at LF, one CR before
  /// each LF dropped, and a last line without LF kept when it is not empty.
  static func expected(_ bytes: [UInt8]) -> [[UInt8]] {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines.map { $0.last == 0x0D ? Array($0.dropLast()) : $0 }
  }

  static func readAll(_ handle: FileHandle) throws -> [[UInt8]] {
    var reader = LineReader(handle)
    var lines: [[UInt8]] = []
    while let line = try reader.next() { lines.append(line) }
    return lines
  }

  static func line(_ count: Int, _ byte: UInt8) -> [UInt8] {
    [UInt8](repeating: byte, count: count)
  }

  static let contents: [(String, [UInt8])] = [
    ("empty", []),
    ("one line without a line end", Array("abc".utf8)),
    ("empty lines", Array("\n\n\r\n".utf8)),
    ("LF and CRLF", Array("a\nb\r\nc\r\n".utf8)),
    ("a CR inside a line is kept", Array("a\rb\n".utf8)),
    (
      "a line ending on the block's last byte",
      line(block - 1, 0x61) + [0x0A] + Array("next\n".utf8)
    ),
    ("CR at the block's end, LF in the next", line(block - 1, 0x62) + [0x0D, 0x0A, 0x63]),
    (
      "a line longer than two blocks between short ones",
      Array("first\n".utf8) + line(2 * block + 12_345, 0x64) + Array("\nlast".utf8)
    ),
    ("many short lines", Array((0..<200_000).map { "line \($0)\n" }.joined().utf8)),
  ]

  @Test("a file reads as the same lines as a plain split", arguments: contents.map(\.0))
  func file(name: String) throws {
    let bytes = try #require(Self.contents.first { $0.0 == name }).1
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lines-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(bytes).write(to: url)
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    let lines = try Self.readAll(handle)
    #expect(lines.count == Self.expected(bytes).count)
    #expect(lines == Self.expected(bytes))
  }

  @Test("a pipe that delivers uneven pieces reads as the same lines")
  func pipe() throws {
    let bytes =
      Array(
        (0..<20_000).map { "row \($0) \(String(repeating: "x", count: $0 % 97))\r\n" }.joined().utf8
      )
      + Self.line(Self.block + 3, 0x65)
    let pipe = Pipe()
    let writer = pipe.fileHandleForWriting
    let thread = Thread {
      var offset = 0
      var piece = 1
      while offset < bytes.count {
        let end = min(bytes.count, offset + piece)
        writer.write(Data(bytes[offset..<end]))
        offset = end
        piece = piece * 3 % 65_521 + 1
      }
      try? writer.close()
    }
    thread.start()
    let lines = try Self.readAll(pipe.fileHandleForReading)
    #expect(lines == Self.expected(bytes))
  }
}
