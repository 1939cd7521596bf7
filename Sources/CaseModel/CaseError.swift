public import WorkingDays

/// Why a command was refused, or an event could not be applied. Names the case, its state and
/// the attempted step.
public struct CaseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong.
  public enum Reason: Sendable, Equatable {
    /// The step is not possible in the current state; `allowed` lists those that are.
    case notAllowed(allowed: [CommandKind])
    /// The scheme's workflow does not enable this optional step.
    case notEnabled(String)
    /// The step occurred before the step it follows.
    case occurredBeforePreviousStep(previous: Occurrence)
    /// No open deadline of that kind.
    case deadlineNotOpen(DeadlineKind)
    /// The workflow does not allow extending that deadline.
    case deadlineNotExtendable(DeadlineKind)
    /// An extension must end after the current last day.
    case extensionNotLater(DeadlineKind, currentLastDay: CivilDate)
    /// The amount in dispute is missing or below the committee's minimum.
    case claimBelowMinimum(amount: Money?, minimum: Money)
    /// The subject is not one of the workflow's.
    case unknownSubject(String, known: [String])
    /// A value of the command is invalid.
    case invalid(String)
    /// The correction names an event that cannot be voided.
    case cannotCorrect(String)
    /// A deadline could not be computed.
    case calendar(CalendarError)
    /// The case already exists.
    case alreadyOpen
    /// While replaying: the event does not fit the case's state (a corrupt or foreign log).
    case eventDoesNotFit(String)
  }

  /// The case's reference, when it has one.
  public var reference: CaseReference?
  /// The state the case was in, when it exists.
  public var state: StateKind?
  /// The attempted step.
  public var command: CommandKind
  /// What went wrong.
  public var reason: Reason

  /// Creates an error.
  public init(reference: CaseReference?, state: StateKind?, command: CommandKind, reason: Reason) {
    self.reference = reference
    self.state = state
    self.command = command
    self.reason = reason
  }

  public var description: String {
    let subject = reference.map { "case \($0)" } ?? "the case"
    let location = state.map { " (state \($0.rawValue))" } ?? ""
    let prefix = "\(subject)\(location): cannot \(command.rawValue)"
    switch reason {
    case .notAllowed(let allowed):
      let list = allowed.map(\.rawValue).joined(separator: ", ")
      return "\(prefix) in this state; possible steps: \(allowed.isEmpty ? "none (closed)" : list)"
    case .notEnabled(let what):
      return "\(prefix): the scheme's workflow does not enable \(what)"
    case .occurredBeforePreviousStep(let previous):
      return "\(prefix): it cannot have occurred before the previous step (\(previous))"
    case .deadlineNotOpen(let kind):
      return "\(prefix): no open \(kind.rawValue) deadline"
    case .deadlineNotExtendable(let kind):
      return "\(prefix): the workflow does not allow extending the \(kind.rawValue) deadline"
    case .extensionNotLater(let kind, let current):
      return
        "\(prefix): the \(kind.rawValue) deadline already runs to \(current); extend it past that"
    case .claimBelowMinimum(let amount, let minimum):
      let given =
        amount.map { "the amount in dispute is \($0)" } ?? "no amount in dispute is recorded"
      return "\(prefix): \(given); the committee hears claims of \(minimum) or more"
    case .unknownSubject(let subject, let known):
      return "\(prefix): unknown subject '\(subject)'; known: \(known.joined(separator: ", "))"
    case .invalid(let message):
      return "\(prefix): \(message)"
    case .cannotCorrect(let message):
      return "\(prefix): \(message)"
    case .calendar(let error):
      return "\(prefix): \(error)"
    case .alreadyOpen:
      return "\(prefix): the case is already open"
    case .eventDoesNotFit(let message):
      return "\(prefix): the event does not fit: \(message)"
    }
  }
}
