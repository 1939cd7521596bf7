import ArgumentParser
import DisputeEngine

struct CaseNoteCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "note", abstract: "Add a note to a case (possible on a closed case too).")

  @OptionGroup var step: StepOptions

  @Option(help: "The note's text.")
  var text: String

  func caseCommand(at: Occurrence) throws -> CaseCommand { .note(at: at, text: text) }
}
