import Foundation
import Testing

@testable import WorkingDays

@Suite("Holiday list files")
struct HolidayListTests {
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test("the compiled-in decree days equal Workflows/calendars/nl-decree-days.csv")
  func compiledInDecreeDaysEqualTheFile() throws {
    let file = Self.repositoryRoot.appendingPathComponent("Workflows/calendars/nl-decree-days.csv")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text == HolidayList.bundledDutchDecreeDaysText)
    let parsed = try HolidayList(
      parsing: text, file: "nl-decree-days.csv", kind: .decree, defaultSource: "")
    #expect(parsed == HolidayList.bundledDutchDecreeDays)
  }

  @Test("the compiled-in list holds the ten decree days of domain.md §4")
  func bundledContents() {
    let days = HolidayList.bundledDutchDecreeDays
    #expect(
      days.days.map(\.date.description) == [
        "2023-04-28", "2023-05-19", "2024-05-10", "2024-12-27", "2025-05-30", "2026-01-02",
        "2026-05-15", "2027-05-07", "2028-04-28", "2028-05-26",
      ])
    #expect(days.coveredYears == Set(2023...2028))
    #expect(days.days.allSatisfy { $0.kind == .decree && $0.date.weekday == .friday })
  }

  @Test("a user file extends the decree days without recompiling")
  func userExtension() throws {
    let later = try HolidayList(
      parsing: "coverage,2029-2031\n2029-05-11,Friday after Ascension Day\n",
      file: "decrees-2029.csv", kind: .decree, defaultSource: "NL Atw art. 3(3), royal decree")
    let calendar = WorkingDayCalendar(
      CalendarConfiguration(profile: .netherlands, extraDecreeDays: later))
    #expect(try !calendar.isWorkingDay(CivilDate(parsing: "2029-05-11")))
    #expect(try WorkingDayCalendar.netherlands.isWorkingDay(CivilDate(parsing: "2029-05-11")))
    #expect(calendar.configuration.decreeDays.coverageDescription == "2023–2031")
    // No warning now for 2029.
    let deadline = try calendar.deadline(
      .workingDays(5), from: .day(CivilDate(parsing: "2028-12-27")), regime: .eu)
    #expect(deadline.warnings.isEmpty)
  }

  @Test(
    "each kind of mistake names the file, the line and the problem",
    arguments: [
      (
        "# header\n2026-02-30,Bad day\n", 2,
        "'2026-02-30' is not a date: February 2026 has 28 days, not 30"
      ),
      ("2026-05-15\n", 1, "2026-05-15 has no name: write DATE,NAME[,SOURCE]"),
      ("2026-05-15,A\n\n2026-05-15,B\n", 3, "2026-05-15 is listed twice (first on line 1)"),
      (
        "coverage,2028\n", 1,
        "coverage must be written 'coverage,FIRST-LAST', for example coverage,2023-2028"
      ),
      (
        "coverage,2029-2028\n", 1,
        "coverage must be written 'coverage,FIRST-LAST', for example coverage,2023-2028"
      ),
      (
        "15-05-2026,Day\n", 1,
        "'15-05-2026' is not a date: expected YYYY-MM-DD, for example 2026-12-23"
      ),
    ])
  func errors(_ text: String, _ line: Int, _ message: String) {
    #expect(throws: HolidayListError(file: "x.csv", line: line, message: message)) {
      try HolidayList(parsing: text, file: "x.csv", kind: .closure, defaultSource: "closure")
    }
  }

  @Test("CRLF line endings and comments are accepted")
  func lineEndings() throws {
    let list = try HolidayList(
      parsing: "# closures\r\n2026-12-28,Office closed\r\n\r\n2026-12-29,Office closed\r\n",
      file: "c.csv", kind: .closure, defaultSource: "office closure")
    #expect(list.days.map(\.date.description) == ["2026-12-28", "2026-12-29"])
    #expect(list.days.first?.source == "office closure")
  }
}
