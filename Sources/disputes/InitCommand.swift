import ArgumentParser
import DisputeEngine

struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create the database (or bring an existing one's schema up to date).",
    discussion:
      "The file is created readable by its owner only. Default: ./disputes.sqlite, or --db / $DISPUTES_DB."
  )

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let engine = try global.engine(mustExist: false)
    let counts = try logCall { () throws(EventLogError) in
      return try engine.store.counts()
    }
    print("Database ready: \(global.databasePath) (\(counts.cases) cases, \(counts.events) events)")
  }
}
