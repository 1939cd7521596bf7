import Foundation
import Testing
import WorkingDays

/// Deadlines computed by hand from the rules in `domain.md` §3 and §6.5.
@Suite("Deadlines")
struct DeadlineTests {
  let nl = WorkingDayCalendar.netherlands
  let be = WorkingDayCalendar.belgium

  func day(_ text: String) throws -> DeadlineTrigger { .day(try CivilDate(parsing: text)) }
  func date(_ text: String) throws -> CivilDate { try CivilDate(parsing: text) }
  func instant(_ text: String) throws -> Date { try Instants.parse(text) }

  @Test("the domain example, with expiry and every skipped day")
  func domainExample() throws {
    let deadline = try nl.deadline(.workingDays(5), from: day("2026-12-23"), regime: .eu)
    #expect(deadline.lastDay == (try date("2026-12-31")))
    // 31 December is in winter time (UTC+1): 23:59:59.999 local is 22:59:59.999Z.
    #expect(Instants.iso8601(deadline.expiresAt) == "2026-12-31T22:59:59.999Z")
    #expect(
      deadline.skipped == [
        SkippedDay(
          date: try date("2026-12-25"), reason: "Christmas Day — NL Atw art. 3(1)",
          effect: .notCounted),
        SkippedDay(
          date: try date("2026-12-26"), reason: "Saturday; Second Christmas Day — NL Atw art. 3(1)",
          effect: .notCounted),
        SkippedDay(date: try date("2026-12-27"), reason: "Sunday", effect: .notCounted),
      ])
    #expect(deadline.warnings.isEmpty)
    #expect(
      deadline.explanation.contains(
        "2026-12-25 Fri  Christmas Day — NL Atw art. 3(1) (not counted)"))
    #expect(deadline.explanation.contains("The day of the event, Wed 2026-12-23, is not counted."))
  }

  @Test("a Belgian shop receiving a complaint on Friday 16 July 2027")
  func belgianSummer() throws {
    let deadline = try be.deadline(.workingDays(5), from: day("2027-07-16"), regime: .be)
    #expect(deadline.lastDay == (try date("2027-07-26")))
    // Summer time (UTC+2).
    #expect(Instants.iso8601(deadline.expiresAt) == "2027-07-26T21:59:59.999Z")
    #expect(
      deadline.skipped.map(\.date.description) == [
        "2027-07-17", "2027-07-18", "2027-07-21", "2027-07-24", "2027-07-25",
      ])
    #expect(
      deadline.skipped[2].reason
        == "National Day — BE Law of 4 January 1974; RD 18 April 1974 art. 1")
  }

  @Test("two calendar days from Christmas Eve: eu needs two working days, nl and be do not")
  func minimumWorkingDays() throws {
    // Nominal end Sat 26 Dec; rollover to Mon 28 Dec (25 Christmas, 26–27 weekend).
    let eu = try nl.deadline(.calendarDays(2), from: day("2026-12-24"), regime: .eu)
    #expect(eu.nominalLastDay == (try date("2026-12-26")))
    // Only Mon 28 Dec is a working day in the period, so eu extends it to Tue 29 Dec.
    #expect(eu.lastDay == (try date("2026-12-29")))
    #expect(eu.steps.contains { $0.contains("Reg. 1182/71 art. 3(5)") })
    // The Atw minimum applies only from three days; Belgian law has none.
    #expect(
      try nl.deadline(.calendarDays(2), from: day("2026-12-24"), regime: .nl).lastDay
        == date("2026-12-28"))
    #expect(
      try be.deadline(.calendarDays(2), from: day("2026-12-24"), regime: .be).lastDay
        == date("2026-12-28"))
    // Contract: as written, no rollover.
    #expect(
      try nl.deadline(.calendarDays(2), from: day("2026-12-24"), regime: .contract).lastDay
        == date("2026-12-26"))
    // Three days: nominal Sun 27 Dec, rollover Mon 28, one working day, Atw art. 2 extends to 29.
    let atw = try nl.deadline(.calendarDays(3), from: day("2026-12-24"), regime: .nl)
    #expect(atw.lastDay == (try date("2026-12-29")))
    #expect(atw.steps.contains { $0.contains("NL Atw art. 2") })
    // From Wed 23 Dec, three days: Mon 28 after rollover, with 24 and 28 two working days.
    #expect(
      try nl.deadline(.calendarDays(3), from: day("2026-12-23"), regime: .nl).lastDay
        == date("2026-12-28"))
  }

  @Test("months: 31 January + 1 month")
  func monthEnds() throws {
    // 28 Feb 2026 is a Saturday: eu rolls over to Monday 2 March; contract stays.
    let eu = try nl.deadline(.months(1), from: day("2026-01-31"), regime: .eu)
    #expect(eu.nominalLastDay == (try date("2026-02-28")))
    #expect(eu.lastDay == (try date("2026-03-02")))
    #expect(
      try nl.deadline(.months(1), from: day("2026-01-31"), regime: .contract).lastDay
        == date("2026-02-28"))
    // Leap year: 29 Feb 2028 is a Tuesday.
    #expect(
      try nl.deadline(.months(1), from: day("2028-01-31"), regime: .eu).lastDay
        == date("2028-02-29"))
    // be: from 1 February to the eve of 1 March.
    #expect(
      try be.deadline(.months(1), from: day("2028-01-31"), regime: .be).lastDay
        == date("2028-02-29"))
  }

  @Test("months: 28 February + 1 month differs between be and eu")
  func belgianMonthRule() throws {
    // be (art. 54): from 1 March to the eve of 1 April: Tue 31 March 2026.
    let belgian = try be.deadline(.months(1), from: day("2026-02-28"), regime: .be)
    #expect(belgian.lastDay == (try date("2026-03-31")))
    #expect(belgian.steps.contains { $0.contains("art. 54") })
    // eu: same date, Sat 28 March 2026, rolled over to Mon 30 March.
    let eu = try be.deadline(.months(1), from: day("2026-02-28"), regime: .eu)
    #expect(eu.nominalLastDay == (try date("2026-03-28")))
    #expect(eu.lastDay == (try date("2026-03-30")))
    #expect(eu.skipped.map(\.effect) == [.rolledOver, .rolledOver])
  }

  @Test("29 February")
  func leapDay() throws {
    // eu: 29 March 2028 (a Wednesday); be: eve of 1 April, Fri 31 March 2028.
    #expect(
      try be.deadline(.months(1), from: day("2028-02-29"), regime: .eu).lastDay
        == date("2028-03-29"))
    #expect(
      try be.deadline(.months(1), from: day("2028-02-29"), regime: .be).lastDay
        == date("2028-03-31"))
    // Twelve months from 29 Feb 2028: 28 Feb 2029 (a Wednesday) under both.
    #expect(
      try be.deadline(.months(12), from: day("2028-02-29"), regime: .eu).lastDay
        == date("2029-02-28"))
    #expect(
      try be.deadline(.months(12), from: day("2028-02-29"), regime: .be).lastDay
        == date("2029-02-28"))
    // Working days across 29 Feb 2028 (a Tuesday): Mon 28 Feb + 2 = Wed 1 March.
    #expect(try nl.addingWorkingDays(2, to: date("2028-02-28")) == date("2028-03-01"))
  }

  @Test("weeks end on the same weekday and roll over")
  func weeks() throws {
    #expect(
      try nl.deadline(.weeks(3), from: day("2026-12-09"), regime: .eu).lastDay == date("2026-12-30")
    )
    // Fri 4 Dec + 3 weeks = Fri 25 Dec, Christmas: rolled to Mon 28 Dec.
    let rolled = try nl.deadline(.weeks(3), from: day("2026-12-04"), regime: .eu)
    #expect(rolled.lastDay == (try date("2026-12-28")))
    #expect(rolled.skipped.map(\.date.description) == ["2026-12-25", "2026-12-26", "2026-12-27"])
  }

  @Test("expiry is the end of the local day across daylight-saving changes")
  func daylightSaving() throws {
    // Sunday 29 March 2026: clocks go forward; the day ends at 23:59:59.999 CEST (UTC+2).
    let spring = try nl.deadline(.calendarDays(1), from: day("2026-03-28"), regime: .contract)
    #expect(Instants.iso8601(spring.expiresAt) == "2026-03-29T21:59:59.999Z")
    // The Friday before is still winter time.
    let friday = try nl.deadline(.workingDays(1), from: day("2026-03-26"), regime: .eu)
    #expect(Instants.iso8601(friday.expiresAt) == "2026-03-27T22:59:59.999Z")
    // Sunday 25 October 2026: clocks go back; the day ends at 23:59:59.999 CET (UTC+1).
    let autumn = try be.deadline(.calendarDays(1), from: day("2026-10-24"), regime: .contract)
    #expect(Instants.iso8601(autumn.expiresAt) == "2026-10-25T22:59:59.999Z")
    #expect(
      Instants.iso8601(Instants.startOfDay(try date("2026-10-25"), in: be.timeZone))
        == "2026-10-24T22:00:00.000Z")
  }

  @Test("an instant's civil day is taken in the party's time zone")
  func instantTrigger() throws {
    // 23:30 UTC on 23 Dec is 00:30 on 24 Dec in Amsterdam: counting starts after the 24th.
    let deadline = try nl.deadline(
      .workingDays(5), from: .instant(instant("2026-12-23T23:30:00Z")), regime: .eu)
    #expect(deadline.triggerDay == (try date("2026-12-24")))
    // 28, 29, 30, 31 Dec, then 1 Jan (holiday), 2 Jan (Saturday and decree day), Mon 4 Jan.
    #expect(deadline.lastDay == (try date("2027-01-04")))
  }

  @Test("hours run from the next full hour and never roll over")
  func hours() throws {
    // 23:30 CET on Sat 28 March 2026; counting starts at 00:00 CET, 24 real hours across the
    // spring change end at 01:00 CEST on 30 March (23:00Z on the 29th).
    let eu = try nl.deadline(
      .hours(24), from: .instant(instant("2026-03-28T23:30:00+01:00")), regime: .eu)
    #expect(Instants.iso8601(eu.expiresAt) == "2026-03-29T23:00:00.000Z")
    #expect(eu.lastDay == (try date("2026-03-30")))
    let contract = try nl.deadline(
      .hours(24), from: .instant(instant("2026-03-28T23:30:00+01:00")), regime: .contract)
    #expect(Instants.iso8601(contract.expiresAt) == "2026-03-29T22:30:00.000Z")
    // 48 hours from Christmas Eve morning end on Saturday 26 December: no rollover.
    let weekend = try nl.deadline(
      .hours(48), from: .instant(instant("2026-12-24T10:15:00+01:00")), regime: .nl)
    #expect(Instants.iso8601(weekend.expiresAt) == "2026-12-26T10:00:00.000Z")
    #expect(weekend.lastDay == (try date("2026-12-26")))
    #expect(throws: CalendarError.hoursNeedTimeOfDay(.hours(48))) {
      try nl.deadline(.hours(48), from: day("2026-12-24"), regime: .eu)
    }
  }

  @Test("a deadline past the last known decree year carries a warning on NL only")
  func decreeWarning() throws {
    // Thu 28 Dec 2028 (1), Fri 29 (2), Mon 1 Jan 2029 holiday, 2 (3), 3 (4), 4 Jan (5).
    let deadline = try nl.deadline(.workingDays(5), from: day("2028-12-27"), regime: .eu)
    #expect(deadline.lastDay == (try date("2029-01-04")))
    #expect(deadline.warnings.count == 1)
    #expect(deadline.warnings.first?.contains("2029") == true)
    #expect(deadline.warnings.first?.contains("2023–2028") == true)
    #expect(try be.deadline(.workingDays(5), from: day("2028-12-27"), regime: .eu).warnings.isEmpty)
    #expect(
      try WorkingDayCalendar.netherlandsPublic.deadline(
        .workingDays(5), from: day("2028-12-27"), regime: .eu
      ).warnings.isEmpty)
  }

  @Test("negative periods are refused")
  func negative() throws {
    #expect(throws: CalendarError.negativePeriod(.workingDays(-1))) {
      try nl.deadline(.workingDays(-1), from: day("2026-12-23"), regime: .eu)
    }
  }

  @Test("ISO 8601 instants parse strictly")
  func instantParsing() throws {
    #expect(Instants.iso8601(try instant("2026-12-23T14:30+01:00")) == "2026-12-23T13:30:00.000Z")
    #expect(
      Instants.iso8601(try instant("2026-12-23T14:30:15.250-02:00")) == "2026-12-23T16:30:15.250Z")
    for bad in [
      "2026-12-23T14:30", "2026-12-23T25:00Z", "2026-02-30T10:00Z", "2026-12-23T14:30+1",
      "2026-12-23T14:30Zjunk",
    ] {
      #expect(throws: InstantParseError.self, "\(bad)") { try Instants.parse(bad) }
    }
  }
}
