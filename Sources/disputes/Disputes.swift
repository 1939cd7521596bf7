import ArgumentParser

/// The mediators' command-line tool. Each subcommand is a thin layer over `DisputeEngine`.
struct Disputes: AsyncParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "disputes",
    abstract: "Case management for consumer disputes with webshops in Belgium and the Netherlands.",
    discussion: """
      Deadlines are counted on working-day calendars with Belgian and Dutch public holidays \
      (see docs/deadlines.md). Exit codes follow sysexits: 0 success, 1 a check found a \
      problem, 64 usage, 65 bad data, 66 not found, 74 I/O, 75 conflict or busy, 70 internal.
      """,
    version: version,
    subcommands: [
      InitCommand.self, CaseGroupCommand.self, DeadlinesCommand.self, LogCommand.self,
      BackupCommand.self,
      ErasePersonCommand.self, DemoCommand.self, ReportCommand.self, CalendarCommand.self,
      WorkflowCommand.self,
    ]
  )
}
