import ArgumentParser
import DisputeEngine

struct CaseFileCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "file",
    abstract: "The consumer filed the complaint with the mediator; admissibility is checked.")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .file(at: at) }
}
