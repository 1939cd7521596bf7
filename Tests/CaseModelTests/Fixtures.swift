import CaseModel
import Foundation
import WorkflowLoading
import WorkingDays

/// Shared helpers: the bundled workflows, dates, and cases driven through the lifecycle.
enum Fixture {
  static let webwinkelkeur = try! WorkflowCatalog.bundled.workflow(named: "webwinkelkeur")
  static let becommerce = try! WorkflowCatalog.bundled.workflow(named: "becommerce")
  static let wwk = DecisionContext(workflow: webwinkelkeur)
  static let bec = DecisionContext(workflow: becommerce)

  static func day(_ text: String) -> CivilDate { try! CivilDate(parsing: text) }
  static func on(_ text: String) -> Occurrence { .day(day(text)) }

  static let dutchShop = ShopIdentity(
    tradeName: "Voorbeeld Webwinkel B.V.", country: .netherlands, registrationNumber: "12345678",
    website: "https://voorbeeld.example")
  static let belgianShop = ShopIdentity(
    tradeName: "Exemple Boutique SRL", country: .belgium, registrationNumber: "0123.456.789",
    website: "https://exemple.example")

  static func open(
    _ context: DecisionContext, shop: ShopIdentity = dutchShop,
    consumer: CountryCode = .netherlands,
    received: String, amount: Money? = Money(cents: 12_000), sequence: Int = 1
  ) throws -> DisputeCase {
    let event = try CaseDecider.open(
      OpenCase(
        caseID: CaseID("case-\(sequence)"), sequence: sequence, shop: shop,
        consumerCountry: consumer,
        subject: "delivery", amount: amount, receivedAt: on(received)),
      context: context)
    return try DisputeCase(opening: event)
  }

  /// Decides and applies a command, returning the events.
  @discardableResult
  static func run(_ command: CaseCommand, on dispute: inout DisputeCase, _ context: DecisionContext)
    throws -> [CaseEvent]
  {
    let events = try CaseDecider.decide(command, dispute, context: context)
    for event in events { try dispute.apply(event) }
    return events
  }

  /// Decides without throwing, for tests that look at both outcomes.
  static func attempt(
    _ command: CaseCommand, _ dispute: DisputeCase, _ context: DecisionContext = wwk
  )
    -> Result<[CaseEvent], CaseError>
  {
    do {
      return .success(try CaseDecider.decide(command, dispute, context: context))
    } catch {
      return .failure(error)
    }
  }

  /// A command of each kind, occurring on `at`, with ordinary values.
  static func sample(_ kind: CommandKind, at: Occurrence) -> CaseCommand? {
    switch kind {
    case .open, .sweep: nil
    case .acknowledge: .acknowledge(at: at)
    case .respond: .respond(at: at, proposal: "a refund")
    case .accept: .accept(at: at)
    case .reject: .reject(at: at)
    case .file: .file(at: at)
    case .refuse: .refuse(at: at, ground: .frivolous, explanation: "no complaint is stated")
    case .completeFile: .completeFile(at: at)
    case .mediate: .mediate(at: at)
    case .settle: .settle(at: at, terms: "a refund of €120", fulfilBy: nil)
    case .failMediation: .failMediation(at: at, reason: "the shop did not respond")
    case .escalate: .escalate(at: at)
    case .claim: .claim(at: at)
    case .defend: .defend(at: at)
    case .decide: .decide(at: at, outcome: .upheld)
    case .comply: .comply(at: at)
    case .notComply: .notComply(at: at, reason: nil)
    case .withdraw: .withdraw(at: at, reason: nil)
    case .abandon: .abandon(at: at, reason: "the consumer stopped responding")
    case .close: .close(at: at, reason: nil)
    case .extend:
      .extend(at: at, deadline: .mediationOutcome, extension: .by(.weeks(2)), reason: "complex")
    case .note: .note(at: at, text: "called the shop")
    case .correct: .correct(at: at, eventVersion: 2, reason: "recorded on the wrong case")
    }
  }

  /// The path of steps from opening to each state, one day apart from Monday 2 March 2026.
  static let paths: [StateKind: [CommandKind]] = [
    .awaitingShopAnswer: [],
    .shopAnswered: [.respond],
    .filedWithMediator: [.respond, .file],
    .fileComplete: [.respond, .file, .completeFile],
    .inMediation: [.respond, .file, .completeFile, .mediate],
    .settled: [.respond, .file, .completeFile, .mediate, .settle],
    .mediationFailed: [.respond, .file, .completeFile, .mediate, .failMediation],
    .committeeAwaitingClaim: [.respond, .file, .completeFile, .mediate, .failMediation, .escalate],
    .committeeAwaitingDefence: [
      .respond, .file, .completeFile, .mediate, .failMediation, .escalate, .claim,
    ],
    .committeeDeliberating: [
      .respond, .file, .completeFile, .mediate, .failMediation, .escalate, .claim, .defend,
    ],
    .decided: [
      .respond, .file, .completeFile, .mediate, .failMediation, .escalate, .claim, .defend, .decide,
    ],
    .resolved: [.respond, .accept],
    .withdrawn: [.withdraw],
    .refused: [.respond, .file, .refuse],
    .abandoned: [.abandon],
    .closed: [.respond, .file, .completeFile, .mediate, .settle, .comply],
  ]

  static let start = day("2026-03-02")

  /// A case in `state`, its last step on day `paths[state].count` after the start.
  static func dispute(in state: StateKind, _ context: DecisionContext = wwk) throws -> DisputeCase {
    var dispute = try open(context, received: start.description)
    for (index, kind) in paths[state]!.enumerated() {
      try run(sample(kind, at: .day(start.adding(days: index + 1)))!, on: &dispute, context)
    }
    precondition(dispute.state.kind == state, "path to \(state) ends in \(dispute.state.kind)")
    return dispute
  }
}
