import ArgumentParser
import DisputeEngine
import Foundation

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Reports replayed from the event log: ADR annual report, SLA figures, snapshot.",
    discussion: """
      Each report replays the log in one pass: the database (--db) or an exported JSON Lines \
      file (--log, whose hash chain is checked). A log with any fault gives no figures. \
      Definitions of every figure: docs/reporting.md.
      """,
    subcommands: [ReportADRCommand.self, ReportSLACommand.self, ReportSnapshotCommand.self])
}

/// Options every report takes.
struct ReportOptionsGroup: ParsableArguments {
  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp(
      "Count only what occurred up to this instant; a date means the end of that day "
        + "(default: the end of the year for adr, --now or the clock otherwise).",
      valueName: "datetime"))
  var asOf: String?

  @Option(help: "table, csv, json or html (default: from the --output extension, else table).")
  var format: String?

  @Option(help: "Write the report to this file instead of standard output.")
  var output: String?

  @Flag(help: "Replace --output if it exists.")
  var force = false

  @Option(
    name: .customLong("as-known-at"),
    help: ArgumentHelp(
      "Read only events recorded up to this instant (a date means the end of that day, "
        + "Brussels/Amsterdam time): the log as the mediator knew it then.",
      valueName: "datetime"))
  var knownAt: String?

  @Option(
    help: ArgumentHelp(
      "Report from this exported JSON Lines log instead of the database.", valueName: "file"))
  var log: String?

  @Option(help: "Only cases of this scheme (e.g. webwinkelkeur, becommerce).")
  var scheme: String?

  @Flag(
    name: .customLong("skip-hash-check"),
    help:
      "With --log: do not recompute each line's hash (positions, links and counts are still checked)."
  )
  var skipHashCheck = false
}

/// Reads `--as-of`-style values: an ISO 8601 instant, or a date meaning the end of that day in
/// Central European time (the zone of both bundled mediators).
func reportInstant(_ text: String, option: String) throws -> Date {
  if text.count == 10, let date = try? CivilDate(parsing: text) {
    return Instants.endOfDay(date, in: TimeZone(identifier: "Europe/Brussels")!)
  }
  do {
    return try Instants.parse(text)
  } catch {
    throw CLIFailure(
      "\(option) \(text): not a date (2026-12-31) or a date-time with an offset "
        + "(2026-12-31T17:00+01:00)", status: .usage)
  }
}

extension ReportOptionsGroup {
  func options(_ global: GlobalOptions, asOf: Date?) throws -> ReportOptions {
    ReportOptions(
      asOf: asOf, knownAt: try knownAt.map { try reportInstant($0, option: "--as-known-at") },
      workflows: try global.catalog(), verifyHashes: !skipHashCheck)
  }

  /// The cut-off (`--as-of`, else now when `defaultNow`), the options and the source.
  func prepare(_ global: GlobalOptions, defaultNow: Bool) throws -> (
    Date?, ReportOptions, ReportSource
  ) {
    var cutOff = try asOf.map { try reportInstant($0, option: "--as-of") }
    if cutOff == nil, defaultNow { cutOff = try global.clock().now() }
    return (cutOff, try options(global, asOf: cutOff), try source(global))
  }

  func source(_ global: GlobalOptions) throws -> ReportSource {
    if let log {
      guard FileManager.default.fileExists(atPath: log) else {
        throw CLIFailure("no such file: \(log)", status: .notFound)
      }
      return .jsonLines(path: log)
    }
    return .database(try global.engine().store)
  }

  func emit(_ make: () throws(ReportError) -> ReportDocument) throws {
    if let output, !force, FileManager.default.fileExists(atPath: output) {
      throw CLIFailure("\(output) already exists; add --force to replace it", status: .ioError)
    }
    var requested: ReportRenderer.Format?
    if let format {
      guard let known = ReportRenderer.Format(rawValue: format.lowercased()) else {
        throw CLIFailure(
          "--format \(format): use table, csv, json or html", status: .usage)
      }
      requested = known
    }
    let chosen =
      requested ?? output.flatMap { path in
        ReportRenderer.Format(rawValue: URL(fileURLWithPath: path).pathExtension.lowercased())
      } ?? .table
    let report: ReportDocument
    do {
      report = try make()
    } catch {
      let status: ExitStatus
      switch error {
      case .corruptLine, .incompleteLog, .corruptEvent: status = .dataError
      case .unknownScheme, .invalidParameter: status = .usage
      case .io: status = .ioError
      case .database(let log): throw CLIFailure(log: log)
      }
      throw CLIFailure(error.description, status: status)
    }
    let text = ReportRenderer.render(report, as: chosen)
    guard let output else {
      print(text, terminator: "")
      return
    }
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
    } catch {
      throw CLIFailure("cannot write \(output): \(error.localizedDescription)", status: .ioError)
    }
    Terminal.standardError.writeLine(
      "Wrote the \(report.kind) report (\(chosen.rawValue)) to \(output)")
  }
}

struct ReportADRCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "adr",
    abstract: "The ADR annual activity report (Directive 2013/11/EU art. 7(2), 19(3)).",
    discussion: """
      Per scheme, split domestic and cross-border: disputes received (filed with the mediator \
      in the year) by complaint type; refused with the share of each ground; discontinued with \
      reasons; outcomes; average and median days to outcome from receipt and from the \
      complete file; compliance; shops with many disputes. Cut-off: the end of the year \
      unless --as-of.
      """)

  @Option(help: "The calendar year.")
  var year: Int

  @Option(
    name: .customLong("shop-threshold"), help: "Leave out shops with fewer disputes than this.")
  var shopThreshold = 5

  @OptionGroup var report: ReportOptionsGroup
  @OptionGroup var global: GlobalOptions

  func run() throws {
    let (_, options, source) = try report.prepare(global, defaultNow: false)
    try report.emit { () throws(ReportError) in
      try Reports.adr(
        year: year, scheme: report.scheme, shopThreshold: shopThreshold, from: source,
        options: options)
    }
  }
}

struct ReportSLACommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sla",
    abstract: "Service levels of complaints received from --from to --to.",
    discussion: """
      Answers within the deadline (an acknowledgement is not an answer), working days to the \
      first answer (median, 90th percentile), time in each phase, escalation rates; by month, \
      scheme, shop and complaint type. Cut-off: --as-of, else --now / the clock.
      """)

  @Option(help: ArgumentHelp("The first day of receipt (YYYY-MM-DD).", valueName: "date"))
  var from: String

  @Option(help: ArgumentHelp("The last day of receipt (YYYY-MM-DD).", valueName: "date"))
  var to: String

  @OptionGroup var report: ReportOptionsGroup
  @OptionGroup var global: GlobalOptions

  func run() throws {
    func day(_ text: String, _ option: String) throws -> CivilDate {
      do {
        return try CivilDate(parsing: text)
      } catch {
        throw CLIFailure("\(option) \(text): \(error.description)", status: .usage)
      }
    }
    let first = try day(from, "--from")
    let last = try day(to, "--to")
    let (_, options, source) = try report.prepare(global, defaultNow: true)
    try report.emit { () throws(ReportError) in
      try Reports.sla(
        from: first, to: last, scheme: report.scheme, source: source, options: options)
    }
  }
}

struct ReportSnapshotCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snapshot",
    abstract: "Open cases by state and overdue deadlines as of an instant.")

  @OptionGroup var report: ReportOptionsGroup
  @OptionGroup var global: GlobalOptions

  func run() throws {
    let (cutOff, options, source) = try report.prepare(global, defaultNow: true)
    try report.emit { () throws(ReportError) in
      try Reports.snapshot(asOf: cutOff!, scheme: report.scheme, source: source, options: options)
    }
  }
}
