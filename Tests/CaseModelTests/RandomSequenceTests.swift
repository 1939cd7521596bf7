import CaseModel
import Foundation
import TestSupport
import Testing
import WorkingDays

/// Property checks over seeded random command sequences: deciding never crashes, every
/// accepted sequence replays to the same case, and every state reached is one the diagram shows.
@Suite("Random command sequences")
struct RandomSequenceTests {
  static let commands = CommandKind.allCases.filter { $0 != .open && $0 != .sweep }

  struct Generator {
    var rng: SplitMix64
    mutating func int(_ range: ClosedRange<Int>) -> Int {
      range.lowerBound + Int(rng.next() % UInt64(range.count))
    }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
  }

  func command(_ kind: CommandKind, at: Occurrence, dispute: DisputeCase, _ g: inout Generator)
    -> CaseCommand
  {
    switch kind {
    case .decide: return .decide(at: at, outcome: g.pick(DecisionOutcome.allCases))
    case .refuse:
      return .refuse(
        at: at, ground: g.pick(RefusalGround.allCases), explanation: g.chance(90) ? "reasons" : " ")
    case .settle:
      let fulfil: CivilDate? =
        g.chance(50) ? Fixture.day("2026-01-01").adding(days: g.int(0...900)) : nil
      return .settle(at: at, terms: nil, fulfilBy: fulfil)
    case .extend:
      let change: DeadlineExtension =
        g.chance(50)
        ? .by(Period(g.int(-1...3), g.pick([.calendarDays, .weeks, .workingDays, .hours])))
        : .to(Fixture.day("2026-01-01").adding(days: g.int(0...900)))
      return .extend(
        at: at, deadline: g.pick(DeadlineKind.allCases), extension: change, reason: "because")
    case .correct:
      let version =
        g.chance(70) ? (dispute.correctableVersion ?? 1) : g.int(0...dispute.version + 1)
      return .correct(at: at, eventVersion: version, reason: "mistake")
    default:
      return Fixture.sample(kind, at: at)!
    }
  }

  @Test("500 seeded sequences of up to 40 commands")
  func sequences() throws {
    var g = Generator(rng: SplitMix64(seed: 20_261_121))
    let reachable = Set(Transitions.edges.map(\.to))
    var accepted = 0
    var refused = 0
    var statesSeen: Set<StateKind> = []
    for sequence in 1...500 {
      let context = g.chance(50) ? Fixture.wwk : Fixture.bec
      var shop = g.chance(50) ? Fixture.dutchShop : Fixture.belgianShop
      shop.isMember = g.chance(85)
      let received = Fixture.day("2026-01-01").adding(days: g.int(0...700))
      let opening = try CaseDecider.open(
        OpenCase(
          caseID: CaseID("random-\(sequence)"), sequence: sequence, shop: shop,
          consumerCountry: g.pick([.netherlands, .belgium, CountryCode("DE")!]),
          subject: "delivery",
          amount: g.chance(80) ? Money(cents: g.int(0...50_000)) : nil, receivedAt: .day(received)),
        context: context)
      var dispute = try DisputeCase(opening: opening)
      var log = [opening]
      var day = received
      for _ in 0..<g.int(1...40) {
        day = day.adding(days: g.int(-2...12))
        if g.chance(10) {
          let now = Instants.endOfDay(day, in: context.mediatorCalendar.timeZone)
          for event in CaseDecider.sweep(dispute, now: now) {
            try dispute.apply(event)
            log.append(event)
          }
          continue
        }
        let at: Occurrence =
          g.chance(20)
          ? .instant(
            Instants.startOfDay(day, in: context.mediatorCalendar.timeZone).addingTimeInterval(
              Double(g.int(0...86_399)))) : .day(day)
        // Mostly steps that are possible now, so the walk gets deep; sometimes anything at all.
        let steps = Transitions.allowedCommands(in: dispute.state.kind, workflow: context.workflow)
          .filter(\.isStep)
        // Steps that end a case are picked a fifth as often as those that move it on.
        let weighted = steps.flatMap { step in
          Array(
            repeating: step,
            count: [.withdraw, .abandon, .close, .accept, .refuse].contains(step) ? 1 : 5)
        }
        let kind = !steps.isEmpty && g.chance(75) ? g.pick(weighted) : g.pick(Self.commands)
        let next = command(kind, at: at, dispute: dispute, &g)
        switch Fixture.attempt(next, dispute, context) {
        case .success(let events):
          accepted += 1
          for event in events {
            try dispute.apply(event)
            log.append(event)
          }
          #expect(reachable.contains(dispute.state.kind))
          statesSeen.insert(dispute.state.kind)
        case .failure(let error):
          refused += 1
          #expect(error.reference == dispute.reference)
          #expect(error.state == dispute.state.kind)
          #expect(!error.description.isEmpty)
        }
      }
      let replayed = try DisputeCase.replay(log)
      #expect(replayed == dispute, "sequence \(sequence) does not replay to the same case")
      // The stored snapshot reads back to the same case, corrections' history included.
      let snapshot = dispute.snapshot()
      #expect(try snapshot.withUnsafeBufferPointer { try DisputeCase(snapshot: $0) } == dispute)
      // A JSON round trip of the events replays to the same case too.
      let data = try JSONEncoder().encode(log)
      #expect(try DisputeCase.replay(JSONDecoder().decode([CaseEvent].self, from: data)) == dispute)
    }
    // The walk covers most of the graph; both outcomes were exercised.
    #expect(accepted > 1000 && refused > 1000)
    #expect(
      statesSeen == Set(StateKind.allCases),
      "missing \(Set(StateKind.allCases).subtracting(statesSeen)); reached \(statesSeen.sorted { $0.rawValue < $1.rawValue })"
    )
    let diagram = Transitions.mermaid(for: Fixture.webwinkelkeur)
    for state in statesSeen { #expect(diagram.contains(state.rawValue)) }
  }

  @Test("an event that does not fit the state is refused on replay, naming the event")
  func corruptHistory() throws {
    let dispute = try Fixture.dispute(in: .shopAnswered)
    var copy = dispute
    let stray = CaseEvent(occurredAt: Fixture.on("2026-03-10"), change: .decisionIssued(.upheld))
    #expect(throws: CaseError.self) { try copy.apply(stray) }
    do {
      try copy.apply(stray)
    } catch {
      guard case .eventDoesNotFit(let message) = error.reason else {
        Issue.record("unexpected \(error.reason)")
        return
      }
      #expect(message.contains("event 3"))
      #expect(message.contains("DecisionIssued"))
    }
    #expect(copy == dispute)
  }
}
