import ArgumentParser
import DisputeEngine
import Foundation

/// Options every command that touches the database takes.
struct GlobalOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The database file (default: $DISPUTES_DB, else ./disputes.sqlite).", valueName: "path"))
  var db: String?

  @Option(
    help: ArgumentHelp(
      "Pin the clock, for demos, tests and re-runs: an ISO 8601 date-time with offset "
        + "(default: $DISPUTES_NOW, else the system clock).",
      valueName: "datetime"))
  var now: String?

  @Option(
    help: ArgumentHelp(
      "Who records the steps, for the audit trail (default: $DISPUTES_ACTOR, else $USER).",
      valueName: "name"))
  var actor: String?

  @Option(
    name: .customLong("workflows"),
    help: ArgumentHelp(
      "Use the *.yaml workflows of this directory instead of the bundled ones.", valueName: "dir"))
  var workflowDirectory: String?

  static let environment = ProcessInfo.processInfo.environment

  var databasePath: String { db ?? Self.environment["DISPUTES_DB"] ?? "disputes.sqlite" }

  var actorName: String {
    actor ?? Self.environment["DISPUTES_ACTOR"] ?? Self.environment["USER"] ?? "unknown"
  }

  func clock() throws -> any EngineClock {
    guard let text = now ?? Self.environment["DISPUTES_NOW"] else { return SystemClock() }
    do {
      return FixedClock(try Instants.parse(text))
    } catch {
      throw CLIFailure("--now / DISPUTES_NOW: \(error.description)", status: .usage)
    }
  }

  func catalog() throws -> WorkflowCatalog {
    try WorkflowOptions(directory: workflowDirectory).catalog()
  }

  /// Opens the engine on the database; with `mustExist`, a missing file is "not found" rather
  /// than created.
  func engine(mustExist: Bool = true) throws -> Engine {
    let path = databasePath
    if mustExist && !FileManager.default.fileExists(atPath: path) {
      throw CLIFailure(
        "no database at \(path); create one with 'disputes init' (or give --db)", status: .notFound)
    }
    let catalog = try catalog()
    let clock = try clock()
    do {
      return try Engine(path: path, catalog: catalog, clock: clock)
    } catch {
      throw CLIFailure(engine: error)
    }
  }
}

extension WorkflowOptions {
  init(directory: String?) {
    self.init()
    self.directory = directory
  }
}

extension CLIFailure {
  /// The one-line message and exit status of an engine error (`domain.md` §6.11).
  init(engine error: EngineError) {
    switch error {
    case .log(let log): self.init(log: log)
    case .unknownScheme(let unknown): self.init(unknown.description, status: .usage)
    case .invalidRequest(let message): self.init(message, status: .dataError)
    }
  }

  init(log error: EventLogError) {
    let status: ExitStatus
    switch error {
    case .conflict, .busy: status = .temporaryFailure
    case .caseNotFound: status = .notFound
    case .rejected, .corruptEvent, .notADatabase, .importRefused, .badImportLine:
      status = .dataError
    case .io: status = .ioError
    case .database: status = .software
    }
    var message = error.description
    if case .rejected(let refusal) = error, case .notAllowed = refusal.reason {
      message += " (see 'disputes case show \(refusal.reference?.description ?? "ID")')"
    }
    self.init(message, status: status)
  }
}

/// Runs an engine call, turning its typed error into a one-line failure.
@discardableResult
func engineCall<T>(_ body: () throws(EngineError) -> T) throws -> T {
  do {
    return try body()
  } catch {
    throw CLIFailure(engine: error)
  }
}

/// Runs an event-log call, turning its typed error into a one-line failure.
@discardableResult
func logCall<T>(_ body: () throws(EventLogError) -> T) throws -> T {
  do {
    return try body()
  } catch {
    throw CLIFailure(log: error)
  }
}

/// Parses `YYYY-MM-DD` (that civil day) or an ISO 8601 date-time with offset.
func disputesOccurrence(_ text: String, option: String) throws -> Occurrence {
  do {
    return try DeadlineTrigger(parsing: text)
  } catch let error as CivilDateError {
    throw CLIFailure("\(option): \(error.description)", status: .dataError)
  } catch let error as InstantParseError {
    throw CLIFailure("\(option): \(error.description)", status: .dataError)
  }
}
