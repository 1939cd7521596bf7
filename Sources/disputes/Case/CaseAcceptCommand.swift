import ArgumentParser
import DisputeEngine

struct CaseAcceptCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "accept",
    abstract: "The consumer accepted the shop's answer: the case is resolved.")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .accept(at: at) }
}
