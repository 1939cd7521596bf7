import ArgumentParser
import DisputeEngine

struct CaseFailMediationCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "fail-mediation", abstract: "Mediation failed.")

  @OptionGroup var step: StepOptions

  @Option(help: "Why.")
  var reason: String?

  func caseCommand(at: Occurrence) throws -> CaseCommand { .failMediation(at: at, reason: reason) }
}
