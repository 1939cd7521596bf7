import TestSupport
import Testing
import WorkingDays

@Suite("Working-day queries")
struct WorkingDayQueryTests {
  let nl = WorkingDayCalendar.netherlands
  let be = WorkingDayCalendar.belgium

  @Test("domain.md §3: NL, received Wed 23 Dec 2026, 5 working days → Thu 31 Dec 2026")
  func domainExample() throws {
    #expect(
      try nl.addingWorkingDays(5, to: CivilDate(parsing: "2026-12-23"))
        == CivilDate(parsing: "2026-12-31"))
  }

  @Test("BE, received Fri 16 July 2027, 5 working days → Mon 26 July 2027 (21 July National Day)")
  func belgianSummer() throws {
    #expect(
      try be.addingWorkingDays(5, to: CivilDate(parsing: "2027-07-16"))
        == CivilDate(parsing: "2027-07-26"))
    // The same on the Dutch calendar, where 21 July is an ordinary Wednesday: Fri 23 July.
    #expect(
      try nl.addingWorkingDays(5, to: CivilDate(parsing: "2027-07-16"))
        == CivilDate(parsing: "2027-07-23"))
  }

  @Test("Ascension week 2026 in NL: Thursday holiday, Friday decree day")
  func ascensionWeek() throws {
    // Wed 13 May 2026 + 2: 14 Ascension, 15 decree day, 16–17 weekend, Mon 18 (1), Tue 19 (2).
    #expect(
      try nl.addingWorkingDays(2, to: CivilDate(parsing: "2026-05-13"))
        == CivilDate(parsing: "2026-05-19"))
    // In Belgium the Friday is a working day: 15 May (1), 18 May (2).
    #expect(
      try be.addingWorkingDays(2, to: CivilDate(parsing: "2026-05-13"))
        == CivilDate(parsing: "2026-05-18"))
  }

  @Test("next, previous, on-or-after")
  func neighbours() throws {
    let christmasEve = try CivilDate(parsing: "2026-12-24")
    #expect(try nl.nextWorkingDay(after: christmasEve) == CivilDate(parsing: "2026-12-28"))
    #expect(try nl.previousWorkingDay(before: CivilDate(parsing: "2026-12-28")) == christmasEve)
    #expect(
      try nl.workingDay(onOrAfter: CivilDate(parsing: "2026-12-25"))
        == CivilDate(parsing: "2026-12-28"))
    #expect(try nl.workingDay(onOrAfter: christmasEve) == christmasEve)
    // Counting backwards from a Monday: the Friday before Easter is Good Friday in NL.
    #expect(
      try nl.addingWorkingDays(-1, to: CivilDate(parsing: "2026-04-07"))
        == CivilDate(parsing: "2026-04-02"))
    #expect(
      try be.addingWorkingDays(-1, to: CivilDate(parsing: "2026-04-07"))
        == CivilDate(parsing: "2026-04-03"))
    #expect(try nl.addingWorkingDays(0, to: christmasEve) == christmasEve)
  }

  @Test("working days between two dates")
  func between() throws {
    let start = try CivilDate(parsing: "2026-12-23")
    #expect(try nl.workingDays(from: start, to: CivilDate(parsing: "2026-12-31")) == 5)
    #expect(try nl.workingDays(from: CivilDate(parsing: "2026-12-31"), to: start) == -5)
    #expect(try nl.workingDays(from: start, to: start) == 0)
    // The whole of 2026 in Belgium: 261 weekdays less the 8 holidays on weekdays
    // (15 Aug and 1 Nov 2026 fall on a Saturday and a Sunday).
    #expect(
      try be.workingDays(
        from: CivilDate(parsing: "2025-12-31"), to: CivilDate(parsing: "2026-12-31")) == 253)
  }

  /// A reference that walks day by day, independent of the precomputed tables.
  func walk(_ calendar: WorkingDayCalendar, _ n: Int, from date: CivilDate) throws -> CivilDate {
    var day = date
    var remaining = abs(n)
    while remaining > 0 {
      day = day.adding(days: n > 0 ? 1 : -1)
      if !day.isWeekend, try calendar.holidays(on: day).isEmpty { remaining -= 1 }
    }
    return day
  }

  @Test("the table look-up agrees with a day-by-day walk", arguments: HolidayProfile.allCases)
  func agreesWithWalk(_ profile: HolidayProfile) throws {
    let calendar = WorkingDayCalendar.standard(profile)
    var generator = SplitMix64(seed: 2026)
    for _ in 0..<3000 {
      let start = CivilDate(dayNumber: Int(generator.next() % 80_000) + 500)
      let n = Int(generator.next() % 61) - 30
      let fast = try calendar.addingWorkingDays(n, to: start)
      #expect(fast == (try walk(calendar, n, from: start)), "\(profile) \(start) \(n)")
      if n >= 0 {
        #expect(try calendar.workingDays(from: start, to: fast) == n)
      }
    }
  }

  @Test("results past 2200 are refused, not wrapped")
  func pastRange() throws {
    let end = try CivilDate(parsing: "2200-12-29")
    #expect(throws: CalendarError.self) { try nl.addingWorkingDays(10, to: end) }
    #expect(throws: CalendarError.self) {
      try nl.addingWorkingDays(-1, to: CivilDate(parsing: "1970-01-01"))
    }
    #expect(throws: CalendarError.self) {
      try nl.addingWorkingDays(1, to: CivilDate(parsing: "1969-12-31"))
    }
  }
}
