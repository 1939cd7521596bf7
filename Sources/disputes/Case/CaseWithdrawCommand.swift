import ArgumentParser
import DisputeEngine

struct CaseWithdrawCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "withdraw", abstract: "The consumer withdrew the complaint.")

  @OptionGroup var step: StepOptions

  @Option(help: "Why, if the consumer said.")
  var reason: String?

  func caseCommand(at: Occurrence) throws -> CaseCommand { .withdraw(at: at, reason: reason) }
}
