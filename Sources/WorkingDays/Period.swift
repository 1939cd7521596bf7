/// The length of a deadline: a count of working days, calendar days, weeks, months or hours.
public struct Period: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The unit a period counts in.
  public enum Unit: String, Sendable, Hashable, Codable, CaseIterable {
    /// Monday to Friday, less holidays.
    case workingDays
    /// Every day.
    case calendarDays
    /// Seven days each, ending on the trigger's weekday.
    case weeks
    /// Ending on the trigger's date in the last month (`be`: the day before it).
    case months
    /// Elapsed hours, counted from the next full hour.
    case hours
  }

  /// The unit.
  public let unit: Unit
  /// How many units; a deadline refuses a negative length.
  public let length: Int

  /// Creates a period.
  public init(_ length: Int, _ unit: Unit) {
    self.length = length
    self.unit = unit
  }

  /// `n` working days.
  public static func workingDays(_ n: Int) -> Period { Period(n, .workingDays) }
  /// `n` calendar days.
  public static func calendarDays(_ n: Int) -> Period { Period(n, .calendarDays) }
  /// `n` weeks.
  public static func weeks(_ n: Int) -> Period { Period(n, .weeks) }
  /// `n` months.
  public static func months(_ n: Int) -> Period { Period(n, .months) }
  /// `n` hours.
  public static func hours(_ n: Int) -> Period { Period(n, .hours) }

  /// `5 working days`, `1 month`, `48 hours`.
  public var description: String {
    let singular = abs(length) == 1
    let noun: String
    switch unit {
    case .workingDays: noun = singular ? "working day" : "working days"
    case .calendarDays: noun = singular ? "calendar day" : "calendar days"
    case .weeks: noun = singular ? "week" : "weeks"
    case .months: noun = singular ? "month" : "months"
    case .hours: noun = singular ? "hour" : "hours"
    }
    return "\(length) \(noun)"
  }
}

/// The counting rules of a deadline (`domain.md` §3 and §6.5).
///
/// All regimes leave out the day of the triggering event and skip non-working days in
/// working-day periods. They differ in what happens when a period in calendar days, weeks or
/// months ends on a non-working day, in the minimum number of working days, and in how months
/// are counted.
public enum Regime: String, Sendable, Hashable, Codable, CaseIterable {
  /// EU Regulation 1182/71 art. 3: a period ending on a non-working day ends on the next working
  /// day (3(4)); a period of two days or more contains at least two working days (3(5)).
  case eu
  /// Belgian Judicial Code arts. 52–54: rollover to the next working day (art. 53), no minimum;
  /// months run from the day after the event to the eve of the same date (art. 54).
  case be
  /// Dutch Algemene termijnenwet: rollover (art. 1); a term of three days or more contains at
  /// least two working days (art. 2).
  case nl
  /// Contractual counting, as written: no rollover, no minimum.
  case contract

  /// The provision that defines the regime, for explanations.
  public var source: String {
    switch self {
    case .eu: "Reg. 1182/71 art. 3"
    case .be: "BE Judicial Code arts. 52–54"
    case .nl: "NL Atw arts. 1–2"
    case .contract: "contractual counting"
    }
  }

  /// Whether a period ending on a non-working day moves to the next working day.
  public var rollsOver: Bool { self != .contract }

  /// The shortest period, in days, that must contain at least two working days; `nil` when the
  /// regime has no such rule.
  public var minimumTwoWorkingDaysFrom: Int? {
    switch self {
    case .eu: 2
    case .nl: 3
    case .be, .contract: nil
    }
  }

  /// The provision behind ``minimumTwoWorkingDaysFrom``.
  var minimumSource: String {
    switch self {
    case .eu: "Reg. 1182/71 art. 3(5)"
    case .nl: "NL Atw art. 2"
    case .be, .contract: ""
    }
  }

  /// The provision behind the rollover.
  var rolloverSource: String {
    switch self {
    case .eu: "Reg. 1182/71 art. 3(4)"
    case .be: "BE Judicial Code art. 53"
    case .nl: "NL Atw art. 1"
    case .contract: ""
    }
  }
}
