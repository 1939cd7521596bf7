import ArgumentParser

struct CaseGroupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "case",
    abstract: "Open cases, record each step with the date it happened, and read cases.",
    discussion: """
      Every step takes the case's reference or id and --at (when it occurred; default now). \
      An illegal step is refused (exit 65) with the case's state and the steps possible from it.
      """,
    subcommands: [
      CaseOpenCommand.self, CaseShowCommand.self, CaseListCommand.self,
      CaseAcknowledgeCommand.self, CaseRespondCommand.self, CaseAcceptCommand.self,
      CaseRejectCommand.self,
      CaseFileCommand.self, CaseRefuseCommand.self, CaseCompleteFileCommand.self,
      CaseMediateCommand.self,
      CaseSettleCommand.self, CaseFailMediationCommand.self, CaseEscalateCommand.self,
      CaseClaimCommand.self,
      CaseDefendCommand.self, CaseDecideCommand.self, CaseComplyCommand.self,
      CaseNotComplyCommand.self,
      CaseWithdrawCommand.self, CaseAbandonCommand.self, CaseCloseCommand.self,
      CaseExtendCommand.self,
      CaseNoteCommand.self, CaseCorrectCommand.self,
    ]
  )
}
