import ArgumentParser
import DisputeEngine

struct CaseCompleteFileCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "complete-file",
    abstract: "The filing is admissible and the file complete; the ADR 90 days start.")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .completeFile(at: at) }
}
