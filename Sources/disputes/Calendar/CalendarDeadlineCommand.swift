import ArgumentParser
import DisputeEngine

struct CalendarDeadlineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deadline",
    abstract: "Compute a deadline and explain how it was counted.",
    discussion: """
      Give exactly one period. The day of --from is never counted. A bare date means that \
      civil day in the jurisdiction's time zone; --hours needs a date-time with an offset.

      With --batch, reads CSV lines 'jurisdiction,from,workingDays' on stdin (a header line \
      is passed through, CRLF is accepted) and writes each line with ',deadline' appended, in \
      order. A bad line gets an empty deadline, an error with its line number on stderr, and \
      makes the exit status 65; the other lines are still answered.
      """
  )

  @Option(help: "NL, NL-public or BE.")
  var jurisdiction: String?

  @Option(help: "The trigger: YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS]±HH:MM (or Z).")
  var from: String?

  @Option(
    name: .customLong("working-days"), parsing: .unconditional, help: "A period of working days.")
  var workingDays: Int?

  @Option(
    name: .customLong("calendar-days"), parsing: .unconditional, help: "A period of calendar days.")
  var calendarDays: Int?

  @Option(parsing: .unconditional, help: "A period of weeks.")
  var weeks: Int?

  @Option(parsing: .unconditional, help: "A period of months.")
  var months: Int?

  @Option(parsing: .unconditional, help: "A period of hours (needs a date-time in --from).")
  var hours: Int?

  @Option(
    help: "Counting rules: eu (Reg. 1182/71), be (Judicial Code), nl (Atw) or contract.",
    transform: choice(Regime.self))
  var regime: Regime = .eu

  @OptionGroup var calendarOptions: CalendarOptions

  @Flag(help: "Print every step of the counting and every day skipped.")
  var explain = false

  @Flag(help: "Print JSON (see docs/cli.md for the fields).")
  var json = false

  @Flag(
    help: "Read 'jurisdiction,from,workingDays' CSV lines on stdin; write each with its deadline.")
  var batch = false

  var periods: [Period] {
    [
      workingDays.map(Period.workingDays), calendarDays.map(Period.calendarDays),
      weeks.map(Period.weeks), months.map(Period.months), hours.map(Period.hours),
    ].compactMap { $0 }
  }

  func validate() throws {
    if batch {
      guard jurisdiction == nil, from == nil, periods.isEmpty, !json, !explain else {
        throw ValidationError(
          "--batch reads jurisdiction, date and working days from stdin; give only --regime "
            + "and calendar options with it")
      }
      return
    }
    guard jurisdiction != nil else {
      throw ValidationError("missing --jurisdiction (NL, NL-public or BE)")
    }
    guard from != nil else {
      throw ValidationError("missing --from (the date the period starts from)")
    }
    guard periods.count == 1 else {
      throw ValidationError(
        "give exactly one period: --working-days, --calendar-days, --weeks, --months or --hours")
    }
    if let period = periods.first, period.length < 0 {
      throw ValidationError("a period cannot be negative (\(period))")
    }
  }

  func run() throws {
    if batch {
      try DeadlineBatch(regime: regime, calendarOptions: calendarOptions).run()
      return
    }
    guard let jurisdiction, let from, let period = periods.first else { return }
    let profile = try Values.profile(jurisdiction)
    let trigger = try Values.trigger(from)
    let calendar = try calendarOptions.calendar(for: profile)
    let deadline = try Values.calendar { () throws(CalendarError) in
      try calendar.deadline(period, from: trigger, regime: regime)
    }
    if json {
      print(try Terminal.json(DeadlineJSON(deadline, jurisdiction: profile)))
      return
    }
    let zone = calendar.timeZone
    print("Deadline  \(deadline.lastDay.weekday.abbreviation) \(deadline.lastDay)")
    print(
      "Expires   \(Instants.localDescription(deadline.expiresAt, in: zone)) (\(deadline.timeZone))")
    print("          \(Instants.iso8601(deadline.expiresAt))")
    if explain {
      print("")
      print(TextWrap.wrapLines(deadline.explanation))
    } else {
      for warning in deadline.warnings { print(TextWrap.wrap("Warning: \(warning)")) }
    }
  }
}

/// The `--json` form of a deadline. Field names are part of the CLI's contract (docs/cli.md).
struct DeadlineJSON: Encodable {
  struct Skipped: Encodable {
    let date: CivilDate
    let weekday: String
    let reason: String
    let effect: String
  }

  let jurisdiction: String
  let calendar: String
  let regime: String
  let period: Period
  let from: String
  let triggerDay: CivilDate
  let nominalDeadline: CivilDate
  let deadline: CivilDate
  let expiresAt: String
  let timeZone: String
  let skipped: [Skipped]
  let steps: [String]
  let warnings: [String]

  init(_ deadline: ComputedDeadline, jurisdiction: HolidayProfile) {
    self.jurisdiction = jurisdiction.rawValue
    calendar = deadline.calendar
    regime = deadline.regime.rawValue
    period = deadline.period
    from = deadline.trigger.description
    triggerDay = deadline.triggerDay
    nominalDeadline = deadline.nominalLastDay
    self.deadline = deadline.lastDay
    expiresAt = Instants.iso8601(deadline.expiresAt)
    timeZone = deadline.timeZone
    skipped = deadline.skipped.map {
      Skipped(
        date: $0.date, weekday: $0.date.weekday.name, reason: $0.reason, effect: $0.effect.rawValue)
    }
    steps = deadline.steps
    warnings = deadline.warnings
  }
}
