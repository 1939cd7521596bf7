/// An edge of the lifecycle graph: a step that takes a case from one state to another.
public struct LifecycleEdge: Sendable, Hashable {
  /// The state the step starts from; `nil` for opening a case.
  public let from: StateKind?
  /// The step.
  public let command: CommandKind
  /// The state the step leads to.
  public let to: StateKind
  /// The deadlines the step opens (a settlement's fulfilment only when a date is set).
  public let opens: [DeadlineKind]
  /// The workflow option the step needs, if it is optional.
  public let option: Option?

  /// The optional steps a workflow can switch off.
  public enum Option: String, Sendable, Hashable {
    case acknowledgement, escalation, settlementFulfilment
  }

  init(
    _ from: StateKind?, _ command: CommandKind, _ to: StateKind, opens: [DeadlineKind] = [],
    option: Option? = nil
  ) {
    self.from = from
    self.command = command
    self.to = to
    self.opens = opens
    self.option = option
  }
}

/// The lifecycle graph: an explicit edge table (which the tests check against
/// ``CaseDecider``), the typed transition function built from it, and its Mermaid drawing.
public enum Transitions {
  /// States the consumer may withdraw from.
  static let withdrawable: [StateKind] = [
    .awaitingShopAnswer, .shopAnswered, .filedWithMediator, .fileComplete, .inMediation,
    .mediationFailed, .committeeAwaitingClaim, .committeeAwaitingDefence, .committeeDeliberating,
  ]
  /// States the mediator may abandon a case in.
  static let abandonable: [StateKind] = [
    .awaitingShopAnswer, .shopAnswered, .filedWithMediator, .fileComplete, .inMediation,
    .mediationFailed, .committeeAwaitingClaim,
  ]

  /// Every lifecycle step, from every state it is possible in. Extending deadlines, notes and
  /// corrections are possible in every open state (notes and corrections also once closed) and
  /// are not edges.
  public static let edges: [LifecycleEdge] =
    [
      LifecycleEdge(nil, .open, .awaitingShopAnswer, opens: [.shopAnswer]),
      LifecycleEdge(
        .awaitingShopAnswer, .acknowledge, .awaitingShopAnswer, option: .acknowledgement),
      LifecycleEdge(.awaitingShopAnswer, .respond, .shopAnswered),
      LifecycleEdge(
        .awaitingShopAnswer, .file, .filedWithMediator, opens: [.admissibilityDecision]),
      LifecycleEdge(.shopAnswered, .accept, .resolved),
      LifecycleEdge(.shopAnswered, .reject, .shopAnswered),
      LifecycleEdge(.shopAnswered, .file, .filedWithMediator, opens: [.admissibilityDecision]),
      LifecycleEdge(.shopAnswered, .close, .closed),
      LifecycleEdge(.filedWithMediator, .refuse, .refused),
      LifecycleEdge(.filedWithMediator, .completeFile, .fileComplete, opens: [.mediationOutcome]),
      LifecycleEdge(.fileComplete, .mediate, .inMediation, opens: [.mediationWindow]),
      LifecycleEdge(.inMediation, .settle, .settled, opens: [.settlementFulfilment]),
      LifecycleEdge(.inMediation, .failMediation, .mediationFailed),
      LifecycleEdge(.settled, .comply, .closed),
      LifecycleEdge(.settled, .notComply, .closed),
      LifecycleEdge(
        .mediationFailed, .escalate, .committeeAwaitingClaim,
        opens: [.committeeClaim, .committeeDecision], option: .escalation),
      LifecycleEdge(.mediationFailed, .close, .closed),
      LifecycleEdge(
        .committeeAwaitingClaim, .claim, .committeeAwaitingDefence, opens: [.committeeDefence]),
      LifecycleEdge(.committeeAwaitingDefence, .defend, .committeeDeliberating),
      LifecycleEdge(.committeeAwaitingDefence, .decide, .decided, opens: [.decisionCompliance]),
      LifecycleEdge(.committeeAwaitingDefence, .decide, .closed),
      LifecycleEdge(.committeeDeliberating, .decide, .decided, opens: [.decisionCompliance]),
      LifecycleEdge(.committeeDeliberating, .decide, .closed),
      LifecycleEdge(.decided, .comply, .closed),
      LifecycleEdge(.decided, .notComply, .closed),
    ]
    + withdrawable.map { LifecycleEdge($0, .withdraw, .withdrawn) }
    + abandonable.map { LifecycleEdge($0, .abandon, .abandoned) }

  /// The edges a workflow enables.
  public static func edges(for workflow: Workflow) -> [LifecycleEdge] {
    edges.filter { edge in
      switch edge.option {
      case nil: true
      case .acknowledgement: workflow.options.acknowledgement
      case .escalation: workflow.options.escalation && workflow.committee != nil
      case .settlementFulfilment: workflow.options.settlementFulfilment
      }
    }
  }

  /// The commands possible in a state under a workflow, lifecycle steps first.
  public static func allowedCommands(in state: StateKind, workflow: Workflow) -> [CommandKind] {
    var commands: [CommandKind] = []
    for edge in edges(for: workflow) where edge.from == state && !commands.contains(edge.command) {
      commands.append(edge.command)
    }
    if !state.isClosed { commands.append(.extend) }
    commands += [.note, .correct]
    return commands
  }

  /// The state a lifecycle change leads to from `state`, or `nil` when it is not possible.
  /// Each state is built from its legal predecessor, so an edge outside the graph cannot be
  /// written.
  static func nextState(
    after change: CaseEvent.Change, at occurrence: Occurrence, from state: CaseState
  ) -> CaseState? {
    switch (state, change) {
    case (.awaitingShopAnswer(var waiting), .acknowledged) where waiting.acknowledgedAt == nil:
      waiting.acknowledgedAt = occurrence
      return .awaitingShopAnswer(waiting)
    case (.awaitingShopAnswer, .responded(let proposal)):
      return .shopAnswered(.init(answeredAt: occurrence, proposal: proposal, rejectedAt: nil))
    case (.awaitingShopAnswer, .filed), (.shopAnswered, .filed):
      return .filedWithMediator(.init(filedAt: occurrence))
    case (.shopAnswered, .answerAccepted):
      return .resolved(.init(resolvedAt: occurrence))
    case (.shopAnswered(var answered), .answerRejected) where answered.rejectedAt == nil:
      answered.rejectedAt = occurrence
      return .shopAnswered(answered)
    case (.shopAnswered, .closed(let reason)):
      return .closed(
        .init(closedAt: occurrence, outcome: .notPursued(from: .shopAnswered, reason: reason)))
    case (.filedWithMediator, .refused(let ground, let explanation)):
      return .refused(.init(refusedAt: occurrence, ground: ground, explanation: explanation))
    case (.filedWithMediator(let filed), .fileCompleted):
      return .fileComplete(.init(filedAt: filed.filedAt, completedAt: occurrence))
    case (.fileComplete(let complete), .forwarded):
      return .inMediation(.init(completedAt: complete.completedAt, forwardedAt: occurrence))
    case (.inMediation, .settled(let terms, let fulfilBy)):
      return .settled(.init(settledAt: occurrence, terms: terms, fulfilBy: fulfilBy))
    case (.inMediation, .mediationFailed(let reason)):
      return .mediationFailed(.init(failedAt: occurrence, reason: reason))
    case (.settled, .complied):
      return .closed(.init(closedAt: occurrence, outcome: .settlementFulfilled))
    case (.settled, .notComplied(let referral)):
      return .closed(.init(closedAt: occurrence, outcome: .settlementNotFulfilled(referral)))
    case (.mediationFailed, .escalated(let committee)):
      return .atCommittee(
        .init(committee: committee, escalatedAt: occurrence, round: .awaitingClaim))
    case (.mediationFailed, .closed(let reason)):
      return .closed(
        .init(closedAt: occurrence, outcome: .notPursued(from: .mediationFailed, reason: reason)))
    case (.atCommittee(var committee), .claimFiled):
      guard case .awaitingClaim = committee.round else { return nil }
      committee.round = .awaitingDefence(claimedAt: occurrence)
      return .atCommittee(committee)
    case (.atCommittee(var committee), .defenceFiled):
      guard case .awaitingDefence(let claimedAt) = committee.round else { return nil }
      committee.round = .deliberating(claimedAt: claimedAt, defendedAt: occurrence)
      return .atCommittee(committee)
    case (.atCommittee(let committee), .decisionIssued(let outcome)):
      if case .awaitingClaim = committee.round { return nil }
      return outcome.requiresCompliance
        ? .decided(.init(decidedAt: occurrence, outcome: outcome))
        : .closed(.init(closedAt: occurrence, outcome: .decisionWithoutCompliance(outcome)))
    case (.decided(let decided), .complied):
      return .closed(.init(closedAt: occurrence, outcome: .decisionComplied(decided.outcome)))
    case (.decided(let decided), .notComplied(let referral)):
      return .closed(
        .init(closedAt: occurrence, outcome: .decisionNotComplied(decided.outcome, referral)))
    case (_, .withdrawn(let reason)) where withdrawable.contains(state.kind):
      return .withdrawn(.init(withdrawnAt: occurrence, fromState: state.kind, reason: reason))
    case (_, .abandoned(let reason)) where abandonable.contains(state.kind):
      return .abandoned(.init(abandonedAt: occurrence, fromState: state.kind, reason: reason))
    default:
      return nil
    }
  }
}
