import ArgumentParser
import DisputeEngine
import Foundation

struct CalendarHolidaysCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "holidays",
    abstract: "List a year's holidays with their legal sources.",
    discussion: "Weekend holidays are listed too; they are non-working days either way."
  )

  @Argument(help: "NL, NL-public or BE.")
  var jurisdiction: String

  @Argument(help: "A year from 1970 to 2200.")
  var year: Int

  @OptionGroup var calendarOptions: CalendarOptions

  @Flag(help: "Print JSON: an array of {date, weekday, name, source, kind}.")
  var json = false

  func run() throws {
    let profile = try Values.profile(jurisdiction)
    let calendar = try calendarOptions.calendar(for: profile)
    let holidays = try Values.calendar { () throws(CalendarError) in
      try calendar.holidays(inYear: year)
    }
    if json {
      let rows = holidays.map {
        HolidayJSON(
          date: $0.date, weekday: $0.date.weekday.name, name: $0.name, source: $0.source,
          kind: $0.kind.rawValue)
      }
      print(try Terminal.json(rows))
      return
    }
    // Sources are long; they are footnoted so each line fits an 80-column terminal.
    var sources: [String] = []
    print("Holidays \(year) on the \(calendar.configuration.name) calendar:")
    for holiday in holidays {
      let index = (sources.firstIndex(of: holiday.source) ?? sources.count) + 1
      if index > sources.count { sources.append(holiday.source) }
      print("  \(holiday.date) \(holiday.date.weekday.abbreviation)  \(holiday.name) [\(index)]")
    }
    print("Sources:")
    for (index, source) in sources.enumerated() {
      print("  [\(index + 1)] \(source)")
    }
  }
}

struct HolidayJSON: Encodable {
  let date: CivilDate
  let weekday: String
  let name: String
  let source: String
  let kind: String
}
