import ArgumentParser
import DisputeEngine

struct CaseComplyCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "comply", abstract: "The shop complied with the settlement or the decision.")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .comply(at: at) }
}
