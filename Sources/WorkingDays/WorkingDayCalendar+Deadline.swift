public import Foundation

extension WorkingDayCalendar {
  /// The time zone whose local day ends this calendar's deadlines.
  public var timeZone: TimeZone {
    Instants.zone(configuration.profile.jurisdiction.timeZoneIdentifier)
  }

  /// Computes a deadline: its last day, its expiry instant and how it was counted.
  ///
  /// The day of the trigger is never counted. Working-day periods end on the n-th working day
  /// after it. Calendar days, weeks and months count every day and end on the same weekday or
  /// date (the last day of a shorter month); under `eu`, `be` and `nl` a last day that is not a
  /// working day moves to the next working day, and `eu` (periods of 2 days or more) and `nl`
  /// (3 days or more) then make sure the period holds at least two working days. Under `be`
  /// months run to the eve of the same date (Judicial Code art. 54). Hours run from the next
  /// full hour and never roll over.
  ///
  /// ```swift
  /// let deadline = try WorkingDayCalendar.netherlands.deadline(
  ///   .workingDays(5), from: .day(try CivilDate(parsing: "2026-12-23")), regime: .eu)
  /// deadline.lastDay                       // 2026-12-31
  /// Instants.iso8601(deadline.expiresAt)   // 2026-12-31T22:59:59.999Z
  /// ```
  ///
  /// - Throws: ``CalendarError`` for a negative period, an hours period from a bare date, or
  ///   dates outside 1970–2200.
  public func deadline(
    _ period: Period, from trigger: DeadlineTrigger, regime: Regime
  ) throws(CalendarError) -> ComputedDeadline {
    guard period.length >= 0 else { throw .negativePeriod(period) }
    let zone = timeZone
    let triggerDay: CivilDate
    switch trigger {
    case .day(let date): triggerDay = date
    case .instant(let instant): triggerDay = Instants.civilDate(of: instant, in: zone)
    }
    try checkRange(triggerDay)

    if period.unit == .hours {
      guard case .instant(let instant) = trigger else { throw .hoursNeedTimeOfDay(period) }
      return try hoursDeadline(period, from: instant, triggerDay: triggerDay, regime: regime)
    }

    var steps = [
      "\(period) from \(Self.longDate(triggerDay)) on the \(configuration.name) calendar, "
        + "counted under \(regime.rawValue) (\(regime.source))."
    ]
    steps.append("The day of the event, \(Self.longDate(triggerDay)), is not counted.")
    var skipped: [SkippedDay] = []
    let nominal: CivilDate

    switch period.unit {
    case .workingDays:
      nominal = try addingWorkingDays(period.length, to: triggerDay)
      if period.length > 0 {
        for offset in 1..<triggerDay.days(until: nominal) {
          let day = triggerDay.adding(days: offset)
          if let reason = reasonUnchecked(day) {
            skipped.append(SkippedDay(date: day, reason: reason, effect: .notCounted))
          }
        }
        if period.length <= 10 {
          let counted = (1...period.length).map { index in
            // Each look-up is O(1); the dates are all in range because `nominal` is.
            let day = (try? addingWorkingDays(index, to: triggerDay)) ?? nominal
            return "\(day) \(day.weekday.abbreviation) (\(index))"
          }
          steps.append("Working days counted: " + counted.joined(separator: ", ") + ".")
        }
      }
      steps.append("The \(Self.ordinal(period.length)) working day is \(Self.longDate(nominal)).")
    case .calendarDays:
      nominal = triggerDay.adding(days: period.length)
      steps.append("Counting every day, the period ends on \(Self.longDate(nominal)).")
    case .weeks:
      nominal = triggerDay.adding(days: 7 * period.length)
      steps.append(
        "Counting every day, the period ends on the same weekday, \(Self.longDate(nominal)).")
    case .months:
      if regime == .be {
        let start = triggerDay.adding(days: 1)
        let sameDate = start.adding(months: period.length)
        let clamped = sameDate.day != start.day
        nominal = clamped ? sameDate : sameDate.adding(days: -1)
        steps.append(
          "Counted from \(start) to the eve of the same date (BE Judicial Code art. 54): "
            + "the period ends on \(Self.longDate(nominal))"
            + (clamped ? ", the last day of a month with no such date." : "."))
      } else {
        nominal = triggerDay.adding(months: period.length)
        let clamped = nominal.day != triggerDay.day
        steps.append(
          "Counting every day, the period ends on "
            + (clamped
              ? "the last day of its month, \(Self.longDate(nominal)), which has no "
                + "\(Self.ordinal(triggerDay.day))."
              : "the same date, \(Self.longDate(nominal))."))
      }
    case .hours:
      preconditionFailure("hours are handled above")
    }
    try checkRange(nominal)

    var last = nominal
    if period.unit != .workingDays, period.length > 0 {
      if regime.rollsOver, !isWorkingDayUnchecked(nominal.dayNumber) {
        last = try workingDay(onOrAfter: nominal)
        for offset in 0..<nominal.days(until: last) {
          let day = nominal.adding(days: offset)
          skipped.append(
            SkippedDay(date: day, reason: reasonUnchecked(day) ?? "", effect: .rolledOver))
        }
        steps.append(
          "\(Self.longDate(nominal)) is not a working day, so the period ends on the next "
            + "working day, \(Self.longDate(last)) (\(regime.rolloverSource)).")
      }
      let lengthInDays = triggerDay.days(until: nominal)
      if let threshold = regime.minimumTwoWorkingDaysFrom, lengthInDays >= threshold {
        let contained = try workingDays(from: triggerDay, to: last)
        if contained < 2 {
          let extended = try addingWorkingDays(2, to: triggerDay)
          for offset in 1..<last.days(until: extended) {
            let day = last.adding(days: offset)
            if let reason = reasonUnchecked(day) {
              skipped.append(SkippedDay(date: day, reason: reason, effect: .extendedForMinimum))
            }
          }
          steps.append(
            "A period of \(lengthInDays) days must contain at least two working days "
              + "(\(regime.minimumSource)); this one contains \(contained), so it is extended "
              + "to the second working day after the event, \(Self.longDate(extended)).")
          last = extended
        }
      }
    }

    let expiresAt = Instants.endOfDay(last, in: zone)
    steps.append(
      "Last day: \(Self.longDate(last)); the period expires at the end of that day, "
        + "\(Instants.localDescription(expiresAt, in: zone)) \(zone.identifier) "
        + "(\(Instants.iso8601(expiresAt))).")
    return ComputedDeadline(
      period: period, regime: regime, calendar: configuration.name,
      timeZone: zone.identifier, trigger: trigger, triggerDay: triggerDay,
      nominalLastDay: nominal, lastDay: last, expiresAt: expiresAt,
      skipped: skipped.sorted { $0.date < $1.date }, steps: steps,
      warnings: decreeWarnings(from: triggerDay, through: last))
  }

  private func hoursDeadline(
    _ period: Period, from instant: Date, triggerDay: CivilDate, regime: Regime
  ) throws(CalendarError) -> ComputedDeadline {
    let zone = timeZone
    var steps = [
      "\(period) from \(Instants.localDescription(instant, in: zone)) \(zone.identifier), "
        + "counted under \(regime.rawValue) (\(regime.source))."
    ]
    let start: Date
    if regime == .contract {
      start = instant
      steps.append("Counted as written, from the moment of the event.")
    } else {
      // Dutch and Belgian offsets are whole hours, so a full UTC hour is a full local hour.
      let hour = (instant.timeIntervalSince1970 / 3600).rounded(.down)
      start = Date(timeIntervalSince1970: (hour + 1) * 3600)
      steps.append(
        "The hour in which the event occurred is not counted; counting starts at "
          + "\(Instants.localDescription(start, in: zone)) (Reg. 1182/71 art. 3(1)).")
    }
    let expiresAt = start.addingTimeInterval(Double(period.length) * 3600)
    let last = Instants.civilDate(of: expiresAt.addingTimeInterval(-0.001), in: zone)
    try checkRange(last)
    steps.append(
      "The period expires at \(Instants.localDescription(expiresAt, in: zone)) \(zone.identifier) "
        + "(\(Instants.iso8601(expiresAt))); periods in hours are never rolled over.")
    return ComputedDeadline(
      period: period, regime: regime, calendar: configuration.name, timeZone: zone.identifier,
      trigger: .instant(instant), triggerDay: triggerDay, nominalLastDay: last, lastDay: last,
      expiresAt: expiresAt, skipped: [], steps: steps,
      warnings: decreeWarnings(from: triggerDay, through: last))
  }

  /// Warns when the counted days reach a year whose decree days are not known.
  private func decreeWarnings(from triggerDay: CivilDate, through last: CivilDate) -> [String] {
    guard configuration.usesDecreeDays, last > triggerDay else { return [] }
    let firstCounted = triggerDay.adding(days: 1)
    let uncovered = (firstCounted.year...last.year).filter {
      !configuration.decreeDays.coveredYears.contains($0)
    }
    guard !uncovered.isEmpty else { return [] }
    let years = uncovered.map(String.init).joined(separator: ", ")
    return [
      "the period reaches \(years), for which the days equated with holidays by royal decree "
        + "(Atw art. 3(3)) are not known here (known: "
        + "\(configuration.decreeDays.coverageDescription)); a decree may add a non-working day."
    ]
  }

  static func longDate(_ date: CivilDate) -> String { "\(date.weekday.abbreviation) \(date)" }

  static func ordinal(_ n: Int) -> String {
    let suffix: String
    switch (n % 10, n % 100) {
    case (1, let t) where t != 11: suffix = "st"
    case (2, let t) where t != 12: suffix = "nd"
    case (3, let t) where t != 13: suffix = "rd"
    default: suffix = "th"
    }
    return "\(n)\(suffix)"
  }
}
