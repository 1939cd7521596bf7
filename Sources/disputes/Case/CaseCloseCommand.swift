import ArgumentParser
import DisputeEngine

struct CaseCloseCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "close",
    abstract: "The consumer did not pursue the case after the shop's answer or a failed mediation.")

  @OptionGroup var step: StepOptions

  @Option(help: "Why, if known.")
  var reason: String?

  func caseCommand(at: Occurrence) throws -> CaseCommand { .close(at: at, reason: reason) }
}
