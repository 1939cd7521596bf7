import CaseModel

/// How a dispute filed with the mediator ended, for the ADR report (docs/reporting.md).
enum Conclusion: Hashable {
  /// Refused by the mediator, on a ground.
  case refused(RefusalGround)
  /// Settled in mediation: amicable.
  case settled
  /// Decided by the committee.
  case decided(DecisionOutcome)
  /// Mediation failed and the case closed without escalation.
  case noAgreement
  /// Withdrawn by the consumer, abandoned or closed by the mediator before an outcome, with
  /// the interned reason.
  case discontinued(reason: Int32)

  var isDiscontinued: Bool {
    if case .discontinued = self { return true }
    return false
  }
}

extension CaseTrack {
  /// The filing with the mediator, if the case was filed.
  var filing: Step? { first(.filed) }

  /// The dispute's conclusion and the step that concluded it, if it has one.
  var conclusion: (Conclusion, Step)? {
    guard let filedIndex = steps.firstIndex(where: { $0.type == .filed }) else { return nil }
    for step in steps[(filedIndex + 1)...] {
      switch step.type {
      case .refused:
        return step.ground.map { (.refused($0), step) }
      case .settled:
        return (.settled, step)
      case .decisionIssued:
        return step.outcome.map { (.decided($0), step) }
      case .withdrawn, .abandoned, .closed:
        if step.before == .mediationFailed { return (.noAgreement, step) }
        return (.discontinued(reason: step.reason), step)
      default:
        continue
      }
    }
    return nil
  }

  /// The day the shop's first answer occurred (an acknowledgement is not an answer).
  var firstAnswer: Step? { first(.responded) }
}
