public import WorkingDays

/// A scheme's parameters: everything about a trustmark's procedure that is data, not code
/// (`domain.md` §6.1–6.2). The state graph itself is typed Swift; a workflow only sets
/// deadlines, regimes, admissibility rules, complaint subjects, the committee and which optional
/// steps are enabled. Loaded from `Workflows/<scheme>.yaml` by the `Workflows` module.
public struct Workflow: Sendable, Hashable {
  /// The scheme's identifier, for example `webwinkelkeur`.
  public var scheme: String
  /// The scheme's display name, for example `WebwinkelKeur`.
  public var name: String
  /// The workflow's version; each case records the version it was opened under.
  public var version: String
  /// The prefix of case references, for example `WWK`.
  public var referencePrefix: String
  /// The trustmark's mediator.
  public var mediator: Mediator
  /// The disputes committee, when the scheme escalates to one.
  public var committee: Committee?
  /// Each deadline's period, regime and source.
  public var deadlines: [DeadlineKind: DeadlineRule]
  /// The admissibility rules checked when a complaint is filed.
  public var admissibility: Admissibility
  /// The optional steps enabled.
  public var options: Options
  /// The complaint subjects a case may have, for example `delivery`.
  public var subjects: [String]

  /// Creates a workflow.
  public init(
    scheme: String, name: String, version: String, referencePrefix: String, mediator: Mediator,
    committee: Committee?, deadlines: [DeadlineKind: DeadlineRule], admissibility: Admissibility,
    options: Options, subjects: [String]
  ) {
    self.scheme = scheme
    self.name = name
    self.version = version
    self.referencePrefix = referencePrefix
    self.mediator = mediator
    self.committee = committee
    self.deadlines = deadlines
    self.admissibility = admissibility
    self.options = options
    self.subjects = subjects
  }

  /// The mediator: its name, its calendar and its own closure days.
  public struct Mediator: Sendable, Hashable {
    /// For example `WebwinkelKeur`.
    public var name: String
    /// The holiday profile of the mediator's deadlines.
    public var calendar: HolidayProfile
    /// The mediator's office closures, which extend only its own deadlines.
    public var closures: HolidayList

    /// Creates a mediator.
    public init(name: String, calendar: HolidayProfile, closures: HolidayList = .empty) {
      self.name = name
      self.calendar = calendar
      self.closures = closures
    }
  }

  /// The disputes committee a failed mediation escalates to.
  public struct Committee: Sendable, Hashable {
    /// For example `DigiDispuut`.
    public var name: String
    /// The holiday profile of the committee's own deadlines.
    public var calendar: HolidayProfile
    /// The smallest amount in dispute the committee hears.
    public var minimumClaim: Money
    /// The consumer's fee.
    public var fee: Money
    /// A documented alternative body, if the scheme names one.
    public var alternative: String?

    /// Creates a committee.
    public init(
      name: String, calendar: HolidayProfile, minimumClaim: Money, fee: Money,
      alternative: String? = nil
    ) {
      self.name = name
      self.calendar = calendar
      self.minimumClaim = minimumClaim
      self.fee = fee
      self.alternative = alternative
    }
  }

  /// How one deadline is counted.
  public struct DeadlineRule: Sendable, Hashable {
    /// The period.
    public var period: Period
    /// The counting rules.
    public var regime: Regime
    /// The rule's source, for example `ADR Directive 2013/11/EU art. 8(e)`.
    public var source: String
    /// Whether a case handler may extend it (with a reason).
    public var extendable: Bool

    /// Creates a rule.
    public init(period: Period, regime: Regime, source: String, extendable: Bool = false) {
      self.period = period
      self.regime = regime
      self.source = source
      self.extendable = extendable
    }
  }

  /// What a filing must satisfy to be admissible.
  public struct Admissibility: Sendable, Hashable {
    /// The consumer must have given the shop its time to answer (ADR art. 5(4)(a)).
    public var requirePriorContact: Bool
    /// The longest time from the shop's receipt to the filing, if limited (ADR art. 5(4)(e)).
    public var maximumComplaintAge: Period?
    /// The countries a shop may be seated in.
    public var shopCountries: Set<Jurisdiction>
    /// Whether only members of the trustmark are in scope.
    public var membersOnly: Bool

    /// Creates admissibility rules.
    public init(
      requirePriorContact: Bool, maximumComplaintAge: Period?, shopCountries: Set<Jurisdiction>,
      membersOnly: Bool
    ) {
      self.requirePriorContact = requirePriorContact
      self.maximumComplaintAge = maximumComplaintAge
      self.shopCountries = shopCountries
      self.membersOnly = membersOnly
    }
  }

  /// The optional steps a scheme enables.
  public struct Options: Sendable, Hashable {
    /// The shop may record an acknowledgement before its answer.
    public var acknowledgement: Bool
    /// A failed mediation may be escalated to the committee.
    public var escalation: Bool
    /// A settlement may set a date by which the shop must fulfil it.
    public var settlementFulfilment: Bool

    /// Creates options.
    public init(acknowledgement: Bool, escalation: Bool, settlementFulfilment: Bool) {
      self.acknowledgement = acknowledgement
      self.escalation = escalation
      self.settlementFulfilment = settlementFulfilment
    }
  }

  /// The deadlines the workflow must define: all of them, less the committee's when it has none.
  public static func requiredDeadlines(escalation: Bool) -> [DeadlineKind] {
    DeadlineKind.allCases.filter {
      escalation
        || ![.committeeClaim, .committeeDefence, .committeeDecision, .decisionCompliance]
          .contains($0)
    }.filter { $0 != .settlementFulfilment }
  }
}
