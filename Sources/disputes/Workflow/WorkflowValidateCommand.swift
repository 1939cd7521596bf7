import ArgumentParser
import DisputeEngine

struct WorkflowValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check a workflow file against the typed model.",
    discussion:
      "Prints the first problem as FILE:LINE:COLUMN: message and exits 65; exits 0 when valid.")

  @Argument(help: "The YAML file.")
  var file: String

  func run() throws {
    let text = try InputFile.readText(file)
    do {
      let workflow = try WorkflowLoader.load(yaml: text, file: file)
      print("\(file): valid (scheme \(workflow.scheme), version \(workflow.version))")
    } catch {
      throw CLIFailure(error.description, status: .dataError)
    }
  }
}
