import ArgumentParser
import DisputeEngine

struct CaseAbandonCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "abandon",
    abstract: "The mediator abandoned the case (for example the consumer stopped responding).")

  @OptionGroup var step: StepOptions

  @Option(help: "Why.")
  var reason: String

  func caseCommand(at: Occurrence) throws -> CaseCommand { .abandon(at: at, reason: reason) }
}
