import CanonicalJSON
package import CaseModel
import Foundation
import WorkingDays

/// An event as a bulk replay of the read tables needs it: its outline, when it occurred and
/// the deadlines it opened.
package struct EventOutline: Sendable, Hashable {
  /// What the event does to the tables.
  package var change: ChangeOutline
  /// When it occurred.
  package var occurredAt: Occurrence
  /// The deadlines it opened, in outline.
  package var opens: [DeadlineOutline]

  /// An outline.
  package init(change: ChangeOutline, occurredAt: Occurrence, opens: [DeadlineOutline]) {
    self.change = change
    self.occurredAt = occurredAt
    self.opens = opens
  }

  /// The outline of a decoded event.
  package init(_ event: CaseEvent) {
    self.init(
      change: event.change.outline, occurredAt: event.occurredAt,
      opens: event.opens.map(DeadlineOutline.init))
  }
}

extension EventCodec {
  /// What an event type's outline is made of.
  private enum Role {
    case opened, step, decision, extended, missed, corrected, annotation
  }

  /// One event type: its stored name, role, command, and the payload keys it requires (as
  /// ``decodeChange`` does: a test removes each key from real payloads and compares).
  private struct TypeEntry {
    let name: String
    let role: Role
    let command: CommandKind
    let required: [Key]

    init(_ name: String, _ role: Role, _ command: CommandKind, requires required: [Key] = []) {
      self.name = name
      self.role = role
      self.command = command
      self.required = required
    }

    /// ``required`` as a bit set of key indexes.
    var requiredMask: UInt32 { required.reduce(0) { $0 | 1 << UInt32($1.rawValue) } }
  }

  /// Every event type. A test checks each against ``CaseEvent/Change/outline``.
  private static let types: [TypeEntry] = [
    TypeEntry("CaseOpened", .opened, .open),
    TypeEntry("ShopAcknowledged", .step, .acknowledge),
    TypeEntry("ShopResponded", .step, .respond),
    TypeEntry("AnswerAccepted", .step, .accept),
    TypeEntry("AnswerRejected", .step, .reject),
    TypeEntry("ComplaintFiled", .step, .file),
    TypeEntry("FilingRefused", .step, .refuse, requires: [.ground, .explanation]),
    TypeEntry("FileCompleted", .step, .completeFile),
    TypeEntry("MediationStarted", .step, .mediate),
    TypeEntry("SettlementReached", .step, .settle),
    TypeEntry("MediationFailed", .step, .failMediation),
    TypeEntry("EscalatedToCommittee", .step, .escalate, requires: [.committee]),
    TypeEntry("ClaimFiled", .step, .claim),
    TypeEntry("DefenceFiled", .step, .defend),
    TypeEntry("DecisionIssued", .decision, .decide, requires: [.outcome]),
    TypeEntry("Complied", .step, .comply),
    TypeEntry("NotComplied", .step, .notComply, requires: [.trustmark, .reason]),
    TypeEntry("CaseWithdrawn", .step, .withdraw),
    TypeEntry("CaseAbandoned", .step, .abandon, requires: [.reason]),
    TypeEntry("CaseClosed", .step, .close),
    TypeEntry("DeadlineExtended", .extended, .extend, requires: [.deadline, .reason]),
    TypeEntry("DeadlineMissed", .missed, .sweep, requires: [.deadline]),
    TypeEntry("NoteAdded", .annotation, .note, requires: [.text]),
    TypeEntry("CorrectionRecorded", .corrected, .correct, requires: [.eventVersion, .reason]),
    TypeEntry("PersonalDataErased", .annotation, .note, requires: [.personId]),
  ]
  private static let typeNames = JSONKeys(types.map(\.name), context: "event types")
  private static let noteIndex = types.firstIndex { $0.name == "NoteAdded" }!
  private static let requiredMasks = types.map(\.requiredMask)

  /// Decodes what the read tables need of an event, from the bytes of its columns: the case's
  /// opening (its facts), and otherwise the step, the deadline extended or marked, the
  /// decision's outcome, the event voided; and the deadlines the event opened, in outline
  /// (``DeadlineOutline``). The payload's other fields are checked as far as their shape goes
  /// (known keys, the required ones present, strings where strings belong), not decoded: a
  /// text's or code's content is checked only by
  /// ``decode(type:version:occurredAt:payload:explanations:)``, which `verify` uses. Openings
  /// and deadlines in the canonical key order are read without key look-ups.
  ///
  /// With `strict`, every field is checked as ``decode(type:version:occurredAt:payload:explanations:)``
  /// checks it (strings and their escapes, codes, dates, admissibility checks, a shop), still
  /// without turning texts into strings: what it accepts, the full decoder accepts too (a test
  /// compares the two over many damaged payloads). The import uses it for lines from outside.
  /// A strict outline may refuse a payload that repeats a key whose first value is invalid,
  /// where the full decoder keeps only the last value.
  ///
  /// - Throws: ``EventDecodingError`` for an unknown type or version, a payload that is not
  ///   JSON or not of its type's shape, or a field the outline needs (or, when `strict`, any
  ///   field) that is invalid.
  package static func decodeOutline(
    type: UnsafeBufferPointer<UInt8>, version: Int, occurredAt: UnsafeBufferPointer<UInt8>,
    payload: UnsafeBufferPointer<UInt8>, strict: Bool = false
  ) throws(EventDecodingError) -> EventOutline {
    guard let index = typeNames.index(of: type) else {
      let name = String(decoding: type, as: UTF8.self)
      throw EventDecodingError(
        type: name, version: version, message: "unknown event type '\(name)'")
    }
    let entry = types[index]
    // A note (two events in five) in the canonical form: its text passed over in place, as
    // the general path below would, without looking its key up.
    if !strict, index == noteIndex, version == 1,
      let occurrence = CanonicalForms.occurrence(utf8: occurredAt)
    {
      var reader = JSONReader(payload)
      if reader.consume(#"{"text":"#), (try? reader.passOverString()) != nil, reader.consume("}"),
        reader.atEnd()
      {
        return EventOutline(
          change: ChangeOutline(.annotation, typeName: entry.name, command: entry.command),
          occurredAt: occurrence, opens: [])
      }
    }
    if entry.role == .opened {
      if !strict, version == currentVersion(of: entry.name),
        let (opening, opens) = readOpeningCanonical(payload),
        let occurrence = CanonicalForms.occurrence(utf8: occurredAt)
      {
        return EventOutline(
          change: ChangeOutline(.opened(opening), typeName: entry.name, command: entry.command),
          occurredAt: occurrence, opens: opens)
      }
      let event = try decode(
        type: entry.name, version: version,
        occurredAt: String(decoding: occurredAt, as: UTF8.self), payload: payload,
        explanations: false)
      return EventOutline(event)
    }
    guard version == 1 else {
      throw EventDecodingError(
        type: entry.name, version: version,
        message: "unknown version \(version) of \(entry.name) (current: 1)")
    }
    guard let occurrence = CanonicalForms.occurrence(utf8: occurredAt) else {
      throw EventDecodingError(
        type: entry.name, version: version,
        message: "'\(String(decoding: occurredAt, as: UTF8.self))' is not an occurrence")
    }
    var reader = JSONReader(payload)
    var opens: [DeadlineOutline] = []
    var deadline: DeadlineKind?
    var outcome: DecisionOutcome?
    var eventVersion: Int?
    var seen: UInt32 = 0
    do throws(JSONReadError) {
      try reader.beginObject()
      while let index = try reader.nextKey(in: Key.table, context: entry.name) {
        let start = reader.offset
        seen |= 1 << UInt32(index)
        switch Key(rawValue: index)! {
        case .opens:
          try reader.beginArray()
          while try reader.nextElement() {
            opens.append(
              strict
                ? DeadlineOutline(try OpenedDeadline.read(from: &reader, explanations: false))
                : try DeadlineOutline.read(from: &reader))
          }
        case .deadline where entry.role == .extended || entry.role == .missed:
          deadline = try reader.withString { bytes throws(JSONReadError) in
            DeadlineKind(rawValue: String(decoding: bytes, as: UTF8.self))
          }
          if deadline == nil { throw JSONReadError(offset: start, message: "not a deadline kind") }
        case .outcome where entry.role == .decision:
          outcome = try reader.withString { bytes throws(JSONReadError) in
            DecisionOutcome(rawValue: String(decoding: bytes, as: UTF8.self))
          }
          if outcome == nil {
            throw JSONReadError(offset: start, message: "not a decision outcome")
          }
        case .eventVersion where entry.role == .corrected:
          eventVersion = try reader.int()
        case .amountCents, .eventVersion:
          _ = try reader.int()
        case .shop where strict:
          _ = try ShopIdentity.read(from: &reader, memberDefault: version == 1 ? true : nil)
        case .shop:
          try skipObject(&reader)
        case .checks:
          try reader.beginArray()
          while try reader.nextElement() {
            if strict { _ = try check(&reader) } else { try skipObject(&reader) }
          }
        case .ground where strict && entry.command == .refuse:
          let ground = try reader.withString { bytes throws(JSONReadError) in
            RefusalGround(rawValue: String(decoding: bytes, as: UTF8.self))
          }
          if ground == nil { throw JSONReadError(offset: start, message: "not a refusal ground") }
        case .fulfilBy where strict && entry.command == .settle:
          let date = try reader.withString { bytes throws(JSONReadError) in
            CivilDate(utf8: bytes)
          }
          if date == nil { throw JSONReadError(offset: start, message: "not a date") }
        default:
          // Strict: read as the full decoder reads a string (escapes resolved, surrogates
          // paired), without keeping it.
          if strict {
            try reader.withString { _ throws(JSONReadError) in }
          } else {
            try reader.passOverString()
          }
        }
      }
      guard reader.atEnd() else { throw reader.error("unexpected text after the payload") }
    } catch {
      throw EventDecodingError(type: entry.name, version: version, message: error.description)
    }
    if Self.requiredMasks[index] & ~seen != 0,
      let key = entry.required.first(where: { seen & 1 << UInt32($0.rawValue) == 0 })
    {
      throw EventDecodingError(
        type: entry.name, version: version, message: "\(entry.name) lacks '\(key)'")
    }
    func skipObject(_ reader: inout JSONReader) throws(JSONReadError) {
      try reader.beginObject()
      while try reader.nextKeyBytes() != nil { try reader.passOverValue() }
    }
    func missing(_ field: String) -> EventDecodingError {
      EventDecodingError(
        type: entry.name, version: version, message: "\(entry.name) lacks '\(field)'")
    }
    let effect: ChangeOutline.Effect
    switch entry.role {
    case .opened, .step: effect = .step(entry.command, outcome: nil)
    case .decision:
      guard let outcome else { throw missing("outcome") }
      effect = .step(.decide, outcome: outcome)
    case .extended:
      guard let deadline else { throw missing("deadline") }
      effect = .deadlineExtended(deadline)
    case .missed:
      guard let deadline else { throw missing("deadline") }
      effect = .deadlineMissed(deadline)
    case .corrected:
      guard let eventVersion else { throw missing("eventVersion") }
      effect = .corrected(eventVersion: eventVersion)
    case .annotation: effect = .annotation
    }
    return EventOutline(
      change: ChangeOutline(effect, typeName: entry.name, command: entry.command),
      occurredAt: occurrence, opens: opens)
  }

  /// An opening in the canonical form ``payload(_:)`` writes for the current version, read with
  /// its keys in their order rather than looked up: its texts become strings straight from
  /// their bytes and its deadlines are read in outline. A rebuild reads one for every case.
  /// `nil` at the first byte that differs from that form (an escape in a text too), so that
  /// the full decoder reads the payload or says what is wrong with it.
  private static func readOpeningCanonical(_ payload: UnsafeBufferPointer<UInt8>)
    -> (CaseOpened, [DeadlineOutline])?
  {
    var reader = JSONReader(payload)
    // As `JSONReader.string()` makes a string without escapes.
    func text(_ reader: inout JSONReader) -> String? {
      (try? reader.stringBytes()).map { String(decoding: $0, as: UTF8.self) }
    }
    func optionalText(_ key: StaticString, _ reader: inout JSONReader) -> String?? {
      guard reader.consume(key) else { return .some(nil) }
      return text(&reader).map(Optional.some)
    }
    guard reader.consume(#"{"caseId":"#), let caseID = text(&reader),
      reader.consume(#","reference":"#),
      let reference = text(&reader).flatMap(CaseReference.init(parsing:)),
      reader.consume(#","scheme":"#), let scheme = text(&reader),
      reader.consume(#","workflowVersion":"#), let workflowVersion = text(&reader),
      reader.consume(#","shop":{"tradeName":"#), let tradeName = text(&reader),
      reader.consume(#","country":"#),
      let country = text(&reader).flatMap(Jurisdiction.init(rawValue:)),
      let registration = optionalText(#","registrationNumber":"#, &reader),
      let website = optionalText(#","website":"#, &reader),
      reader.consume(#","member":"#), let member = try? reader.bool(),
      reader.consume(#"},"consumerCountry":"#),
      let consumerCountry = text(&reader).flatMap(CountryCode.init),
      let consumerID = optionalText(#","consumerId":"#, &reader),
      reader.consume(#","subject":"#), let subject = text(&reader)
    else { return nil }
    var amount: Money?
    if reader.consume(#","amountCents":"#) {
      guard let cents = try? reader.int() else { return nil }
      amount = Money(cents: cents)
    }
    var opens: [DeadlineOutline] = []
    if reader.consume(#","opens":["#) {
      repeat {
        guard let outline = try? DeadlineOutline.read(from: &reader) else { return nil }
        opens.append(outline)
      } while reader.consume(",")
      guard reader.consume("]") else { return nil }
    }
    guard reader.consume("}"), reader.atEnd() else { return nil }
    let shop = ShopIdentity(
      tradeName: tradeName, country: country, registrationNumber: registration, website: website,
      isMember: member)
    let opening = CaseOpened(
      caseID: CaseID(caseID), reference: reference, scheme: scheme,
      workflowVersion: workflowVersion, shop: shop, consumerCountry: consumerCountry,
      consumerID: consumerID, subject: subject, amount: amount)
    return (opening, opens)
  }
}
