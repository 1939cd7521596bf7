import CanonicalJSON
import Testing

@Suite("JSON reader")
struct JSONReaderTests {
  static let keys = JSONKeys(["kind", "party", "lastDay"], context: "a deadline")

  static func read<T>(
    _ text: String, _ body: (inout JSONReader) throws(JSONReadError) -> T
  ) throws(JSONReadError) -> T {
    let bytes = Array(text.utf8)
    let result: Result<T, JSONReadError> = bytes.withUnsafeBufferPointer { buffer in
      var reader = JSONReader(buffer)
      return Result { () throws(JSONReadError) in try body(&reader) }
    }
    return try result.get()
  }

  @Test("keys are matched by their bytes to their index, in any order, with white space")
  func keyIndexes() throws {
    let found = try Self.read(#"{ "lastDay" : "2026-01-13", "kind":"shopAnswer","party":"shop"}"#) {
      reader throws(JSONReadError) in
      var found: [Int: String] = [:]
      try reader.beginObject()
      while let index = try reader.nextKey(in: Self.keys) { found[index] = try reader.string() }
      return found
    }
    #expect(found == [0: "shopAnswer", 1: "shop", 2: "2026-01-13"])
  }

  @Test("an unknown key names itself and where it was found")
  func unknownKey() {
    #expect(throws: JSONReadError(offset: 1, message: "unknown field 'kin' in a deadline")) {
      try Self.read(#"{"kin":1}"#) { reader throws(JSONReadError) in
        try reader.beginObject()
        _ = try reader.nextKey(in: Self.keys)
      }
    }
    #expect(throws: JSONReadError(offset: 1, message: "unknown field 'kinds' in ShopResponded")) {
      try Self.read(#"{"kinds":1}"#) { reader throws(JSONReadError) in
        try reader.beginObject()
        _ = try reader.nextKey(in: Self.keys, context: "ShopResponded")
      }
    }
  }

  @Test("a string's bytes are given without a copy, and decoded when it holds escapes")
  func stringBytes() throws {
    let plain = try Self.read(#""café""#) { reader throws(JSONReadError) in
      try reader.withString { String(decoding: $0, as: UTF8.self) }
    }
    #expect(plain == "café")
    let escaped = try Self.read(#""caf\u00e9 \"x\"\n""#) { reader throws(JSONReadError) in
      try reader.withString { String(decoding: $0, as: UTF8.self) }
    }
    #expect(escaped == "café \"x\"\n")
    #expect(throws: JSONReadError.self) {
      try Self.read(#""a\nb""#) { reader throws(JSONReadError) in _ = try reader.stringBytes() }
    }
  }

  @Test("skipping a value passes over escaped strings and nested values, and catches bad ones")
  func skipping() throws {
    let after = try Self.read(#"{"a":["x\"}",{"b":"\\"}],"c":2}"#) {
      reader throws(JSONReadError) in
      try reader.beginObject()
      #expect(try reader.nextKey() == "a")
      try reader.skipValue()
      #expect(try reader.nextKey() == "c")
      return try reader.int()
    }
    #expect(after == 2)
    for bad in [#"["a\qb"]"#, "[\"a\u{01}b\"]", #"["abc"#] {
      #expect(throws: JSONReadError.self, "\(bad)") {
        try Self.read(bad) { reader throws(JSONReadError) in try reader.skipValue() }
      }
    }
  }

  @Test("skipping or taking a string's bytes stops where reading it does, at any word boundary")
  func skippingAgreesWithReading() throws {
    // Specials at every position of strings from 0 to 40 bytes cover each byte of the
    // eight-byte steps, and the bytes after the last full step.
    let specials = [#"\""#, #"\\"#, #"\n"#, #"\u00e9"#, "\u{01}", "\u{1F}", "é", "\u{7F}", #"\q"#]
    var checked = 0
    for length in 0...40 {
      let plain = String(repeating: "abcdefgh", count: 6).prefix(length)
      for special in specials {
        for position in 0...length {
          let text =
            "[\"" + plain.prefix(position) + special + plain.dropFirst(position) + "\",1]"
          func offsetAfter(_ step: (inout JSONReader) throws(JSONReadError) -> Void) -> Int? {
            try? Self.read(text) { reader throws(JSONReadError) in
              try reader.beginArray()
              _ = try reader.nextElement()
              try step(&reader)
              return reader.offset
            }
          }
          let read = offsetAfter { reader throws(JSONReadError) in _ = try reader.string() }
          let skipped = offsetAfter { reader throws(JSONReadError) in try reader.skipString() }
          #expect(read == skipped, "\(text.debugDescription)")
          let viaBytes = offsetAfter { reader throws(JSONReadError) in
            _ = try reader.stringBytes()
          }
          // Without escapes the bytes are read in place; an escape makes `stringBytes` refuse.
          #expect(viaBytes == (special.hasPrefix("\\") ? nil : read), "\(text.debugDescription)")
          // Passing over finds the same end, even where the text inside is invalid.
          let passed = offsetAfter { reader throws(JSONReadError) in try reader.passOverString() }
          #expect(passed == (read ?? passed), "\(text.debugDescription)")
          #expect(passed != nil, "\(text.debugDescription)")
          checked += 1
        }
      }
    }
    #expect(checked > 3000)
  }

  @Test("passing over a value finds each string's end by its quote alone, and checks the structure")
  func passingOver() throws {
    let after = try Self.read(#"{"a":["x\"}",{"b":"\\"},[],{}],"c":2}"#) {
      reader throws(JSONReadError) in
      try reader.beginObject()
      #expect(try reader.nextKey() == "a")
      try reader.passOverValue()
      #expect(try reader.nextKey() == "c")
      return try reader.int()
    }
    #expect(after == 2)
    // A quote ends the string after an even run of backslashes, not after an odd one.
    for (text, end) in [
      (#""ab\\\\"x"#, 8), (#""ab\\\"c"x"#, 9), (#""\\"x"#, 4), (#""""x"#, 2),
    ] {
      let offset = try Self.read(text) { reader throws(JSONReadError) in
        try reader.passOverString()
        return reader.offset
      }
      #expect(offset == end, "\(text)")
    }
    // Texts are not checked: an unknown escape or a control character is passed over.
    #expect(
      try Self.read("[\"a\\qb\u{01}\",1]") { reader throws(JSONReadError) in
        try reader.passOverValue()
        return reader.offset
      } == 11)
    for bad in [#"["abc"#, #""abc\""#, #"[1 2]"#, #"{"a" 1}"#, #"{"a":1"#, "[", #"{1:2}"#] {
      #expect(throws: JSONReadError.self, "\(bad)") {
        try Self.read(bad) { reader throws(JSONReadError) in try reader.passOverValue() }
      }
    }
    #expect(throws: JSONReadError(offset: 0, message: "expected a string")) {
      try Self.read("12") { reader throws(JSONReadError) in try reader.passOverString() }
    }
  }
}
