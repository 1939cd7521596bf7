/// Why a calendar or deadline question could not be answered.
public enum CalendarError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The date lies outside the years the holiday rules are defined for.
  case dateOutOfRange(CivilDate, supported: ClosedRange<Int>)
  /// The year lies outside the years the holiday rules are defined for.
  case yearOutOfRange(Int, supported: ClosedRange<Int>)
  /// Counting would pass the last day the holiday rules are defined for.
  case resultOutOfRange(from: CivilDate, workingDays: Int, supported: ClosedRange<Int>)
  /// No calendar or jurisdiction has this name.
  case unknownCalendar(String)
  /// A period with a negative length.
  case negativePeriod(Period)
  /// A period in hours needs a trigger with a time of day, not a bare date.
  case hoursNeedTimeOfDay(Period)

  public var description: String {
    switch self {
    case .dateOutOfRange(let date, let years):
      "\(date) is outside the supported years \(years.lowerBound)–\(years.upperBound)"
    case .yearOutOfRange(let year, let years):
      "year \(year) is outside the supported years \(years.lowerBound)–\(years.upperBound)"
    case .resultOutOfRange(let date, let count, let years):
      "\(count) working days from \(date) passes the supported years "
        + "\(years.lowerBound)–\(years.upperBound)"
    case .unknownCalendar(let text):
      "unknown jurisdiction '\(text)': use one of "
        + HolidayProfile.allCases.map(\.rawValue).joined(separator: ", ")
    case .negativePeriod(let period):
      "a period cannot be negative (\(period))"
    case .hoursNeedTimeOfDay(let period):
      "a period of \(period) needs a trigger with a time of day (YYYY-MM-DDTHH:MM±HH:MM), "
        + "not a bare date"
    }
  }
}
