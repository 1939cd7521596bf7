import Testing

@testable import WorkingDays

/// Easter Sunday dates as published in the tables of Western (Gregorian) Easter.
@Suite("Gregorian computus")
struct EasterTests {
  static let published: [(Int, Int, Int)] = [
    (1970, 3, 29), (1981, 4, 19), (1985, 4, 7), (1990, 4, 15), (1995, 4, 16), (1999, 4, 4),
    (2000, 4, 23), (2001, 4, 15), (2002, 3, 31), (2003, 4, 20), (2004, 4, 11), (2005, 3, 27),
    (2006, 4, 16), (2007, 4, 8), (2008, 3, 23), (2009, 4, 12), (2010, 4, 4), (2011, 4, 24),
    (2012, 4, 8), (2013, 3, 31), (2014, 4, 20), (2015, 4, 5), (2016, 3, 27), (2017, 4, 16),
    (2018, 4, 1), (2019, 4, 21), (2020, 4, 12), (2021, 4, 4), (2022, 4, 17), (2023, 4, 9),
    (2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2028, 4, 16), (2029, 4, 1),
    (2030, 4, 21), (2038, 4, 25), (2049, 4, 18), (2100, 3, 28),
  ]

  @Test("matches the published dates", arguments: published)
  func matchesPublished(_ entry: (Int, Int, Int)) throws {
    let easter = HolidayRules.easterSunday(year: entry.0)
    #expect(easter == (try CivilDate(year: entry.0, month: entry.1, day: entry.2)))
    #expect(easter.weekday == .sunday)
  }

  @Test("always a Sunday between 22 March and 25 April")
  func alwaysInRange() throws {
    for year in WorkingDayCalendar.supportedYears {
      let easter = HolidayRules.easterSunday(year: year)
      #expect(easter.weekday == .sunday)
      #expect(easter >= (try CivilDate(year: year, month: 3, day: 22)))
      #expect(easter <= (try CivilDate(year: year, month: 4, day: 25)))
    }
  }
}
