import ArgumentParser
import DisputeEngine

struct CaseAcknowledgeCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "acknowledge",
    abstract: "The shop acknowledged the complaint (not an answer; its deadline keeps running).")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .acknowledge(at: at) }
}
