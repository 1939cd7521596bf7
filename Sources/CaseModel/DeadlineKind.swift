/// The deadlines a case can run (`domain.md` §2–§3, §6.3). Each is opened by one kind of event
/// and closed by the event that satisfies it, or made moot when the case leaves its phase.
public enum DeadlineKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// The shop's time to answer the complaint (5 working days from receipt).
  case shopAnswer
  /// The mediator's time to refuse a filing with reasons (ADR Directive art. 5(4): 3 weeks).
  case admissibilityDecision
  /// The mediator's time to conclude from the complete file (ADR Directive art. 8(e): 90 days).
  case mediationOutcome
  /// The shop's window to solve the complaint once the mediator forwards it.
  case mediationWindow
  /// The consumer's time to file the claim with the committee.
  case committeeClaim
  /// The shop's time to defend before the committee.
  case committeeDefence
  /// The committee's own target for its ruling.
  case committeeDecision
  /// The date by which the shop must fulfil a settlement.
  case settlementFulfilment
  /// The shop's time to comply with the committee's decision.
  case decisionCompliance

  public static func < (lhs: Self, rhs: Self) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }

  /// Who must act.
  public var obligatedParty: Party {
    switch self {
    case .shopAnswer, .mediationWindow, .committeeDefence, .settlementFulfilment,
      .decisionCompliance:
      .shop
    case .admissibilityDecision, .mediationOutcome: .mediator
    case .committeeClaim: .consumer
    case .committeeDecision: .committee
    }
  }

  /// The states in which the deadline stays open; leaving them closes it.
  public var openIn: Set<StateKind> { Set(StateKind.allCases.filter(isOpen(in:))) }

  /// Whether the deadline stays open in `state` (``openIn`` without building a set, for the
  /// fold).
  public func isOpen(in state: StateKind) -> Bool {
    switch (self, state) {
    case (.shopAnswer, .awaitingShopAnswer), (.admissibilityDecision, .filedWithMediator),
      (.mediationOutcome, .fileComplete), (.mediationOutcome, .inMediation),
      (.mediationWindow, .inMediation), (.committeeClaim, .committeeAwaitingClaim),
      (.committeeDefence, .committeeAwaitingDefence),
      (.committeeDecision, .committeeAwaitingClaim),
      (.committeeDecision, .committeeAwaitingDefence),
      (.committeeDecision, .committeeDeliberating), (.settlementFulfilment, .settled),
      (.decisionCompliance, .decided):
      true
    default: false
    }
  }

  /// The steps that satisfy the deadline (met, or late when they occur after it expired).
  public var satisfiedBy: Set<CommandKind> { Set(CommandKind.allCases.filter(isSatisfied(by:))) }

  /// Whether `step` satisfies the deadline (``satisfiedBy`` without building a set).
  public func isSatisfied(by step: CommandKind) -> Bool {
    switch (self, step) {
    case (.shopAnswer, .respond), (.admissibilityDecision, .refuse),
      (.admissibilityDecision, .completeFile), (.mediationOutcome, .settle),
      (.mediationOutcome, .failMediation), (.mediationWindow, .settle), (.committeeClaim, .claim),
      (.committeeDefence, .defend), (.committeeDecision, .decide),
      (.settlementFulfilment, .comply), (.decisionCompliance, .comply):
      true
    default: false
    }
  }

  /// A short English label, for example `shop's answer`.
  public var label: String {
    switch self {
    case .shopAnswer: "shop's answer"
    case .admissibilityDecision: "admissibility decision"
    case .mediationOutcome: "mediation outcome"
    case .mediationWindow: "shop's mediation window"
    case .committeeClaim: "claim to the committee"
    case .committeeDefence: "defence to the committee"
    case .committeeDecision: "committee decision"
    case .settlementFulfilment: "settlement fulfilment"
    case .decisionCompliance: "compliance with the decision"
    }
  }
}
