import CanonicalJSON
public import CaseModel
import Foundation
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
  public static func text(_ occurrence: Occurrence) -> String { CanonicalForms.text(occurrence) }

  /// Reads ``text(_:)``'s form back.
  public static func occurrence(_ text: String) -> Occurrence? { CanonicalForms.occurrence(text) }

  // MARK: - Encoding

  /// The canonical payload of an event (everything but its occurrence and type).
  public static func payload(_ event: CaseEvent) -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    switch event.change {
    case .opened(let opening):
      opening.writeFields(to: &w)
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
      for opened in event.opens { opened.write(to: &w) }
      w.endArray()
    }
    w.endObject()
    return w.bytes
  }

  // MARK: - Decoding

  /// Decodes an event from its type, type version, occurrence and payload, upcasting older
  /// versions.
  ///
  /// - Throws: ``EventDecodingError`` for an unknown type or version, or a payload that does not
  ///   decode (with the byte offset and the field).
  public static func decode(
    type: String, version: Int, occurredAt: String, payload: UnsafeBufferPointer<UInt8>,
    explanations: Bool = true
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
      let (change, opens) = try decodeChange(
        type: type, version: version, reader: &reader, explanations: explanations)
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

  /// ``decode(type:version:occurredAt:payload:explanations:)`` for a byte array.
  public static func decode(
    type: String, version: Int, occurredAt: String, payload: [UInt8], explanations: Bool = true
  ) throws(EventDecodingError) -> CaseEvent {
    let result: Result<CaseEvent, EventDecodingError> = payload.withUnsafeBufferPointer { buffer in
      Result { () throws(EventDecodingError) in
        try decode(
          type: type, version: version, occurredAt: occurredAt, payload: buffer,
          explanations: explanations)
      }
    }
    return try result.get()
  }

  /// The keys an event payload may hold.
  enum Key: Int, CaseIterable {
    case caseId, reference, scheme, workflowVersion, consumerCountry, consumerId, subject
    case proposal, ground, explanation, terms, fulfilBy, reason, committee, outcome, trustmark
    case deadline, text, personId
    case amountCents, eventVersion, shop, checks, opens

    /// The keys whose values are strings come first.
    static let stringCount = Key.personId.rawValue + 1
    static let table = JSONKeys(allCases.map { "\($0)" })
  }

  /// The fields of one payload object, by key.
  private struct Fields {
    var strings = [String?](repeating: nil, count: Key.stringCount)
    var amountCents: Int?
    var eventVersion: Int?
    var checks: [AdmissibilityCheck] = []
    var opens: [OpenedDeadline] = []
    var shop: ShopIdentity?

    subscript(key: Key) -> String? { strings[key.rawValue] }
  }

  private static func decodeChange(
    type: String, version: Int, reader: inout JSONReader, explanations: Bool
  ) throws -> (CaseEvent.Change, [OpenedDeadline]) {
    var f = Fields()
    try reader.beginObject()
    while let index = try reader.nextKey(in: Key.table, context: type) {
      switch Key(rawValue: index)! {
      case .amountCents: f.amountCents = try reader.int()
      case .eventVersion: f.eventVersion = try reader.int()
      case .shop:
        f.shop = try ShopIdentity.read(from: &reader, memberDefault: version == 1 ? true : nil)
      case .checks:
        try reader.beginArray()
        while try reader.nextElement() { f.checks.append(try check(&reader)) }
      case .opens:
        try reader.beginArray()
        while try reader.nextElement() {
          f.opens.append(try OpenedDeadline.read(from: &reader, explanations: explanations))
        }
      default:
        f.strings[index] = try reader.string()
      }
    }
    func string(_ key: Key) throws -> String {
      guard let value = f[key] else { throw reader.error("\(type) lacks '\(key)'") }
      return value
    }
    func value<T: RawRepresentable>(_ key: Key, _: T.Type) throws -> T
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
      change = .opened(
        try CaseOpened.make(
          caseID: f[.caseId], reference: f[.reference], scheme: f[.scheme],
          workflowVersion: f[.workflowVersion], consumerCountry: f[.consumerCountry],
          consumerID: f[.consumerId], subject: f[.subject], amountCents: f.amountCents,
          shop: f.shop, reader: reader))
    case "ShopAcknowledged": change = .acknowledged
    case "ShopResponded": change = .responded(proposal: f[.proposal])
    case "AnswerAccepted": change = .answerAccepted
    case "AnswerRejected": change = .answerRejected
    case "ComplaintFiled": change = .filed(checks: f.checks)
    case "FilingRefused":
      change = .refused(
        ground: try value(.ground, RefusalGround.self), explanation: try string(.explanation))
    case "FileCompleted": change = .fileCompleted
    case "MediationStarted": change = .forwarded
    case "SettlementReached":
      var fulfilBy: CivilDate?
      if let text = f[.fulfilBy] {
        guard let date = try? CivilDate(parsing: text) else {
          throw reader.error("'\(text)' is not a date")
        }
        fulfilBy = date
      }
      change = .settled(terms: f[.terms], fulfilBy: fulfilBy)
    case "MediationFailed": change = .mediationFailed(reason: f[.reason])
    case "EscalatedToCommittee": change = .escalated(committee: try string(.committee))
    case "ClaimFiled": change = .claimFiled
    case "DefenceFiled": change = .defenceFiled
    case "DecisionIssued": change = .decisionIssued(try value(.outcome, DecisionOutcome.self))
    case "Complied": change = .complied
    case "NotComplied":
      change = .notComplied(
        SanctionsReferral(trustmark: try string(.trustmark), reason: try string(.reason)))
    case "CaseWithdrawn": change = .withdrawn(reason: f[.reason])
    case "CaseAbandoned": change = .abandoned(reason: try string(.reason))
    case "CaseClosed": change = .closed(reason: f[.reason])
    case "DeadlineExtended":
      change = .deadlineExtended(
        try value(.deadline, DeadlineKind.self), reason: try string(.reason))
    case "DeadlineMissed": change = .deadlineMissed(try value(.deadline, DeadlineKind.self))
    case "NoteAdded": change = .noted(try string(.text))
    case "CorrectionRecorded":
      guard let version = f.eventVersion else {
        throw reader.error("CorrectionRecorded lacks 'eventVersion'")
      }
      change = .corrected(eventVersion: version, reason: try string(.reason))
    case "PersonalDataErased": change = .personalDataErased(personID: try string(.personId))
    default:
      throw reader.error("unknown event type '\(type)'")
    }
    return (change, f.opens)
  }

  /// Reads one admissibility check (also the strict outline's check of one).
  static func check(_ reader: inout JSONReader) throws(JSONReadError) -> AdmissibilityCheck {
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
