import CaseModel
import Crypto

/// The fast path of an import: an event line exactly as ``LogRecord/exportLine`` writes it.
///
/// Its fields come in the canonical order, without white space, its top-level strings hold only
/// printable ASCII without escapes, its numbers have no leading zeros and its hashes are lower
/// case. For such a line the bytes before `,"hash":` *are* the record's canonical form, so its
/// hash is checked over the line itself instead of over a re-encoding. The payload is taken as
/// the bytes between its key and the two hashes, which end the line at fixed widths; that it is
/// one JSON object is left to the payload's decoder, which reads it next. Any other line (valid
/// JSON in another shape, or damaged) returns `nil`, and the general parser reads it or names
/// the fault.
enum CanonicalLine {
  /// Where a canonical line's fields are, as offsets into the line, and what checking it found.
  struct Fields {
    var position: Int
    var caseVersion: Int
    var typeVersion: Int
    var caseID: Range<Int>
    var type: Range<Int>
    var occurredAt: Range<Int>
    var recordedAt: Range<Int>
    var actor: Range<Int>
    var commandID: Range<Int>
    var payload: Range<Int>
    /// Whether the line's previous hash is the one it was checked against.
    var linksToPrevious: Bool
    /// Whether the line's hash is SHA-256 of its canonical form.
    var hashMatches: Bool
  }

  /// The fields of the line, with its stored hash written into `hash` (32 bytes), checked
  /// against the hash of the line before (`previous`, 32 bytes) and against the line's contents.
  static func parse(
    _ line: UnsafeBufferPointer<UInt8>, previous: UnsafeRawBufferPointer,
    hash: UnsafeMutableRawBufferPointer
  ) -> Fields? {
    var cursor = Cursor(line: line)
    // The two hashes end the line at fixed widths, so the payload is what lies between its
    // key and them; the decoder checks it is one JSON object, and nothing after it.
    let tailWidth = 16 + 66 + 8 + 66 + 1
    guard cursor.literal("{\"position\":"), let position = cursor.int(),
      cursor.literal(",\"caseId\":"), let caseID = cursor.string(),
      cursor.literal(",\"caseVersion\":"), let caseVersion = cursor.int(),
      cursor.literal(",\"type\":"), let type = cursor.string(),
      cursor.literal(",\"typeVersion\":"), let typeVersion = cursor.int(),
      cursor.literal(",\"occurredAt\":"), let occurredAt = cursor.string(),
      cursor.literal(",\"recordedAt\":"), let recordedAt = cursor.string(),
      cursor.literal(",\"actor\":"), let actor = cursor.string(),
      cursor.literal(",\"commandId\":"), let commandID = cursor.string(),
      cursor.literal(",\"payload\":"), case let payloadEnd = line.count - tailWidth,
      payloadEnd - cursor.offset >= 2, line[cursor.offset] == UInt8(ascii: "{"),
      line[payloadEnd - 1] == UInt8(ascii: "}")
    else { return nil }
    let payload = cursor.offset..<payloadEnd
    cursor.offset = payloadEnd
    guard cursor.literal(",\"previousHash\":"), let linksToPrevious = cursor.hash(equals: previous)
    else { return nil }
    let canonicalEnd = cursor.offset
    guard cursor.literal(",\"hash\":"), cursor.hash(into: hash), cursor.literal("}"),
      cursor.offset == line.count
    else { return nil }
    var hasher = SHA256()
    hasher.update(
      bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line[0..<canonicalEnd])))
    withUnsafeBytes(of: UInt8(ascii: "}")) { hasher.update(bufferPointer: $0) }
    let hashMatches = hasher.finalize().withUnsafeBytes { computed in
      computed.elementsEqual(UnsafeRawBufferPointer(hash))
    }
    return Fields(
      position: position, caseVersion: caseVersion, typeVersion: typeVersion, caseID: caseID,
      type: type, occurredAt: occurredAt, recordedAt: recordedAt, actor: actor,
      commandID: commandID, payload: payload, linksToPrevious: linksToPrevious,
      hashMatches: hashMatches)
  }

  private struct Cursor {
    let line: UnsafeBufferPointer<UInt8>
    var offset = 0

    mutating func literal(_ text: StaticString) -> Bool {
      let count = text.utf8CodeUnitCount
      guard offset + count <= line.count else { return false }
      let start = text.utf8Start
      for index in 0..<count where line[offset + index] != start[index] { return false }
      offset += count
      return true
    }

    /// A non-negative integer written as `JSONWriter` writes it.
    mutating func int() -> Int? {
      let start = offset
      var value = 0
      while offset < line.count, case let digit = line[offset] &- UInt8(ascii: "0"), digit < 10 {
        guard offset - start < 18 else { return nil }
        value = value * 10 + Int(digit)
        offset += 1
      }
      let count = offset - start
      guard count > 0, count == 1 || line[start] != UInt8(ascii: "0") else { return nil }
      return value
    }

    /// A string of printable ASCII without escapes: where its characters are.
    mutating func string() -> Range<Int>? {
      guard offset < line.count, line[offset] == UInt8(ascii: "\"") else { return nil }
      let start = offset + 1
      var index = start
      while index < line.count {
        let byte = line[index]
        if byte == UInt8(ascii: "\"") {
          offset = index + 1
          return start..<index
        }
        guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
        index += 1
      }
      return nil
    }

    /// The 64 lower-case hexadecimal digits in quotes of a hash, or `nil` when they are not.
    private mutating func digits() -> UnsafeBufferPointer<UInt8>? {
      guard offset + 66 <= line.count, line[offset] == UInt8(ascii: "\""),
        line[offset + 65] == UInt8(ascii: "\"")
      else { return nil }
      defer { offset += 66 }
      return UnsafeBufferPointer(rebasing: line[offset + 1..<offset + 65])
    }

    /// Whether the hash written here is `known` (32 bytes); `nil` when it is not a hash.
    mutating func hash(equals known: UnsafeRawBufferPointer) -> Bool? {
      let start = offset
      guard let digits = digits() else { return nil }
      var equal = known.count == 32
      for index in 0..<32 {
        let high = Self.nibble(digits[2 &* index])
        let low = Self.nibble(digits[2 &* index &+ 1])
        guard high < 16, low < 16 else {
          offset = start
          return nil
        }
        equal = equal && high &<< 4 | low == known[index]
      }
      return equal
    }

    /// Reads the hash written here into `bytes` (32 bytes); `false` when it is not a hash.
    mutating func hash(into bytes: UnsafeMutableRawBufferPointer) -> Bool {
      guard let digits = digits() else { return false }
      var valid = true
      for index in 0..<32 {
        let high = Self.nibble(digits[2 &* index])
        let low = Self.nibble(digits[2 &* index &+ 1])
        valid = valid && high < 16 && low < 16
        bytes[index] = high &<< 4 | low & 0x0F
      }
      return valid
    }

    /// The value of a lower-case hexadecimal digit, or 16 or more for any other byte.
    private static func nibble(_ byte: UInt8) -> UInt8 {
      let digit = byte &- UInt8(ascii: "0")
      if digit < 10 { return digit }
      let letter = byte &- UInt8(ascii: "a")
      return letter < 6 ? letter &+ 10 : 16
    }
  }
}
