package import Foundation
package import WorkingDays

/// What the read tables keep of an opened deadline: which, whose, and when it ends. A bulk
/// replay reads only this much of each deadline, and passes over its rule, its counting and its
/// explanation.
package struct DeadlineOutline: Sendable, Hashable {
  /// Which deadline.
  package var kind: DeadlineKind
  /// Who must act.
  package var party: Party
  /// Its last day.
  package var lastDay: CivilDate
  /// When it expires.
  package var expiresAt: Date

  /// An outline.
  package init(kind: DeadlineKind, party: Party, lastDay: CivilDate, expiresAt: Date) {
    self.kind = kind
    self.party = party
    self.lastDay = lastDay
    self.expiresAt = expiresAt
  }

  /// The outline of a whole deadline.
  package init(_ opened: OpenedDeadline) {
    self.init(
      kind: opened.kind, party: opened.party, lastDay: opened.deadline.lastDay,
      expiresAt: opened.deadline.expiresAt)
  }
}

/// What an event does to a case, as far as the read tables are concerned: which step it
/// records (with the decision's outcome, which picks the state it leads to), which deadline it
/// extends or marks, which event it voids. Notes, reasons, proposals and the other texts are
/// left out, so a bulk replay can read an event without making them.
package struct ChangeOutline: Sendable, Hashable {
  /// The effect on the case.
  package enum Effect: Sendable, Hashable {
    /// The case's opening. Boxed: an opening is some 200 bytes, and unboxed it would make
    /// every event's outline that large, to be copied and destroyed a million times in a
    /// rebuild.
    indirect case opened(CaseOpened)
    /// A lifecycle step other than the opening.
    case step(CommandKind, outcome: DecisionOutcome?)
    /// A deadline extended; the new deadline is among the event's opened deadlines.
    case deadlineExtended(DeadlineKind)
    /// A deadline a sweep found passed.
    case deadlineMissed(DeadlineKind)
    /// The step with this version voided.
    case corrected(eventVersion: Int)
    /// Nothing but a new version (a note, an erasure).
    case annotation
  }

  /// The effect.
  package var effect: Effect
  /// The event type's stored name (``CaseEvent/Change/typeName``), for messages.
  package var typeName: String
  /// The command that records it (``CaseEvent/Change/command``), for messages.
  package var command: CommandKind

  /// An outline.
  package init(_ effect: Effect, typeName: String, command: CommandKind) {
    self.effect = effect
    self.typeName = typeName
    self.command = command
  }
}

extension CaseEvent.Change {
  /// What the change does to the read tables.
  package var outline: ChangeOutline {
    let effect: ChangeOutline.Effect
    switch self {
    case .opened(let opened): effect = .opened(opened)
    case .deadlineExtended(let kind, _): effect = .deadlineExtended(kind)
    case .deadlineMissed(let kind): effect = .deadlineMissed(kind)
    case .corrected(let version, _): effect = .corrected(eventVersion: version)
    case .noted, .personalDataErased: effect = .annotation
    case .decisionIssued(let outcome): effect = .step(.decide, outcome: outcome)
    default: effect = .step(step ?? command, outcome: nil)
    }
    return ChangeOutline(effect, typeName: typeName, command: command)
  }
}

extension StateKind {
  /// The state's position in ``allCases``, for tables indexed by state: a switch, because a
  /// raw-valued enum hashes its raw `String` as a dictionary key (a test checks the order).
  package var ordinal: Int {
    switch self {
    case .awaitingShopAnswer: 0
    case .shopAnswered: 1
    case .filedWithMediator: 2
    case .fileComplete: 3
    case .inMediation: 4
    case .settled: 5
    case .mediationFailed: 6
    case .committeeAwaitingClaim: 7
    case .committeeAwaitingDefence: 8
    case .committeeDeliberating: 9
    case .decided: 10
    case .resolved: 11
    case .withdrawn: 12
    case .refused: 13
    case .abandoned: 14
    case .closed: 15
    }
  }
}

extension CommandKind {
  /// The command's position in ``allCases``, for tables indexed by command: a switch, because a
  /// raw-valued enum hashes its raw `String` as a dictionary key (a test checks the order).
  package var ordinal: Int {
    switch self {
    case .open: 0
    case .acknowledge: 1
    case .respond: 2
    case .accept: 3
    case .reject: 4
    case .file: 5
    case .refuse: 6
    case .completeFile: 7
    case .mediate: 8
    case .settle: 9
    case .failMediation: 10
    case .escalate: 11
    case .claim: 12
    case .defend: 13
    case .decide: 14
    case .comply: 15
    case .notComply: 16
    case .withdraw: 17
    case .abandon: 18
    case .close: 19
    case .extend: 20
    case .note: 21
    case .correct: 22
    case .sweep: 23
    }
  }
}

extension Transitions {
  /// The lifecycle graph of ``edges`` as a lookup table: the states each step leads to from
  /// each state, in one array indexed by state and step.
  private struct Targets {
    let commandCount = CommandKind.allCases.count
    var cells: [[StateKind]]

    init() {
      cells = Array(repeating: [], count: StateKind.allCases.count * commandCount)
      for edge in edges {
        guard let from = edge.from else { continue }
        cells[from.ordinal * commandCount + edge.command.ordinal].append(edge.to)
      }
    }

    subscript(state: StateKind, step: CommandKind) -> [StateKind] {
      cells[state.ordinal * commandCount + step.ordinal]
    }
  }

  private static let targets = Targets()

  /// The state kind a step leads to from `state`, or `nil` when the step is not possible
  /// there: ``nextState(after:at:from:)`` on state kinds. A decision leads to `decided` when
  /// the shop must comply and closes the case otherwise; acknowledging and rejecting happen
  /// once in their state, which `marks` records.
  static func nextKind(
    after step: CommandKind, outcome: DecisionOutcome?, from state: StateKind,
    marks: CaseProjection.Marks
  ) -> StateKind? {
    if step == .acknowledge, marks.contains(.acknowledged) { return nil }
    if step == .reject, marks.contains(.rejected) { return nil }
    let choices = targets[state, step]
    guard !choices.isEmpty else { return nil }
    if step == .decide {
      guard let outcome else { return nil }
      let target: StateKind = outcome.requiresCompliance ? .decided : .closed
      return choices.contains(target) ? target : nil
    }
    return choices.first
  }
}

/// The part of a case that the read tables hold (its opening, state, deadlines, version and
/// latest step), folded from events by the same rules as ``DisputeCase`` but without the
/// texts and state details that only the case itself keeps. A bulk replay (rebuilding the
/// tables, importing a log) folds this instead of whole cases; the tests fold every synthetic
/// case both ways and compare, step by step.
package struct CaseProjection: Sendable, Hashable {
  /// What a state kind alone does not say, but the next step depends on.
  package struct Marks: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }
    /// The shop has acknowledged the complaint (it does so once).
    package static let acknowledged = Marks(rawValue: 1)
    /// The consumer has rejected the shop's answer (once).
    package static let rejected = Marks(rawValue: 2)
  }

  /// How to undo one step (see ``DisputeCase/StepUndo``).
  struct Undo: Sendable, Hashable {
    var version: Int
    var state: StateKind
    var marks: Marks
    var lastStepAt: Occurrence
    var deadlineCount: Int
    var closed: ClosedDeadlines
  }

  /// The indexes of the deadlines a step closed: a bit set for the first 64 (cases run at most
  /// a handful), and a list only beyond, so that remembering them allocates nothing.
  struct ClosedDeadlines: Sendable, Hashable, Sequence {
    private var bits: UInt64 = 0
    private var beyond: [Int]?

    init() {}

    init(_ indexes: some Sequence<Int>) {
      for index in indexes { insert(index) }
    }

    mutating func insert(_ index: Int) {
      if index < 64 {
        bits |= 1 << UInt64(index)
      } else {
        beyond = (beyond ?? []) + [index]
      }
    }

    func makeIterator() -> Iterator { Iterator(rest: bits, later: (beyond ?? []).makeIterator()) }

    /// The indexes in the bit set in increasing order, then those beyond.
    struct Iterator: IteratorProtocol {
      fileprivate var rest: UInt64
      fileprivate var later: IndexingIterator<[Int]>

      mutating func next() -> Int? {
        guard rest != 0 else { return later.next() }
        let index = rest.trailingZeroBitCount
        rest &= rest - 1
        return index
      }
    }
  }

  /// A deadline as the read tables show it: ``TrackedDeadline`` with the deadline in outline.
  package struct Deadline: DeadlineTracking, Sendable, Hashable {
    /// The deadline as opened (or last extended).
    package var opened: DeadlineOutline
    /// The version of the event that opened it.
    package var openedByVersion: Int
    /// Its status.
    package var status: TrackedDeadline.Status
    /// Whether a sweep recorded that it passed.
    package var markedMissed: Bool
    /// When the event that closed it occurred.
    package var closedAt: Occurrence?
    /// How often it was extended.
    package var extensions: Int

    package var kind: DeadlineKind { opened.kind }
    package var lastDay: CivilDate { opened.lastDay }
    package var expiresAt: Date { opened.expiresAt }

    package init(opened: DeadlineOutline, byVersion version: Int) {
      self.opened = opened
      openedByVersion = version
      status = .open
      markedMissed = false
      closedAt = nil
      extensions = 0
    }

    /// The outline of a whole case's deadline.
    package init(_ tracked: TrackedDeadline) {
      opened = DeadlineOutline(tracked.opened)
      openedByVersion = tracked.openedByVersion
      status = tracked.status
      markedMissed = tracked.markedMissed
      closedAt = tracked.closedAt
      extensions = tracked.extensions
    }

    package static func kind(of opened: DeadlineOutline) -> DeadlineKind { opened.kind }

    package mutating func extend(to extended: DeadlineOutline) {
      opened = extended
      extensions += 1
      markedMissed = false
    }
  }

  /// The facts recorded at opening.
  package let opening: CaseOpened
  /// When the shop received the complaint.
  package let receivedAt: Occurrence
  /// The state's kind.
  package private(set) var state: StateKind
  /// Every deadline the case has run, in the order opened.
  package private(set) var deadlines: [Deadline]
  /// The number of events applied.
  package private(set) var version: Int
  /// When the latest lifecycle step occurred.
  package private(set) var lastStepAt: Occurrence
  private var marks: Marks
  private var history: [Undo]

  /// Whether the case is closed.
  package var isClosed: Bool { state.isClosed }
  /// The open deadline that expires first.
  package var nextDeadline: Deadline? { nextDeadlineIndex.map { deadlines[$0] } }
  /// The index of the open deadline that expires first.
  package var nextDeadlineIndex: Int? { deadlines.indexOfNextOpen }

  /// Starts a case from its opening.
  package init(opening: CaseOpened, at occurrence: Occurrence, opens: [DeadlineOutline]) {
    self.opening = opening
    receivedAt = occurrence
    state = .awaitingShopAnswer
    deadlines = []
    deadlines.open(opens, byVersion: 1)
    version = 1
    lastStepAt = occurrence
    marks = []
    history = []
  }

  /// The projection of a whole case.
  package init(_ dispute: DisputeCase) {
    opening = dispute.opening
    receivedAt = dispute.receivedAt
    state = dispute.state.kind
    deadlines = dispute.deadlines.map(Deadline.init)
    version = dispute.version
    lastStepAt = dispute.lastStepAt
    marks = Self.marks(of: dispute.state)
    history = dispute.history.map { undo in
      Undo(
        version: undo.version, state: undo.state.kind, marks: Self.marks(of: undo.state),
        lastStepAt: undo.lastStepAt, deadlineCount: undo.deadlineCount,
        closed: ClosedDeadlines(undo.closed))
    }
  }

  private static func marks(of state: CaseState) -> Marks {
    switch state {
    case .awaitingShopAnswer(let waiting) where waiting.acknowledgedAt != nil: .acknowledged
    case .shopAnswered(let answered) where answered.rejectedAt != nil: .rejected
    default: []
    }
  }

  /// Applies one event after the opening (``DisputeCase/apply(_:)`` on the outline).
  ///
  /// - Throws: ``CaseError/Reason/eventDoesNotFit(_:)`` when the event is not possible in the
  ///   current state, as ``DisputeCase/apply(_:)`` would.
  package mutating func apply(
    _ change: ChangeOutline, at occurrence: Occurrence, opens: [DeadlineOutline]
  ) throws(CaseError) {
    let newVersion = version + 1
    switch change.effect {
    case .opened:
      throw misfit(change, "the case is already open")
    case .deadlineExtended(let kind):
      guard deadlines.extend(kind, with: opens) else {
        throw misfit(change, "no open \(kind.rawValue) deadline to extend")
      }
    case .deadlineMissed(let kind):
      guard deadlines.markMissed(kind) else {
        throw misfit(change, "no open \(kind.rawValue) deadline to mark missed")
      }
    case .annotation:
      break
    case .corrected(let voided):
      guard let undo = history.last, undo.version == voided else {
        throw misfit(change, "event \(voided) is not the latest step")
      }
      history.removeLast()
      state = undo.state
      marks = undo.marks
      lastStepAt = undo.lastStepAt
      deadlines.undo(openedFrom: undo.deadlineCount, closed: undo.closed)
    case .step(let step, let outcome):
      guard
        let next = Transitions.nextKind(after: step, outcome: outcome, from: state, marks: marks)
      else {
        throw misfit(change, "\(change.typeName) is not possible in state \(state.rawValue)")
      }
      var closed = ClosedDeadlines()
      deadlines.close(step: step, at: occurrence, newState: next) { closed.insert($0) }
      // Room for four steps at the first (cases take four or five), rather than growing one
      // at a time.
      if history.isEmpty { history.reserveCapacity(4) }
      history.append(
        Undo(
          version: newVersion, state: state, marks: marks, lastStepAt: lastStepAt,
          deadlineCount: deadlines.count, closed: closed))
      switch step {
      case .acknowledge: marks = .acknowledged
      case .reject: marks = .rejected
      default: marks = []
      }
      state = next
      lastStepAt = occurrence
      deadlines.open(opens, byVersion: newVersion)
    }
    version = newVersion
  }

  private func misfit(_ change: ChangeOutline, _ message: String) -> CaseError {
    CaseError(
      reference: opening.reference, state: state, command: change.command,
      reason: .eventDoesNotFit("event \(version + 1): \(message)"))
  }
}
