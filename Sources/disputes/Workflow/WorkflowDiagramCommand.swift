import ArgumentParser
import DisputeEngine

struct WorkflowDiagramCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diagram",
    abstract: "Print a scheme's lifecycle as a Mermaid state diagram.",
    discussion:
      "Drawn from the model's edge table with the scheme's options and deadlines; docs/lifecycle.md shows it."
  )

  @Argument(help: "The scheme, for example webwinkelkeur or becommerce.")
  var scheme: String

  @OptionGroup var workflowOptions: WorkflowOptions

  func run() throws {
    print(Transitions.mermaid(for: try workflowOptions.workflow(scheme)), terminator: "")
  }
}

/// The `--json` form of a workflow.
struct WorkflowJSON: Encodable {
  struct Rule: Encodable {
    let kind: String
    let party: String
    let period: Period
    let regime: String
    let source: String
    let extendable: Bool
  }
  struct Committee: Encodable {
    let name: String
    let calendar: String
    let minimumClaim: String
    let fee: String
    let alternative: String?
  }
  struct Admissibility: Encodable {
    let requirePriorContact: Bool
    let maximumComplaintAge: Period?
    let shopCountries: [String]
    let membersOnly: Bool
  }

  let scheme: String
  let name: String
  let version: String
  let referencePrefix: String
  let mediator: String
  let mediatorCalendar: String
  let closures: [CivilDate]
  let committee: Committee?
  let deadlines: [Rule]
  let admissibility: Admissibility
  let options: [String: Bool]
  let subjects: [String]

  init(_ workflow: Workflow) {
    scheme = workflow.scheme
    name = workflow.name
    version = workflow.version
    referencePrefix = workflow.referencePrefix
    mediator = workflow.mediator.name
    mediatorCalendar = workflow.mediator.calendar.rawValue
    closures = workflow.mediator.closures.days.map(\.date)
    committee = workflow.committee.map {
      Committee(
        name: $0.name, calendar: $0.calendar.rawValue, minimumClaim: $0.minimumClaim.description,
        fee: $0.fee.description, alternative: $0.alternative)
    }
    deadlines = DeadlineKind.allCases.compactMap { kind in
      workflow.deadlines[kind].map {
        Rule(
          kind: kind.rawValue, party: kind.obligatedParty.rawValue, period: $0.period,
          regime: $0.regime.rawValue,
          source: $0.source, extendable: $0.extendable)
      }
    }
    admissibility = Admissibility(
      requirePriorContact: workflow.admissibility.requirePriorContact,
      maximumComplaintAge: workflow.admissibility.maximumComplaintAge,
      shopCountries: workflow.admissibility.shopCountries.map(\.rawValue).sorted(),
      membersOnly: workflow.admissibility.membersOnly)
    options = [
      "acknowledgement": workflow.options.acknowledgement,
      "escalation": workflow.options.escalation,
      "settlementFulfilment": workflow.options.settlementFulfilment,
    ]
    subjects = workflow.subjects
  }
}
