public import Foundation
public import WorkingDays

/// What the decider needs beyond the case: the scheme's workflow and the calendars of the
/// parties. Built once per workflow (building a calendar with closures takes a few
/// milliseconds) and shared.
public struct DecisionContext: Sendable {
  /// The scheme's workflow.
  public let workflow: Workflow
  /// The mediator's calendar, with its closures.
  public let mediatorCalendar: WorkingDayCalendar
  /// The committee's calendar, when the scheme has a committee.
  public let committeeCalendar: WorkingDayCalendar?

  /// Builds the context for a workflow.
  public init(workflow: Workflow) {
    self.workflow = workflow
    let mediator = workflow.mediator
    mediatorCalendar =
      mediator.closures.days.isEmpty
      ? .standard(mediator.calendar)
      : WorkingDayCalendar(
        CalendarConfiguration(profile: mediator.calendar, closures: mediator.closures))
    committeeCalendar = workflow.committee.map { .standard($0.calendar) }
  }

  /// The calendar of the party who must act: a shop's country, the consumer's country (or the
  /// mediator's statutory calendar for a country this product has no calendar for), the
  /// mediator's own calendar with closures, or the committee's.
  public func calendar(for party: Party, opening: CaseOpened) -> WorkingDayCalendar {
    switch party {
    case .shop:
      return .standard(opening.shop.country.defaultProfile)
    case .consumer:
      return .standard(
        opening.consumerCountry.jurisdiction?.defaultProfile ?? workflow.mediator.calendar)
    case .mediator:
      return mediatorCalendar
    case .committee:
      return committeeCalendar ?? mediatorCalendar
    }
  }
}

/// The pure decision function of the case lifecycle: given a command and a case, the events
/// that record it, or a typed error naming the state and the refused step.
///
/// ```swift
/// let context = DecisionContext(workflow: webwinkelkeur)
/// let opened = try CaseDecider.open(command, context: context)
/// var dispute = try DisputeCase(opening: opened)
/// for event in try CaseDecider.decide(.respond(at: .day(answerDay), proposal: nil), dispute, context: context) {
///   try dispute.apply(event)
/// }
/// ```
public enum CaseDecider {
  /// Opens a case: the shop received the complaint. Opens the shop's answer deadline on the
  /// shop's calendar.
  ///
  /// - Throws: ``CaseError`` for an unknown subject, a missing trade name or a deadline that
  ///   cannot be computed.
  public static func open(_ command: OpenCase, context: DecisionContext) throws(CaseError)
    -> CaseEvent
  {
    let workflow = context.workflow
    func fail(_ reason: CaseError.Reason) -> CaseError {
      CaseError(reference: nil, state: nil, command: .open, reason: reason)
    }
    guard workflow.subjects.contains(command.subject) else {
      throw fail(.unknownSubject(command.subject, known: workflow.subjects))
    }
    guard !command.shop.tradeName.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw fail(.invalid("the shop needs a trade name"))
    }
    guard command.sequence > 0 else { throw fail(.invalid("the sequence number must be positive")) }
    let shopZone = WorkingDayCalendar.standard(command.shop.country.defaultProfile).timeZone
    let receivedDay = civilDay(command.receivedAt, in: shopZone)
    let opened = CaseOpened(
      caseID: command.caseID,
      reference: CaseReference(
        prefix: workflow.referencePrefix, year: receivedDay.year, sequence: command.sequence),
      scheme: workflow.scheme, workflowVersion: workflow.version, shop: command.shop,
      consumerCountry: command.consumerCountry, consumerID: command.consumerID,
      subject: command.subject, amount: command.amount)
    let shopAnswer = try deadline(
      .shopAnswer, from: command.receivedAt, opening: opened, context: context, command: .open,
      state: nil)
    return CaseEvent(occurredAt: command.receivedAt, change: .opened(opened), opens: [shopAnswer])
  }

  /// Decides a command on a case.
  ///
  /// - Returns: The events that record it, in order (usually one; a filing that fails an
  ///   admissibility rule is followed by its refusal).
  /// - Throws: ``CaseError`` naming the case, its state and the refused step: a step not
  ///   possible in the state (with the steps that are), an option the workflow does not enable,
  ///   a step dated before the step it follows, or an invalid value.
  public static func decide(
    _ command: CaseCommand, _ dispute: DisputeCase, context: DecisionContext
  ) throws(CaseError) -> [CaseEvent] {
    let workflow = context.workflow
    let state = dispute.state
    let kind = command.kind
    let at = command.occurredAt
    func fail(_ reason: CaseError.Reason) -> CaseError {
      CaseError(reference: dispute.reference, state: state.kind, command: kind, reason: reason)
    }
    func event(_ change: CaseEvent.Change, opens: [OpenedDeadline] = []) -> CaseEvent {
      CaseEvent(occurredAt: at, change: change, opens: opens)
    }
    func open(_ deadlineKind: DeadlineKind) throws(CaseError) -> OpenedDeadline {
      try deadline(
        deadlineKind, from: at, opening: dispute.opening, context: context, command: kind,
        state: state.kind)
    }
    func required(_ text: String, _ what: String) throws(CaseError) -> String {
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty else { throw fail(.invalid("\(what) must not be empty")) }
      return trimmed
    }

    if kind.isStep {
      let possible = Transitions.edges.contains { $0.from == state.kind && $0.command == kind }
      let enabled = Transitions.edges(for: workflow).contains {
        $0.from == state.kind && $0.command == kind
      }
      guard possible else {
        throw fail(
          .notAllowed(allowed: Transitions.allowedCommands(in: state.kind, workflow: workflow)))
      }
      guard enabled else { throw fail(.notEnabled("the \(kind.rawValue) step")) }
      let zone = context.mediatorCalendar.timeZone
      if isBefore(at, dispute.lastStepAt, in: zone) {
        throw fail(.occurredBeforePreviousStep(previous: dispute.lastStepAt))
      }
    }

    let events: [CaseEvent]
    switch command {
    case .acknowledge:
      events = [event(.acknowledged)]
    case .respond(_, let proposal):
      events = [event(.responded(proposal: proposal.flatMap(nonEmpty)))]
    case .accept:
      events = [event(.answerAccepted)]
    case .reject:
      events = [event(.answerRejected)]
    case .file:
      let checks = admissibilityChecks(filingAt: at, dispute: dispute, context: context)
      var filing = [event(.filed(checks: checks), opens: [try open(.admissibilityDecision)])]
      if let failed = checks.first(where: { !$0.passed }) {
        filing.append(event(.refused(ground: failed.ground, explanation: failed.detail)))
      }
      events = filing
    case .refuse(_, let ground, let explanation):
      events = [
        event(.refused(ground: ground, explanation: try required(explanation, "the explanation")))
      ]
    case .completeFile:
      events = [event(.fileCompleted, opens: [try open(.mediationOutcome)])]
    case .mediate:
      events = [event(.forwarded, opens: [try open(.mediationWindow)])]
    case .settle(_, let terms, let fulfilBy):
      var opens: [OpenedDeadline] = []
      if let fulfilBy {
        guard workflow.options.settlementFulfilment else {
          throw fail(.notEnabled("a fulfilment date on settlements"))
        }
        opens.append(
          try fulfilmentDeadline(
            fulfilBy, settledAt: at, dispute: dispute, context: context, fail: fail))
      }
      events = [event(.settled(terms: terms.flatMap(nonEmpty), fulfilBy: fulfilBy), opens: opens)]
    case .failMediation(_, let reason):
      events = [event(.mediationFailed(reason: reason.flatMap(nonEmpty)))]
    case .escalate:
      guard let committee = workflow.committee else {
        throw fail(.notEnabled("escalation to a committee"))
      }
      guard let amount = dispute.opening.amount, amount >= committee.minimumClaim else {
        throw fail(
          .claimBelowMinimum(amount: dispute.opening.amount, minimum: committee.minimumClaim))
      }
      events = [
        event(
          .escalated(committee: committee.name),
          opens: [try open(.committeeClaim), try open(.committeeDecision)])
      ]
    case .claim:
      events = [event(.claimFiled, opens: [try open(.committeeDefence)])]
    case .defend:
      events = [event(.defenceFiled)]
    case .decide(_, let outcome):
      events = [
        event(
          .decisionIssued(outcome),
          opens: outcome.requiresCompliance ? [try open(.decisionCompliance)] : [])
      ]
    case .comply:
      events = [event(.complied)]
    case .notComply(_, let reason):
      let what = state.kind == .settled ? "fulfil the settlement" : "comply with the decision"
      let referral = SanctionsReferral(
        trustmark: workflow.name, reason: reason.flatMap(nonEmpty) ?? "the shop did not \(what)")
      events = [event(.notComplied(referral))]
    case .withdraw(_, let reason):
      events = [event(.withdrawn(reason: reason.flatMap(nonEmpty)))]
    case .abandon(_, let reason):
      events = [event(.abandoned(reason: try required(reason, "the reason")))]
    case .close(_, let reason):
      events = [event(.closed(reason: reason.flatMap(nonEmpty)))]
    case .extend(_, let deadlineKind, let change, let reason):
      guard !state.kind.isClosed else {
        throw fail(
          .notAllowed(allowed: Transitions.allowedCommands(in: state.kind, workflow: workflow)))
      }
      guard let tracked = dispute.deadlines.last(where: { $0.kind == deadlineKind && $0.isOpen })
      else {
        throw fail(.deadlineNotOpen(deadlineKind))
      }
      guard tracked.opened.extendable else { throw fail(.deadlineNotExtendable(deadlineKind)) }
      let why = try required(reason, "the reason")
      let extended = try extendedDeadline(
        tracked, by: change, dispute: dispute, context: context, fail: fail)
      events = [event(.deadlineExtended(deadlineKind, reason: why), opens: [extended])]
    case .note(_, let text):
      events = [event(.noted(try required(text, "the note")))]
    case .correct(_, let version, let reason):
      let why = try required(reason, "the reason")
      guard let correctable = dispute.correctableVersion else {
        throw fail(
          .cannotCorrect(
            "there is no step to correct (the opening cannot be voided; withdraw or abandon the case instead)"
          ))
      }
      guard version == correctable else {
        throw fail(
          .cannotCorrect(
            "only the latest step, event \(correctable), can be voided; event \(version) is not it")
        )
      }
      events = [event(.corrected(eventVersion: version, reason: why))]
    }

    // The transition function is the last word: replaying the events must succeed.
    var check = dispute
    for event in events {
      do {
        try check.apply(event)
      } catch {
        throw fail(
          .notAllowed(allowed: Transitions.allowedCommands(in: state.kind, workflow: workflow)))
      }
    }
    return events
  }

  /// Records every open deadline that expired before `now` and is not yet marked, once:
  /// sweeping twice at the same or a later time adds nothing for the same deadline. The model
  /// has no timers; this runs only when asked.
  public static func sweep(_ dispute: DisputeCase, now: Date) -> [CaseEvent] {
    dispute.openDeadlines
      .filter { !$0.markedMissed && $0.hasExpired(at: now) }
      .map { CaseEvent(occurredAt: .instant($0.expiresAt), change: .deadlineMissed($0.kind)) }
  }

  // MARK: - Deadlines

  static func deadline(
    _ kind: DeadlineKind, from trigger: Occurrence, opening: CaseOpened, context: DecisionContext,
    command: CommandKind, state: StateKind?
  ) throws(CaseError) -> OpenedDeadline {
    func fail(_ reason: CaseError.Reason) -> CaseError {
      CaseError(reference: opening.reference, state: state, command: command, reason: reason)
    }
    guard let rule = context.workflow.deadlines[kind] else {
      throw fail(.invalid("the workflow defines no \(kind.rawValue) deadline"))
    }
    let calendar = context.calendar(for: kind.obligatedParty, opening: opening)
    do {
      let computed = try calendar.deadline(rule.period, from: trigger, regime: rule.regime)
      return OpenedDeadline(
        kind: kind, party: kind.obligatedParty, source: rule.source, extendable: rule.extendable,
        deadline: computed)
    } catch {
      throw fail(.calendar(error))
    }
  }

  static func fulfilmentDeadline(
    _ fulfilBy: CivilDate, settledAt: Occurrence, dispute: DisputeCase, context: DecisionContext,
    fail: (CaseError.Reason) -> CaseError
  ) throws(CaseError) -> OpenedDeadline {
    let calendar = context.calendar(for: .shop, opening: dispute.opening)
    let settledDay = civilDay(settledAt, in: calendar.timeZone)
    guard fulfilBy >= settledDay else {
      throw fail(
        .invalid("the fulfilment date \(fulfilBy) is before the settlement (\(settledDay))"))
    }
    do {
      // The agreed date is the last day, as written: contractual counting, no rollover.
      let computed = try calendar.deadline(
        .calendarDays(settledDay.days(until: fulfilBy)), from: .day(settledDay), regime: .contract)
      return OpenedDeadline(
        kind: .settlementFulfilment, party: .shop, source: "settlement agreement", extendable: true,
        deadline: computed)
    } catch {
      throw fail(.calendar(error))
    }
  }

  static func extendedDeadline(
    _ tracked: TrackedDeadline, by change: DeadlineExtension, dispute: DisputeCase,
    context: DecisionContext, fail: (CaseError.Reason) -> CaseError
  ) throws(CaseError) -> OpenedDeadline {
    let calendar = context.calendar(for: tracked.opened.party, opening: dispute.opening)
    let current = tracked.lastDay
    let computed: ComputedDeadline
    do {
      switch change {
      case .to(let day):
        guard day > current else {
          throw fail(.extensionNotLater(tracked.kind, currentLastDay: current))
        }
        computed = try calendar.deadline(
          .calendarDays(current.days(until: day)), from: .day(current), regime: .contract)
      case .by(let period):
        guard period.length > 0, period.unit != .hours else {
          throw fail(.invalid("extend by a positive number of days, weeks or months"))
        }
        computed = try calendar.deadline(
          period, from: .day(current), regime: tracked.opened.deadline.regime)
      }
    } catch let error as CaseError {
      throw error
    } catch let error as CalendarError {
      throw fail(.calendar(error))
    } catch {
      throw fail(.invalid("\(error)"))
    }
    var extended = tracked.opened
    extended.deadline = computed
    return extended
  }

  // MARK: - Admissibility

  /// Evaluates the workflow's admissibility rules for a filing: scope, prior contact with the
  /// shop, and the complaint's age (from the shop's receipt to the filing, `domain.md` §6.10).
  static func admissibilityChecks(
    filingAt: Occurrence, dispute: DisputeCase, context: DecisionContext
  ) -> [AdmissibilityCheck] {
    let rules = context.workflow.admissibility
    let shop = dispute.opening.shop
    var checks: [AdmissibilityCheck] = []
    let countries = rules.shopCountries.map(\.rawValue).sorted().joined(separator: ", ")
    checks.append(
      AdmissibilityCheck(
        ground: .outsideScope, passed: rules.shopCountries.contains(shop.country),
        detail:
          "the shop is seated in \(shop.country.rawValue); the scheme covers shops in \(countries)")
    )
    if rules.membersOnly {
      checks.append(
        AdmissibilityCheck(
          ground: .outsideScope, passed: shop.isMember,
          detail: shop.isMember
            ? "the shop is a member of \(context.workflow.name)"
            : "the shop is not a member of \(context.workflow.name)"))
    }
    if rules.requirePriorContact {
      switch dispute.state {
      case .awaitingShopAnswer:
        let answer = dispute.deadlines.last { $0.kind == .shopAnswer }
        let waited = answer.map { !$0.isMet(by: filingAt) } ?? true
        let due = answer.map { "\($0.lastDay)" } ?? "unknown"
        checks.append(
          AdmissibilityCheck(
            ground: .noPriorContact, passed: waited,
            detail: waited
              ? "the shop did not answer by its deadline (\(due))"
              : "filed while the shop's time to answer still ran (until \(due))"))
      default:
        checks.append(
          AdmissibilityCheck(
            ground: .noPriorContact, passed: true, detail: "the shop answered the complaint"))
      }
    }
    if let maximum = rules.maximumComplaintAge {
      let calendar = context.mediatorCalendar
      if let limit = try? calendar.deadline(maximum, from: dispute.receivedAt, regime: .contract) {
        let inTime: Bool
        switch filingAt {
        case .day(let day): inTime = day <= limit.lastDay
        case .instant(let instant): inTime = instant <= limit.expiresAt
        }
        checks.append(
          AdmissibilityCheck(
            ground: .filedTooLate, passed: inTime,
            detail:
              "complaints must be filed within \(maximum) of the shop's receipt, by \(limit.lastDay)"
          ))
      }
    }
    return checks
  }

  // MARK: - Time

  /// The civil day of an occurrence in a time zone.
  public static func civilDay(_ occurrence: Occurrence, in zone: TimeZone) -> CivilDate {
    switch occurrence {
    case .day(let day): day
    case .instant(let instant): Instants.civilDate(of: instant, in: zone)
    }
  }

  /// Whether `a` certainly occurred before `b`: by instant when both are instants, otherwise by
  /// civil day in `zone` (a bare date covers its whole day).
  public static func isBefore(_ a: Occurrence, _ b: Occurrence, in zone: TimeZone) -> Bool {
    if case .instant(let x) = a, case .instant(let y) = b { return x < y }
    return civilDay(a, in: zone) < civilDay(b, in: zone)
  }

  static func nonEmpty(_ text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
  }
}
