/// A working-day calendar: Monday to Friday, less the holidays of a ``CalendarConfiguration``,
/// for the years 1970–2200.
///
/// Building a calendar precomputes every day of the supported range once (about 84,000 days,
/// a few hundred kilobytes). After that, "the n-th working day after a date" and "working days
/// between two dates" are two array look-ups each, never a walk day by day. A calendar is an
/// immutable value and can be shared freely between tasks.
///
/// ```swift
/// let nl = WorkingDayCalendar.netherlands
/// let received = try CivilDate(parsing: "2026-12-23")
/// try nl.addingWorkingDays(5, to: received)  // 2026-12-31 (25 Dec holiday, 26–27 Dec weekend)
/// ```
public struct WorkingDayCalendar: Sendable {
  /// The years for which holiday rules are defined (`domain.md` §6.6).
  public static let supportedYears: ClosedRange<Int> = 1970...2200

  /// What this calendar counts as non-working.
  public let configuration: CalendarConfiguration

  private let tables: Tables

  /// Precomputed tables over the supported range, shared between copies of the calendar.
  private final class Tables: Sendable {
    /// Day number of 1970-01-01 and 2200-12-31.
    let firstDay: Int
    let lastDay: Int
    /// `workingBefore[i]`: working days among the first `i` days of the range.
    let workingBefore: [Int32]
    /// The day numbers of all working days, in order.
    let workingDays: [Int32]
    /// The non-weekend holidays and the weekend ones, by day number.
    let holidays: [Int: [Holiday]]

    init(firstDay: Int, lastDay: Int, holidays: [Int: [Holiday]]) {
      self.firstDay = firstDay
      self.lastDay = lastDay
      self.holidays = holidays
      let count = lastDay - firstDay + 1
      var before = [Int32](repeating: 0, count: count + 1)
      var working: [Int32] = []
      working.reserveCapacity(count * 5 / 7)
      var running: Int32 = 0
      for offset in 0..<count {
        before[offset] = running
        let dayNumber = firstDay + offset
        let weekdayIndex = ((dayNumber + 3) % 7 + 7) % 7  // 0 = Monday
        if weekdayIndex < 5 && holidays[dayNumber] == nil {
          working.append(Int32(dayNumber))
          running += 1
        }
      }
      before[count] = running
      self.workingBefore = before
      self.workingDays = working
    }
  }

  /// Builds the calendar, computing every holiday of the supported years.
  public init(_ configuration: CalendarConfiguration) {
    self.configuration = configuration
    var byDay: [Int: [Holiday]] = [:]
    func add(_ holiday: Holiday) {
      guard Self.supportedYears.contains(holiday.date.year) else { return }
      byDay[holiday.date.dayNumber, default: []].append(holiday)
    }
    for year in Self.supportedYears {
      HolidayRules.statutoryHolidays(configuration.profile, year: year).forEach(add)
      for community in configuration.communities.sorted() {
        add(community.holiday(in: year))
      }
    }
    if configuration.usesDecreeDays {
      configuration.decreeDays.days.forEach(add)
    }
    configuration.closures.days.forEach(add)
    let first = CivilDate(unchecked: Self.supportedYears.lowerBound, 1, 1).dayNumber
    let last = CivilDate(unchecked: Self.supportedYears.upperBound, 12, 31).dayNumber
    tables = Tables(firstDay: first, lastDay: last, holidays: byDay)
  }

  /// The Dutch calendar under the Algemene termijnenwet, with the compiled-in decree days.
  public static let netherlands = WorkingDayCalendar(.standard(.netherlands))
  /// The Dutch public holidays only.
  public static let netherlandsPublic = WorkingDayCalendar(.standard(.netherlandsPublic))
  /// Belgium's ten legal holidays.
  public static let belgium = WorkingDayCalendar(.standard(.belgium))

  /// The shared plain calendar of a profile.
  public static func standard(_ profile: HolidayProfile) -> WorkingDayCalendar {
    switch profile {
    case .netherlands: netherlands
    case .netherlandsPublic: netherlandsPublic
    case .belgium: belgium
    }
  }

  // MARK: - Days

  /// Whether `date` is a working day: Monday to Friday and not a holiday of this calendar.
  ///
  /// - Throws: ``CalendarError/dateOutOfRange(_:supported:)`` outside 1970–2200.
  public func isWorkingDay(_ date: CivilDate) throws(CalendarError) -> Bool {
    try checkRange(date)
    return isWorkingDayUnchecked(date.dayNumber)
  }

  /// The holidays on `date` (a weekend day may also be a holiday); empty for an ordinary day.
  public func holidays(on date: CivilDate) throws(CalendarError) -> [Holiday] {
    try checkRange(date)
    return tables.holidays[date.dayNumber] ?? []
  }

  /// Every holiday of `year`, in date order, including those that fall on a weekend.
  ///
  /// - Throws: ``CalendarError/yearOutOfRange(_:supported:)`` outside 1970–2200.
  public func holidays(inYear year: Int) throws(CalendarError) -> [Holiday] {
    guard Self.supportedYears.contains(year) else {
      throw .yearOutOfRange(year, supported: Self.supportedYears)
    }
    let first = CivilDate(unchecked: year, 1, 1).dayNumber
    let last = CivilDate(unchecked: year, 12, 31).dayNumber
    return (first...last).flatMap { tables.holidays[$0] ?? [] }
  }

  /// Why `date` is not a working day, as an explanation names it: `Saturday`,
  /// `Christmas Day — NL Atw art. 3(1)`, or both; `nil` for a working day.
  public func nonWorkingReason(_ date: CivilDate) throws(CalendarError) -> String? {
    try checkRange(date)
    return reasonUnchecked(date)
  }

  // MARK: - Counting

  /// The `n`-th working day after `date` (before it when `n` is negative); `date` itself when
  /// `n` is zero. The day `date` is never counted.
  ///
  /// Two array look-ups, whatever `n` is.
  ///
  /// - Throws: ``CalendarError/dateOutOfRange(_:supported:)`` or
  ///   ``CalendarError/resultOutOfRange(from:workingDays:supported:)``.
  @inlinable
  public func addingWorkingDays(_ n: Int, to date: CivilDate) throws(CalendarError) -> CivilDate {
    CivilDate(dayNumber: try addingWorkingDays(n, toDayNumber: date.dayNumber))
  }

  /// ``addingWorkingDays(_:to:)`` on day numbers (days since 1970-01-01), for bulk work.
  public func addingWorkingDays(_ n: Int, toDayNumber day: Int) throws(CalendarError) -> Int {
    let tables = self.tables
    let offset = day - tables.firstDay
    guard offset >= 0, day <= tables.lastDay else {
      throw .dateOutOfRange(CivilDate(dayNumber: day), supported: Self.supportedYears)
    }
    if n == 0 { return day }
    // Working days up to and including `day` when counting forward; strictly before it when
    // counting backward.
    let base = Int(tables.workingBefore[n > 0 ? offset + 1 : offset])
    let index = base + (n > 0 ? n - 1 : n)
    guard index >= 0, index < tables.workingDays.count else {
      throw .resultOutOfRange(
        from: CivilDate(dayNumber: day), workingDays: n, supported: Self.supportedYears)
    }
    return Int(tables.workingDays[index])
  }

  /// The number of working days after `start` up to and including `end`; negative when `end`
  /// is before `start`. So `addingWorkingDays(workingDays(from: a, to: b), to: a) == b` whenever
  /// `b` is a working day.
  public func workingDays(from start: CivilDate, to end: CivilDate) throws(CalendarError) -> Int {
    try checkRange(start)
    try checkRange(end)
    let first = tables.firstDay
    return Int(tables.workingBefore[end.dayNumber - first + 1])
      - Int(tables.workingBefore[start.dayNumber - first + 1])
  }

  /// The first working day strictly after `date`.
  public func nextWorkingDay(after date: CivilDate) throws(CalendarError) -> CivilDate {
    try addingWorkingDays(1, to: date)
  }

  /// The last working day strictly before `date`.
  public func previousWorkingDay(before date: CivilDate) throws(CalendarError) -> CivilDate {
    try addingWorkingDays(-1, to: date)
  }

  /// `date` itself when it is a working day, otherwise the next working day: the rollover of a
  /// period that ends on a Saturday, Sunday or holiday.
  public func workingDay(onOrAfter date: CivilDate) throws(CalendarError) -> CivilDate {
    try isWorkingDay(date) ? date : try nextWorkingDay(after: date)
  }

  // MARK: - Internals

  func checkRange(_ date: CivilDate) throws(CalendarError) {
    guard date.dayNumber >= tables.firstDay, date.dayNumber <= tables.lastDay else {
      throw .dateOutOfRange(date, supported: Self.supportedYears)
    }
  }

  func isWorkingDayUnchecked(_ dayNumber: Int) -> Bool {
    let offset = dayNumber - tables.firstDay
    return tables.workingBefore[offset + 1] != tables.workingBefore[offset]
  }

  func reasonUnchecked(_ date: CivilDate) -> String? {
    let holidays = tables.holidays[date.dayNumber] ?? []
    let named = holidays.map(\.reason).joined(separator: "; ")
    switch (date.isWeekend, holidays.isEmpty) {
    case (false, true): return nil
    case (true, true): return date.weekday.name
    case (false, false): return named
    case (true, false): return "\(date.weekday.name); \(named)"
    }
  }
}
