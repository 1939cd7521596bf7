import ArgumentParser
import DisputeEngine

struct CaseRespondCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "respond", abstract: "The shop answered the complaint.")

  @OptionGroup var step: StepOptions

  @Option(help: "The remedy the shop proposed.")
  var proposal: String?

  func caseCommand(at: Occurrence) throws -> CaseCommand { .respond(at: at, proposal: proposal) }
}
