import ArgumentParser
import DisputeEngine

struct CaseNotComplyCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "not-comply",
    abstract: "The shop did not comply; it is referred to the trustmark's sanctions process.")

  @OptionGroup var step: StepOptions

  @Option(help: "What the shop failed to do.")
  var reason: String?

  func caseCommand(at: Occurrence) throws -> CaseCommand { .notComply(at: at, reason: reason) }
}
