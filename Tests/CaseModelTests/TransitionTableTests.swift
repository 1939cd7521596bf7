import CaseModel
import Testing
import WorkingDays

/// Every (state, command) pair: the events it produces, checked against the explicit edge table
/// that the diagram is drawn from, or the typed error.
@Suite("Transition table")
struct TransitionTableTests {
  static let commands = CommandKind.allCases.filter { $0 != .open && $0 != .sweep }

  @Test("state and command ordinals follow the order of all cases, for the tables they index")
  func ordinals() {
    #expect(StateKind.allCases.map(\.ordinal) == Array(StateKind.allCases.indices))
    #expect(CommandKind.allCases.map(\.ordinal) == Array(CommandKind.allCases.indices))
  }

  @Test("every state is reachable and has a representative case", arguments: StateKind.allCases)
  func reachable(_ state: StateKind) throws {
    #expect(try Fixture.dispute(in: state).state.kind == state)
  }

  @Test("every step agrees with the edge table", arguments: StateKind.allCases)
  func stepsAgreeWithTable(_ state: StateKind) throws {
    let dispute = try Fixture.dispute(in: state)
    let later = Occurrence.day(Fixture.start.adding(days: 20))
    for kind in Self.commands where kind.isStep {
      let command = Fixture.sample(kind, at: later)!
      let edges = Transitions.edges(for: Fixture.webwinkelkeur).filter {
        $0.from == state && $0.command == kind
      }
      switch Fixture.attempt(command, dispute) {
      case .success(let events):
        #expect(!edges.isEmpty, "\(state) accepted \(kind), which the table does not have")
        // Each event's transition must be an edge of the table.
        var replay = dispute
        for event in events {
          let before = replay.state.kind
          try replay.apply(event)
          let step = event.change.step!
          #expect(
            Transitions.edges.contains {
              $0.from == before && $0.command == step && $0.to == replay.state.kind
            },
            "\(before) --\(step)--> \(replay.state.kind) is not in the table")
        }
      case .failure(let error):
        #expect(edges.isEmpty, "\(state) refused \(kind), which the table has: \(error)")
        #expect(error.state == state && error.command == kind)
        #expect(
          error.reason
            == .notAllowed(
              allowed: Transitions.allowedCommands(in: state, workflow: Fixture.webwinkelkeur)))
      }
    }
  }

  @Test(
    "notes and corrections are possible in every state; extensions only while open",
    arguments: StateKind.allCases)
  func annotations(_ state: StateKind) throws {
    let dispute = try Fixture.dispute(in: state)
    let later = Occurrence.day(Fixture.start.adding(days: 20))
    #expect(
      try CaseDecider.decide(.note(at: later, text: "phoned"), dispute, context: Fixture.wwk).count
        == 1)
    if let version = dispute.correctableVersion {
      let events = try CaseDecider.decide(
        .correct(at: later, eventVersion: version, reason: "wrong case"), dispute,
        context: Fixture.wwk)
      #expect(events.count == 1)
    }
    let extend = CaseCommand.extend(
      at: later, deadline: .mediationOutcome, extension: .by(.weeks(2)), reason: "complex")
    switch Fixture.attempt(extend, dispute) {
    case .success: #expect([.fileComplete, .inMediation].contains(state))
    case .failure(let error): #expect(![.fileComplete, .inMediation].contains(state), "\(error)")
    }
  }

  @Test("a closed case refuses every step and names the state and what is possible")
  func closedCase() throws {
    for state in StateKind.allCases where state.isClosed {
      let dispute = try Fixture.dispute(in: state)
      guard
        case .failure(let error) = Fixture.attempt(
          .withdraw(at: Fixture.on("2026-04-01"), reason: nil), dispute)
      else {
        Issue.record("\(state) accepted a withdrawal")
        continue
      }
      #expect(error.reason == .notAllowed(allowed: [.note, .correct]))
      #expect(error.description.contains("state \(state.rawValue)"))
      #expect(error.description.contains("cannot withdraw"))
    }
  }

  @Test("the diagram draws every enabled edge and ends every closure")
  func diagram() {
    let text = Transitions.mermaid(for: Fixture.webwinkelkeur)
    #expect(text.hasPrefix("stateDiagram-v2\n"))
    for edge in Transitions.edges(for: Fixture.webwinkelkeur) {
      #expect(
        text.contains(
          "\(edge.from?.rawValue ?? "[*]") --> \(edge.to.rawValue) : \(edge.command.rawValue)"))
    }
    for state in StateKind.allCases where state.isClosed {
      #expect(text.contains("    \(state.rawValue) --> [*]"))
    }
    #expect(
      text.contains("[*] --> awaitingShopAnswer : open / opens shopAnswer 5 working days contract"))
    #expect(
      text.contains("inMediation --> settled : settle / opens settlementFulfilment (agreed date)"))
  }

  @Test("a workflow without escalation drops those edges and refuses the step")
  func optionsOff() throws {
    var workflow = Fixture.webwinkelkeur
    workflow.options.escalation = false
    let context = DecisionContext(workflow: workflow)
    #expect(!Transitions.edges(for: workflow).contains { $0.command == .escalate })
    #expect(!Transitions.mermaid(for: workflow).contains("escalate"))
    let failed = try Fixture.dispute(in: .mediationFailed)
    guard
      case .failure(let error) = Fixture.attempt(
        .escalate(at: Fixture.on("2026-04-01")), failed, context)
    else {
      Issue.record("escalation was accepted with the option off")
      return
    }
    #expect(error.reason == .notEnabled("the escalate step"))
  }
}

/// Which states keep each deadline open and which steps satisfy it (domain.md §3), as a table,
/// against the predicates the fold uses and the sets the API gives.
@Suite("Deadline table")
struct DeadlineTableTests {
  static let table: [DeadlineKind: (open: Set<StateKind>, satisfied: Set<CommandKind>)] = [
    .shopAnswer: ([.awaitingShopAnswer], [.respond]),
    .admissibilityDecision: ([.filedWithMediator], [.refuse, .completeFile]),
    .mediationOutcome: ([.fileComplete, .inMediation], [.settle, .failMediation]),
    .mediationWindow: ([.inMediation], [.settle]),
    .committeeClaim: ([.committeeAwaitingClaim], [.claim]),
    .committeeDefence: ([.committeeAwaitingDefence], [.defend]),
    .committeeDecision: (
      [.committeeAwaitingClaim, .committeeAwaitingDefence, .committeeDeliberating], [.decide]
    ),
    .settlementFulfilment: ([.settled], [.comply]),
    .decisionCompliance: ([.decided], [.comply]),
  ]

  @Test("every deadline kind stays open and is satisfied exactly as the table says")
  func predicatesMatchTable() {
    #expect(Set(Self.table.keys) == Set(DeadlineKind.allCases))
    for (kind, expected) in Self.table {
      #expect(kind.openIn == expected.open, "\(kind)")
      #expect(kind.satisfiedBy == expected.satisfied, "\(kind)")
      for state in StateKind.allCases {
        #expect(kind.isOpen(in: state) == expected.open.contains(state), "\(kind) in \(state)")
      }
      for step in CommandKind.allCases {
        #expect(
          kind.isSatisfied(by: step) == expected.satisfied.contains(step), "\(kind) by \(step)")
      }
    }
  }
}
