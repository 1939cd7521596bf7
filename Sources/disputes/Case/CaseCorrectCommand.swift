import ArgumentParser
import DisputeEngine

struct CaseCorrectCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "correct",
    abstract: "Void the latest step of a case (a correction event; nothing is deleted).",
    discussion: "EVENT is the case version of the step to void, as 'disputes case show' lists it.")

  @OptionGroup var step: StepOptions

  @Argument(help: "The case version of the event to void.")
  var event: Int

  @Option(help: "Why it is void.")
  var reason: String

  func caseCommand(at: Occurrence) throws -> CaseCommand {
    .correct(at: at, eventVersion: event, reason: reason)
  }
}
