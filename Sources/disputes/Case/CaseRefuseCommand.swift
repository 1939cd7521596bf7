import ArgumentParser
import DisputeEngine

struct CaseRefuseCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "refuse", abstract: "The mediator refused the filing on a ground.")

  @OptionGroup var step: StepOptions

  @Option(
    help:
      "no-prior-contact, frivolous, handled-elsewhere, value-threshold, filed-too-late, impairs-operation or outside-scope.",
    transform: choice(RefusalGround.self))
  var ground: RefusalGround

  @Option(help: "The mediator's reasons.")
  var explanation: String

  func caseCommand(at: Occurrence) throws -> CaseCommand {
    .refuse(at: at, ground: ground, explanation: explanation)
  }
}
