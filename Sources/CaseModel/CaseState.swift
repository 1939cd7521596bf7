public import WorkingDays

/// When a step happened: a civil day (date-only, in the acting party's time zone) or an instant.
/// A step may be recorded later than it occurred; its occurrence decides whether a deadline was
/// met (`domain.md` §6.7).
public typealias Occurrence = DeadlineTrigger

/// Where a case stands. Each state carries only the data that is valid in it, and is built only
/// from its legal predecessors by ``CaseDecider``.
public enum CaseState: Sendable, Hashable, Codable {
  /// Direct phase: the shop has received the complaint and must answer.
  case awaitingShopAnswer(AwaitingShopAnswer)
  /// The shop answered; the consumer may accept, reject or file with the mediator.
  case shopAnswered(ShopAnswered)
  /// Filed with the mediator, whose admissibility decision is pending.
  case filedWithMediator(FiledWithMediator)
  /// Admissible with a complete file; the ADR 90-day clock runs.
  case fileComplete(FileComplete)
  /// The mediator forwarded the complaint to the shop.
  case inMediation(InMediation)
  /// Mediation reached an agreement; the shop must fulfil it.
  case settled(Settled)
  /// Mediation failed; the consumer may escalate.
  case mediationFailed(MediationFailed)
  /// Before the disputes committee, in a claim or defence round or deliberating.
  case atCommittee(AtCommittee)
  /// The committee decided for the consumer; the shop must comply.
  case decided(Decided)
  /// Closed: the consumer accepted the shop's answer.
  case resolved(Resolved)
  /// Closed: the consumer withdrew.
  case withdrawn(Withdrawn)
  /// Closed: the mediator refused the filing, with its ground.
  case refused(Refused)
  /// Closed: abandoned (for example the consumer stopped responding).
  case abandoned(Abandoned)
  /// Closed after a settlement, a decision or a choice not to pursue the case.
  case closed(Closed)

  /// The state without its data.
  public var kind: StateKind {
    switch self {
    case .awaitingShopAnswer: .awaitingShopAnswer
    case .shopAnswered: .shopAnswered
    case .filedWithMediator: .filedWithMediator
    case .fileComplete: .fileComplete
    case .inMediation: .inMediation
    case .settled: .settled
    case .mediationFailed: .mediationFailed
    case .atCommittee(let state):
      switch state.round {
      case .awaitingClaim: .committeeAwaitingClaim
      case .awaitingDefence: .committeeAwaitingDefence
      case .deliberating: .committeeDeliberating
      }
    case .decided: .decided
    case .resolved: .resolved
    case .withdrawn: .withdrawn
    case .refused: .refused
    case .abandoned: .abandoned
    case .closed: .closed
    }
  }

  /// The shop received the complaint.
  public struct AwaitingShopAnswer: Sendable, Hashable, Codable {
    /// When the shop received the complaint.
    public var receivedAt: Occurrence
    /// When the shop acknowledged it, if it did (an acknowledgement is not an answer).
    public var acknowledgedAt: Occurrence?
  }

  /// The shop answered.
  public struct ShopAnswered: Sendable, Hashable, Codable {
    /// When the shop answered.
    public var answeredAt: Occurrence
    /// The remedy the shop proposed, if any.
    public var proposal: String?
    /// When the consumer rejected the answer, if they did.
    public var rejectedAt: Occurrence?
  }

  /// Filed with the mediator.
  public struct FiledWithMediator: Sendable, Hashable, Codable {
    /// When the consumer filed.
    public var filedAt: Occurrence
  }

  /// Admissible, complete file.
  public struct FileComplete: Sendable, Hashable, Codable {
    /// When the file was filed.
    public var filedAt: Occurrence
    /// When it was complete.
    public var completedAt: Occurrence
  }

  /// In mediation.
  public struct InMediation: Sendable, Hashable, Codable {
    /// When the file was complete.
    public var completedAt: Occurrence
    /// When the mediator forwarded the complaint to the shop (the window starts here).
    public var forwardedAt: Occurrence
  }

  /// Settled in mediation.
  public struct Settled: Sendable, Hashable, Codable {
    /// When the parties agreed.
    public var settledAt: Occurrence
    /// What they agreed, if recorded.
    public var terms: String?
    /// The date by which the shop must fulfil the agreement, if set.
    public var fulfilBy: CivilDate?
  }

  /// Mediation failed.
  public struct MediationFailed: Sendable, Hashable, Codable {
    /// When it failed.
    public var failedAt: Occurrence
    /// Why, if recorded (for example the shop did not respond).
    public var reason: String?
  }

  /// Before the disputes committee.
  public struct AtCommittee: Sendable, Hashable, Codable {
    /// The round the procedure is in.
    public enum Round: Sendable, Hashable, Codable {
      /// The consumer must file the claim.
      case awaitingClaim
      /// The shop must defend.
      case awaitingDefence(claimedAt: Occurrence)
      /// Both sides heard; the committee deliberates.
      case deliberating(claimedAt: Occurrence, defendedAt: Occurrence)
    }

    /// The committee's name.
    public var committee: String
    /// When the consumer escalated.
    public var escalatedAt: Occurrence
    /// The current round.
    public var round: Round
  }

  /// Decided for the consumer, awaiting compliance.
  public struct Decided: Sendable, Hashable, Codable {
    /// When the committee decided.
    public var decidedAt: Occurrence
    /// The outcome (upheld or partly upheld: both need compliance).
    public var outcome: DecisionOutcome
  }

  /// Resolved directly.
  public struct Resolved: Sendable, Hashable, Codable {
    /// When the consumer accepted the shop's answer.
    public var resolvedAt: Occurrence
  }

  /// Withdrawn by the consumer.
  public struct Withdrawn: Sendable, Hashable, Codable {
    /// When.
    public var withdrawnAt: Occurrence
    /// The phase the case was in.
    public var fromState: StateKind
    /// Why, if the consumer said.
    public var reason: String?
  }

  /// Refused by the mediator.
  public struct Refused: Sendable, Hashable, Codable {
    /// When.
    public var refusedAt: Occurrence
    /// The ground.
    public var ground: RefusalGround
    /// The mediator's reasons.
    public var explanation: String
  }

  /// Abandoned.
  public struct Abandoned: Sendable, Hashable, Codable {
    /// When.
    public var abandonedAt: Occurrence
    /// The phase the case was in.
    public var fromState: StateKind
    /// Why.
    public var reason: String
  }

  /// Closed after a settlement or decision, or not pursued.
  public struct Closed: Sendable, Hashable, Codable {
    /// When.
    public var closedAt: Occurrence
    /// How the case ended.
    public var outcome: ClosedOutcome
  }
}

/// How a closed case ended, for cases closed from a settlement, a decision or without being
/// pursued.
public enum ClosedOutcome: Sendable, Hashable, Codable {
  /// The shop fulfilled the settlement.
  case settlementFulfilled
  /// The shop did not fulfil the settlement; referred to the trustmark's sanctions process.
  case settlementNotFulfilled(SanctionsReferral)
  /// The shop complied with the decision.
  case decisionComplied(DecisionOutcome)
  /// The shop did not comply; referred to the sanctions process.
  case decisionNotComplied(DecisionOutcome, SanctionsReferral)
  /// The decision asked nothing of the shop (rejected or inadmissible).
  case decisionWithoutCompliance(DecisionOutcome)
  /// The consumer did not pursue the case after the shop's answer or a failed mediation.
  case notPursued(from: StateKind, reason: String?)
}

/// The disputes committee's ruling.
public enum DecisionOutcome: String, Sendable, Hashable, Codable, CaseIterable {
  /// The claim is upheld.
  case upheld
  /// Partly upheld: counts for the consumer in reports, shown separately (`domain.md` §6.10).
  case partlyUpheld = "partly-upheld"
  /// The claim is rejected.
  case rejected
  /// The committee declared itself without jurisdiction or the claim inadmissible.
  case inadmissible

  /// Whether the shop must do something.
  public var requiresCompliance: Bool { self == .upheld || self == .partlyUpheld }
}

/// Why a mediator refuses a filing (ADR Directive 2013/11/EU art. 5(4), plus scope).
public enum RefusalGround: String, Sendable, Hashable, Codable, CaseIterable {
  /// The consumer did not first try to resolve the matter with the shop (art. 5(4)(a)).
  case noPriorContact = "no-prior-contact"
  /// Frivolous or vexatious (art. 5(4)(b)).
  case frivolous
  /// Being or previously considered by another ADR body or a court (art. 5(4)(c)).
  case handledElsewhere = "handled-elsewhere"
  /// Below or above the value thresholds (art. 5(4)(d)).
  case valueThreshold = "value-threshold"
  /// Filed after the time limit (art. 5(4)(e)).
  case filedTooLate = "filed-too-late"
  /// Would seriously impair the body's operation (art. 5(4)(f)).
  case impairsOperation = "impairs-operation"
  /// The shop or the complaint is outside the scheme's scope.
  case outsideScope = "outside-scope"

  /// The provision behind the ground.
  public var source: String {
    switch self {
    case .noPriorContact: "ADR Directive art. 5(4)(a)"
    case .frivolous: "ADR Directive art. 5(4)(b)"
    case .handledElsewhere: "ADR Directive art. 5(4)(c)"
    case .valueThreshold: "ADR Directive art. 5(4)(d)"
    case .filedTooLate: "ADR Directive art. 5(4)(e)"
    case .impairsOperation: "ADR Directive art. 5(4)(f)"
    case .outsideScope: "scheme scope"
    }
  }
}

/// A referral of a shop that did not comply to the trustmark's sanctions process.
public struct SanctionsReferral: Sendable, Hashable, Codable {
  /// The trustmark the shop is referred to.
  public var trustmark: String
  /// What the shop failed to do.
  public var reason: String

  /// Creates a referral.
  public init(trustmark: String, reason: String) {
    self.trustmark = trustmark
    self.reason = reason
  }
}

/// The states without their data: the nodes of the lifecycle graph.
public enum StateKind: String, Sendable, Hashable, Codable, CaseIterable {
  case awaitingShopAnswer, shopAnswered, filedWithMediator, fileComplete, inMediation, settled
  case mediationFailed, committeeAwaitingClaim, committeeAwaitingDefence, committeeDeliberating
  case decided, resolved, withdrawn, refused, abandoned, closed

  /// Whether the case is over in this state.
  public var isClosed: Bool {
    switch self {
    case .resolved, .withdrawn, .refused, .abandoned, .closed: true
    default: false
    }
  }

  /// The phase of `domain.md` §2 the state belongs to.
  public var phase: String {
    switch self {
    case .awaitingShopAnswer, .shopAnswered: "direct"
    case .filedWithMediator, .fileComplete: "filing"
    case .inMediation, .settled, .mediationFailed: "mediation"
    case .committeeAwaitingClaim, .committeeAwaitingDefence, .committeeDeliberating, .decided:
      "committee"
    case .resolved, .withdrawn, .refused, .abandoned, .closed: "closed"
    }
  }
}
