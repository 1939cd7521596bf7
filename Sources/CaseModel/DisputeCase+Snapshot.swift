public import CanonicalJSON
import Foundation
import WorkingDays

extension DisputeCase {
  /// The snapshot format's version.
  public static let snapshotVersion = 1

  /// The case as canonical JSON, for storing beside its events so a command can load it without
  /// replaying them. Written and read by hand: a JSONEncoder round trip costs about a
  /// millisecond per case (docs/performance.md).
  public func snapshot() -> [UInt8] {
    var w = JSONWriter(capacity: 2048)
    w.beginObject()
    w.key("v")
    w.int(Self.snapshotVersion)
    w.key("opening")
    w.beginObject()
    opening.writeFields(to: &w)
    w.endObject()
    w.key("receivedAt")
    w.string(CanonicalForms.text(receivedAt))
    w.key("state")
    Self.write(state, to: &w)
    w.key("deadlines")
    w.beginArray()
    for tracked in deadlines {
      w.beginObject()
      w.key("opened")
      tracked.opened.write(to: &w)
      w.key("openedByVersion")
      w.int(tracked.openedByVersion)
      w.key("status")
      w.string(tracked.status.rawValue)
      w.key("markedMissed")
      w.bool(tracked.markedMissed)
      w.optional("closedAt", tracked.closedAt.map(CanonicalForms.text))
      w.key("extensions")
      w.int(tracked.extensions)
      w.endObject()
    }
    w.endArray()
    w.key("notes")
    w.beginArray()
    for note in notes {
      w.beginObject()
      w.key("at")
      w.string(CanonicalForms.text(note.at))
      w.key("text")
      w.string(note.text)
      w.endObject()
    }
    w.endArray()
    w.key("corrections")
    w.beginArray()
    for correction in corrections {
      w.beginObject()
      w.key("at")
      w.string(CanonicalForms.text(correction.at))
      w.key("voidedVersion")
      w.int(correction.voidedVersion)
      w.key("voidedStep")
      w.string(correction.voidedStep.rawValue)
      w.key("reason")
      w.string(correction.reason)
      w.endObject()
    }
    w.endArray()
    if let referral {
      w.key("referral")
      Self.write(referral, to: &w)
    }
    w.key("version")
    w.int(version)
    w.key("lastStepAt")
    w.string(CanonicalForms.text(lastStepAt))
    w.key("history")
    w.beginArray()
    for undo in history {
      w.beginObject()
      w.key("version")
      w.int(undo.version)
      w.key("step")
      w.string(undo.step.rawValue)
      w.key("state")
      Self.write(undo.state, to: &w)
      w.key("lastStepAt")
      w.string(CanonicalForms.text(undo.lastStepAt))
      if let referral = undo.referral {
        w.key("referral")
        Self.write(referral, to: &w)
      }
      w.key("deadlineCount")
      w.int(undo.deadlineCount)
      w.key("closed")
      w.beginArray()
      for index in undo.closed { w.int(index) }
      w.endArray()
      w.endObject()
    }
    w.endArray()
    w.key("personalDataErased")
    w.bool(personalDataErased)
    w.endObject()
    return w.bytes
  }

  /// Reads a snapshot written by ``snapshot()``.
  ///
  /// - Throws: `JSONReadError` naming the byte offset and what is wrong.
  public init(snapshot buffer: UnsafeBufferPointer<UInt8>) throws(JSONReadError) {
    var reader = JSONReader(buffer)
    var opening: CaseOpened?
    var receivedAt: Occurrence?
    var state: CaseState?
    var deadlines: [TrackedDeadline] = []
    var notes: [Note] = []
    var corrections: [Correction] = []
    var referral: SanctionsReferral?
    var version: Int?
    var lastStepAt: Occurrence?
    var history: [StepUndo] = []
    var erased = false
    try reader.beginObject()
    while let key = try reader.nextKey() {
      switch key {
      case "v":
        let format = try reader.int()
        guard format == Self.snapshotVersion else {
          throw reader.error("unknown snapshot version \(format)")
        }
      case "opening":
        var strings: [String: String] = [:]
        var amount: Int?
        var shop: ShopIdentity?
        try reader.beginObject()
        while let field = try reader.nextKey() {
          switch field {
          case "amountCents": amount = try reader.int()
          case "shop": shop = try ShopIdentity.read(from: &reader, memberDefault: nil)
          default: strings[field] = try reader.string()
          }
        }
        opening = try CaseOpened.make(
          strings: strings, amountCents: amount, shop: shop, reader: reader)
      case "receivedAt":
        receivedAt = try CanonicalForms.occurrence(try reader.string(), key, reader)
      case "state": state = try Self.readState(&reader)
      case "deadlines":
        try reader.beginArray()
        while try reader.nextElement() {
          var opened: OpenedDeadline?
          var openedBy: Int?
          var status: TrackedDeadline.Status?
          var marked: Bool?
          var closedAt: Occurrence?
          var extensions: Int?
          try reader.beginObject()
          while let field = try reader.nextKey() {
            switch field {
            case "opened": opened = try OpenedDeadline.read(from: &reader)
            case "openedByVersion": openedBy = try reader.int()
            case "status": status = TrackedDeadline.Status(rawValue: try reader.string())
            case "markedMissed": marked = try reader.bool()
            case "closedAt":
              closedAt = try CanonicalForms.occurrence(try reader.string(), field, reader)
            case "extensions": extensions = try reader.int()
            default: throw reader.error("unknown field '\(field)' in a tracked deadline")
            }
          }
          guard let opened, let openedBy, let status, let marked, let extensions else {
            throw reader.error("incomplete tracked deadline")
          }
          deadlines.append(
            TrackedDeadline(
              opened: opened, openedByVersion: openedBy, status: status, markedMissed: marked,
              closedAt: closedAt,
              extensions: extensions))
        }
      case "notes":
        try reader.beginArray()
        while try reader.nextElement() {
          let fields = try Self.readStrings(&reader)
          guard let text = fields["text"] else { throw reader.error("a note lacks its text") }
          notes.append(
            Note(at: try CanonicalForms.occurrence(fields["at"], "at", reader), text: text))
        }
      case "corrections":
        try reader.beginArray()
        while try reader.nextElement() {
          var fields: [String: String] = [:]
          var voided: Int?
          try reader.beginObject()
          while let field = try reader.nextKey() {
            if field == "voidedVersion" {
              voided = try reader.int()
            } else {
              fields[field] = try reader.string()
            }
          }
          guard let voided, let step = fields["voidedStep"].flatMap(CommandKind.init(rawValue:)),
            let reason = fields["reason"]
          else { throw reader.error("incomplete correction") }
          corrections.append(
            Correction(
              at: try CanonicalForms.occurrence(fields["at"], "at", reader), voidedVersion: voided,
              voidedStep: step,
              reason: reason))
        }
      case "referral": referral = try Self.readReferral(&reader)
      case "version": version = try reader.int()
      case "lastStepAt":
        lastStepAt = try CanonicalForms.occurrence(try reader.string(), key, reader)
      case "history":
        try reader.beginArray()
        while try reader.nextElement() {
          var undoVersion: Int?
          var step: CommandKind?
          var undoState: CaseState?
          var undoLast: Occurrence?
          var undoReferral: SanctionsReferral?
          var count: Int?
          var closed: [Int] = []
          try reader.beginObject()
          while let field = try reader.nextKey() {
            switch field {
            case "version": undoVersion = try reader.int()
            case "step": step = CommandKind(rawValue: try reader.string())
            case "state": undoState = try Self.readState(&reader)
            case "lastStepAt":
              undoLast = try CanonicalForms.occurrence(try reader.string(), field, reader)
            case "referral": undoReferral = try Self.readReferral(&reader)
            case "deadlineCount": count = try reader.int()
            case "closed":
              try reader.beginArray()
              while try reader.nextElement() { closed.append(try reader.int()) }
            default: throw reader.error("unknown field '\(field)' in history")
            }
          }
          guard let undoVersion, let step, let undoState, let undoLast, let count else {
            throw reader.error("incomplete history entry")
          }
          history.append(
            StepUndo(
              version: undoVersion, step: step, state: undoState, lastStepAt: undoLast,
              referral: undoReferral,
              deadlineCount: count, closed: closed))
        }
      case "personalDataErased": erased = try reader.bool()
      default: throw reader.error("unknown field '\(key)' in a snapshot")
      }
    }
    guard let opening, let receivedAt, let state, let version, let lastStepAt else {
      throw reader.error("incomplete snapshot")
    }
    self.init(
      restoring: opening, receivedAt: receivedAt, state: state, deadlines: deadlines, notes: notes,
      corrections: corrections, referral: referral, version: version, lastStepAt: lastStepAt,
      history: history,
      personalDataErased: erased)
  }

  // MARK: - States

  static func write(_ referral: SanctionsReferral, to w: inout JSONWriter) {
    w.beginObject()
    w.key("trustmark")
    w.string(referral.trustmark)
    w.key("reason")
    w.string(referral.reason)
    w.endObject()
  }

  static func readReferral(_ reader: inout JSONReader) throws(JSONReadError) -> SanctionsReferral {
    let fields = try readStrings(&reader)
    guard let trustmark = fields["trustmark"], let reason = fields["reason"] else {
      throw reader.error("incomplete referral")
    }
    return SanctionsReferral(trustmark: trustmark, reason: reason)
  }

  /// An object whose values are all strings (or null, left out).
  static func readStrings(_ reader: inout JSONReader) throws(JSONReadError) -> [String: String] {
    var fields: [String: String] = [:]
    try reader.beginObject()
    while let key = try reader.nextKey() {
      if !reader.readNull() { fields[key] = try reader.string() }
    }
    return fields
  }

  static func write(_ state: CaseState, to w: inout JSONWriter) {
    func at(_ key: StaticString, _ occurrence: Occurrence?) {
      guard let occurrence else { return }
      w.key(key)
      w.string(CanonicalForms.text(occurrence))
    }
    w.beginObject()
    w.key("kind")
    w.string(state.kind.rawValue)
    switch state {
    case .awaitingShopAnswer(let s):
      at("receivedAt", s.receivedAt)
      at("acknowledgedAt", s.acknowledgedAt)
    case .shopAnswered(let s):
      at("answeredAt", s.answeredAt)
      w.optional("proposal", s.proposal)
      at("rejectedAt", s.rejectedAt)
    case .filedWithMediator(let s):
      at("filedAt", s.filedAt)
    case .fileComplete(let s):
      at("filedAt", s.filedAt)
      at("completedAt", s.completedAt)
    case .inMediation(let s):
      at("completedAt", s.completedAt)
      at("forwardedAt", s.forwardedAt)
    case .settled(let s):
      at("settledAt", s.settledAt)
      w.optional("terms", s.terms)
      w.optional("fulfilBy", s.fulfilBy?.description)
    case .mediationFailed(let s):
      at("failedAt", s.failedAt)
      w.optional("reason", s.reason)
    case .atCommittee(let s):
      w.key("committee")
      w.string(s.committee)
      at("escalatedAt", s.escalatedAt)
      switch s.round {
      case .awaitingClaim: break
      case .awaitingDefence(let claimedAt): at("claimedAt", claimedAt)
      case .deliberating(let claimedAt, let defendedAt):
        at("claimedAt", claimedAt)
        at("defendedAt", defendedAt)
      }
    case .decided(let s):
      at("decidedAt", s.decidedAt)
      w.key("outcome")
      w.string(s.outcome.rawValue)
    case .resolved(let s):
      at("resolvedAt", s.resolvedAt)
    case .withdrawn(let s):
      at("withdrawnAt", s.withdrawnAt)
      w.key("fromState")
      w.string(s.fromState.rawValue)
      w.optional("reason", s.reason)
    case .refused(let s):
      at("refusedAt", s.refusedAt)
      w.key("ground")
      w.string(s.ground.rawValue)
      w.key("explanation")
      w.string(s.explanation)
    case .abandoned(let s):
      at("abandonedAt", s.abandonedAt)
      w.key("fromState")
      w.string(s.fromState.rawValue)
      w.key("reason")
      w.string(s.reason)
    case .closed(let s):
      at("closedAt", s.closedAt)
      switch s.outcome {
      case .settlementFulfilled:
        w.key("outcome")
        w.string("settlementFulfilled")
      case .settlementNotFulfilled(let referral):
        w.key("outcome")
        w.string("settlementNotFulfilled")
        w.key("trustmark")
        w.string(referral.trustmark)
        w.key("reason")
        w.string(referral.reason)
      case .decisionComplied(let decision):
        w.key("outcome")
        w.string("decisionComplied")
        w.key("decision")
        w.string(decision.rawValue)
      case .decisionNotComplied(let decision, let referral):
        w.key("outcome")
        w.string("decisionNotComplied")
        w.key("decision")
        w.string(decision.rawValue)
        w.key("trustmark")
        w.string(referral.trustmark)
        w.key("reason")
        w.string(referral.reason)
      case .decisionWithoutCompliance(let decision):
        w.key("outcome")
        w.string("decisionWithoutCompliance")
        w.key("decision")
        w.string(decision.rawValue)
      case .notPursued(let from, let reason):
        w.key("outcome")
        w.string("notPursued")
        w.key("fromState")
        w.string(from.rawValue)
        w.optional("reason", reason)
      }
    }
    w.endObject()
  }

  static func readState(_ reader: inout JSONReader) throws(JSONReadError) -> CaseState {
    let f = try readStrings(&reader)
    func at(_ key: String) throws(JSONReadError) -> Occurrence {
      try CanonicalForms.occurrence(f[key], key, reader)
    }
    func maybe(_ key: String) throws(JSONReadError) -> Occurrence? {
      guard f[key] != nil else { return nil }
      return try at(key)
    }
    func value<T: RawRepresentable>(_ key: String, _: T.Type) throws(JSONReadError) -> T
    where T.RawValue == String {
      guard let text = f[key], let value = T(rawValue: text) else {
        throw reader.error("invalid '\(key)' in a state")
      }
      return value
    }
    func text(_ key: String) throws(JSONReadError) -> String {
      guard let value = f[key] else { throw reader.error("a state lacks '\(key)'") }
      return value
    }
    switch try value("kind", StateKind.self) {
    case .awaitingShopAnswer:
      return .awaitingShopAnswer(
        .init(receivedAt: try at("receivedAt"), acknowledgedAt: try maybe("acknowledgedAt")))
    case .shopAnswered:
      return .shopAnswered(
        .init(
          answeredAt: try at("answeredAt"), proposal: f["proposal"],
          rejectedAt: try maybe("rejectedAt")))
    case .filedWithMediator:
      return .filedWithMediator(.init(filedAt: try at("filedAt")))
    case .fileComplete:
      return .fileComplete(.init(filedAt: try at("filedAt"), completedAt: try at("completedAt")))
    case .inMediation:
      return .inMediation(
        .init(completedAt: try at("completedAt"), forwardedAt: try at("forwardedAt")))
    case .settled:
      var fulfilBy: CivilDate?
      if let text = f["fulfilBy"] {
        guard let date = try? CivilDate(parsing: text) else {
          throw reader.error("invalid 'fulfilBy'")
        }
        fulfilBy = date
      }
      return .settled(.init(settledAt: try at("settledAt"), terms: f["terms"], fulfilBy: fulfilBy))
    case .mediationFailed:
      return .mediationFailed(.init(failedAt: try at("failedAt"), reason: f["reason"]))
    case .committeeAwaitingClaim:
      return .atCommittee(
        .init(
          committee: try text("committee"), escalatedAt: try at("escalatedAt"),
          round: .awaitingClaim))
    case .committeeAwaitingDefence:
      return .atCommittee(
        .init(
          committee: try text("committee"), escalatedAt: try at("escalatedAt"),
          round: .awaitingDefence(claimedAt: try at("claimedAt"))))
    case .committeeDeliberating:
      return .atCommittee(
        .init(
          committee: try text("committee"), escalatedAt: try at("escalatedAt"),
          round: .deliberating(claimedAt: try at("claimedAt"), defendedAt: try at("defendedAt"))))
    case .decided:
      return .decided(
        .init(decidedAt: try at("decidedAt"), outcome: try value("outcome", DecisionOutcome.self)))
    case .resolved:
      return .resolved(.init(resolvedAt: try at("resolvedAt")))
    case .withdrawn:
      return .withdrawn(
        .init(
          withdrawnAt: try at("withdrawnAt"), fromState: try value("fromState", StateKind.self),
          reason: f["reason"]))
    case .refused:
      return .refused(
        .init(
          refusedAt: try at("refusedAt"), ground: try value("ground", RefusalGround.self),
          explanation: try text("explanation")))
    case .abandoned:
      return .abandoned(
        .init(
          abandonedAt: try at("abandonedAt"), fromState: try value("fromState", StateKind.self),
          reason: try text("reason")))
    case .closed:
      let outcome: ClosedOutcome
      func referral() throws(JSONReadError) -> SanctionsReferral {
        SanctionsReferral(trustmark: try text("trustmark"), reason: try text("reason"))
      }
      switch try text("outcome") {
      case "settlementFulfilled": outcome = .settlementFulfilled
      case "settlementNotFulfilled": outcome = .settlementNotFulfilled(try referral())
      case "decisionComplied":
        outcome = .decisionComplied(try value("decision", DecisionOutcome.self))
      case "decisionNotComplied":
        outcome = .decisionNotComplied(try value("decision", DecisionOutcome.self), try referral())
      case "decisionWithoutCompliance":
        outcome = .decisionWithoutCompliance(try value("decision", DecisionOutcome.self))
      case "notPursued":
        outcome = .notPursued(from: try value("fromState", StateKind.self), reason: f["reason"])
      default: throw reader.error("unknown closed outcome '\(f["outcome"] ?? "")'")
      }
      return .closed(.init(closedAt: try at("closedAt"), outcome: outcome))
    }
  }
}
