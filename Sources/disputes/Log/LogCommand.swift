import ArgumentParser
import DisputeEngine
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

struct LogCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log", abstract: "Export, import and verify the event log (docs/log-format.md).",
    subcommands: [
      LogExportCommand.self, LogImportCommand.self, LogVerifyCommand.self,
      LogRebuildCommand.self,
    ])
}

struct LogExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "Write the whole log as JSON Lines, with every field and hash."
  )

  @Option(help: "The file to write (default: standard output). It must not exist.")
  var output: String?

  @Flag(name: .customLong("include-personal-data"), help: "Also export people's personal data.")
  var includePersonalData = false

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let engine = try global.engine()
    let handle: FileHandle
    if let output {
      guard !FileManager.default.fileExists(atPath: output) else {
        throw CLIFailure("\(output) already exists; choose a new file", status: .ioError)
      }
      guard
        FileManager.default.createFile(
          atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
        let file = FileHandle(forWritingAtPath: output)
      else { throw CLIFailure("cannot create \(output)", status: .ioError) }
      handle = file
    } else {
      handle = .standardOutput
    }
    let header = try logCall { () throws(EventLogError) in
      return try engine.store.export(to: handle, includePersonalData: includePersonalData)
    }
    if let output {
      try? handle.close()
      Terminal.standardError.writeLine(
        "Exported \(header.events) events to \(output) (last hash \(header.lastHash.prefix(16))…)")
    }
  }
}

struct LogImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import an exported log into an empty database, in one transaction.",
    discussion: "Every line's hash is checked; the first bad line is named and nothing is imported."
  )

  @Argument(help: "The JSON Lines file.")
  var file: String

  @OptionGroup var global: GlobalOptions

  func run() throws {
    guard let handle = FileHandle(forReadingAtPath: file) else {
      throw CLIFailure(
        "no such file: \(file)",
        status: FileManager.default.fileExists(atPath: file) ? .ioError : .notFound)
    }
    let engine = try global.engine(mustExist: false)
    let showProgress = isatty(STDERR_FILENO) != 0
    let count = try logCall { () throws(EventLogError) in
      try engine.store.importLog(from: handle) { done in
        if showProgress { Terminal.standardError.write("\rimported \(done) events…") }
      }
    }
    if showProgress { Terminal.standardError.write("\r") }
    print("Imported \(count) events into \(global.databasePath); the log verifies.")
  }
}

struct LogVerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Walk the hash chain and report the first position where it breaks.",
    discussion:
      "Exits 0 when the log is intact, 1 when it is not. --projections also compares the read tables with a rebuild."
  )

  @Flag(help: "Also check the projections against a rebuild from the log.")
  var projections = false

  @Flag(help: "Print JSON: {events, lastHash, intact, problem, projectionsMatch}.")
  var json = false

  @OptionGroup var global: GlobalOptions

  struct Result: Encodable {
    let events: Int
    let lastHash: String
    let intact: Bool
    let problem: String?
    let projectionsMatch: Bool?
    let projectionDifferences: [String]
  }

  func run() throws {
    let engine = try global.engine()
    let showProgress = !json && isatty(STDERR_FILENO) != 0
    let report = try logCall { () throws(EventLogError) in
      try engine.store.verify { done in
        if showProgress { Terminal.standardError.write("\rverified \(done) events…") }
      }
    }
    if showProgress { Terminal.standardError.write("\r") }
    var check: ProjectionCheck?
    if projections {
      check = try logCall { () throws(EventLogError) in
        return try engine.store.checkProjections()
      }
    }
    let result = Result(
      events: report.events, lastHash: report.lastHash, intact: report.isIntact,
      problem: report.problem?.description, projectionsMatch: check?.matches,
      projectionDifferences: check?.differences ?? [])
    if json {
      print(try Terminal.json(result))
    } else if let problem = report.problem {
      print("BROKEN at \(problem); the \(report.events) events before it verify")
    } else {
      print("Intact: \(report.events) events, last hash \(report.lastHash)")
      if let check {
        print(
          check.matches
            ? "Projections match a rebuild from the log."
            : "Projections differ: " + check.differences.joined(separator: "; "))
      }
    }
    if !report.isIntact || check?.matches == false {
      throw ExitCode(ExitStatus.checkFailed.rawValue)
    }
  }
}

struct LogRebuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rebuild",
    abstract: "Rebuild the read tables (cases, deadlines, shops) from the log, in one transaction.",
    discussion: """
      The log itself is not changed. Use it after restoring a backup made by an older build, or \
      when 'disputes log verify --projections' reports differences. A failure leaves the tables \
      as they were.
      """
  )

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let engine = try global.engine()
    let started = ContinuousClock.now
    let count = try logCall { () throws(EventLogError) in
      try engine.store.rebuildProjections()
    }
    let parts = (ContinuousClock.now - started).components
    let seconds = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    let elapsed =
      seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.1f s", seconds)
    print("Rebuilt the read tables of \(global.databasePath) from \(count) events in \(elapsed).")
  }
}
