public import CaseModel

/// Why the event log refused or failed an operation.
public enum EventLogError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The case changed since the version the caller expected: reload and retry.
  case conflict(reference: String, expected: Int, actual: Int)
  /// No case with that id or reference.
  case caseNotFound(String)
  /// The decider refused the command.
  case rejected(CaseError)
  /// A stored event does not decode, or does not fit its case.
  case corruptEvent(position: Int, message: String)
  /// Another process holds the database longer than the busy timeout: retry.
  case busy
  /// The database file is not a valid dispute-engine database.
  case notADatabase(String)
  /// Importing is refused (for example into a database that is not empty).
  case importRefused(String)
  /// A line of an import file is wrong.
  case badImportLine(line: Int, message: String)
  /// Reading or writing a file failed.
  case io(String)
  /// Any other database failure.
  case database(String)

  public var description: String {
    switch self {
    case .conflict(let reference, let expected, let actual):
      "case \(reference) changed: expected version \(expected), it is at version \(actual); reload and retry"
    case .caseNotFound(let reference):
      "no case '\(reference)'"
    case .rejected(let error):
      error.description
    case .corruptEvent(let position, let message):
      "the event at position \(position) is corrupt: \(message)"
    case .busy:
      "the database is busy (another process is writing); retry"
    case .notADatabase(let message):
      "not a dispute-engine database: \(message)"
    case .importRefused(let message):
      "import refused: \(message)"
    case .badImportLine(let line, let message):
      "import line \(line): \(message); nothing was imported"
    case .io(let message):
      message
    case .database(let message):
      "database error: \(message)"
    }
  }
}
