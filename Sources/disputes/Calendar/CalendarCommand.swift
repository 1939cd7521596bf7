import ArgumentParser

struct CalendarCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calendar",
    abstract: "Working days, holidays and deadlines on the Belgian and Dutch calendars.",
    discussion: """
      Jurisdictions: NL (Algemene termijnenwet, with the days equated by royal decree), \
      NL-public (public holidays only) and BE (the ten legal holidays). Holiday rules are \
      defined for 1970-2200.
      """,
    subcommands: [
      CalendarHolidaysCommand.self, CalendarIsWorkingDayCommand.self,
      CalendarDeadlineCommand.self,
    ]
  )
}
