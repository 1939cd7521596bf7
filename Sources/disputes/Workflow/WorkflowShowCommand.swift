import ArgumentParser
import DisputeEngine

struct WorkflowShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show a scheme's deadlines, admissibility rules, options and subjects.")

  @Argument(help: "The scheme, for example webwinkelkeur or becommerce.")
  var scheme: String

  @OptionGroup var workflowOptions: WorkflowOptions

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    let workflow = try workflowOptions.workflow(scheme)
    if json {
      print(try Terminal.json(WorkflowJSON(workflow)))
      return
    }
    print("\(workflow.name) (\(workflow.scheme)), workflow version \(workflow.version)")
    print(
      "Mediator:  \(workflow.mediator.name), \(workflow.mediator.calendar.rawValue) calendar"
        + (workflow.mediator.closures.days.isEmpty
          ? "" : ", \(workflow.mediator.closures.days.count) closure days"))
    if let committee = workflow.committee {
      print(
        "Committee: \(committee.name), \(committee.calendar.rawValue) calendar, minimum claim "
          + "\(committee.minimumClaim), fee \(committee.fee)")
      if let alternative = committee.alternative { print("           alternative: \(alternative)") }
    }
    print("References: \(workflow.referencePrefix)-YYYY-NNNNN")
    print("")
    print("Deadlines:")
    let rows = DeadlineKind.allCases.compactMap { kind -> [String]? in
      guard let rule = workflow.deadlines[kind] else { return nil }
      return [
        kind.rawValue, kind.obligatedParty.rawValue, rule.period.description, rule.regime.rawValue,
        rule.extendable ? "yes" : "no",
      ]
    }
    print(
      Table.render(
        header: ["DEADLINE", "PARTY", "PERIOD", "REGIME", "EXTENDABLE"], rows: rows, indent: 2))
    print("Sources:")
    for kind in DeadlineKind.allCases {
      guard let rule = workflow.deadlines[kind] else { continue }
      print(TextWrap.wrap("  \(kind.rawValue): \(rule.source)", indent: "      "))
    }
    print("")
    let rules = workflow.admissibility
    print("Admissibility:")
    print(
      "  prior contact with the shop: \(rules.requirePriorContact ? "required" : "not required")")
    print(
      "  complaint age: \(rules.maximumComplaintAge.map { "at most \($0) from the shop's receipt" } ?? "no limit")"
    )
    print(
      "  shops seated in: \(rules.shopCountries.map(\.rawValue).sorted().joined(separator: ", "))"
        + (rules.membersOnly ? ", members only" : ", members or not"))
    let options = workflow.options
    print(
      "Options: acknowledgement \(options.acknowledgement ? "on" : "off"), escalation "
        + "\(options.escalation ? "on" : "off"), settlement fulfilment date \(options.settlementFulfilment ? "on" : "off")"
    )
    print(TextWrap.wrap("Subjects: " + workflow.subjects.joined(separator: ", ")))
  }
}
