public import WorkingDays

/// A case: the fold of its events. ``apply(_:)`` is the decider's `evolve`; replaying a log is
/// ``replay(_:)``. Pure: no clock, no database, no I/O.
public struct DisputeCase: Sendable, Hashable, Codable {
  /// The facts recorded at opening.
  public let opening: CaseOpened
  /// When the shop received the complaint.
  public let receivedAt: Occurrence
  /// Where the case stands.
  public private(set) var state: CaseState
  /// Every deadline the case has run, in the order opened.
  public private(set) var deadlines: [TrackedDeadline]
  /// Notes, in order.
  public private(set) var notes: [Note]
  /// Corrections, in order.
  public private(set) var corrections: [Correction]
  /// A referral to the sanctions process, if the shop did not comply.
  public private(set) var referral: SanctionsReferral?
  /// Whether the consumer's personal data has been erased.
  public private(set) var personalDataErased = false
  /// The number of events applied; the version of the latest.
  public private(set) var version: Int
  /// When the latest lifecycle step occurred.
  public private(set) var lastStepAt: Occurrence
  /// How to undo each step not yet voided, latest last, so that a correction can restore the
  /// case as it was before it.
  public private(set) var history: [StepUndo]

  /// A note on a case.
  public struct Note: Sendable, Hashable, Codable {
    /// When it was written.
    public var at: Occurrence
    /// Its text.
    public var text: String
  }

  /// A correction: which event it voided and why.
  public struct Correction: Sendable, Hashable, Codable {
    /// When it was made.
    public var at: Occurrence
    /// The version of the voided event.
    public var voidedVersion: Int
    /// The step that was voided.
    public var voidedStep: CommandKind
    /// Why.
    public var reason: String
  }

  /// What undoing one step needs: the state before it, and how it changed the deadlines (the
  /// deadlines it opened are those from `deadlineCount` on; `closed` lists those it closed).
  public struct StepUndo: Sendable, Hashable, Codable {
    /// The version of the step's event.
    public var version: Int
    /// The step.
    public var step: CommandKind
    /// The state before the step.
    public var state: CaseState
    /// When the previous step occurred.
    public var lastStepAt: Occurrence
    /// The referral before the step.
    public var referral: SanctionsReferral?
    /// How many deadlines the case had before the step.
    public var deadlineCount: Int
    /// The indexes of the deadlines the step closed.
    public var closed: [Int]

    /// Creates an undo record.
    public init(
      version: Int, step: CommandKind, state: CaseState, lastStepAt: Occurrence,
      referral: SanctionsReferral?,
      deadlineCount: Int, closed: [Int]
    ) {
      self.version = version
      self.step = step
      self.state = state
      self.lastStepAt = lastStepAt
      self.referral = referral
      self.deadlineCount = deadlineCount
      self.closed = closed
    }
  }

  /// The case's identifier.
  public var id: CaseID { opening.caseID }
  /// The case's reference.
  public var reference: CaseReference { opening.reference }
  /// Whether the case is closed.
  public var isClosed: Bool { state.kind.isClosed }
  /// The deadlines still open, soonest first.
  public var openDeadlines: [TrackedDeadline] {
    deadlines.filter(\.isOpen).sorted { $0.expiresAt < $1.expiresAt }
  }
  /// Whether the consumer's and the shop's countries differ (`domain.md` §6.10).
  public var isCrossBorder: Bool {
    opening.consumerCountry.rawValue != opening.shop.country.rawValue
  }

  /// The version of the latest lifecycle step that a correction may void, if any.
  public var correctableVersion: Int? { history.last?.version }

  /// Starts a case from its opening event.
  ///
  /// - Throws: ``CaseError`` when the event is not an opening.
  public init(opening event: CaseEvent) throws(CaseError) {
    guard case .opened(let opened) = event.change else {
      throw CaseError(
        reference: nil, state: nil, command: event.change.command,
        reason: .eventDoesNotFit(
          "a case's first event must be CaseOpened, not \(event.change.typeName)"))
    }
    opening = opened
    receivedAt = event.occurredAt
    state = .awaitingShopAnswer(.init(receivedAt: event.occurredAt, acknowledgedAt: nil))
    deadlines = []
    notes = []
    corrections = []
    referral = nil
    version = 1
    lastStepAt = event.occurredAt
    history = []
    deadlines.open(event.opens, byVersion: 1)
  }

  /// Restores a case from its parts (a snapshot).
  init(
    restoring opening: CaseOpened, receivedAt: Occurrence, state: CaseState,
    deadlines: [TrackedDeadline],
    notes: [Note], corrections: [Correction], referral: SanctionsReferral?, version: Int,
    lastStepAt: Occurrence,
    history: [StepUndo], personalDataErased: Bool
  ) {
    self.opening = opening
    self.receivedAt = receivedAt
    self.state = state
    self.deadlines = deadlines
    self.notes = notes
    self.corrections = corrections
    self.referral = referral
    self.version = version
    self.lastStepAt = lastStepAt
    self.history = history
    self.personalDataErased = personalDataErased
  }

  /// Replays a case's events in order.
  ///
  /// - Throws: ``CaseError`` naming the first event that does not fit.
  public static func replay(_ events: some Sequence<CaseEvent>) throws(CaseError) -> DisputeCase {
    var iterator = events.makeIterator()
    guard let first = iterator.next() else {
      throw CaseError(
        reference: nil, state: nil, command: .open, reason: .eventDoesNotFit("no events"))
    }
    var dispute = try DisputeCase(opening: first)
    while let event = iterator.next() {
      try dispute.apply(event)
    }
    return dispute
  }

  /// Applies one event (the decider's `evolve`).
  ///
  /// - Throws: ``CaseError/Reason/eventDoesNotFit(_:)`` when the event is not possible in the
  ///   current state, which only a corrupt or foreign log can cause.
  public mutating func apply(_ event: CaseEvent) throws(CaseError) {
    let newVersion = version + 1
    switch event.change {
    case .opened:
      throw misfit(event, "the case is already open")
    case .deadlineExtended(let kind, _):
      guard deadlines.extend(kind, with: event.opens) else {
        throw misfit(event, "no open \(kind.rawValue) deadline to extend")
      }
    case .deadlineMissed(let kind):
      guard deadlines.markMissed(kind) else {
        throw misfit(event, "no open \(kind.rawValue) deadline to mark missed")
      }
    case .noted(let text):
      notes.append(Note(at: event.occurredAt, text: text))
    case .personalDataErased:
      personalDataErased = true
    case .corrected(let voided, let reason):
      guard let undo = history.last, undo.version == voided else {
        throw misfit(event, "event \(voided) is not the latest step")
      }
      history.removeLast()
      state = undo.state
      lastStepAt = undo.lastStepAt
      referral = undo.referral
      deadlines.undo(openedFrom: undo.deadlineCount, closed: undo.closed)
      corrections.append(
        Correction(
          at: event.occurredAt, voidedVersion: voided, voidedStep: undo.step, reason: reason))
    default:
      guard let step = event.change.step,
        let next = Transitions.nextState(after: event.change, at: event.occurredAt, from: state)
      else {
        throw misfit(
          event, "\(event.change.typeName) is not possible in state \(state.kind.rawValue)")
      }
      var closed: [Int] = []
      deadlines.close(step: step, at: event.occurredAt, newState: next.kind) {
        closed.append($0)
      }
      history.append(
        StepUndo(
          version: newVersion, step: step, state: state, lastStepAt: lastStepAt, referral: referral,
          deadlineCount: deadlines.count, closed: closed))
      if case .notComplied(let sanctions) = event.change { referral = sanctions }
      state = next
      lastStepAt = event.occurredAt
      deadlines.open(event.opens, byVersion: newVersion)
    }
    version = newVersion
  }

  private func misfit(_ event: CaseEvent, _ message: String) -> CaseError {
    CaseError(
      reference: reference, state: state.kind, command: event.change.command,
      reason: .eventDoesNotFit("event \(version + 1): \(message)"))
  }
}
