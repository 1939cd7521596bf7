import Testing
import WorkingDays

/// The official holiday lists for 2024–2028, written out by hand from the sources named in
/// `domain.md` §4: for the Netherlands the Algemene termijnenwet art. 3 and the royal decrees
/// equating days with holidays; for Belgium the royal decree of 18 April 1974.
@Suite("Holiday lists")
struct HolidayTests {
  static let netherlands: [Int: [String]] = [
    2024: [
      "2024-01-01", "2024-03-29", "2024-04-01", "2024-04-27", "2024-05-05", "2024-05-09",
      "2024-05-10", "2024-05-20", "2024-12-25", "2024-12-26", "2024-12-27",
    ],
    2025: [
      "2025-01-01", "2025-04-18", "2025-04-21", "2025-04-26", "2025-05-05", "2025-05-29",
      "2025-05-30", "2025-06-09", "2025-12-25", "2025-12-26",
    ],
    2026: [
      "2026-01-01", "2026-01-02", "2026-04-03", "2026-04-06", "2026-04-27", "2026-05-05",
      "2026-05-14", "2026-05-15", "2026-05-25", "2026-12-25", "2026-12-26",
    ],
    2027: [
      "2027-01-01", "2027-03-26", "2027-03-29", "2027-04-27", "2027-05-05", "2027-05-06",
      "2027-05-07", "2027-05-17", "2027-12-25", "2027-12-26",
    ],
    2028: [
      "2028-01-01", "2028-04-14", "2028-04-17", "2028-04-27", "2028-04-28", "2028-05-05",
      "2028-05-25", "2028-05-26", "2028-06-05", "2028-12-25", "2028-12-26",
    ],
  ]

  static let belgium: [Int: [String]] = [
    2024: [
      "2024-01-01", "2024-04-01", "2024-05-01", "2024-05-09", "2024-05-20", "2024-07-21",
      "2024-08-15", "2024-11-01", "2024-11-11", "2024-12-25",
    ],
    2025: [
      "2025-01-01", "2025-04-21", "2025-05-01", "2025-05-29", "2025-06-09", "2025-07-21",
      "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-25",
    ],
    2026: [
      "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-07-21",
      "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
    ],
    2027: [
      "2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-17", "2027-07-21",
      "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25",
    ],
    2028: [
      "2028-01-01", "2028-04-17", "2028-05-01", "2028-05-25", "2028-06-05", "2028-07-21",
      "2028-08-15", "2028-11-01", "2028-11-11", "2028-12-25",
    ],
  ]

  @Test("NL (Atw) 2024–2028", arguments: 2024...2028)
  func netherlandsList(_ year: Int) throws {
    let listed = try WorkingDayCalendar.netherlands.holidays(inYear: year).map(\.date.description)
    #expect(listed == Self.netherlands[year])
  }

  @Test("BE (legal holidays) 2024–2028", arguments: 2024...2028)
  func belgiumList(_ year: Int) throws {
    let listed = try WorkingDayCalendar.belgium.holidays(inYear: year).map(\.date.description)
    #expect(listed == Self.belgium[year])
  }

  @Test("NL-public drops decree days and keeps 5 May only in lustrum years", arguments: 2024...2028)
  func netherlandsPublicList(_ year: Int) throws {
    let decree: Set = [
      "2024-05-10", "2024-12-27", "2025-05-30", "2026-01-02", "2026-05-15", "2027-05-07",
      "2028-04-28", "2028-05-26",
    ]
    let expected = Self.netherlands[year]!.filter {
      !decree.contains($0) && ($0.hasSuffix("-05-05") ? year == 2025 : true)
    }
    let listed = try WorkingDayCalendar.netherlandsPublic.holidays(inYear: year).map(
      \.date.description)
    #expect(listed == expected)
  }

  @Test("every holiday names its legal source")
  func namesAndSources() throws {
    let christmas = try WorkingDayCalendar.netherlands.holidays(
      on: CivilDate(parsing: "2026-12-25"))
    #expect(christmas.map(\.reason) == ["Christmas Day — NL Atw art. 3(1)"])
    let goodFriday = try WorkingDayCalendar.netherlands.holidays(
      on: CivilDate(parsing: "2026-04-03"))
    #expect(goodFriday.map(\.reason) == ["Good Friday — NL Atw art. 3(2)"])
    let decree = try WorkingDayCalendar.netherlands.holidays(on: CivilDate(parsing: "2026-05-15"))
    #expect(decree.first?.kind == .decree)
    #expect(decree.first?.source.hasPrefix("NL Atw art. 3(3)") == true)
    for profile in HolidayProfile.allCases {
      for holiday in try WorkingDayCalendar.standard(profile).holidays(inYear: 2026) {
        #expect(!holiday.name.isEmpty && !holiday.source.isEmpty)
      }
    }
  }

  @Test("Belgium 2008: Friday 2 May replaced Ascension Day, which fell on Labour Day")
  func belgium2008() throws {
    let listed = try WorkingDayCalendar.belgium.holidays(inYear: 2008).map(\.date.description)
    #expect(
      listed == [
        "2008-01-01", "2008-03-24", "2008-05-01", "2008-05-02", "2008-05-12", "2008-07-21",
        "2008-08-15", "2008-11-01", "2008-11-11", "2008-12-25",
      ])
    #expect(try !WorkingDayCalendar.belgium.isWorkingDay(CivilDate(parsing: "2008-05-02")))
    // In the Netherlands 1 May 2008 was Ascension Day and 2 May an ordinary Friday.
    #expect(try !WorkingDayCalendar.netherlands.isWorkingDay(CivilDate(parsing: "2008-05-01")))
    #expect(try WorkingDayCalendar.netherlands.isWorkingDay(CivilDate(parsing: "2008-05-02")))
  }

  @Test(
    "King's and Queen's Day with their moves",
    arguments: [
      (2025, "2025-04-26"),  // 27 April 2025 is a Sunday
      (2026, "2026-04-27"),
      (2014, "2014-04-26"),  // the first King's Day: 27 April 2014 was a Sunday
      (2013, "2013-04-30"),  // the last Queen's Day
      (2006, "2006-04-29"),  // 30 April a Sunday, from 1980: the Saturday before
      (1989, "1989-04-29"),
      (1978, "1978-05-01"),  // 30 April a Sunday, before 1980: the Monday after
      (1972, "1972-05-01"),
      (1979, "1979-04-30"),
    ])
  func monarchsDay(_ year: Int, _ expected: String) throws {
    let days = try WorkingDayCalendar.netherlands.holidays(inYear: year)
      .filter { $0.name.hasPrefix("King's Day") || $0.name.hasPrefix("Queen's Day") }
    #expect(days.map(\.date.description) == [expected])
  }

  @Test("5 May: every year since 1982 under NL, every fifth year under NL-public")
  func liberationDay() throws {
    let nl = WorkingDayCalendar.netherlands
    let pub = WorkingDayCalendar.netherlandsPublic
    // 5 May 2026 and 2027 are a Tuesday and a Wednesday.
    #expect(try !nl.isWorkingDay(CivilDate(parsing: "2026-05-05")))
    #expect(try pub.isWorkingDay(CivilDate(parsing: "2026-05-05")))
    #expect(try pub.holidays(inYear: 2030).contains { $0.date.description == "2030-05-05" })
    #expect(try !pub.holidays(inYear: 2031).contains { $0.date.description == "2031-05-05" })
    #expect(try !pub.isWorkingDay(CivilDate(parsing: "2025-05-05")))
    // 5 May 1981 (a Tuesday) predates the yearly rule.
    #expect(try nl.isWorkingDay(CivilDate(parsing: "1981-05-05")))
    #expect(try !nl.isWorkingDay(CivilDate(parsing: "1982-05-05")))
  }

  @Test("Belgian community days are opt-in")
  func communityDays() throws {
    let flemishDay = try CivilDate(parsing: "2025-07-11")  // a Friday
    #expect(try WorkingDayCalendar.belgium.isWorkingDay(flemishDay))
    let flemish = WorkingDayCalendar(
      CalendarConfiguration(profile: .belgium, communities: [.flemish]))
    #expect(try !flemish.isWorkingDay(flemishDay))
    #expect(try flemish.holidays(on: flemishDay).first?.kind == .community)
    let all = WorkingDayCalendar(
      CalendarConfiguration(profile: .belgium, communities: [.flemish, .french, .german]))
    #expect(try all.holidays(inYear: 2026).count == 13)
    #expect(try !all.isWorkingDay(CivilDate(parsing: "2027-09-27")))  // a Monday
    #expect(try !all.isWorkingDay(CivilDate(parsing: "2027-11-15")))  // a Monday
  }

  @Test("closure days supplied by the caller are non-working")
  func closures() throws {
    let closures = try HolidayList(
      parsing: "2026-12-28,Office closed\n2026-12-29,Office closed,mediator's notice\n",
      file: "closures.csv", kind: .closure, defaultSource: "office closure")
    let calendar = WorkingDayCalendar(
      CalendarConfiguration(profile: .netherlands, closures: closures))
    #expect(try !calendar.isWorkingDay(CivilDate(parsing: "2026-12-28")))
    #expect(
      try calendar.nonWorkingReason(CivilDate(parsing: "2026-12-29"))
        == "Office closed — mediator's notice")
    // 23 Dec 2026 + 5 working days: 24, 30, 31 Dec, 4, 5 Jan (2 Jan is a decree day, a Saturday).
    #expect(
      try calendar.addingWorkingDays(5, to: CivilDate(parsing: "2026-12-23"))
        == CivilDate(parsing: "2027-01-05"))
  }

  @Test("years outside 1970–2200 are refused")
  func outOfRange() {
    #expect(throws: CalendarError.yearOutOfRange(1969, supported: 1970...2200)) {
      try WorkingDayCalendar.netherlands.holidays(inYear: 1969)
    }
    #expect(throws: CalendarError.self) {
      try WorkingDayCalendar.belgium.isWorkingDay(CivilDate(parsing: "2201-01-02"))
    }
  }

  @Test("jurisdiction names parse case-insensitively; unknown ones are refused")
  func profileNames() throws {
    #expect(try HolidayProfile(parsing: "nl") == .netherlands)
    #expect(try HolidayProfile(parsing: "NL-public") == .netherlandsPublic)
    #expect(try HolidayProfile(parsing: "be") == .belgium)
    #expect(throws: CalendarError.unknownCalendar("FR")) { try HolidayProfile(parsing: "FR") }
  }
}
