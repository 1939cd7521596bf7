import Foundation
import Testing

@testable import WorkingDays

@Suite("Civil dates")
struct CivilDateTests {
  @Test("parses strict ISO 8601 dates")
  func parsesValidDates() throws {
    let date = try CivilDate(parsing: "2026-12-23")
    #expect(date.year == 2026 && date.month == 12 && date.day == 23)
    #expect(date.description == "2026-12-23")
    #expect(try CivilDate(parsing: "2028-02-29").day == 29)
  }

  @Test(
    "refuses malformed text",
    arguments: [
      "2026-1-05", "26-01-05", "2026/01/05", " 2026-01-05", "2026-01-05T10:00", "", "2026-0a-05",
    ])
  func refusesMalformed(_ text: String) {
    #expect(throws: CivilDateError(text: text, reason: .malformed)) { try CivilDate(parsing: text) }
  }

  @Test("refuses impossible dates and says why")
  func refusesImpossibleDates() {
    do {
      _ = try CivilDate(parsing: "2026-02-30")
      Issue.record("2026-02-30 was accepted")
    } catch {
      #expect(error.reason == .dayOutOfRange(day: 30, month: 2, year: 2026, daysInMonth: 28))
      #expect(error.description == "'2026-02-30' is not a date: February 2026 has 28 days, not 30")
    }
    #expect(throws: CivilDateError.self) { try CivilDate(parsing: "2027-02-29") }
    #expect(throws: CivilDateError.self) { try CivilDate(parsing: "2026-13-01") }
    #expect(throws: CivilDateError.self) { try CivilDate(parsing: "2026-04-31") }
    #expect(throws: CivilDateError.self) { try CivilDate(parsing: "2026-00-10") }
    #expect(throws: CivilDateError.self) { try CivilDate(parsing: "0000-01-01") }
  }

  @Test("leap years follow the Gregorian rule")
  func leapYears() {
    #expect(CivilDate.isLeapYear(2000))
    #expect(!CivilDate.isLeapYear(1900))
    #expect(!CivilDate.isLeapYear(2100))
    #expect(CivilDate.isLeapYear(2028))
    #expect(!CivilDate.isLeapYear(2026))
  }

  @Test(
    "weekdays of known dates",
    arguments: [
      ("1970-01-01", Weekday.thursday),  // the Unix epoch
      ("2000-01-01", .saturday),
      ("2026-12-23", .wednesday),  // domain.md §3 example
      ("2027-07-16", .friday),  // issue 3 example
      ("2025-04-27", .sunday),  // so King's Day 2025 moved to the 26th
      ("2200-12-31", .wednesday),
    ])
  func weekdays(_ text: String, _ weekday: Weekday) throws {
    #expect(try CivilDate(parsing: text).weekday == weekday)
  }

  @Test("day numbers count days since 1970-01-01 and round-trip")
  func dayNumbers() throws {
    #expect(try CivilDate(parsing: "1970-01-01").dayNumber == 0)
    #expect(try CivilDate(parsing: "1970-01-02").dayNumber == 1)
    #expect(try CivilDate(parsing: "1969-12-31").dayNumber == -1)
    // 2000-03-01: 30 years of 365 days, 7 leap days (1972…1996), plus Jan and Feb 2000 (60 days).
    #expect(try CivilDate(parsing: "2000-03-01").dayNumber == 30 * 365 + 7 + 60)
    var previous = try CivilDate(year: 1899, month: 12, day: 31)
    for number in previous.dayNumber + 1...CivilDate(unchecked: 2201, 1, 1).dayNumber {
      let date = CivilDate(dayNumber: number)
      #expect(date.dayNumber == number)
      // Consecutive day numbers are consecutive valid dates.
      let expectedNext =
        previous.day < CivilDate.daysInMonth(year: previous.year, month: previous.month)
        ? (previous.year, previous.month, previous.day + 1)
        : previous.month < 12 ? (previous.year, previous.month + 1, 1) : (previous.year + 1, 1, 1)
      if (date.year, date.month, date.day) != expectedNext {
        Issue.record("\(number) gave \(date) after \(previous)")
        return
      }
      previous = date
    }
  }

  @Test("adding months keeps the date or takes the month's last day")
  func addingMonths() throws {
    #expect(
      try CivilDate(parsing: "2026-01-31").adding(months: 1) == CivilDate(parsing: "2026-02-28"))
    #expect(
      try CivilDate(parsing: "2028-01-31").adding(months: 1) == CivilDate(parsing: "2028-02-29"))
    #expect(
      try CivilDate(parsing: "2026-11-30").adding(months: 3) == CivilDate(parsing: "2027-02-28"))
    #expect(
      try CivilDate(parsing: "2026-03-31").adding(months: -1) == CivilDate(parsing: "2026-02-28"))
    #expect(
      try CivilDate(parsing: "2028-02-29").adding(months: 12) == CivilDate(parsing: "2029-02-28"))
  }

  @Test("dates encode as YYYY-MM-DD strings and decode strictly")
  func codable() throws {
    let date = try CivilDate(parsing: "2026-05-05")
    let data = try JSONEncoder().encode([date])
    #expect(String(decoding: data, as: UTF8.self) == #"["2026-05-05"]"#)
    #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [date])
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([CivilDate].self, from: Data(#"["2026-02-30"]"#.utf8))
    }
  }
}
