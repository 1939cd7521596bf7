import CanonicalJSON
import EventCoding
import Foundation
import SyntheticCases
import TestSupport
import Testing
import WorkingDays

@testable import CaseModel

/// A bulk replay folds ``CaseProjection``s from event outlines instead of whole cases. Both
/// folds must agree after every event of every path the generator takes, and refuse the same
/// events.
@Suite("Case projection fold")
struct CaseProjectionTests {
  /// Decodes an event's outline from its stored form, as a rebuild does.
  static func storedOutline(_ event: CaseEvent) throws -> EventOutline {
    let type = Array(event.change.typeName.utf8)
    let occurred = Array(EventCodec.text(event.occurredAt).utf8)
    let payload = EventCodec.payload(event)
    return try type.withUnsafeBufferPointer { type in
      try occurred.withUnsafeBufferPointer { occurred in
        try payload.withUnsafeBufferPointer { payload in
          try EventCodec.decodeOutline(
            type: type, version: EventCodec.currentVersion(of: event.change.typeName)!,
            occurredAt: occurred, payload: payload)
        }
      }
    }
  }

  /// The event as a rebuild sees it: decoded without the deadlines' explanations.
  static func plain(_ event: CaseEvent) throws -> CaseEvent {
    try EventCodec.decode(
      type: event.change.typeName, version: EventCodec.currentVersion(of: event.change.typeName)!,
      occurredAt: EventCodec.text(event.occurredAt), payload: EventCodec.payload(event),
      explanations: false)
  }

  @Test("after every event of every generated case, the projection equals the whole case's")
  func agreesStepByStep() throws {
    var effects: [String: Int] = [:]
    for generated in EventCodecTests.cases {
      let events = try generated.events.map(Self.plain)
      let opening = try Self.storedOutline(events[0])
      #expect(opening == EventOutline(events[0]))
      guard case .opened(let opened) = opening.change.effect else {
        Issue.record("the first event is not an opening")
        continue
      }
      var dispute = try DisputeCase(opening: events[0])
      var projection = CaseProjection(
        opening: opened, at: opening.occurredAt, opens: opening.opens)
      #expect(projection == CaseProjection(dispute))
      for event in events.dropFirst() {
        let outline = try Self.storedOutline(event)
        #expect(outline == EventOutline(event), "\(event.change.typeName)")
        try dispute.apply(event)
        try projection.apply(outline.change, at: outline.occurredAt, opens: outline.opens)
        #expect(projection == CaseProjection(dispute), "\(dispute.reference) v\(dispute.version)")
        try Self.correctBack(dispute, projection, at: outline.occurredAt, effects: &effects)
        let name =
          switch outline.change.effect {
          case .step(.decide, let outcome?): "decision \(outcome.rawValue)"
          case .step: "step"
          case .deadlineExtended: "extended"
          case .deadlineMissed: "missed"
          case .corrected: "corrected"
          case .annotation: "annotation"
          case .opened: "opened"
          }
        effects[name, default: 0] += 1
      }
      #expect(
        projection.nextDeadline == dispute.openDeadlines.first.map(CaseProjection.Deadline.init))
    }
    // Every kind of effect, and decisions both ways, occur often enough to count.
    for name in [
      "step", "extended", "missed", "corrected", "annotation", "decision upheld",
      "decision rejected",
    ] {
      #expect(effects[name, default: 0] >= 5, "\(name): \(effects)")
    }
  }

  @Test("the deadlines a step closed: a bit set up to index 63, a list beyond, in order")
  func closedDeadlines() {
    typealias Closed = CaseProjection.ClosedDeadlines
    #expect(Array(Closed()).isEmpty)
    // `close` passes indexes in increasing order, as here.
    let indexes = [0, 3, 62, 63, 64, 65, 200]
    var built = Closed()
    for index in indexes { built.insert(index) }
    #expect(Array(built) == indexes)
    #expect(built == Closed(indexes))
    #expect(Closed([1]) != Closed([2]))
    #expect(Closed([64]) != Closed([65]))
  }

  @Test(
    "an event the whole case refuses, the projection refuses with the same error",
    arguments: [
      [CaseEvent.Change.acknowledged, .acknowledged],
      [.responded(proposal: nil), .answerRejected, .answerRejected],
      [.claimFiled],
      [.decisionIssued(.upheld)],
      [.responded(proposal: nil), .answerAccepted, .withdrawn(reason: nil)],
      [.responded(proposal: nil), .corrected(eventVersion: 1, reason: "not a step")],
      [.deadlineMissed(.committeeClaim)],
      [.deadlineExtended(.mediationOutcome, reason: "more time")],
      [.opened(EventCodecTests.firstOpening)],
    ])
  func refusesAlike(_ changes: [CaseEvent.Change]) throws {
    let first = try Self.plain(EventCodecTests.cases[0].events[0])
    guard case .opened(let opened) = first.change else { throw CaseProjectionTestError() }
    var dispute = try DisputeCase(opening: first)
    var projection = CaseProjection(
      opening: opened, at: first.occurredAt, opens: first.opens.map(DeadlineOutline.init))
    var day = first.occurredAt
    for (index, change) in changes.enumerated() {
      if case .day(let date) = day { day = .day(date.adding(days: 1)) }
      let event = CaseEvent(occurredAt: day, change: change)
      let outline = EventOutline(event)
      let wholeError = Self.failure { () throws(CaseError) in try dispute.apply(event) }
      let projectionError = Self.failure { () throws(CaseError) in
        try projection.apply(outline.change, at: outline.occurredAt, opens: outline.opens)
      }
      if index < changes.count - 1 {
        // Every change but the last is possible: neither fold may refuse it.
        #expect(wholeError == nil && projectionError == nil, "\(change.typeName)")
      } else {
        #expect(wholeError != nil, "\(change.typeName) should not fit")
        #expect(
          wholeError.map(String.init(describing:)) == projectionError.map(String.init(describing:)))
      }
    }
  }

  /// Voids the latest steps one after another (as far as two back), as corrections recorded
  /// at this point would, checking that both folds undo them alike.
  static func correctBack(
    _ dispute: DisputeCase, _ projection: CaseProjection, at occurrence: Occurrence,
    effects: inout [String: Int]
  ) throws {
    var dispute = dispute
    var projection = projection
    for _ in 0..<2 {
      guard let version = dispute.correctableVersion else { return }
      let event = CaseEvent(
        occurredAt: occurrence,
        change: .corrected(eventVersion: version, reason: "recorded in error"))
      let outline = try storedOutline(event)
      try dispute.apply(event)
      try projection.apply(outline.change, at: outline.occurredAt, opens: outline.opens)
      #expect(projection == CaseProjection(dispute), "\(dispute.reference) v\(dispute.version)")
      effects["corrected", default: 0] += 1
    }
  }

  static func failure(_ body: () throws(CaseError) -> Void) -> CaseError? {
    do {
      try body()
      return nil
    } catch {
      return error
    }
  }

  @Test("an outline names what is missing or unknown in a stored event")
  func outlineErrors() throws {
    func outline(_ type: String, _ version: Int, _ payload: String) throws -> EventOutline {
      let type = Array(type.utf8)
      let occurred = Array("2026-03-02".utf8)
      let payload = Array(payload.utf8)
      return try type.withUnsafeBufferPointer { type in
        try occurred.withUnsafeBufferPointer { occurred in
          try payload.withUnsafeBufferPointer { payload in
            try EventCodec.decodeOutline(
              type: type, version: version, occurredAt: occurred, payload: payload)
          }
        }
      }
    }
    let cases: [(String, Int, String, String)] = [
      ("CaseReopened", 1, "{}", "unknown event type 'CaseReopened'"),
      ("ShopResponded", 2, "{}", "unknown version 2 of ShopResponded (current: 1)"),
      ("DecisionIssued", 1, "{}", "DecisionIssued lacks 'outcome'"),
      ("DecisionIssued", 1, #"{"outcome":"won"}"#, "not a decision outcome"),
      ("DeadlineMissed", 1, #"{"deadline":"soon"}"#, "not a deadline kind"),
      ("CorrectionRecorded", 1, #"{"reason":"x"}"#, "CorrectionRecorded lacks 'eventVersion'"),
      ("NoteAdded", 1, #"{"text":"unterminated}"#, "unterminated string"),
      ("NoteAdded", 1, #"{"text":"x"} trailing"#, "unexpected text after the payload"),
      // Notes other than the canonical {"text":"…"} leave the fast path for the general one.
      ("NoteAdded", 1, "{}", "NoteAdded lacks 'text'"),
      ("NoteAdded", 1, #"{"text":5}"#, "expected a string"),
      ("NoteAdded", 1, #"{"text":"x","mood":"fine"}"#, "mood"),
      ("NoteAdded", 2, #"{"text":"x"}"#, "unknown version 2 of NoteAdded (current: 1)"),
    ]
    for (type, version, payload, message) in cases {
      let error = #expect(throws: EventDecodingError.self) { try outline(type, version, payload) }
      #expect(error?.message.contains(message) == true, "\(type): \(String(describing: error))")
    }
  }
}

extension CaseProjectionTests {
  /// Whether each decoder accepts a payload, for a type.
  static func verdicts(_ type: String, _ payload: [UInt8]) -> (full: Bool, outline: Bool) {
    let version = EventCodec.currentVersion(of: type)!
    let full =
      (try? EventCodec.decode(
        type: type, version: version, occurredAt: "2026-03-02", payload: payload)) != nil
    let typeBytes = Array(type.utf8)
    let occurred = Array("2026-03-02".utf8)
    let outline = typeBytes.withUnsafeBufferPointer { type in
      occurred.withUnsafeBufferPointer { occurred in
        payload.withUnsafeBufferPointer { payload in
          (try? EventCodec.decodeOutline(
            type: type, version: version, occurredAt: occurred, payload: payload)) != nil
        }
      }
    }
    return (full, outline)
  }

  @Test(
    "an outline refuses a payload whose keys or value kinds are wrong exactly when the full decoder does"
  )
  func shapeChecksAgree() throws {
    var samples: [String: CaseEvent] = [:]
    for generated in EventCodecTests.cases {
      for event in generated.events where samples[event.change.typeName] == nil {
        samples[event.change.typeName] = event
      }
    }
    #expect(samples.count >= 22, "\(samples.keys.sorted())")
    var mutations = 0
    for (type, event) in samples.sorted(by: { $0.key < $1.key }) {
      let payload = EventCodec.payload(event)
      #expect(Self.verdicts(type, payload) == (true, true), "\(type)")
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
      var variants: [(String, [String: Any])] = []
      for key in object.keys.sorted() {
        var removed = object
        removed[key] = nil
        variants.append(("without \(key)", removed))
        var retyped = object
        retyped[key] = object[key] is NSNumber ? "7" : 7
        variants.append(("\(key) of another kind", retyped))
      }
      var extra = object
      extra["colour"] = "blue"
      variants.append(("with an unknown key", extra))
      for (what, variant) in variants {
        let bytes = Array(try JSONSerialization.data(withJSONObject: variant))
        let (full, outline) = Self.verdicts(type, bytes)
        #expect(full == outline, "\(type) \(what): full decoder \(full), outline \(outline)")
        mutations += 1
      }
    }
    #expect(mutations > 60)
  }
}

struct CaseProjectionTestError: Error {}

extension EventCodecTests {
  /// The opening of the first generated case.
  static var firstOpening: CaseOpened {
    guard case .opened(let opened) = cases[0].events[0].change else { fatalError() }
    return opened
  }
}

extension CaseProjectionTests {
  /// Whether the full decoder and the strict outline (the import's) accept a payload.
  static func strictVerdicts(_ type: String, _ payload: [UInt8]) -> (full: Bool, strict: Bool) {
    let version = EventCodec.currentVersion(of: type)!
    let full =
      (try? EventCodec.decode(
        type: type, version: version, occurredAt: "2026-03-02", payload: payload,
        explanations: false)) != nil
    let typeBytes = Array(type.utf8)
    let occurred = Array("2026-03-02".utf8)
    let strict = typeBytes.withUnsafeBufferPointer { type in
      occurred.withUnsafeBufferPointer { occurred in
        payload.withUnsafeBufferPointer { payload in
          (try? EventCodec.decodeOutline(
            type: type, version: version, occurredAt: occurred, payload: payload, strict: true))
            != nil
        }
      }
    }
    return (full, strict)
  }

  /// Where the value of a top-level `key` lies in a JSON object's bytes.
  static func valueRange(of key: String, in object: [UInt8]) throws -> Range<Int>? {
    try object.withUnsafeBufferPointer { buffer throws(JSONReadError) -> Range<Int>? in
      var reader = JSONReader(buffer)
      try reader.beginObject()
      while let name = try reader.nextKeyBytes() {
        let start = reader.offset
        try reader.skipValue()
        if name.elementsEqual(key.utf8) { return start..<reader.offset }
      }
      return nil
    }
  }

  /// Up to three generated events of every type, by type.
  static func samplesByType() -> [(String, [CaseEvent])] {
    var samples: [String: [CaseEvent]] = [:]
    for generated in EventCodecTests.cases {
      for event in generated.events where samples[event.change.typeName, default: []].count < 3 {
        samples[event.change.typeName, default: []].append(event)
      }
    }
    return samples.sorted { $0.key < $1.key }
  }

  /// Values the full decoder checks beyond their kind: codes, dates, escapes, admissibility
  /// checks and a shop, each made invalid in turn, in every type where the key may appear.
  @Test(
    "a strict outline refuses an invalid code, date, escape, check or shop as the full decoder does"
  )
  func strictValuesAgree() throws {
    let samples = Self.samplesByType()
    #expect(samples.count >= 22)
    let replacements: [(String, String)] = [
      ("ground", #""no-such-ground""#), ("ground", #""no-prior-contact""#),
      ("outcome", #""won""#), ("deadline", #""soon""#), ("deadline", #""shopAnswer""#),
      ("fulfilBy", #""2026-02-30""#), ("fulfilBy", #""2026-02-28""#),
      ("fulfilBy", #""\u0032026-02-28""#), ("text", #""\uDC00""#), ("text", #""\uD800""#),
      ("text", #""\uD83D\uDE00""#), ("reason", #""\q""#), ("reason", #""\u00e9t\u00e9""#),
      ("checks", #"[{"ground":"frivolous","passed":true,"detail":"x"}]"#),
      ("checks", #"[{"ground":"frivolous","passed":"yes","detail":"x"}]"#),
      ("checks", #"[{"ground":"frivolous","passed":true}]"#),
      ("checks", #"[{"ground":"frivolous","passed":true,"detail":"x","by":"me"}]"#),
      ("checks", #"[{"ground":"unknown","passed":true,"detail":"x"}]"#),
      ("shop", #"{"tradeName":"A","country":"BE","member":true}"#),
      ("shop", #"{"tradeName":"A","country":"FR","member":true}"#),
      ("shop", #"{"tradeName":"A"}"#),
    ]
    var compared = 0
    var refused = 0
    for (type, events) in samples {
      for event in events {
        let payload = String(decoding: EventCodec.payload(event), as: UTF8.self)
        #expect(Self.strictVerdicts(type, Array(payload.utf8)) == (true, true), "\(type)")
        for (key, value) in replacements {
          // The key's value replaced where the payload has it, else the key added first.
          let bytes = Array(payload.utf8)
          let variant: String
          if let range = try Self.valueRange(of: key, in: bytes) {
            variant =
              String(decoding: bytes[..<range.lowerBound], as: UTF8.self) + value
              + String(decoding: bytes[range.upperBound...], as: UTF8.self)
          } else {
            variant = "{\"\(key)\":\(value)," + payload.dropFirst()
          }
          let (full, strict) = Self.strictVerdicts(type, Array(variant.utf8))
          #expect(full == strict, "\(type) with \(key) \(value): full \(full), strict \(strict)")
          compared += 1
          if !full { refused += 1 }
        }
      }
    }
    // Both verdicts occur often enough for the comparison to mean something.
    #expect(compared > 1_000 && refused > compared / 5 && refused < compared * 4 / 5)
  }

  /// Bytes changed, deleted or inserted at random places (seeded): every damage the full
  /// decoder refuses, the strict outline refuses too, and it accepts what the full decoder does.
  @Test(
    "a strict outline accepts exactly what the full decoder accepts, over randomly damaged payloads"
  )
  func strictDamageAgrees() throws {
    var random = SplitMix64(seed: 20_261_122)
    let bytesToUse = Array(#""\{}[],:0123456789-.aeutfnrxDC "#.utf8) + [0x01, 0xC3, 0xA9]
    let inserts = [#"\uDC00"#, #"\uD800"#, #"\u0041"#, #"\n"#, #"\""#, "\"x\":1,", "null"].map {
      Array($0.utf8)
    }
    var compared = 0
    var refused = 0
    for (type, events) in Self.samplesByType() {
      for event in events {
        let payload = EventCodec.payload(event)
        for _ in 0..<150 {
          var damaged = payload
          let at = Int.random(in: 0..<damaged.count, using: &random)
          switch Int.random(in: 0..<3, using: &random) {
          case 0: damaged[at] = bytesToUse.randomElement(using: &random)!
          case 1: damaged.remove(at: at)
          default: damaged.insert(contentsOf: inserts.randomElement(using: &random)!, at: at)
          }
          // Not UTF-8: the import refuses such a line before it decodes anything.
          guard String(validating: damaged, as: UTF8.self) != nil else { continue }
          let (full, strict) = Self.strictVerdicts(type, damaged)
          #expect(
            full == strict,
            "\(type): full \(full), strict \(strict): \(String(decoding: damaged, as: UTF8.self))")
          compared += 1
          if !full { refused += 1 }
        }
      }
    }
    #expect(compared > 5_000 && refused > compared / 5 && refused < compared * 4 / 5)
  }
}

extension CaseProjectionTests {
  @Test("an opening reads to the same outline with or without its optional fields and escapes")
  func openingOutlines() throws {
    let generated = EventCodecTests.cases[0].events[0]
    let opening = EventCodecTests.firstOpening
    var bare = opening
    bare.shop.registrationNumber = nil
    bare.shop.website = nil
    bare.consumerID = nil
    bare.amount = nil
    var escaped = opening
    escaped.subject = "the \"wrong\" size\nsent twice"
    escaped.shop.tradeName = "Café Ø \\ Zoë"
    var unopened = opening
    unopened.workflowVersion = "2026.1-test"
    for (what, variant, opens) in [
      ("as generated", opening, generated.opens), ("bare", bare, generated.opens),
      ("escaped", escaped, generated.opens), ("with no deadline", unopened, []),
    ] {
      let event = CaseEvent(
        occurredAt: generated.occurredAt, change: .opened(variant), opens: opens)
      #expect(try Self.storedOutline(event) == EventOutline(event), "\(what)")
    }
  }

  @Test(
    "an opening in the canonical form with one field damaged is refused as the full decoder refuses it"
  )
  func damagedCanonicalOpenings() throws {
    let opening = EventCodecTests.firstOpening
    let payload = String(
      decoding: EventCodec.payload(EventCodecTests.cases[0].events[0]), as: UTF8.self)
    let damages: [(String, String)] = [
      (#""reference":"\#(opening.reference)""#, #""reference":"no reference""#),
      (#""country":"\#(opening.shop.country.rawValue)""#, #""country":"DE""#),
      (#""consumerCountry":"\#(opening.consumerCountry.rawValue)""#, #""consumerCountry":"N1""#),
      (#""member":true"#, #""member":"yes""#),
      (#""subject":"#, #""subject":7,"x":"#),
      (#""amountCents":"#, #""amountCents":"12","y":"#),
      (#""lastDay":""#, #""lastDay":"2026-02-30","z":""#),
      (#""kind":""#, #""kind":"nap","w":""#),
    ]
    for (original, damaged) in damages {
      #expect(payload.contains(original), "\(original)")
      let bytes = Array(payload.replacingOccurrences(of: original, with: damaged).utf8)
      let verdicts = Self.verdicts("CaseOpened", bytes)
      #expect(verdicts == (false, false), "\(damaged): \(verdicts)")
    }
    // A deadline's fields that the tables do not keep are checked for their shape only by a
    // rebuild's outline; the full decoder and the import's strict outline refuse bad values.
    let unkept: [(key: String, bad: String)] = [
      (#""regime":""#, "lunar"), (#""unit":""#, "fortnights"), (#""triggerDay":""#, "2026-02-30"),
    ]
    for (key, bad) in unkept {
      let good = Self.valueAfter(key, in: payload)
      #expect(!good.isEmpty, "\(key)")
      let bytes = Array(
        payload.replacingOccurrences(of: key + good + "\"", with: key + bad + "\"").utf8)
      #expect(Self.verdicts("CaseOpened", bytes) == (false, true), "\(bad)")
      #expect(Self.strictVerdicts("CaseOpened", bytes) == (false, false), "\(bad)")
    }
  }

  /// The text of the string value that follows `key` (a `"key":"` prefix) in `payload`.
  static func valueAfter(_ key: String, in payload: String) -> String {
    guard let range = payload.range(of: key) else { return "" }
    return String(payload[range.upperBound...].prefix { $0 != "\"" })
  }
}
