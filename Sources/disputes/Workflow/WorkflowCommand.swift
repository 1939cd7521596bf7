import ArgumentParser
import DisputeEngine

struct WorkflowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "workflow",
    abstract: "The schemes' workflows: deadlines, rules and options, and the lifecycle diagram.",
    discussion: """
      The bundled workflows (WebwinkelKeur, BeCommerce) are compiled in. --workflows DIR loads \
      every *.yaml file of a directory instead.
      """,
    subcommands: [
      WorkflowListCommand.self, WorkflowShowCommand.self, WorkflowValidateCommand.self,
      WorkflowDiagramCommand.self,
    ]
  )
}

/// Where the workflows come from.
struct WorkflowOptions: ParsableArguments {
  @Option(
    name: .customLong("workflows"),
    help: ArgumentHelp(
      "Load the workflows from this directory's *.yaml files instead of the bundled ones.",
      valueName: "dir"))
  var directory: String?

  func catalog() throws -> WorkflowCatalog {
    guard let directory else { return .bundled }
    do {
      return try WorkflowCatalog(directory: directory)
    } catch {
      throw CLIFailure(error.description, status: error.line == 0 ? .notFound : .dataError)
    }
  }

  func workflow(_ scheme: String) throws -> Workflow {
    do {
      return try catalog().workflow(named: scheme)
    } catch let error as UnknownSchemeError {
      throw CLIFailure(error.description, status: .usage)
    }
  }
}
