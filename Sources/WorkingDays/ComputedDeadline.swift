public import Foundation

/// What starts a deadline: a civil day (a bare date, the whole local day) or an instant.
public enum DeadlineTrigger: Sendable, Hashable, Codable, CustomStringConvertible {
  /// A civil day in the obligated party's time zone.
  case day(CivilDate)
  /// An instant; its civil day is taken in the obligated party's time zone.
  case instant(Date)

  /// Parses `YYYY-MM-DD` as a day, or an ISO 8601 date-time with offset as an instant.
  ///
  /// - Throws: ``CivilDateError`` or ``InstantParseError`` (both `CustomStringConvertible`)
  ///   saying what is wrong.
  public init(parsing text: String) throws {
    if text.utf8.count == 10 {
      self = .day(try CivilDate(parsing: text))
    } else {
      self = .instant(try Instants.parse(text))
    }
  }

  public var description: String {
    switch self {
    case .day(let date): date.description
    case .instant(let instant): Instants.iso8601(instant)
    }
  }
}

/// A day left out of the count, or past which the deadline moved, and why.
public struct SkippedDay: Sendable, Hashable, Codable {
  /// What skipping the day did.
  public enum Effect: String, Sendable, Hashable, Codable {
    /// A non-working day inside a working-day period: not counted.
    case notCounted
    /// The period ended on this non-working day, so it moved to the next working day.
    case rolledOver
    /// Passed over while extending the period to contain two working days.
    case extendedForMinimum
  }

  /// The day.
  public let date: CivilDate
  /// Why it is not a working day: `Saturday`, `Christmas Day — NL Atw art. 3(1)`.
  public let reason: String
  /// What skipping it did.
  public let effect: Effect

  /// Creates a skipped day.
  public init(date: CivilDate, reason: String, effect: Effect) {
    self.date = date
    self.reason = reason
    self.effect = effect
  }
}

/// A deadline computed once from its period, trigger, regime and calendar, with everything
/// needed to explain it and to store it unchanged (`domain.md` §6.4).
public struct ComputedDeadline: Sendable, Hashable, Codable {
  /// The period counted.
  public let period: Period
  /// The counting rules.
  public let regime: Regime
  /// The calendar's name, for example `NL` or `BE+flemish`.
  public let calendar: String
  /// The IANA time zone whose local day ends the period.
  public let timeZone: String
  /// What started the period.
  public let trigger: DeadlineTrigger
  /// The civil day of the trigger, which is never counted.
  public let triggerDay: CivilDate
  /// Where counting alone ended, before any rollover or minimum extension.
  public let nominalLastDay: CivilDate
  /// The last day of the period.
  public let lastDay: CivilDate
  /// When the period expires, in UTC: the end of ``lastDay`` in ``timeZone`` (23:59:59.999
  /// local), or for hours the end of the last hour.
  public let expiresAt: Date
  /// Every day skipped or rolled over, with its reason, in date order.
  public let skipped: [SkippedDay]
  /// The counting, step by step, in sentences a case handler can read out.
  public let steps: [String]
  /// Caveats, for example a last day past the years whose decree days are known.
  public let warnings: [String]

  /// Creates a computed deadline from its parts, for example when reading one back from
  /// storage. Use ``WorkingDayCalendar/deadline(_:from:regime:)`` to compute one.
  public init(
    period: Period, regime: Regime, calendar: String, timeZone: String, trigger: DeadlineTrigger,
    triggerDay: CivilDate, nominalLastDay: CivilDate, lastDay: CivilDate, expiresAt: Date,
    skipped: [SkippedDay], steps: [String], warnings: [String]
  ) {
    self.period = period
    self.regime = regime
    self.calendar = calendar
    self.timeZone = timeZone
    self.trigger = trigger
    self.triggerDay = triggerDay
    self.nominalLastDay = nominalLastDay
    self.lastDay = lastDay
    self.expiresAt = expiresAt
    self.skipped = skipped
    self.steps = steps
    self.warnings = warnings
  }

  /// The whole explanation as text: the steps, the skipped days and the warnings.
  public var explanation: String {
    var lines = steps
    if !skipped.isEmpty {
      lines.append("Days skipped:")
      for day in skipped {
        let effect: String
        switch day.effect {
        case .notCounted: effect = "not counted"
        case .rolledOver: effect = "rolled over"
        case .extendedForMinimum: effect = "passed over for the minimum"
        }
        lines.append("  \(day.date) \(day.date.weekday.abbreviation)  \(day.reason) (\(effect))")
      }
    }
    lines += warnings.map { "Warning: \($0)" }
    return lines.joined(separator: "\n")
  }
}
