#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A byte-level reader for the canonical JSON this product writes (and any valid JSON of the
/// same shape): no intermediate objects, no Foundation. About ten times faster than
/// `JSONDecoder` on event payloads; see docs/performance.md.
public struct JSONReader {
  private let base: UnsafeBufferPointer<UInt8>
  /// The offset of the next unread byte.
  public private(set) var offset: Int

  /// Reads `buffer`, which must stay valid while the reader is used.
  public init(_ buffer: UnsafeBufferPointer<UInt8>) {
    base = buffer
    offset = 0
  }

  /// Whether only white space is left.
  public mutating func atEnd() -> Bool {
    skipSpace()
    return offset >= base.count
  }

  // MARK: Structure

  /// Reads `{`.
  public mutating func beginObject() throws(JSONReadError) {
    try expect(UInt8(ascii: "{"), "an object")
  }

  /// Reads the next key of the current object, or `nil` (consuming `}`) when there is none.
  public mutating func nextKey() throws(JSONReadError) -> String? {
    guard try atKey() else { return nil }
    let key = try string()
    try expect(UInt8(ascii: ":"), "':' after a key")
    return key
  }

  /// Reads the next key of the current object as an index into `keys`, or `nil` (consuming
  /// `}`) when there is none. Compares bytes, without making a `String` of the key.
  ///
  /// - Throws: ``JSONReadError`` naming a key that is not in `keys`, with `context` (by default
  ///   `keys`' own).
  public mutating func nextKey(in keys: JSONKeys, context: String? = nil) throws(JSONReadError)
    -> Int?
  {
    guard try atKey() else { return nil }
    let start = offset
    let bytes = try stringBytes()
    guard let index = keys.index(of: bytes) else {
      offset = start
      let key = try string()
      let context = context ?? keys.context
      throw JSONReadError(
        offset: start, message: "unknown field '\(key)'\(context.isEmpty ? "" : " in \(context)")")
    }
    try expect(UInt8(ascii: ":"), "':' after a key")
    return index
  }

  /// Reads the next key of the current object as bytes (valid as long as the buffer is), or
  /// `nil` (consuming `}`) when there is none. Keys with escapes are refused, as in
  /// ``stringBytes()``.
  public mutating func nextKeyBytes() throws(JSONReadError) -> UnsafeBufferPointer<UInt8>? {
    guard try atKey() else { return nil }
    let key = try stringBytes()
    try expect(UInt8(ascii: ":"), "':' after a key")
    return key
  }

  /// Moves to the next key of the current object (past white space and a comma); `false`,
  /// consuming `}`, when the object ends.
  private mutating func atKey() throws(JSONReadError) -> Bool {
    skipSpace()
    guard offset < base.count else { throw error("unexpected end inside an object") }
    if base[offset] == UInt8(ascii: "}") {
      offset += 1
      return false
    }
    if base[offset] == UInt8(ascii: ",") {
      offset += 1
      skipSpace()
    }
    return true
  }

  /// Skips the next key of the current object; `false` (consuming `}`) when there is none.
  private mutating func skipKey() throws(JSONReadError) -> Bool {
    guard try atKey() else { return false }
    try skipString()
    try expect(UInt8(ascii: ":"), "':' after a key")
    return true
  }

  /// Consumes `literal` when the text continues with exactly its bytes (no white space is
  /// skipped); `false`, consuming nothing, otherwise. For readers of the canonical form, which
  /// know what comes next.
  public mutating func consume(_ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard offset + count <= base.count, let start = base.baseAddress else { return false }
    guard JSONKeys.equal(start + offset, literal.utf8Start, count) else { return false }
    offset += count
    return true
  }

  /// Reads `[`.
  public mutating func beginArray() throws(JSONReadError) {
    try expect(UInt8(ascii: "["), "an array")
  }

  /// Whether the current array has another element (consuming `,` or `]`).
  public mutating func nextElement() throws(JSONReadError) -> Bool {
    skipSpace()
    guard offset < base.count else { throw error("unexpected end inside an array") }
    switch base[offset] {
    case UInt8(ascii: "]"):
      offset += 1
      return false
    case UInt8(ascii: ","):
      offset += 1
      return true
    default:
      return true
    }
  }

  // MARK: Values

  /// Whether the next value is `null` (consuming it if so).
  public mutating func readNull() -> Bool {
    skipSpace()
    if offset + 4 <= base.count, base[offset] == UInt8(ascii: "n"),
      base[offset + 1] == UInt8(ascii: "u"),
      base[offset + 2] == UInt8(ascii: "l"), base[offset + 3] == UInt8(ascii: "l")
    {
      offset += 4
      return true
    }
    return false
  }

  /// Reads a string.
  public mutating func string() throws(JSONReadError) -> String {
    skipSpace()
    guard offset < base.count, base[offset] == UInt8(ascii: "\"") else {
      throw error("expected a string")
    }
    offset += 1
    let start = offset
    // Fast path: no escapes.
    while offset < base.count {
      let byte = base[offset]
      if byte == UInt8(ascii: "\"") {
        let text = String(
          decoding: UnsafeBufferPointer(rebasing: base[start..<offset]), as: UTF8.self)
        offset += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw error("control character in a string") }
      offset += 1
    }
    var bytes = Array(base[start..<offset])
    while offset < base.count {
      let byte = base[offset]
      offset += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(decoding: bytes, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard offset < base.count else { break }
        let escaped = base[offset]
        offset += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escaped)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if (0xD800..<0xDC00).contains(scalar) {
            guard offset + 2 <= base.count, base[offset] == UInt8(ascii: "\\"),
              base[offset + 1] == UInt8(ascii: "u")
            else { throw error("unpaired surrogate") }
            offset += 2
            let low = try hex4()
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
          bytes.append(contentsOf: String(Character(unicode)).utf8)
        default:
          throw error("invalid escape")
        }
      default:
        if byte < 0x20 { throw error("control character in a string") }
        bytes.append(byte)
      }
    }
    throw error("unterminated string")
  }

  /// Reads a string written without escapes and returns its bytes, which stay valid as long
  /// as the buffer does. For strings that may hold escapes, see ``withString(_:)``.
  ///
  /// - Throws: ``JSONReadError`` when the next value is not a string, or it holds an escape.
  public mutating func stringBytes() throws(JSONReadError) -> UnsafeBufferPointer<UInt8> {
    skipSpace()
    guard offset < base.count, base[offset] == UInt8(ascii: "\"") else {
      throw error("expected a string")
    }
    let start = offset + 1
    var index = start
    // Eight bytes at a time past text that holds no quote, backslash or control character.
    if let address = base.baseAddress {
      while index + 8 <= base.count,
        !Self.needsAttention(UnsafeRawPointer(address + index).loadUnaligned(as: UInt64.self))
      {
        index += 8
      }
    }
    while index < base.count {
      let byte = base[index]
      if byte == UInt8(ascii: "\"") {
        offset = index + 1
        return UnsafeBufferPointer(rebasing: base[start..<index])
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 {
        offset = index
        throw error("control character in a string")
      }
      index += 1
    }
    offset = index
    throw error(index < base.count ? "an escape where none was expected" : "unterminated string")
  }

  /// Reads a string and passes its UTF-8 bytes to `body`, without making a `String` when it
  /// holds no escapes.
  @inlinable
  public mutating func withString<T>(
    _ body: (UnsafeBufferPointer<UInt8>) throws(JSONReadError) -> T
  ) throws(JSONReadError) -> T {
    // Inlinable, so that callers get it specialized for their `T`: a generic call here costs
    // a runtime metadata lookup per string, more than reading the string.
    let saved = self
    do {
      let bytes = try stringBytes()
      return try body(bytes)
    } catch {
      // An escape (or an error, which reading it again reports precisely).
      self = saved
      var text = try string()
      var result: Result<T, JSONReadError>!
      text.withUTF8 { bytes in result = Result { () throws(JSONReadError) in try body(bytes) } }
      return try result.get()
    }
  }

  /// Skips a string without decoding it.
  public mutating func skipString() throws(JSONReadError) {
    skipSpace()
    guard offset < base.count, base[offset] == UInt8(ascii: "\"") else {
      throw error("expected a string")
    }
    offset += 1
    while offset < base.count {
      // Eight bytes at a time past text that holds no quote, backslash or control character:
      // explanations make up most of a payload, and a bulk replay skips them all.
      if let start = base.baseAddress {
        while offset + 8 <= base.count {
          let word = UnsafeRawPointer(start + offset).loadUnaligned(as: UInt64.self)
          if Self.needsAttention(word) { break }
          offset += 8
        }
        guard offset < base.count else { break }
      }
      let byte = base[offset]
      offset += 1
      if byte == UInt8(ascii: "\"") { return }
      if byte == UInt8(ascii: "\\") {
        guard offset < base.count else { break }
        let escaped = base[offset]
        offset += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "n"),
          UInt8(ascii: "r"), UInt8(ascii: "t"), UInt8(ascii: "b"), UInt8(ascii: "f"):
          break
        case UInt8(ascii: "u"):
          _ = try hex4()
        default:
          offset -= 1
          throw error("invalid escape")
        }
      } else if byte < 0x20 {
        offset -= 1
        throw error("control character in a string")
      }
    }
    throw error("unterminated string")
  }

  /// Whether any of the eight bytes of `word` is a quote, a backslash or a control character
  /// (below 0x20): the classic tests for a zero byte, on the word as it is (for bytes below
  /// 0x20) and XORed with each byte sought.
  @inline(__always)
  private static func needsAttention(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
    let below20 = (word &- ones &* 0x20) & ~word & highs != 0
    return below20 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
  }

  /// Reads an integer.
  public mutating func int() throws(JSONReadError) -> Int {
    skipSpace()
    var negative = false
    if offset < base.count, base[offset] == UInt8(ascii: "-") {
      negative = true
      offset += 1
    }
    let start = offset
    var value = 0
    while offset < base.count, base[offset] >= UInt8(ascii: "0"), base[offset] <= UInt8(ascii: "9")
    {
      let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = product.addingReportingOverflow(Int(base[offset] - UInt8(ascii: "0")))
      guard !overflow1, !overflow2 else { throw error("integer too large") }
      value = sum
      offset += 1
    }
    guard offset > start else { throw error("expected an integer") }
    if offset < base.count,
      base[offset] == UInt8(ascii: ".") || base[offset] == UInt8(ascii: "e")
        || base[offset] == UInt8(ascii: "E")
    {
      throw error("expected an integer, found a fraction")
    }
    return negative ? -value : value
  }

  /// Reads `true` or `false`.
  public mutating func bool() throws(JSONReadError) -> Bool {
    skipSpace()
    if matches("true") { return true }
    if matches("false") { return false }
    throw error("expected true or false")
  }

  /// Skips one value of any kind.
  public mutating func skipValue() throws(JSONReadError) {
    skipSpace()
    guard offset < base.count else { throw error("expected a value") }
    switch base[offset] {
    case UInt8(ascii: "{"):
      try beginObject()
      while try skipKey() { try skipValue() }
    case UInt8(ascii: "["):
      try beginArray()
      while try nextElement() { try skipValue() }
    case UInt8(ascii: "\""):
      try skipString()
    case UInt8(ascii: "t"), UInt8(ascii: "f"):
      _ = try bool()
    case UInt8(ascii: "n"):
      guard readNull() else { throw error("expected null") }
    default:
      offset += 1
      while offset < base.count,
        [
          UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"),
          UInt8(ascii: "E"),
        ].contains(base[offset])
          || (base[offset] >= UInt8(ascii: "0") && base[offset] <= UInt8(ascii: "9"))
      {
        offset += 1
      }
    }
  }

  /// Skips one value of any kind, finding each string's end by its closing quote alone: unlike
  /// ``skipValue()``, it does not check a string's escapes or characters. For bulk reads of
  /// stored payloads that pass over texts they do not need (a deadline's explanation is most of
  /// a payload); `verify` and the full decoder still check every text.
  public mutating func passOverValue() throws(JSONReadError) {
    skipSpace()
    guard offset < base.count else { throw error("expected a value") }
    switch base[offset] {
    case UInt8(ascii: "{"):
      offset += 1
      skipSpace()
      if offset < base.count, base[offset] == UInt8(ascii: "}") {
        offset += 1
        return
      }
      while true {
        try passOverString()
        try expect(UInt8(ascii: ":"), "':'")
        try passOverValue()
        guard followedByComma() else { break }
      }
      try expect(UInt8(ascii: "}"), "',' or '}'")
    case UInt8(ascii: "["):
      offset += 1
      skipSpace()
      if offset < base.count, base[offset] == UInt8(ascii: "]") {
        offset += 1
        return
      }
      while true {
        try passOverValue()
        guard followedByComma() else { break }
      }
      try expect(UInt8(ascii: "]"), "',' or ']'")
    case UInt8(ascii: "\""):
      try passOverString()
    default:
      try skipValue()
    }
  }

  /// Whether a comma follows (consuming it if so).
  private mutating func followedByComma() -> Bool {
    skipSpace()
    guard offset < base.count, base[offset] == UInt8(ascii: ",") else { return false }
    offset += 1
    return true
  }

  /// Skips a string by its closing quote: the first quote after the opening one that is not
  /// preceded by an odd number of backslashes. `memchr` finds each quote many bytes at a time.
  /// Unlike ``skipString()``, it does not check the string's escapes or characters (see
  /// ``passOverValue()``).
  ///
  /// - Throws: ``JSONReadError`` when the next value is not a string or has no end.
  public mutating func passOverString() throws(JSONReadError) {
    skipSpace()
    guard offset < base.count, base[offset] == UInt8(ascii: "\""), let start = base.baseAddress
    else { throw error("expected a string") }
    let opening = offset
    var from = offset + 1
    while from < base.count,
      let found = memchr(start + from, Int32(UInt8(ascii: "\"")), base.count - from)
    {
      let quote = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - start
      var backslashes = 0
      while quote - backslashes - 1 > opening, base[quote - backslashes - 1] == UInt8(ascii: "\\") {
        backslashes += 1
      }
      if backslashes % 2 == 0 {
        offset = quote + 1
        return
      }
      from = quote + 1
    }
    throw error("unterminated string")
  }

  /// The raw bytes of the next value, skipped over (for keeping a payload verbatim).
  public mutating func rawValue() throws(JSONReadError) -> ArraySlice<UInt8> {
    skipSpace()
    let start = offset
    try skipValue()
    return ArraySlice(base[start..<offset])
  }

  // MARK: Helpers

  private mutating func skipSpace() {
    while offset < base.count {
      switch base[offset] {
      case 0x20, 0x0A, 0x0D, 0x09: offset += 1
      default: return
      }
    }
  }

  private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONReadError) {
    skipSpace()
    guard offset < base.count, base[offset] == byte else { throw error("expected \(what)") }
    offset += 1
  }

  private mutating func matches(_ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard offset + count <= base.count else { return false }
    let equal = word.withUTF8Buffer { literal in
      (0..<count).allSatisfy { base[offset + $0] == literal[$0] }
    }
    if equal { offset += count }
    return equal
  }

  private mutating func hex4() throws(JSONReadError) -> UInt32 {
    guard offset + 4 <= base.count else { throw error("short \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = base[offset]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw error("invalid \\u escape")
      }
      value = value << 4 | digit
      offset += 1
    }
    return value
  }

  /// Whether `bytes` are valid UTF-8 (as JSON text must be): eight ASCII bytes at a time, the
  /// rest by the standard library's validation.
  public static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let raw = UnsafeRawBufferPointer(bytes)
    var index = 0
    while index + 8 <= raw.count,
      raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
    {
      index += 8
    }
    while index < bytes.count, bytes[index] < 0x80 { index += 1 }
    guard index < bytes.count else { return true }
    // Every byte before `index` is ASCII, so a character starts there.
    return String(validating: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self) != nil
  }

  /// An error at the current offset.
  public func error(_ message: String) -> JSONReadError {
    JSONReadError(offset: offset, message: message)
  }
}

/// The keys an object may hold, for ``JSONReader/nextKey(in:)``: matched by their bytes.
public struct JSONKeys: Sendable {
  /// The keys' bytes, one after another.
  private let bytes: [UInt8]
  /// Each key's index and the offset of its bytes in ``bytes``, shortest keys first.
  private let entries: [(index: Int, start: Int)]
  /// Where the keys of each length begin in ``entries``, with one more element for the end
  /// (one flat table, so that a look-up touches no nested array).
  private let lengthStarts: [Int]
  /// Where such objects occur, for error messages (for example "a deadline").
  public let context: String

  /// The keys, in the order of the indexes ``JSONReader/nextKey(in:)`` returns.
  public init(_ keys: [String], context: String = "") {
    let encoded = keys.map { Array($0.utf8) }
    let longest = encoded.reduce(0) { max($0, $1.count) }
    var offsets: [Int] = []
    var total = 0
    for key in encoded {
      offsets.append(total)
      total += key.count
    }
    var table: [(index: Int, start: Int)] = []
    var starts: [Int] = []
    for length in 0...longest {
      starts.append(table.count)
      for (index, key) in encoded.enumerated() where key.count == length {
        table.append((index, offsets[index]))
      }
    }
    starts.append(table.count)
    bytes = encoded.flatMap { $0 }
    entries = table
    lengthStarts = starts
    self.context = context
  }

  /// The index of the key with these bytes, or `nil`. Only keys of the same length are
  /// compared, a word at a time.
  public func index(of text: UnsafeBufferPointer<UInt8>) -> Int? {
    let count = text.count
    guard count + 1 < lengthStarts.count else { return nil }
    let (first, end) = (lengthStarts[count], lengthStarts[count + 1])
    guard first < end else { return nil }
    return bytes.withUnsafeBufferPointer { keys -> Int? in
      guard let base = keys.baseAddress, let textBase = text.baseAddress else {
        // Only the empty key can be compared with an empty buffer.
        return count == 0 ? entries[first].index : nil
      }
      for entry in first..<end where Self.equal(base + entries[entry].start, textBase, count) {
        return entries[entry].index
      }
      return nil
    }
  }

  @inline(__always)
  static func equal(
    _ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int
  ) -> Bool {
    var offset = 0
    while offset + 8 <= count {
      let left = UnsafeRawPointer(lhs + offset).loadUnaligned(as: UInt64.self)
      let right = UnsafeRawPointer(rhs + offset).loadUnaligned(as: UInt64.self)
      if left != right { return false }
      offset += 8
    }
    while offset < count {
      if lhs[offset] != rhs[offset] { return false }
      offset += 1
    }
    return true
  }
}

/// JSON that could not be read: where (byte offset) and what was wrong.
public struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The byte offset in the text.
  public let offset: Int
  /// What was wrong.
  public let message: String

  /// Creates an error.
  public init(offset: Int, message: String) {
    self.offset = offset
    self.message = message
  }

  public var description: String { "\(message) at byte \(offset)" }
}
