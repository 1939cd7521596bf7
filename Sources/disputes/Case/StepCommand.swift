import ArgumentParser
import DisputeEngine
import Foundation

/// What every lifecycle step takes: the case, when the step occurred, and how to record it.
struct StepOptions: ParsableArguments {
  @Argument(help: "The case's reference (for example WWK-2026-00001) or id.")
  var caseReference: String

  @Option(
    help: ArgumentHelp(
      "When it occurred: YYYY-MM-DD (that day in the case's jurisdiction) or a date-time with offset "
        + "(default: now).",
      valueName: "date"))
  var at: String?

  @Option(
    name: .customLong("expected-version"),
    help: "Refuse with a conflict (exit 75) if the case is no longer at this version.")
  var expectedVersion: Int?

  @Option(
    name: .customLong("command-id"),
    help: "An id for this command: repeating it records nothing new (safe retries).")
  var commandID: String?

  @Flag(help: "Print JSON (see docs/cli.md).")
  var json = false

  @OptionGroup var global: GlobalOptions

  func occurrence(_ engine: Engine) throws -> Occurrence {
    guard let at else { return .instant(engine.clock.now()) }
    return try DisputesCLI.occurrence(at, option: "--at")
  }
}

/// A lifecycle step: a thin command whose `run()` asks the engine to handle one `CaseCommand`.
protocol StepCommand: ParsableCommand {
  var step: StepOptions { get }
  /// The command to handle, given when it occurred.
  func caseCommand(at: Occurrence) throws -> CaseCommand
}

extension StepCommand {
  func run() throws {
    let engine = try step.global.engine()
    let command = try caseCommand(at: try step.occurrence(engine))
    let outcome = try engineCall { () throws(EngineError) in
      try engine.handle(
        command, on: step.caseReference, expectedVersion: step.expectedVersion,
        commandID: step.commandID ?? UUID().uuidString, actor: step.global.actorName)
    }
    try StepReport(outcome: outcome, zone: engine).print(json: step.json)
  }
}

/// What a step prints: the case, its new state and version, the events recorded, the deadlines
/// now open.
struct StepReport: Encodable {
  struct Recorded: Encodable {
    let position: Int
    let caseVersion: Int
    let type: String
    let occurredAt: String
  }
  struct Deadline: Encodable {
    let kind: String
    let party: String
    let lastDay: String
    let expiresAt: String
    let markedMissed: Bool
  }

  let id: String
  let reference: String
  let state: String
  let version: Int
  let duplicate: Bool
  let recorded: [Recorded]
  let openDeadlines: [Deadline]

  init(outcome: Engine.Outcome, zone _: Engine) {
    let dispute = outcome.dispute
    id = dispute.id.rawValue
    reference = dispute.reference.description
    state = dispute.state.kind.rawValue
    version = dispute.version
    duplicate = outcome.duplicate
    recorded = outcome.records.map {
      Recorded(
        position: $0.position, caseVersion: $0.caseVersion, type: $0.type, occurredAt: $0.occurredAt
      )
    }
    openDeadlines = dispute.openDeadlines.map {
      Deadline(
        kind: $0.kind.rawValue, party: $0.opened.party.rawValue, lastDay: $0.lastDay.description,
        expiresAt: Instants.iso8601($0.expiresAt), markedMissed: $0.markedMissed)
    }
  }

  func print(json: Bool) throws {
    if json {
      Swift.print(try Terminal.json(self))
      return
    }
    let events = recorded.map(\.type).joined(separator: ", ")
    Swift.print(
      duplicate
        ? "\(reference): already recorded by this command id (\(events)); nothing new written"
        : "\(reference): recorded \(events) (version \(version))")
    Swift.print("State: \(state)")
    if openDeadlines.isEmpty {
      Swift.print("Open deadlines: none")
    } else {
      Swift.print("Open deadlines:")
      for deadline in openDeadlines {
        Swift.print(
          "  \(deadline.kind.padding(toLength: 22, withPad: " ", startingAt: 0)) \(deadline.party.padding(toLength: 9, withPad: " ", startingAt: 0)) "
            + "due \(deadline.lastDay)\(deadline.markedMissed ? "  (passed)" : "")")
      }
    }
  }
}

/// Namespace for CLI-wide helpers that clash with library names.
enum DisputesCLI {
  static func occurrence(_ text: String, option: String) throws -> Occurrence {
    try disputesOccurrence(text, option: option)
  }
}
