import ArgumentParser
import DisputeEngine

struct CaseRejectCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "reject", abstract: "The consumer rejected the shop's answer.")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .reject(at: at) }
}
