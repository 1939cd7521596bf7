import ArgumentParser
import DisputeEngine

struct CalendarIsWorkingDayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "is-working-day",
    abstract: "Say whether a date is a working day, and if not, why.",
    discussion: "Exits 0 either way; the answer is in the output."
  )

  @Argument(help: "NL, NL-public or BE.")
  var jurisdiction: String

  @Argument(help: "A date, YYYY-MM-DD.")
  var date: String

  @OptionGroup var calendarOptions: CalendarOptions

  @Flag(help: "Print JSON: {date, weekday, workingDay, reason}.")
  var json = false

  func run() throws {
    let profile = try Values.profile(jurisdiction)
    let day = try Values.date(date)
    let calendar = try calendarOptions.calendar(for: profile)
    let reason = try Values.calendar { () throws(CalendarError) in
      try calendar.nonWorkingReason(day)
    }
    if json {
      print(
        try Terminal.json(
          WorkingDayJSON(
            date: day, weekday: day.weekday.name, workingDay: reason == nil, reason: reason)))
    } else if let reason {
      print(
        TextWrap.wrap(
          "\(day) \(day.weekday.abbreviation) is not a working day in "
            + "\(calendar.configuration.name): \(reason)"))
    } else {
      print("\(day) \(day.weekday.abbreviation) is a working day in \(calendar.configuration.name)")
    }
  }
}

struct WorkingDayJSON: Encodable {
  let date: CivilDate
  let weekday: String
  let workingDay: Bool
  let reason: String?

  enum CodingKeys: String, CodingKey { case date, weekday, workingDay, reason }

  /// Writes `reason` as `null` on working days, so the field is always present.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(date, forKey: .date)
    try container.encode(weekday, forKey: .weekday)
    try container.encode(workingDay, forKey: .workingDay)
    try container.encode(reason, forKey: .reason)
  }
}
