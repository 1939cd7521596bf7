import ArgumentParser
import DisputeEngine

struct CaseSettleCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "settle",
    abstract: "The parties settled, possibly with a date by which the shop must fulfil it.")

  @OptionGroup var step: StepOptions

  @Option(help: "What was agreed.")
  var terms: String?

  @Option(
    name: .customLong("fulfil-by"),
    help: "The date (YYYY-MM-DD) by which the shop must fulfil the agreement.")
  var fulfilBy: String?

  func caseCommand(at: Occurrence) throws -> CaseCommand {
    .settle(at: at, terms: terms, fulfilBy: try fulfilBy.map { try Values.date($0) })
  }
}
