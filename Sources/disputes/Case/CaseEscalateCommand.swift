import ArgumentParser
import DisputeEngine

struct CaseEscalateCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "escalate", abstract: "The consumer escalated to the disputes committee.")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .escalate(at: at) }
}
