import CaseModel
import EventCoding
import Foundation
import SyntheticCases
import Testing
import WorkingDays

@Suite("Event codec")
struct EventCodecTests {
  static let cases: [CaseGenerator.GeneratedCase] = {
    var generator = CaseGenerator(
      seed: 42, firstDay: try! CivilDate(parsing: "2026-01-05"), days: 400, expectedCount: 3000)
    return (0..<3000).map { _ in generator.next() }
  }()

  @Test("every generated event round-trips exactly, and re-encodes to the same bytes")
  func roundTrip() throws {
    var count = 0
    var types: Set<String> = []
    for generated in Self.cases {
      var decoded: [CaseEvent] = []
      for event in generated.events {
        let payload = EventCodec.payload(event)
        let type = event.change.typeName
        types.insert(type)
        let back = try EventCodec.decode(
          type: type, version: EventCodec.currentVersion(of: type)!,
          occurredAt: EventCodec.text(event.occurredAt),
          payload: payload)
        #expect(back == event)
        #expect(EventCodec.payload(back) == payload)
        decoded.append(back)
        count += 1
      }
      #expect(try DisputeCase.replay(decoded) == DisputeCase.replay(generated.events))
    }
    #expect(count > 15_000)
    // The generator exercises nearly every event type.
    #expect(types.count >= 22, "\(types.sorted())")
  }

  @Test(
    "deadlines in the canonical key order and in any other decode alike without explanations, whole or in outline"
  )
  func canonicalDeadlineFastPath() throws {
    var compared = 0
    for generated in Self.cases.prefix(500) {
      for event in generated.events where !event.opens.isEmpty {
        let type = event.change.typeName
        let version = EventCodec.currentVersion(of: type)!
        let occurred = EventCodec.text(event.occurredAt)
        let canonical = EventCodec.payload(event)
        // Sorted keys: the same payload, no longer in the order the writer uses.
        let object = try JSONSerialization.jsonObject(with: Data(canonical))
        let reordered = Array(
          try JSONSerialization.data(withJSONObject: object, options: .sortedKeys))
        #expect(reordered != canonical)
        let fast = try EventCodec.decode(
          type: type, version: version, occurredAt: occurred, payload: canonical,
          explanations: false)
        let general = try EventCodec.decode(
          type: type, version: version, occurredAt: occurred, payload: reordered,
          explanations: false)
        #expect(fast == general, "\(type)")
        #expect(fast.opens.map(\.deadline.lastDay) == event.opens.map(\.deadline.lastDay))
        #expect(fast.opens.map(\.deadline.expiresAt) == event.opens.map(\.deadline.expiresAt))
        // A rebuild's outline reads both orders alike too, to the whole event's outline.
        func outline(_ payload: [UInt8]) throws -> EventOutline {
          try Array(type.utf8).withUnsafeBufferPointer { type in
            try Array(occurred.utf8).withUnsafeBufferPointer { occurred in
              try payload.withUnsafeBufferPointer { payload in
                try EventCodec.decodeOutline(
                  type: type, version: version, occurredAt: occurred, payload: payload)
              }
            }
          }
        }
        let expected = EventOutline(event)
        #expect(try outline(canonical) == expected, "\(type)")
        #expect(try outline(reordered) == expected, "\(type)")
        compared += 1
      }
    }
    #expect(compared > 500)
  }

  @Test("case snapshots round-trip exactly and are stable")
  func snapshots() throws {
    for generated in Self.cases {
      let dispute = try DisputeCase.replay(generated.events)
      let bytes = dispute.snapshot()
      let back = try bytes.withUnsafeBufferPointer { try DisputeCase(snapshot: $0) }
      #expect(back == dispute)
      #expect(back.snapshot() == bytes)
    }
  }

  @Test("the payload is canonical JSON that Foundation reads too")
  func canonicalForm() throws {
    let event = Self.cases[0].events[0]
    let payload = EventCodec.payload(event)
    let text = String(decoding: payload, as: UTF8.self)
    #expect(text.hasPrefix(#"{"caseId":"#))
    #expect(!text.contains(" :") && !text.contains("\n"))
    let object = try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
    #expect(
      object?["scheme"] as? String == "becommerce"
        || object?["scheme"] as? String == "webwinkelkeur")
    let opens = object?["opens"] as? [[String: Any]]
    #expect(opens?.first?["kind"] as? String == "shopAnswer")
  }

  @Test(
    "unknown types, versions, fields and broken payloads are refused with what is wrong",
    arguments: [
      ("CaseReopened", 1, "{}", "unknown event type 'CaseReopened'"),
      ("ShopResponded", 2, "{}", "unknown version 2 of ShopResponded (current: 1)"),
      (
        "ShopResponded", 1, #"{"proposal":"x","colour":"blue"}"#,
        "unknown field 'colour' in ShopResponded"
      ),
      ("NoteAdded", 1, "{}", "NoteAdded lacks 'text'"),
      ("NoteAdded", 1, #"{"text":"unterminated}"#, "unterminated string"),
      ("DecisionIssued", 1, #"{"outcome":"won"}"#, "'won' is not a valid outcome"),
      ("CorrectionRecorded", 1, #"{"eventVersion":"two","reason":"x"}"#, "expected an integer"),
      ("NoteAdded", 1, #"{"text":"a"} trailing"#, "unexpected text after the payload"),
    ])
  func refusals(_ type: String, _ version: Int, _ payload: String, _ message: String) {
    do {
      _ = try EventCodec.decode(
        type: type, version: version, occurredAt: "2026-12-23", payload: Array(payload.utf8))
      Issue.record("accepted \(payload)")
    } catch {
      #expect(error.type == type)
      #expect(error.message.contains(message), "\(error)")
    }
  }

  @Test("CaseOpened version 1 (before the membership flag) is upcast: every shop was a member")
  func upcast() throws {
    let v1 = #"""
      {"caseId":"c1","reference":"WWK-2025-00007","scheme":"webwinkelkeur","workflowVersion":"2025.1","shop":{"tradeName":"Oud B.V.","country":"NL"},"consumerCountry":"NL","subject":"delivery"}
      """#
    let event = try EventCodec.decode(
      type: "CaseOpened", version: 1, occurredAt: "2025-03-03", payload: Array(v1.utf8))
    guard case .opened(let opened) = event.change else { throw CodecTestFailure() }
    #expect(opened.shop.isMember)
    #expect(opened.reference.description == "WWK-2025-00007")
    #expect(event.occurredAt == .day(try CivilDate(parsing: "2025-03-03")))
    // Version 2 must say it; version 1 cannot.
    let v2 = v1.replacingOccurrences(
      of: #""country":"NL"}"#, with: #""country":"NL","member":false}"#)
    #expect(throws: EventDecodingError.self) {
      try EventCodec.decode(
        type: "CaseOpened", version: 1, occurredAt: "2025-03-03", payload: Array(v2.utf8))
    }
    let current = try EventCodec.decode(
      type: "CaseOpened", version: 2, occurredAt: "2025-03-03", payload: Array(v2.utf8))
    guard case .opened(let member) = current.change else { throw CodecTestFailure() }
    #expect(!member.shop.isMember)
    #expect(throws: EventDecodingError.self) {
      try EventCodec.decode(
        type: "CaseOpened", version: 2, occurredAt: "2025-03-03", payload: Array(v1.utf8))
    }
  }

  @Test("strings with quotes, control characters and non-ASCII text survive")
  func strings() throws {
    let text = "Line one\nline \"two\"\t\\ — café 😀 \u{1}"
    let event = CaseEvent(
      occurredAt: .day(try CivilDate(parsing: "2026-01-01")), change: .noted(text))
    let payload = EventCodec.payload(event)
    #expect(
      String(decoding: payload, as: UTF8.self)
        == #"{"text":"Line one\nline \"two\"\t\\ — café 😀 \u0001"}"#)
    let back = try EventCodec.decode(
      type: "NoteAdded", version: 1, occurredAt: "2026-01-01", payload: payload)
    #expect(back == event)
    // Escapes that the writer never produces are still read.
    let escaped = #"{"text":"caf\u00e9 \ud83d\ude00 a\/b"}"#
    let read = try EventCodec.decode(
      type: "NoteAdded", version: 1, occurredAt: "2026-01-01", payload: Array(escaped.utf8))
    #expect(read.change == .noted("café 😀 a/b"))
  }

  @Test("occurrences are written as a date or a UTC instant with milliseconds")
  func occurrences() throws {
    let instant = try Instants.parse("2026-12-23T14:30:05.250+01:00")
    #expect(EventCodec.text(.instant(instant)) == "2026-12-23T13:30:05.250Z")
    #expect(EventCodec.occurrence("2026-12-23T13:30:05.250Z") == .instant(instant))
    #expect(EventCodec.occurrence("2026-12-23") == .day(try CivilDate(parsing: "2026-12-23")))
    #expect(EventCodec.occurrence("2026-13-23") == nil)
  }
}

struct CodecTestFailure: Error {}
