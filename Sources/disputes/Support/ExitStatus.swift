/// The exit codes of `disputes` (`domain.md` §6.11, after BSD sysexits).
enum ExitStatus: Int32 {
  /// Success.
  case success = 0
  /// A check found a problem (for example `log verify`).
  case checkFailed = 1
  /// The command line was wrong.
  case usage = 64
  /// The input data was wrong, or the case cannot take that step.
  case dataError = 65
  /// A case, file or record was not found.
  case notFound = 66
  /// Internal error.
  case software = 70
  /// Reading or writing failed.
  case ioError = 74
  /// A conflict or a busy database: retry.
  case temporaryFailure = 75
}

/// A failure reported as one line on stderr with its exit status.
struct CLIFailure: Error {
  let message: String
  let status: ExitStatus

  init(_ message: String, status: ExitStatus) {
    self.message = message
    self.status = status
  }
}
