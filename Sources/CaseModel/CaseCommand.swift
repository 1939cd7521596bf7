public import WorkingDays

/// What a case handler asks for on behalf of a party: a step of the lifecycle, or an annotation.
/// Every command says when the step occurred, which may be before it is recorded.
public enum CaseCommand: Sendable, Hashable {
  /// The shop acknowledged the complaint (not an answer).
  case acknowledge(at: Occurrence)
  /// The shop answered, possibly proposing a remedy.
  case respond(at: Occurrence, proposal: String?)
  /// The consumer accepted the shop's answer: resolved.
  case accept(at: Occurrence)
  /// The consumer rejected the shop's answer.
  case reject(at: Occurrence)
  /// The consumer filed the complaint with the mediator. Admissibility is checked.
  case file(at: Occurrence)
  /// The mediator refused the filing on a ground, with its reasons.
  case refuse(at: Occurrence, ground: RefusalGround, explanation: String)
  /// The mediator found the filing admissible and the file complete.
  case completeFile(at: Occurrence)
  /// The mediator forwarded the complaint to the shop: mediation starts.
  case mediate(at: Occurrence)
  /// The parties settled, possibly with a date by which the shop must fulfil the agreement.
  case settle(at: Occurrence, terms: String?, fulfilBy: CivilDate?)
  /// Mediation failed.
  case failMediation(at: Occurrence, reason: String?)
  /// The consumer escalated to the disputes committee.
  case escalate(at: Occurrence)
  /// The consumer filed the claim with the committee.
  case claim(at: Occurrence)
  /// The shop filed its defence.
  case defend(at: Occurrence)
  /// The committee decided.
  case decide(at: Occurrence, outcome: DecisionOutcome)
  /// The shop complied with the settlement or decision.
  case comply(at: Occurrence)
  /// The shop did not comply; the case is referred to the sanctions process.
  case notComply(at: Occurrence, reason: String?)
  /// The consumer withdrew.
  case withdraw(at: Occurrence, reason: String?)
  /// The mediator abandoned the case.
  case abandon(at: Occurrence, reason: String)
  /// The consumer did not pursue the case after the shop's answer or a failed mediation.
  case close(at: Occurrence, reason: String?)
  /// Extend an open deadline, with a reason.
  case extend(at: Occurrence, deadline: DeadlineKind, extension: DeadlineExtension, reason: String)
  /// Add a note.
  case note(at: Occurrence, text: String)
  /// Void the latest lifecycle step (the event with this version), with the reason.
  case correct(at: Occurrence, eventVersion: Int, reason: String)

  /// The command without its data.
  public var kind: CommandKind {
    switch self {
    case .acknowledge: .acknowledge
    case .respond: .respond
    case .accept: .accept
    case .reject: .reject
    case .file: .file
    case .refuse: .refuse
    case .completeFile: .completeFile
    case .mediate: .mediate
    case .settle: .settle
    case .failMediation: .failMediation
    case .escalate: .escalate
    case .claim: .claim
    case .defend: .defend
    case .decide: .decide
    case .comply: .comply
    case .notComply: .notComply
    case .withdraw: .withdraw
    case .abandon: .abandon
    case .close: .close
    case .extend: .extend
    case .note: .note
    case .correct: .correct
    }
  }

  /// When the step occurred.
  public var occurredAt: Occurrence {
    switch self {
    case .acknowledge(let at), .respond(let at, _), .accept(let at), .reject(let at),
      .file(let at), .refuse(let at, _, _), .completeFile(let at), .mediate(let at),
      .settle(let at, _, _), .failMediation(let at, _), .escalate(let at), .claim(let at),
      .defend(let at), .decide(let at, _), .comply(let at), .notComply(let at, _),
      .withdraw(let at, _), .abandon(let at, _), .close(let at, _), .extend(let at, _, _, _),
      .note(let at, _), .correct(let at, _, _):
      at
    }
  }
}

/// How to extend a deadline: to a later last day, or by a further period from the current one.
public enum DeadlineExtension: Sendable, Hashable, Codable {
  /// A new last day, later than the current one.
  case to(CivilDate)
  /// A further period, counted from the current last day under the deadline's regime.
  case by(Period)
}

/// The commands without their data: the labels on the lifecycle graph's edges.
public enum CommandKind: String, Sendable, Hashable, Codable, CaseIterable {
  case open, acknowledge, respond, accept, reject, file, refuse
  case completeFile = "complete-file"
  case mediate, settle
  case failMediation = "fail-mediation"
  case escalate, claim, defend, decide, comply
  case notComply = "not-comply"
  case withdraw, abandon, close, extend, note, correct
  /// Recording passed deadlines: not a command, but the engine's `sweep`.
  case sweep

  /// Whether the command is a step of the lifecycle (the others annotate a case).
  public var isStep: Bool { ![.extend, .note, .correct, .sweep].contains(self) }
}

/// Opening a case: the shop received a consumer's complaint.
public struct OpenCase: Sendable, Hashable {
  /// The new case's identifier.
  public var caseID: CaseID
  /// The sequence number of the case within its scheme and the year of receipt, assigned by
  /// the store.
  public var sequence: Int
  /// The shop.
  public var shop: ShopIdentity
  /// The consumer's country (always recorded: it decides domestic or cross-border).
  public var consumerCountry: CountryCode
  /// A reference to the consumer's personal data, kept outside the events (erasable).
  public var consumerID: String?
  /// The complaint subject, one of the workflow's subjects.
  public var subject: String
  /// The amount in dispute, if known.
  public var amount: Money?
  /// When the shop received the complaint.
  public var receivedAt: Occurrence

  /// Creates the command.
  public init(
    caseID: CaseID, sequence: Int, shop: ShopIdentity, consumerCountry: CountryCode,
    consumerID: String? = nil, subject: String, amount: Money? = nil, receivedAt: Occurrence
  ) {
    self.caseID = caseID
    self.sequence = sequence
    self.shop = shop
    self.consumerCountry = consumerCountry
    self.consumerID = consumerID
    self.subject = subject
    self.amount = amount
    self.receivedAt = receivedAt
  }
}
