import ArgumentParser
import DisputeEngine

struct CaseMediateCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "mediate",
    abstract: "The mediator forwarded the complaint to the shop: mediation starts.")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .mediate(at: at) }
}
