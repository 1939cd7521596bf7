import ArgumentParser
import DisputeEngine

struct CaseExtendCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "extend",
    abstract: "Extend an open deadline (where the workflow allows it), with a reason.",
    discussion: "Give either --to DATE (a later last day) or --by PERIOD (for example '2 weeks').")

  @OptionGroup var step: StepOptions

  @Argument(
    help: "The deadline, for example mediationOutcome or committeeClaim.",
    transform: choice(DeadlineKind.self))
  var deadline: DeadlineKind

  @Option(help: "The new last day, YYYY-MM-DD.")
  var to: String?

  @Option(
    help: "A further period from the current last day, for example '2 weeks' or '10 working days'.")
  var by: String?

  @Option(help: "Why the deadline is extended.")
  var reason: String

  func validate() throws {
    guard (to == nil) != (by == nil) else {
      throw ValidationError("give either --to DATE or --by PERIOD")
    }
  }

  func caseCommand(at: Occurrence) throws -> CaseCommand {
    let change: DeadlineExtension
    if let to {
      change = .to(try Values.date(to))
    } else {
      guard let text = by, let period = WorkflowLoader.period(text) else {
        throw CLIFailure(
          "--by must be a period such as '2 weeks' or '10 working days'", status: .usage)
      }
      change = .by(period)
    }
    return .extend(at: at, deadline: deadline, extension: change, reason: reason)
  }
}
