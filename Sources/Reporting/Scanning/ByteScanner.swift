import Foundation

/// A forward-only reader over the bytes of one canonical record or payload, for the report
/// replay's hot path: keys are compared as bytes, values that a report does not need are
/// skipped without being decoded, and nothing is allocated unless a string is asked for.
///
/// Every failure is a ``ScanError`` carrying the byte offset, which the caller turns into a
/// line or position.
struct ByteScanner {
  let base: UnsafePointer<UInt8>
  let end: Int
  var offset: Int

  init(_ base: UnsafePointer<UInt8>, count: Int) {
    self.base = base
    self.end = count
    self.offset = 0
  }

  @inline(__always) func peek() -> UInt8? { offset < end ? base[offset] : nil }

  /// Consumes `literal` or fails.
  @inline(__always) mutating func expect(_ literal: StaticString) throws(ScanError) {
    let count = literal.utf8CodeUnitCount
    guard offset + count <= end,
      memcmp(base + offset, literal.utf8Start, count) == 0
    else { throw ScanError(offset: offset, "expected \(literal)") }
    offset += count
  }

  /// Consumes `literal` if it comes next.
  @inline(__always) mutating func consume(_ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard offset + count <= end, memcmp(base + offset, literal.utf8Start, count) == 0 else {
      return false
    }
    offset += count
    return true
  }

  @inline(__always) mutating func consume(byte: UInt8) -> Bool {
    guard offset < end, base[offset] == byte else { return false }
    offset += 1
    return true
  }

  /// A non-negative decimal integer.
  mutating func integer() throws(ScanError) -> Int {
    let start = offset
    var value = 0
    while offset < end, base[offset] &- 0x30 < 10 {
      value = value &* 10 &+ Int(base[offset] &- 0x30)
      offset += 1
      guard offset - start <= 18 else { throw ScanError(offset: start, "number too long") }
    }
    guard offset > start else { throw ScanError(offset: start, "expected a number") }
    return value
  }

  /// The bytes of a string without escapes (identifiers, codes, dates), after its opening
  /// quote; the scanner is left after the closing quote.
  mutating func plainString() throws(ScanError) -> UnsafeBufferPointer<UInt8> {
    let start = offset
    while offset < end {
      let byte = base[offset]
      if byte == 0x22 {
        offset += 1
        return UnsafeBufferPointer(start: base + start, count: offset - 1 - start)
      }
      guard byte != 0x5C, byte >= 0x20 else {
        throw ScanError(offset: offset, "unexpected escape or control character")
      }
      offset += 1
    }
    throw ScanError(offset: start, "unterminated string")
  }

  /// Skips a string (after its opening quote), escapes included. Jumps from quote to quote
  /// with `memchr`; a quote preceded by an odd number of backslashes is escaped.
  mutating func skipString() throws(ScanError) {
    let start = offset
    while offset < end {
      guard let found = memchr(base + offset, 0x22, end - offset) else { break }
      let quote = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
      var backslashes = 0
      while quote - backslashes - 1 >= start, base[quote - backslashes - 1] == 0x5C {
        backslashes += 1
      }
      offset = quote + 1
      if backslashes % 2 == 0 { return }
    }
    throw ScanError(offset: start, "unterminated string")
  }

  /// A string value (after its opening quote) as text, escapes decoded.
  mutating func string() throws(ScanError) -> String {
    let start = offset
    var hasEscape = false
    while offset < end {
      let byte = base[offset]
      if byte == 0x22 { break }
      if byte == 0x5C {
        hasEscape = true
        offset += 1
      }
      offset += 1
    }
    guard offset < end else { throw ScanError(offset: start, "unterminated string") }
    let raw = UnsafeBufferPointer(start: base + start, count: offset - start)
    offset += 1
    guard hasEscape else { return String(decoding: raw, as: UTF8.self) }
    return try Self.unescape(raw, at: start)
  }

  private static func unescape(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) throws(ScanError)
    -> String
  {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(raw.count)
    var index = 0
    func hex(_ at: Int) throws(ScanError) -> UInt32 {
      guard at + 4 <= raw.count else { throw ScanError(offset: start + at, "short \\u escape") }
      var value: UInt32 = 0
      for byte in raw[at..<at + 4] {
        let digit: UInt32
        switch byte {
        case 0x30...0x39: digit = UInt32(byte - 0x30)
        case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
        case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
        default: throw ScanError(offset: start + at, "invalid \\u escape")
        }
        value = value << 4 | digit
      }
      return value
    }
    while index < raw.count {
      let byte = raw[index]
      guard byte == 0x5C, index + 1 < raw.count else {
        bytes.append(byte)
        index += 1
        continue
      }
      let escaped = raw[index + 1]
      index += 2
      switch escaped {
      case 0x22, 0x5C, 0x2F: bytes.append(escaped)
      case 0x6E: bytes.append(0x0A)
      case 0x72: bytes.append(0x0D)
      case 0x74: bytes.append(0x09)
      case 0x62: bytes.append(0x08)
      case 0x66: bytes.append(0x0C)
      case 0x75:
        var scalar = try hex(index)
        index += 4
        if (0xD800..<0xDC00).contains(scalar), index + 6 <= raw.count, raw[index] == 0x5C,
          raw[index + 1] == 0x75
        {
          let low = try hex(index + 2)
          index += 6
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else {
          throw ScanError(offset: start + index, "invalid \\u escape")
        }
        bytes.append(contentsOf: Array(String(Character(unicode)).utf8))
      default:
        throw ScanError(offset: start + index - 1, "invalid escape")
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Skips one value of any kind.
  mutating func skipValue() throws(ScanError) {
    guard offset < end else { throw ScanError(offset: offset, "expected a value") }
    switch base[offset] {
    case 0x22:
      offset += 1
      try skipString()
    case 0x7B, 0x5B:
      // Objects and arrays: count nesting, stepping over strings.
      let start = offset
      var depth = 0
      while offset < end {
        let byte = base[offset]
        offset += 1
        switch byte {
        case 0x7B, 0x5B: depth += 1
        case 0x7D, 0x5D:
          depth -= 1
          if depth == 0 { return }
        case 0x22: try skipString()
        default: break
        }
      }
      throw ScanError(offset: start, "unterminated object or array")
    default:
      let start = offset
      while offset < end {
        switch base[offset] {
        case 0x2C, 0x7D, 0x5D: return
        default: offset += 1
        }
      }
      guard offset > start else { throw ScanError(offset: start, "expected a value") }
    }
  }

  /// The next key of an object (after `{` or `,`), as bytes, with the scanner placed on its
  /// value; `nil` at the closing brace.
  mutating func nextKey(first: inout Bool) throws(ScanError) -> UnsafeBufferPointer<UInt8>? {
    if consume(byte: 0x7D) { return nil }
    if first {
      first = false
    } else {
      guard consume(byte: 0x2C) else { throw ScanError(offset: offset, "expected , or }") }
    }
    guard consume(byte: 0x22) else { throw ScanError(offset: offset, "expected a key") }
    let key = try plainString()
    guard consume(byte: 0x3A) else { throw ScanError(offset: offset, "expected :") }
    return key
  }
}

/// A structural fault in a record, at a byte offset within it.
struct ScanError: Error, Sendable {
  let offset: Int
  let message: String
  init(offset: Int, _ message: String) {
    self.offset = offset
    self.message = message
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// Whether the bytes spell `literal`.
  @inline(__always) func equals(_ literal: StaticString) -> Bool {
    count == literal.utf8CodeUnitCount && memcmp(baseAddress!, literal.utf8Start, count) == 0
  }
}
