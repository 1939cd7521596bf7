import ArgumentParser
import DisputeEngine

struct CaseDefendCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "defend", abstract: "The shop filed its defence with the committee.")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .defend(at: at) }
}
