import ArgumentParser
import DisputeEngine

struct CaseClaimCommand: StepCommand {
  static let configuration = CommandConfiguration(
    commandName: "claim", abstract: "The consumer filed the claim with the committee.")

  @OptionGroup var step: StepOptions

  func caseCommand(at: Occurrence) throws -> CaseCommand { .claim(at: at) }
}
