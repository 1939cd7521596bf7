import ArgumentParser
import DisputeEngine

struct WorkflowListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the schemes and their workflow versions.")

  @OptionGroup var workflowOptions: WorkflowOptions

  @Flag(help: "Print JSON: an array of workflows (see 'workflow show --json').")
  var json = false

  func run() throws {
    let workflows = try workflowOptions.catalog().workflows
    if json {
      print(try Terminal.json(workflows.map(WorkflowJSON.init)))
      return
    }
    let rows = workflows.map {
      [$0.scheme, $0.name, $0.version, $0.referencePrefix, $0.committee?.name ?? "-"]
    }
    print(Table.render(header: ["SCHEME", "NAME", "VERSION", "PREFIX", "COMMITTEE"], rows: rows))
  }
}
