public import WorkingDays

/// Something that happened to a case, with when it occurred and any deadlines it opened
/// (computed once, when decided, and never recomputed on replay: `domain.md` §6.4).
public struct CaseEvent: Sendable, Hashable, Codable {
  /// When it happened.
  public var occurredAt: Occurrence
  /// What happened.
  public var change: Change
  /// Deadlines this event opens (or, for an extension, the extended deadline).
  public var opens: [OpenedDeadline]

  /// Creates an event.
  public init(occurredAt: Occurrence, change: Change, opens: [OpenedDeadline] = []) {
    self.occurredAt = occurredAt
    self.change = change
    self.opens = opens
  }

  /// What happened.
  public enum Change: Sendable, Hashable, Codable {
    /// The shop received the complaint; the case exists from here.
    case opened(CaseOpened)
    /// The shop acknowledged the complaint.
    case acknowledged
    /// The shop answered.
    case responded(proposal: String?)
    /// The consumer accepted the answer.
    case answerAccepted
    /// The consumer rejected the answer.
    case answerRejected
    /// The consumer filed with the mediator; the admissibility checks and their results.
    case filed(checks: [AdmissibilityCheck])
    /// The mediator refused the filing.
    case refused(ground: RefusalGround, explanation: String)
    /// The file is admissible and complete.
    case fileCompleted
    /// The mediator forwarded the complaint to the shop.
    case forwarded
    /// The parties settled.
    case settled(terms: String?, fulfilBy: CivilDate?)
    /// Mediation failed.
    case mediationFailed(reason: String?)
    /// The consumer escalated to the committee.
    case escalated(committee: String)
    /// The consumer filed the claim.
    case claimFiled
    /// The shop filed its defence.
    case defenceFiled
    /// The committee decided.
    case decisionIssued(DecisionOutcome)
    /// The shop complied.
    case complied
    /// The shop did not comply and was referred to the sanctions process.
    case notComplied(SanctionsReferral)
    /// The consumer withdrew.
    case withdrawn(reason: String?)
    /// The mediator abandoned the case.
    case abandoned(reason: String)
    /// The consumer did not pursue the case.
    case closed(reason: String?)
    /// A deadline was extended; the new deadline is in the event's `opens`.
    case deadlineExtended(DeadlineKind, reason: String)
    /// A sweep found a deadline passed without the step that satisfies it.
    case deadlineMissed(DeadlineKind)
    /// A note.
    case noted(String)
    /// The latest step (the event with this version) is void.
    case corrected(eventVersion: Int, reason: String)
    /// A person's personal data was erased (GDPR art. 17); the case keeps only the reference.
    case personalDataErased(personID: String)

    /// The lifecycle step this change records, if it is one.
    public var step: CommandKind? {
      switch self {
      case .opened: .open
      case .acknowledged: .acknowledge
      case .responded: .respond
      case .answerAccepted: .accept
      case .answerRejected: .reject
      case .filed: .file
      case .refused: .refuse
      case .fileCompleted: .completeFile
      case .forwarded: .mediate
      case .settled: .settle
      case .mediationFailed: .failMediation
      case .escalated: .escalate
      case .claimFiled: .claim
      case .defenceFiled: .defend
      case .decisionIssued: .decide
      case .complied: .comply
      case .notComplied: .notComply
      case .withdrawn: .withdraw
      case .abandoned: .abandon
      case .closed: .close
      case .deadlineExtended, .deadlineMissed, .noted, .corrected, .personalDataErased: nil
      }
    }

    /// The command that produces this change.
    public var command: CommandKind {
      switch self {
      case .deadlineExtended: .extend
      case .deadlineMissed: .sweep
      case .noted: .note
      case .corrected: .correct
      default: step ?? .note
      }
    }

    /// A stable name for the event type, for logs and exports, for example `ShopResponded`.
    public var typeName: String {
      switch self {
      case .opened: "CaseOpened"
      case .acknowledged: "ShopAcknowledged"
      case .responded: "ShopResponded"
      case .answerAccepted: "AnswerAccepted"
      case .answerRejected: "AnswerRejected"
      case .filed: "ComplaintFiled"
      case .refused: "FilingRefused"
      case .fileCompleted: "FileCompleted"
      case .forwarded: "MediationStarted"
      case .settled: "SettlementReached"
      case .mediationFailed: "MediationFailed"
      case .escalated: "EscalatedToCommittee"
      case .claimFiled: "ClaimFiled"
      case .defenceFiled: "DefenceFiled"
      case .decisionIssued: "DecisionIssued"
      case .complied: "Complied"
      case .notComplied: "NotComplied"
      case .withdrawn: "CaseWithdrawn"
      case .abandoned: "CaseAbandoned"
      case .closed: "CaseClosed"
      case .deadlineExtended: "DeadlineExtended"
      case .deadlineMissed: "DeadlineMissed"
      case .noted: "NoteAdded"
      case .corrected: "CorrectionRecorded"
      case .personalDataErased: "PersonalDataErased"
      }
    }
  }
}

/// The facts recorded when a case is opened.
public struct CaseOpened: Sendable, Hashable, Codable {
  /// The case's identifier.
  public var caseID: CaseID
  /// Its readable reference.
  public var reference: CaseReference
  /// The scheme, for example `webwinkelkeur`.
  public var scheme: String
  /// The workflow version the case was opened under.
  public var workflowVersion: String
  /// The shop.
  public var shop: ShopIdentity
  /// The consumer's country.
  public var consumerCountry: CountryCode
  /// A reference to the consumer's erasable personal data.
  public var consumerID: String?
  /// The complaint subject.
  public var subject: String
  /// The amount in dispute.
  public var amount: Money?

  /// Creates the facts of an opening (the decider does this; a decoder reading a log too).
  public init(
    caseID: CaseID, reference: CaseReference, scheme: String, workflowVersion: String,
    shop: ShopIdentity, consumerCountry: CountryCode, consumerID: String?, subject: String,
    amount: Money?
  ) {
    self.caseID = caseID
    self.reference = reference
    self.scheme = scheme
    self.workflowVersion = workflowVersion
    self.shop = shop
    self.consumerCountry = consumerCountry
    self.consumerID = consumerID
    self.subject = subject
    self.amount = amount
  }
}

/// A deadline as opened by an event: computed once, stored, never recomputed.
public struct OpenedDeadline: Sendable, Hashable, Codable {
  /// Which deadline.
  public var kind: DeadlineKind
  /// Who must act.
  public var party: Party
  /// The rule's source, for example `WebwinkelKeur code of conduct, "Disputes"`.
  public var source: String
  /// Whether it may be extended.
  public var extendable: Bool
  /// The computed deadline, with its explanation.
  public var deadline: ComputedDeadline

  /// Creates an opened deadline.
  public init(
    kind: DeadlineKind, party: Party, source: String, extendable: Bool, deadline: ComputedDeadline
  ) {
    self.kind = kind
    self.party = party
    self.source = source
    self.extendable = extendable
    self.deadline = deadline
  }
}

/// One admissibility rule as evaluated at filing.
public struct AdmissibilityCheck: Sendable, Hashable, Codable {
  /// The ground the rule protects; a failed check refuses the filing on it.
  public var ground: RefusalGround
  /// Whether the filing passed.
  public var passed: Bool
  /// What was checked, in a sentence.
  public var detail: String

  /// Creates a check result.
  public init(ground: RefusalGround, passed: Bool, detail: String) {
    self.ground = ground
    self.passed = passed
    self.detail = detail
  }
}
