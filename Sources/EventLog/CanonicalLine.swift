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
  /// The record on the line, and whether its stored hash matches the line's contents.
  ///
  /// When the line's previous hash is `previous`, the record shares that array rather than
  /// holding a copy.
  static func parse(_ line: UnsafeBufferPointer<UInt8>, previous: [UInt8]) -> (
    record: LogRecord, hashMatches: Bool
  )? {
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
    let payload = Array(UnsafeBufferPointer(rebasing: line[cursor.offset..<payloadEnd]))
    cursor.offset = payloadEnd
    guard cursor.literal(",\"previousHash\":"), let previousHash = cursor.hash(matching: previous)
    else { return nil }
    let canonicalEnd = cursor.offset
    guard cursor.literal(",\"hash\":"), let hash = cursor.hash(matching: nil), cursor.literal("}"),
      cursor.offset == line.count
    else { return nil }
    var hasher = SHA256()
    hasher.update(
      bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line[0..<canonicalEnd])))
    withUnsafeBytes(of: UInt8(ascii: "}")) { hasher.update(bufferPointer: $0) }
    let hashMatches = hasher.finalize().withUnsafeBytes { computed in
      hash.withUnsafeBytes { computed.elementsEqual($0) }
    }
    let record = LogRecord(
      stored: position, caseID: CaseID(caseID), caseVersion: caseVersion, type: type,
      typeVersion: typeVersion, occurredAt: occurredAt, recordedAt: recordedAt, actor: actor,
      commandID: commandID, payload: payload, previousHash: previousHash, hash: hash)
    return (record, hashMatches)
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

    /// A string of printable ASCII without escapes.
    mutating func string() -> String? {
      guard offset < line.count, line[offset] == UInt8(ascii: "\"") else { return nil }
      let start = offset + 1
      var index = start
      while index < line.count {
        let byte = line[index]
        if byte == UInt8(ascii: "\"") {
          offset = index + 1
          return String(decoding: UnsafeBufferPointer(rebasing: line[start..<index]), as: UTF8.self)
        }
        guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
        index += 1
      }
      return nil
    }

    /// 32 bytes written as 64 lower-case hexadecimal digits in quotes; `known` itself when
    /// they are its bytes.
    mutating func hash(matching known: [UInt8]?) -> [UInt8]? {
      guard offset + 66 <= line.count, line[offset] == UInt8(ascii: "\""),
        line[offset + 65] == UInt8(ascii: "\"")
      else { return nil }
      let digits = UnsafeBufferPointer(rebasing: line[offset + 1..<offset + 65])
      if let known, known.count == 32,
        known.withUnsafeBufferPointer({ known in
          (0..<32).allSatisfy { index in
            let high = Self.nibble(digits[2 &* index])
            let low = Self.nibble(digits[2 &* index &+ 1])
            return high < 16 && low < 16 && high &<< 4 | low == known[index]
          }
        })
      {
        offset += 66
        return known
      }
      var valid = true
      let bytes = [UInt8](unsafeUninitializedCapacity: 32) { bytes, count in
        for index in 0..<32 {
          let high = Self.nibble(digits[2 &* index])
          let low = Self.nibble(digits[2 &* index &+ 1])
          valid = valid && high < 16 && low < 16
          bytes[index] = high &<< 4 | low & 0x0F
        }
        count = 32
      }
      guard valid else { return nil }
      offset += 66
      return bytes
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
