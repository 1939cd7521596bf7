import ArgumentParser
import DisputeEngine

struct BackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Write a consistent copy of the database while others keep working (VACUUM INTO).")

  @Argument(help: "The new file. It must not exist.")
  var file: String

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let engine = try global.engine()
    try logCall { () throws(EventLogError) in
      try engine.store.backup(to: file)
    }
    print("Backed up \(global.databasePath) to \(file)")
  }
}
