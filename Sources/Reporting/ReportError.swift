public import EventLog

/// Why a report could not be computed. A report is all or nothing: on any of these, no figure
/// is returned.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A line of a JSON Lines log is malformed, truncated, out of sequence or fails its hash.
  /// Lines are counted from 1, the header being line 1.
  case corruptLine(line: Int, message: String)
  /// The log as a whole is incomplete: fewer or more events than its header announces, or a
  /// last hash that differs from the header's.
  case incompleteLog(String)
  /// A stored event cannot be read or does not fit its case.
  case corruptEvent(position: Int, message: String)
  /// A case names a scheme whose workflow is not loaded.
  case unknownScheme(String, known: [String])
  /// A report parameter is invalid.
  case invalidParameter(String)
  /// The log file cannot be read.
  case io(String)
  /// The database failed.
  case database(EventLogError)

  /// One line naming what was wrong and where.
  public var description: String {
    switch self {
    case .corruptLine(let line, let message):
      "line \(line) of the log: \(message); nothing was counted"
    case .incompleteLog(let message):
      "the log is incomplete: \(message); nothing was counted"
    case .corruptEvent(let position, let message):
      "event \(position): \(message); nothing was counted"
    case .unknownScheme(let scheme, let known):
      "the log has cases of scheme '\(scheme)', which no loaded workflow defines (known: "
        + "\(known.joined(separator: ", "))); pass --workflows with its file"
    case .invalidParameter(let message):
      message
    case .io(let message):
      message
    case .database(let error):
      error.description
    }
  }
}
