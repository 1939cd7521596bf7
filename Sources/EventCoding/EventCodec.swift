public import CaseModel
public import Foundation
public import WorkingDays

/// The canonical encoding of case events: one compact JSON object per event payload, written
/// and read by hand. The same bytes are stored in SQLite, exported in JSON Lines and covered by
/// the hash chain (docs/log-format.md).
///
/// The event's type and type version travel beside the payload (as columns or fields); the
/// decoder upcasts older versions to the current one and refuses unknown types, unknown keys
/// and missing fields, so a replay never silently skips or misreads an event.
public enum EventCodec {
  /// The current schema version of each event type.
  public static func currentVersion(of type: String) -> Int? {
    switch type {
    case "CaseOpened": 2  // version 2 added the shop's membership flag
    case "ShopAcknowledged", "ShopResponded", "AnswerAccepted", "AnswerRejected", "ComplaintFiled",
      "FilingRefused", "FileCompleted", "MediationStarted", "SettlementReached", "MediationFailed",
      "EscalatedToCommittee", "ClaimFiled", "DefenceFiled", "DecisionIssued", "Complied",
      "NotComplied", "CaseWithdrawn", "CaseAbandoned", "CaseClosed", "DeadlineExtended",
      "DeadlineMissed", "NoteAdded", "CorrectionRecorded", "PersonalDataErased":
      1
    default: nil
    }
  }

  // MARK: - Occurrences

  /// `2026-12-23` for a day, `2026-12-23T13:30:00.000Z` for an instant.
  public static func text(_ occurrence: Occurrence) -> String {
    switch occurrence {
    case .day(let day): day.description
    case .instant(let instant): Instants.iso8601(instant)
    }
  }

  /// Reads ``text(_:)``'s form back.
  public static func occurrence(_ text: String) -> Occurrence? {
    if text.utf8.count == 10 { return (try? CivilDate(parsing: text)).map(Occurrence.day) }
    return (try? Instants.parse(text)).map(Occurrence.instant)
  }

  // MARK: - Encoding

  /// The canonical payload of an event (everything but its occurrence and type).
  public static func payload(_ event: CaseEvent) -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    switch event.change {
    case .opened(let o):
      w.key("caseId")
      w.string(o.caseID.rawValue)
      w.key("reference")
      w.string(o.reference.description)
      w.key("scheme")
      w.string(o.scheme)
      w.key("workflowVersion")
      w.string(o.workflowVersion)
      w.key("shop")
      w.beginObject()
      w.key("tradeName")
      w.string(o.shop.tradeName)
      w.key("country")
      w.string(o.shop.country.rawValue)
      w.optional("registrationNumber", o.shop.registrationNumber)
      w.optional("website", o.shop.website)
      w.key("member")
      w.bool(o.shop.isMember)
      w.endObject()
      w.key("consumerCountry")
      w.string(o.consumerCountry.rawValue)
      w.optional("consumerId", o.consumerID)
      w.key("subject")
      w.string(o.subject)
      if let amount = o.amount {
        w.key("amountCents")
        w.int(amount.cents)
      }
    case .acknowledged, .answerAccepted, .answerRejected, .fileCompleted, .forwarded, .claimFiled,
      .defenceFiled, .complied:
      break
    case .responded(let proposal):
      w.optional("proposal", proposal)
    case .filed(let checks):
      w.key("checks")
      w.beginArray()
      for check in checks {
        w.beginObject()
        w.key("ground")
        w.string(check.ground.rawValue)
        w.key("passed")
        w.bool(check.passed)
        w.key("detail")
        w.string(check.detail)
        w.endObject()
      }
      w.endArray()
    case .refused(let ground, let explanation):
      w.key("ground")
      w.string(ground.rawValue)
      w.key("explanation")
      w.string(explanation)
    case .settled(let terms, let fulfilBy):
      w.optional("terms", terms)
      w.optional("fulfilBy", fulfilBy?.description)
    case .mediationFailed(let reason), .withdrawn(let reason), .closed(let reason):
      w.optional("reason", reason)
    case .escalated(let committee):
      w.key("committee")
      w.string(committee)
    case .decisionIssued(let outcome):
      w.key("outcome")
      w.string(outcome.rawValue)
    case .notComplied(let referral):
      w.key("trustmark")
      w.string(referral.trustmark)
      w.key("reason")
      w.string(referral.reason)
    case .abandoned(let reason):
      w.key("reason")
      w.string(reason)
    case .deadlineExtended(let kind, let reason):
      w.key("deadline")
      w.string(kind.rawValue)
      w.key("reason")
      w.string(reason)
    case .deadlineMissed(let kind):
      w.key("deadline")
      w.string(kind.rawValue)
    case .noted(let text):
      w.key("text")
      w.string(text)
    case .corrected(let version, let reason):
      w.key("eventVersion")
      w.int(version)
      w.key("reason")
      w.string(reason)
    case .personalDataErased(let personID):
      w.key("personId")
      w.string(personID)
    }
    if !event.opens.isEmpty {
      w.key("opens")
      w.beginArray()
      for opened in event.opens { write(opened, to: &w) }
      w.endArray()
    }
    w.endObject()
    return w.bytes
  }

  static func write(_ opened: OpenedDeadline, to w: inout JSONWriter) {
    let d = opened.deadline
    w.beginObject()
    w.key("kind")
    w.string(opened.kind.rawValue)
    w.key("party")
    w.string(opened.party.rawValue)
    w.key("source")
    w.string(opened.source)
    w.key("extendable")
    w.bool(opened.extendable)
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
    w.string(text(d.trigger))
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

  // MARK: - Decoding

  /// Decodes an event from its type, type version, occurrence and payload, upcasting older
  /// versions.
  ///
  /// - Throws: ``EventDecodingError`` for an unknown type or version, or a payload that does not
  ///   decode (with the byte offset and the field).
  public static func decode(
    type: String, version: Int, occurredAt: String, payload: UnsafeBufferPointer<UInt8>
  ) throws(EventDecodingError) -> CaseEvent {
    guard let current = currentVersion(of: type) else {
      throw EventDecodingError(
        type: type, version: version, message: "unknown event type '\(type)'")
    }
    guard (1...current).contains(version) else {
      throw EventDecodingError(
        type: type, version: version,
        message: "unknown version \(version) of \(type) (current: \(current))")
    }
    guard let occurrence = occurrence(occurredAt) else {
      throw EventDecodingError(
        type: type, version: version, message: "'\(occurredAt)' is not an occurrence")
    }
    var reader = JSONReader(payload)
    do {
      let (change, opens) = try decodeChange(type: type, version: version, reader: &reader)
      guard reader.atEnd() else { throw reader.error("unexpected text after the payload") }
      return CaseEvent(occurredAt: occurrence, change: change, opens: opens)
    } catch let error as JSONReadError {
      throw EventDecodingError(type: type, version: version, message: error.description)
    } catch let error as EventDecodingError {
      throw error
    } catch {
      throw EventDecodingError(type: type, version: version, message: "\(error)")
    }
  }

  /// ``decode(type:version:occurredAt:payload:)`` for a byte array.
  public static func decode(
    type: String, version: Int, occurredAt: String, payload: [UInt8]
  ) throws(EventDecodingError) -> CaseEvent {
    let result: Result<CaseEvent, EventDecodingError> = payload.withUnsafeBufferPointer { buffer in
      Result { () throws(EventDecodingError) in
        try decode(type: type, version: version, occurredAt: occurredAt, payload: buffer)
      }
    }
    return try result.get()
  }

  /// The fields of one payload object, read by name.
  private struct Fields {
    var strings: [String: String] = [:]
    var ints: [String: Int] = [:]
    var bools: [String: Bool] = [:]
    var checks: [AdmissibilityCheck] = []
    var opens: [OpenedDeadline] = []
    var shop: ShopIdentity?
  }

  private static func decodeChange(
    type: String, version: Int, reader: inout JSONReader
  ) throws -> (CaseEvent.Change, [OpenedDeadline]) {
    var f = Fields()
    try reader.beginObject()
    while let key = try reader.nextKey() {
      switch key {
      case "caseId", "reference", "scheme", "workflowVersion", "consumerCountry", "consumerId",
        "subject",
        "proposal", "ground", "explanation", "terms", "fulfilBy", "reason", "committee", "outcome",
        "trustmark", "deadline", "text", "personId":
        f.strings[key] = try reader.string()
      case "amountCents", "eventVersion":
        f.ints[key] = try reader.int()
      case "shop":
        f.shop = try shop(&reader, version: version)
      case "checks":
        try reader.beginArray()
        while try reader.nextElement() { f.checks.append(try check(&reader)) }
      case "opens":
        try reader.beginArray()
        while try reader.nextElement() { f.opens.append(try deadline(&reader)) }
      default:
        throw reader.error("unknown field '\(key)' in \(type)")
      }
    }
    func string(_ key: String) throws -> String {
      guard let value = f.strings[key] else { throw reader.error("\(type) lacks '\(key)'") }
      return value
    }
    func value<T: RawRepresentable>(_ key: String, _: T.Type) throws -> T
    where T.RawValue == String {
      let text = try string(key)
      guard let value = T(rawValue: text) else {
        throw reader.error("'\(text)' is not a valid \(key)")
      }
      return value
    }
    let change: CaseEvent.Change
    switch type {
    case "CaseOpened":
      guard let shop = f.shop else { throw reader.error("CaseOpened lacks 'shop'") }
      guard let reference = CaseReference(parsing: try string("reference")) else {
        throw reader.error("'\(f.strings["reference"] ?? "")' is not a case reference")
      }
      guard let country = CountryCode(try string("consumerCountry")) else {
        throw reader.error("'\(f.strings["consumerCountry"] ?? "")' is not a country code")
      }
      change = .opened(
        CaseOpened(
          caseID: CaseID(try string("caseId")), reference: reference, scheme: try string("scheme"),
          workflowVersion: try string("workflowVersion"), shop: shop, consumerCountry: country,
          consumerID: f.strings["consumerId"], subject: try string("subject"),
          amount: f.ints["amountCents"].map(Money.init(cents:))))
    case "ShopAcknowledged": change = .acknowledged
    case "ShopResponded": change = .responded(proposal: f.strings["proposal"])
    case "AnswerAccepted": change = .answerAccepted
    case "AnswerRejected": change = .answerRejected
    case "ComplaintFiled": change = .filed(checks: f.checks)
    case "FilingRefused":
      change = .refused(
        ground: try value("ground", RefusalGround.self), explanation: try string("explanation"))
    case "FileCompleted": change = .fileCompleted
    case "MediationStarted": change = .forwarded
    case "SettlementReached":
      var fulfilBy: CivilDate?
      if let text = f.strings["fulfilBy"] {
        guard let date = try? CivilDate(parsing: text) else {
          throw reader.error("'\(text)' is not a date")
        }
        fulfilBy = date
      }
      change = .settled(terms: f.strings["terms"], fulfilBy: fulfilBy)
    case "MediationFailed": change = .mediationFailed(reason: f.strings["reason"])
    case "EscalatedToCommittee": change = .escalated(committee: try string("committee"))
    case "ClaimFiled": change = .claimFiled
    case "DefenceFiled": change = .defenceFiled
    case "DecisionIssued": change = .decisionIssued(try value("outcome", DecisionOutcome.self))
    case "Complied": change = .complied
    case "NotComplied":
      change = .notComplied(
        SanctionsReferral(trustmark: try string("trustmark"), reason: try string("reason")))
    case "CaseWithdrawn": change = .withdrawn(reason: f.strings["reason"])
    case "CaseAbandoned": change = .abandoned(reason: try string("reason"))
    case "CaseClosed": change = .closed(reason: f.strings["reason"])
    case "DeadlineExtended":
      change = .deadlineExtended(
        try value("deadline", DeadlineKind.self), reason: try string("reason"))
    case "DeadlineMissed": change = .deadlineMissed(try value("deadline", DeadlineKind.self))
    case "NoteAdded": change = .noted(try string("text"))
    case "CorrectionRecorded":
      guard let version = f.ints["eventVersion"] else {
        throw reader.error("CorrectionRecorded lacks 'eventVersion'")
      }
      change = .corrected(eventVersion: version, reason: try string("reason"))
    case "PersonalDataErased": change = .personalDataErased(personID: try string("personId"))
    default:
      throw reader.error("unknown event type '\(type)'")
    }
    return (change, f.opens)
  }

  private static func shop(_ reader: inout JSONReader, version: Int) throws -> ShopIdentity {
    var tradeName: String?
    var country: Jurisdiction?
    var registration: String?
    var website: String?
    // Version 1 of CaseOpened had no membership flag: every shop then was a member.
    var member: Bool? = version == 1 ? true : nil
    try reader.beginObject()
    while let key = try reader.nextKey() {
      switch key {
      case "tradeName": tradeName = try reader.string()
      case "country":
        let text = try reader.string()
        guard let value = Jurisdiction(rawValue: text) else {
          throw reader.error("'\(text)' is not NL or BE")
        }
        country = value
      case "registrationNumber": registration = try reader.string()
      case "website": website = try reader.string()
      case "member" where version >= 2: member = try reader.bool()
      default: throw reader.error("unknown field '\(key)' in shop")
      }
    }
    guard let tradeName, let country, let member else {
      throw reader.error("shop lacks tradeName, country or member")
    }
    return ShopIdentity(
      tradeName: tradeName, country: country, registrationNumber: registration, website: website,
      isMember: member)
  }

  private static func check(_ reader: inout JSONReader) throws -> AdmissibilityCheck {
    var ground: RefusalGround?
    var passed: Bool?
    var detail: String?
    try reader.beginObject()
    while let key = try reader.nextKey() {
      switch key {
      case "ground": ground = RefusalGround(rawValue: try reader.string())
      case "passed": passed = try reader.bool()
      case "detail": detail = try reader.string()
      default: throw reader.error("unknown field '\(key)' in a check")
      }
    }
    guard let ground, let passed, let detail else {
      throw reader.error("incomplete admissibility check")
    }
    return AdmissibilityCheck(ground: ground, passed: passed, detail: detail)
  }

  private static func deadline(_ reader: inout JSONReader) throws -> OpenedDeadline {
    var s: [String: String] = [:]
    var extendable: Bool?
    var unit: Period.Unit?
    var length: Int?
    var skipped: [SkippedDay] = []
    var steps: [String] = []
    var warnings: [String] = []
    try reader.beginObject()
    while let key = try reader.nextKey() {
      switch key {
      case "kind", "party", "source", "regime", "calendar", "timeZone", "trigger", "triggerDay",
        "nominalLastDay",
        "lastDay", "expiresAt":
        s[key] = try reader.string()
      case "extendable": extendable = try reader.bool()
      case "period":
        try reader.beginObject()
        while let field = try reader.nextKey() {
          switch field {
          case "unit": unit = Period.Unit(rawValue: try reader.string())
          case "length": length = try reader.int()
          default: throw reader.error("unknown field '\(field)' in a period")
          }
        }
      case "skipped":
        try reader.beginArray()
        while try reader.nextElement() {
          var date: CivilDate?
          var reason: String?
          var effect: SkippedDay.Effect?
          try reader.beginObject()
          while let field = try reader.nextKey() {
            switch field {
            case "date": date = try? CivilDate(parsing: try reader.string())
            case "reason": reason = try reader.string()
            case "effect": effect = SkippedDay.Effect(rawValue: try reader.string())
            default: throw reader.error("unknown field '\(field)' in a skipped day")
            }
          }
          guard let date, let reason, let effect else {
            throw reader.error("incomplete skipped day")
          }
          skipped.append(SkippedDay(date: date, reason: reason, effect: effect))
        }
      case "steps":
        try reader.beginArray()
        while try reader.nextElement() { steps.append(try reader.string()) }
      case "warnings":
        try reader.beginArray()
        while try reader.nextElement() { warnings.append(try reader.string()) }
      default:
        throw reader.error("unknown field '\(key)' in a deadline")
      }
    }
    func date(_ key: String) throws -> CivilDate {
      guard let text = s[key], let value = try? CivilDate(parsing: text) else {
        throw reader.error("deadline lacks a valid '\(key)'")
      }
      return value
    }
    guard let kind = s["kind"].flatMap(DeadlineKind.init(rawValue:)),
      let party = s["party"].flatMap(Party.init(rawValue:)),
      let regime = s["regime"].flatMap(Regime.init(rawValue:)), let unit, let length,
      let extendable,
      let source = s["source"], let calendar = s["calendar"], let timeZone = s["timeZone"],
      let trigger = s["trigger"].flatMap(occurrence), let expiresText = s["expiresAt"],
      let expiresAt = try? Instants.parse(expiresText)
    else { throw reader.error("incomplete deadline") }
    let computed = ComputedDeadline(
      period: Period(length, unit), regime: regime, calendar: calendar, timeZone: timeZone,
      trigger: trigger,
      triggerDay: try date("triggerDay"), nominalLastDay: try date("nominalLastDay"),
      lastDay: try date("lastDay"),
      expiresAt: expiresAt, skipped: skipped, steps: steps, warnings: warnings)
    return OpenedDeadline(
      kind: kind, party: party, source: source, extendable: extendable, deadline: computed)
  }
}

/// An event that could not be decoded: its type, version and what was wrong.
public struct EventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The event's type.
  public let type: String
  /// The event's type version.
  public let version: Int
  /// What was wrong.
  public let message: String

  /// Creates an error.
  public init(type: String, version: Int, message: String) {
    self.type = type
    self.version = version
    self.message = message
  }

  public var description: String { "\(type) v\(version): \(message)" }
}
