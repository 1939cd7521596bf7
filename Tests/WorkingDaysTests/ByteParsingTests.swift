import Foundation
import Testing

@testable import WorkingDays

/// The allocation-free readers used by bulk decoding agree with the strict text parsers.
@Suite("Reading dates and instants from bytes")
struct ByteParsingTests {
  static func bytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    Array(text.utf8).withUnsafeBufferPointer(body)
  }

  @Test(
    "a date from bytes is the parsed date, and what parsing refuses is nil",
    arguments: [
      ("2024-02-29", true), ("2026-12-31", true), ("0001-01-01", true), ("2025-02-29", false),
      ("2026-13-01", false), ("2026-00-10", false), ("2026-1-01", false), ("2026/01/01", false),
      ("2026-01-0a", false), (" 2026-01-01", false), ("", false), ("2000-02-29", true),
      ("1900-02-29", false), ("2026-04-30", true), ("2026-04-31", false), ("2026-12-32", false),
      ("2026-01-00", false), ("0000-01-01", false), ("9999-12-31", true), ("2026-0/-01", false),
      ("2026-01-1:", false), ("2026+01-01", false),
    ])
  func dates(text: String, valid: Bool) throws {
    let fromBytes = Self.bytes(text) { CivilDate(utf8: $0) }
    let parsed = try? CivilDate(parsing: text)
    #expect(fromBytes == parsed)
    #expect((fromBytes != nil) == valid)
    if let fromBytes {
      #expect(fromBytes.description == text)
    }
  }

  @Test("the canonical instant form reads to the same moment as the general parser")
  func canonicalInstants() throws {
    for text in [
      "2026-12-23T13:30:00.000Z", "2025-01-13T22:59:59.999Z", "1970-01-01T00:00:00.001Z",
      "2024-02-29T23:59:59.500Z",
    ] {
      let fromBytes = try #require(Self.bytes(text) { Instants.canonical(utf8: $0) })
      #expect(fromBytes == (try Instants.parse(text)))
      #expect(Instants.iso8601(fromBytes) == text)
    }
    // 2026-12-23T13:30:00.000Z is 1,798,032,600 seconds after the epoch (20,810 days × 86,400
    // + 13.5 hours).
    #expect(
      Self.bytes("2026-12-23T13:30:00.000Z") { Instants.canonical(utf8: $0) }
        == Date(timeIntervalSince1970: 1_798_032_600))
  }

  @Test("other instant forms are left to the general parser")
  func otherInstants() throws {
    for text in [
      "2026-12-23T14:30:00.000+01:00", "2026-12-23T13:30Z", "2026-12-23T13:30:00Z",
      "2026-12-23T24:00:00.000Z", "2026-02-30T10:00:00.000Z", "2026-12-23 13:30:00.000Z",
    ] {
      #expect(Self.bytes(text) { Instants.canonical(utf8: $0) } == nil, "\(text)")
    }
    #expect(
      try Instants.parse("2026-12-23T14:30:00.000+01:00")
        == Instants.parse("2026-12-23T13:30:00.000Z"))
  }

  @Test("dates and instants written into a buffer are their text forms")
  func written() throws {
    func write(_ capacity: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int?) -> String? {
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
        body(buffer).map {
          String(decoding: UnsafeBufferPointer(rebasing: buffer[..<$0]), as: UTF8.self)
        }
      }
    }
    for text in ["2026-12-23", "0001-01-01", "9999-12-31", "2024-02-29"] {
      let date = try CivilDate(parsing: text)
      #expect(write(10) { date.write(into: $0) } == text)
    }
    for text in [
      "2026-12-23T13:30:00.000Z", "2025-01-13T22:59:59.999Z", "1970-01-01T00:00:00.001Z",
      "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
    ] {
      let instant = try Instants.parse(text)
      #expect(write(24) { Instants.writeISO8601(instant, into: $0) } == text)
      #expect(Instants.iso8601(instant) == text)
    }
    // A year of five digits is left to iso8601, which still writes it: 260,000,000,000 s is
    // 3,009,259 days (about 8,239.07 years after 1970) and 22,400 s (6:13:20).
    let far = Date(timeIntervalSince1970: 260_000_000_000)
    #expect(write(24) { Instants.writeISO8601(far, into: $0) } == nil)
    #expect(Instants.iso8601(far).hasPrefix("10209-"))
    #expect(Instants.iso8601(far).hasSuffix("T06:13:20.000Z"))
  }
}
