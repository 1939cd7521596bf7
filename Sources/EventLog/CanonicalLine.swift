import CanonicalJSON
import CaseModel
import Crypto

/// The fast path of an import: an event line exactly as ``LogRecord/exportLine`` writes it.
///
/// Its fields come in the canonical order, without white space, its top-level strings hold only
/// printable ASCII without escapes, its numbers have no leading zeros and its hashes are lower
/// case. For such a line the bytes before `,"hash":` *are* the record's canonical form, so its
/// hash is checked over the line itself instead of over a re-encoding. Any other line (valid
/// JSON in another shape, or damaged) returns `nil`, and the general parser reads it or names
/// the fault.
enum CanonicalLine {
  /// The record on the line, and whether its stored hash matches the line's contents.
  static func parse(_ line: UnsafeBufferPointer<UInt8>) -> (record: LogRecord, hashMatches: Bool)? {
    var cursor = Cursor(line: line)
    guard cursor.literal("{\"position\":"), let position = cursor.int(),
      cursor.literal(",\"caseId\":"), let caseID = cursor.string(),
      cursor.literal(",\"caseVersion\":"), let caseVersion = cursor.int(),
      cursor.literal(",\"type\":"), let type = cursor.string(),
      cursor.literal(",\"typeVersion\":"), let typeVersion = cursor.int(),
      cursor.literal(",\"occurredAt\":"), let occurredAt = cursor.string(),
      cursor.literal(",\"recordedAt\":"), let recordedAt = cursor.string(),
      cursor.literal(",\"actor\":"), let actor = cursor.string(),
      cursor.literal(",\"commandId\":"), let commandID = cursor.string(),
      cursor.literal(",\"payload\":"), let payload = cursor.rawValue(),
      cursor.literal(",\"previousHash\":"), let previousHash = cursor.hash()
    else { return nil }
    let canonicalEnd = cursor.offset
    guard cursor.literal(",\"hash\":"), let hash = cursor.hash(), cursor.literal("}"),
      cursor.offset == line.count
    else { return nil }
    var hasher = SHA256()
    hasher.update(
      bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line[0..<canonicalEnd])))
    hasher.update(data: [UInt8(ascii: "}")])
    let computed = Array(hasher.finalize())
    let record = LogRecord(
      stored: position, caseID: CaseID(caseID), caseVersion: caseVersion, type: type,
      typeVersion: typeVersion, occurredAt: occurredAt, recordedAt: recordedAt, actor: actor,
      commandID: commandID, payload: Array(payload), previousHash: previousHash, hash: hash)
    return (record, computed == hash)
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

    /// 32 bytes written as 64 lower-case hexadecimal digits in quotes.
    mutating func hash() -> [UInt8]? {
      guard offset + 66 <= line.count, line[offset] == UInt8(ascii: "\""),
        line[offset + 65] == UInt8(ascii: "\"")
      else { return nil }
      func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
      }
      var bytes = [UInt8](repeating: 0, count: 32)
      for index in 0..<32 {
        guard let high = nibble(line[offset + 1 + 2 * index]),
          let low = nibble(line[offset + 2 + 2 * index])
        else { return nil }
        bytes[index] = high << 4 | low
      }
      offset += 66
      return bytes
    }

    /// The bytes of one JSON value, skipped with the general reader.
    mutating func rawValue() -> UnsafeBufferPointer<UInt8>? {
      let rest = UnsafeBufferPointer(rebasing: line[offset...])
      var reader = JSONReader(rest)
      guard (try? reader.skipValue()) != nil, reader.offset > 0,
        rest[0] == UInt8(ascii: "{")
      else { return nil }
      let value = UnsafeBufferPointer(rebasing: line[offset..<offset + reader.offset])
      offset += reader.offset
      return value
    }
  }
}
