import DisputeEngine
import Foundation
import Testing

@testable import Reporting

/// The report replay's byte scanner against the engine's own encoding.
@Suite("Record scanner")
struct ScannerTests {
  @Test("the scanner knows exactly the event types and versions the codec writes")
  func typesMatchTheCodec() {
    for type in EventType.allCases {
      let name = type.name.description
      #expect(EventCodec.currentVersion(of: name) == type.latestVersion, "\(name)")
    }
    #expect(EventCodec.currentVersion(of: "CaseReopened") == nil)
    #expect(EventType.named(UnsafeBufferPointer(start: nil, count: 0)) == nil)
  }

  @Test(
    "dates and instants are read as the codec writes them",
    arguments: [
      ("2026-12-31", Moment(value: 20818, isDay: true)),
      ("1970-01-01T00:00:00.001Z", Moment(value: 1, isDay: false)),
      ("2024-02-29T23:59:59.999Z", Moment(value: 1_709_251_199_999, isDay: false)),
    ])
  func moments(text: String, expected: Moment) {
    let bytes = Array(text.utf8)
    let parsed = bytes.withUnsafeBufferPointer { Dates.moment($0) }
    #expect(parsed == expected)
  }

  @Test(
    "malformed dates are refused",
    arguments: [
      "2026-02-30", "2026-13-01", "2026-1-01", "2026-12-31T24:00:00.000Z", "2026-12-31T10:00:00Z",
    ])
  func badMoments(text: String) {
    let bytes = Array(text.utf8)
    #expect(bytes.withUnsafeBufferPointer { Dates.moment($0) } == nil)
  }

  @Test(
    "case identifiers round-trip through their packed keys",
    arguments: [
      "36d132f6-c0d0-4235-990e-129ccee718a2", "bec-2025-1", "wwk-2026-1000000",
      "a-much-longer-identifier-than-sixteen-bytes", "36D132F6-C0D0-4235-990E-129CCEE718A2",
    ])
  func keys(identifier: String) {
    var parser = RecordParser()
    let bytes = Array(identifier.utf8)
    let key = bytes.withUnsafeBufferPointer { parser.key($0) }
    #expect(parser.identifier(key) == identifier)
    let again = bytes.withUnsafeBufferPointer { parser.key($0) }
    #expect(again == key)
  }
}
