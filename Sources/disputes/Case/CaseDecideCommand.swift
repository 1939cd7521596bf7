import ArgumentParser
import DisputeEngine

struct CaseDecideCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "decide", abstract: "The committee decided.")

  @OptionGroup var step: StepOptions

  @Option(
    help: "upheld, partly-upheld, rejected or inadmissible.",
    transform: choice(DecisionOutcome.self))
  var outcome: DecisionOutcome

  func caseCommand(at: Occurrence) throws -> CaseCommand { .decide(at: at, outcome: outcome) }
}
