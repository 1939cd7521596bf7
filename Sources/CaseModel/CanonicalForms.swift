public import CanonicalJSON
import Foundation
public import WorkingDays

/// The canonical JSON forms of model values, shared by event payloads (module `EventCoding`)
/// and case snapshots, so each value is written and read in one place.
public enum CanonicalForms {
  /// `2026-12-23` for a day, `2026-12-23T13:30:00.000Z` for an instant.
  public static func text(_ occurrence: Occurrence) -> String {
    switch occurrence {
    case .day(let day): day.description
    case .instant(let instant): Instants.iso8601(instant)
    }
  }

  /// Reads ``text(_:)``'s form back; `nil` when it is neither.
  public static func occurrence(_ text: String) -> Occurrence? {
    if text.utf8.count == 10 { return (try? CivilDate(parsing: text)).map(Occurrence.day) }
    return (try? Instants.parse(text)).map(Occurrence.instant)
  }

  /// Reads ``text(_:)``'s form from UTF-8 bytes, without allocating for the canonical forms;
  /// `nil` when it is neither.
  public static func occurrence(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Occurrence? {
    if bytes.count == 10, let day = CivilDate(utf8: bytes) { return .day(day) }
    if let instant = Instants.canonical(utf8: bytes) { return .instant(instant) }
    return occurrence(String(decoding: bytes, as: UTF8.self))
  }

  static func occurrence(_ text: String?, _ field: String, _ reader: borrowing JSONReader)
    throws(JSONReadError)
    -> Occurrence
  {
    guard let text, let value = occurrence(text) else {
      throw reader.error("'\(field)' is missing or not a date")
    }
    return value
  }
}

extension ShopIdentity {
  /// Writes the shop as an object.
  public func write(to w: inout JSONWriter) {
    w.beginObject()
    w.key("tradeName")
    w.string(tradeName)
    w.key("country")
    w.string(country.rawValue)
    w.optional("registrationNumber", registrationNumber)
    w.optional("website", website)
    w.key("member")
    w.bool(isMember)
    w.endObject()
  }

  /// Reads a shop object. `memberDefault` applies when the object has no `member` field (older
  /// versions); without a default the field is required.
  private static let shopKeys = JSONKeys(
    ["tradeName", "country", "registrationNumber", "website", "member"], context: "shop")

  public static func read(from reader: inout JSONReader, memberDefault: Bool?) throws(JSONReadError)
    -> ShopIdentity
  {
    var tradeName: String?
    var country: Jurisdiction?
    var registration: String?
    var website: String?
    var member = memberDefault
    var sawMember = false
    try reader.beginObject()
    while let key = try reader.nextKey(in: shopKeys) {
      switch key {
      case 0: tradeName = try reader.string()
      case 1:
        let text = try reader.string()
        guard let value = Jurisdiction(rawValue: text) else {
          throw reader.error("'\(text)' is not NL or BE")
        }
        country = value
      case 2: registration = try reader.string()
      case 3: website = try reader.string()
      default:
        // `member` came with version 2 of the opening; version 1 has no such field.
        guard memberDefault == nil else { throw reader.error("unknown field 'member' in shop") }
        member = try reader.bool()
        sawMember = true
      }
    }
    guard let tradeName, let country, let member, memberDefault != nil || sawMember else {
      throw reader.error("shop lacks tradeName, country or member")
    }
    return ShopIdentity(
      tradeName: tradeName, country: country, registrationNumber: registration, website: website,
      isMember: member)
  }
}

extension CaseOpened {
  /// Writes the opening's fields into the current object.
  public func writeFields(to w: inout JSONWriter) {
    w.key("caseId")
    w.string(caseID.rawValue)
    w.key("reference")
    w.string(reference.description)
    w.key("scheme")
    w.string(scheme)
    w.key("workflowVersion")
    w.string(workflowVersion)
    w.key("shop")
    shop.write(to: &w)
    w.key("consumerCountry")
    w.string(consumerCountry.rawValue)
    w.optional("consumerId", consumerID)
    w.key("subject")
    w.string(subject)
    if let amount {
      w.key("amountCents")
      w.int(amount.cents)
    }
  }

  /// Builds an opening from fields read by name.
  public static func make(
    strings: [String: String], amountCents: Int?, shop: ShopIdentity?, reader: borrowing JSONReader
  ) throws(JSONReadError) -> CaseOpened {
    try make(
      caseID: strings["caseId"], reference: strings["reference"], scheme: strings["scheme"],
      workflowVersion: strings["workflowVersion"], consumerCountry: strings["consumerCountry"],
      consumerID: strings["consumerId"], subject: strings["subject"], amountCents: amountCents,
      shop: shop, reader: reader)
  }

  /// Builds an opening from its fields as read, checking that the required ones are there.
  public static func make(
    caseID: String?, reference: String?, scheme: String?, workflowVersion: String?,
    consumerCountry: String?, consumerID: String?, subject: String?, amountCents: Int?,
    shop: ShopIdentity?, reader: borrowing JSONReader
  ) throws(JSONReadError) -> CaseOpened {
    func required(_ value: String?, _ key: String) throws(JSONReadError) -> String {
      guard let value else { throw reader.error("CaseOpened lacks '\(key)'") }
      return value
    }
    guard let shop else { throw reader.error("CaseOpened lacks 'shop'") }
    let referenceText = try required(reference, "reference")
    guard let parsedReference = CaseReference(parsing: referenceText) else {
      throw reader.error("'\(referenceText)' is not a case reference")
    }
    let countryText = try required(consumerCountry, "consumerCountry")
    guard let country = CountryCode(countryText) else {
      throw reader.error("'\(countryText)' is not a country code")
    }
    return CaseOpened(
      caseID: CaseID(try required(caseID, "caseId")), reference: parsedReference,
      scheme: try required(scheme, "scheme"),
      workflowVersion: try required(workflowVersion, "workflowVersion"), shop: shop,
      consumerCountry: country, consumerID: consumerID, subject: try required(subject, "subject"),
      amount: amountCents.map(Money.init(cents:)))
  }
}

extension OpenedDeadline {
  /// Writes the deadline as an object.
  public func write(to w: inout JSONWriter) {
    let d = deadline
    w.beginObject()
    w.key("kind")
    w.string(kind.rawValue)
    w.key("party")
    w.string(party.rawValue)
    w.key("source")
    w.string(source)
    w.key("extendable")
    w.bool(extendable)
    w.key("period")
    w.beginObject()
    w.key("unit")
    w.string(d.period.unit.rawValue)
    w.key("length")
    w.int(d.period.length)
    w.endObject()
    w.key("regime")
    w.string(d.regime.rawValue)
    w.key("calendar")
    w.string(d.calendar)
    w.key("timeZone")
    w.string(d.timeZone)
    w.key("trigger")
    w.string(CanonicalForms.text(d.trigger))
    w.key("triggerDay")
    w.string(d.triggerDay.description)
    w.key("nominalLastDay")
    w.string(d.nominalLastDay.description)
    w.key("lastDay")
    w.string(d.lastDay.description)
    w.key("expiresAt")
    w.string(Instants.iso8601(d.expiresAt))
    w.key("skipped")
    w.beginArray()
    for day in d.skipped {
      w.beginObject()
      w.key("date")
      w.string(day.date.description)
      w.key("reason")
      w.string(day.reason)
      w.key("effect")
      w.string(day.effect.rawValue)
      w.endObject()
    }
    w.endArray()
    w.key("steps")
    w.beginArray()
    for step in d.steps { w.string(step) }
    w.endArray()
    w.key("warnings")
    w.beginArray()
    for warning in d.warnings { w.string(warning) }
    w.endArray()
    w.endObject()
  }

  private static let keys = JSONKeys(
    [
      "kind", "party", "source", "extendable", "period", "regime", "calendar", "timeZone",
      "trigger", "triggerDay", "nominalLastDay", "lastDay", "expiresAt", "skipped", "steps",
      "warnings",
    ], context: "a deadline")
  /// ``read(from:explanations:)`` without explanations, for a deadline in the canonical form
  /// ``write(to:)`` gives it: the keys are expected in their order rather than looked up (the
  /// import reads hundreds of thousands of deadlines). `nil` at the first byte that differs
  /// from that form, so that the general reader reads it or says what is wrong.
  private static func readCanonicalWithoutExplanations(_ reader: inout JSONReader)
    -> OpenedDeadline?
  {
    func date(_ reader: inout JSONReader) -> CivilDate? {
      (try? reader.stringBytes()).flatMap { CivilDate(utf8: $0) }
    }
    guard reader.consume(#"{"kind":"#),
      let kind = (try? reader.stringBytes()).flatMap({ kinds.value($0) }),
      reader.consume(#","party":"#),
      let party = (try? reader.stringBytes()).flatMap({ parties.value($0) }),
      reader.consume(#","source":"#), let source = try? reader.string(),
      reader.consume(#","extendable":"#), let extendable = try? reader.bool(),
      reader.consume(#","period":{"unit":"#),
      let unit = (try? reader.stringBytes()).flatMap({ units.value($0) }),
      reader.consume(#","length":"#), let length = try? reader.int(), reader.consume("}"),
      reader.consume(#","regime":"#),
      let regime = (try? reader.stringBytes()).flatMap({ regimes.value($0) }),
      reader.consume(#","calendar":"#), let calendar = try? reader.string(),
      reader.consume(#","timeZone":"#), let timeZone = try? reader.string(),
      reader.consume(#","trigger":"#),
      let trigger = (try? reader.stringBytes()).flatMap({ CanonicalForms.occurrence(utf8: $0) }),
      reader.consume(#","triggerDay":"#), let triggerDay = date(&reader),
      reader.consume(#","nominalLastDay":"#), let nominalLastDay = date(&reader),
      reader.consume(#","lastDay":"#), let lastDay = date(&reader),
      reader.consume(#","expiresAt":"#),
      let expiresAt = (try? reader.stringBytes()).flatMap({ Instants.canonical(utf8: $0) }),
      reader.consume(#","skipped":"#), (try? reader.skipValue()) != nil,
      reader.consume(#","steps":"#), (try? reader.skipValue()) != nil,
      reader.consume(#","warnings":"#), (try? reader.skipValue()) != nil,
      reader.consume("}")
    else { return nil }
    let computed = ComputedDeadline(
      period: Period(length, unit), regime: regime, calendar: calendar, timeZone: timeZone,
      trigger: trigger, triggerDay: triggerDay, nominalLastDay: nominalLastDay, lastDay: lastDay,
      expiresAt: expiresAt, skipped: [], steps: [], warnings: [])
    return OpenedDeadline(
      kind: kind, party: party, source: source, extendable: extendable, deadline: computed)
  }

  fileprivate static let kinds = RawValueKeys<DeadlineKind>()
  fileprivate static let parties = RawValueKeys<Party>()
  fileprivate static let units = RawValueKeys<Period.Unit>()
  fileprivate static let regimes = RawValueKeys<Regime>()
  private static let periodKeys = JSONKeys(["unit", "length"], context: "a period")
  private static let skippedKeys = JSONKeys(["date", "reason", "effect"], context: "a skipped day")

  /// Reads a deadline object. Without `explanations`, the skipped days, steps and warnings are
  /// passed over (for projections, which do not show them).
  public static func read(from reader: inout JSONReader, explanations: Bool = true)
    throws(JSONReadError)
    -> OpenedDeadline
  {
    if !explanations {
      var attempt = reader
      if let deadline = readCanonicalWithoutExplanations(&attempt) {
        reader = attempt
        return deadline
      }
    }
    var kind: DeadlineKind?
    var party: Party?
    var source: String?
    var extendable: Bool?
    var unit: Period.Unit?
    var length: Int?
    var regime: Regime?
    var calendar: String?
    var timeZone: String?
    var trigger: Occurrence?
    var triggerDay: CivilDate?
    var nominalLastDay: CivilDate?
    var lastDay: CivilDate?
    var expiresAt: Date?
    var skipped: [SkippedDay] = []
    var steps: [String] = []
    var warnings: [String] = []
    func date(_ reader: inout JSONReader, _ name: String) throws(JSONReadError) -> CivilDate {
      let start = reader
      guard let value = try reader.withString({ CivilDate(utf8: $0) }) else {
        throw start.error("deadline lacks a valid '\(name)'")
      }
      return value
    }
    try reader.beginObject()
    while let key = try reader.nextKey(in: Self.keys) {
      if !explanations, key >= 13 {
        try reader.skipValue()
        continue
      }
      switch key {
      case 0: kind = try reader.withString { Self.kinds.value($0) }
      case 1: party = try reader.withString { Self.parties.value($0) }
      case 2: source = try reader.string()
      case 3: extendable = try reader.bool()
      case 4:
        try reader.beginObject()
        while let field = try reader.nextKey(in: Self.periodKeys) {
          if field == 0 {
            unit = try reader.withString { Self.units.value($0) }
          } else {
            length = try reader.int()
          }
        }
      case 5: regime = try reader.withString { Self.regimes.value($0) }
      case 6: calendar = try reader.string()
      case 7: timeZone = try reader.string()
      case 8: trigger = try reader.withString { CanonicalForms.occurrence(utf8: $0) }
      case 9: triggerDay = try date(&reader, "triggerDay")
      case 10: nominalLastDay = try date(&reader, "nominalLastDay")
      case 11: lastDay = try date(&reader, "lastDay")
      case 12:
        let start = reader
        guard let value = try reader.withString({ Instants.canonical(utf8: $0) })
        else {
          var again = start
          expiresAt = try? Instants.parse(try again.string())
          guard expiresAt != nil else { throw start.error("deadline lacks a valid 'expiresAt'") }
          reader = again
          continue
        }
        expiresAt = value
      case 13:
        try reader.beginArray()
        while try reader.nextElement() {
          var date: CivilDate?
          var reason: String?
          var effect: SkippedDay.Effect?
          try reader.beginObject()
          while let field = try reader.nextKey(in: Self.skippedKeys) {
            switch field {
            case 0: date = try? CivilDate(parsing: try reader.string())
            case 1: reason = try reader.string()
            default: effect = SkippedDay.Effect(rawValue: try reader.string())
            }
          }
          guard let date, let reason, let effect else {
            throw reader.error("incomplete skipped day")
          }
          skipped.append(SkippedDay(date: date, reason: reason, effect: effect))
        }
      case 14:
        try reader.beginArray()
        while try reader.nextElement() { steps.append(try reader.string()) }
      default:
        try reader.beginArray()
        while try reader.nextElement() { warnings.append(try reader.string()) }
      }
    }
    guard let kind, let party, let regime, let unit, let length, let extendable, let source,
      let calendar, let timeZone, let trigger, let expiresAt
    else { throw reader.error("incomplete deadline") }
    guard let triggerDay, let nominalLastDay, let lastDay else {
      throw reader.error("deadline lacks a valid 'triggerDay', 'nominalLastDay' or 'lastDay'")
    }
    let computed = ComputedDeadline(
      period: Period(length, unit), regime: regime, calendar: calendar, timeZone: timeZone,
      trigger: trigger, triggerDay: triggerDay, nominalLastDay: nominalLastDay, lastDay: lastDay,
      expiresAt: expiresAt, skipped: skipped, steps: steps, warnings: warnings)
    return OpenedDeadline(
      kind: kind, party: party, source: source, extendable: extendable, deadline: computed)
  }
}

/// The raw values of a string enumeration as byte keys, so that a decoder reads a value without
/// making a `String` of it.
struct RawValueKeys<Value: RawRepresentable & CaseIterable>: Sendable
where Value.RawValue == String, Value: Sendable {
  private let keys: JSONKeys
  private let values: [Value]

  init() {
    values = Array(Value.allCases)
    keys = JSONKeys(values.map(\.rawValue))
  }

  /// The value whose raw value has these UTF-8 bytes, or `nil`.
  func value(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
    keys.index(of: bytes).map { values[$0] }
  }
}

extension DeadlineOutline {
  /// Reads a deadline object in outline, as a bulk replay of stored events needs it.
  ///
  /// What the tables keep (the kind, party, last day and expiry) is checked as
  /// ``OpenedDeadline/read(from:explanations:)`` checks it. The rest is checked for its shape
  /// only (a string, number or Boolean where one belongs, the period an object), as an outline
  /// checks the texts and codes it does not keep: the rule's source, period, regime, calendar,
  /// time zone, trigger and explanation are passed over without making a `String` or reading
  /// a date. `verify` and a case read still decode them whole, and the strict outline of an
  /// import checks them all.
  ///
  /// - Throws: ``JSONReadError`` when the object is not a deadline.
  package static func read(from reader: inout JSONReader) throws(JSONReadError)
    -> DeadlineOutline
  {
    var attempt = reader
    if let outline = readCanonical(&attempt) {
      reader = attempt
      return outline
    }
    return DeadlineOutline(try OpenedDeadline.read(from: &reader, explanations: false))
  }

  /// The canonical form's fields in their order (as
  /// `OpenedDeadline.readCanonicalWithoutExplanations` reads them); `nil` at the first byte
  /// that differs from that form.
  private static func readCanonical(_ reader: inout JSONReader) -> DeadlineOutline? {
    typealias Forms = OpenedDeadline
    func passOver(_ reader: inout JSONReader) -> Bool { (try? reader.passOverString()) != nil }
    guard reader.consume(#"{"kind":"#),
      let kind = (try? reader.stringBytes()).flatMap({ Forms.kinds.value($0) }),
      reader.consume(#","party":"#),
      let party = (try? reader.stringBytes()).flatMap({ Forms.parties.value($0) }),
      reader.consume(#","source":"#), passOver(&reader),
      reader.consume(#","extendable":"#), (try? reader.bool()) != nil,
      reader.consume(#","period":{"unit":"#), passOver(&reader),
      reader.consume(#","length":"#), (try? reader.int()) != nil, reader.consume("}"),
      reader.consume(#","regime":"#), passOver(&reader),
      reader.consume(#","calendar":"#), passOver(&reader),
      reader.consume(#","timeZone":"#), passOver(&reader),
      reader.consume(#","trigger":"#), passOver(&reader),
      reader.consume(#","triggerDay":"#), passOver(&reader),
      reader.consume(#","nominalLastDay":"#), passOver(&reader),
      reader.consume(#","lastDay":"#),
      let lastDay = (try? reader.stringBytes()).flatMap({ CivilDate(utf8: $0) }),
      reader.consume(#","expiresAt":"#),
      let expiresAt = (try? reader.stringBytes()).flatMap({ Instants.canonical(utf8: $0) }),
      reader.consume(#","skipped":"#), (try? reader.passOverValue()) != nil,
      reader.consume(#","steps":"#), (try? reader.passOverValue()) != nil,
      reader.consume(#","warnings":"#), (try? reader.passOverValue()) != nil,
      reader.consume("}")
    else { return nil }
    return DeadlineOutline(kind: kind, party: party, lastDay: lastDay, expiresAt: expiresAt)
  }
}
