import Foundation

/// A day that is not a working day on some calendar, with the rule that makes it so.
public struct Holiday: Sendable, Hashable, Codable {
  /// What kind of rule makes the day a non-working day.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// Named by statute (Atw art. 3(1)–(2); the Belgian law of 4 January 1974).
    case legal
    /// Equated with a legal holiday by royal decree (Atw art. 3(3)).
    case decree
    /// A Belgian community's holiday, opted into.
    case community
    /// An office closure supplied by the caller, for example a mediator's.
    case closure
  }

  /// The day.
  public let date: CivilDate
  /// Its English name, for example `Christmas Day`.
  public let name: String
  /// The legal source or origin, for example `NL Atw art. 3(1)`.
  public let source: String
  /// The kind of rule.
  public let kind: Kind

  /// Creates a holiday.
  public init(date: CivilDate, name: String, source: String, kind: Kind) {
    self.date = date
    self.name = name
    self.source = source
    self.kind = kind
  }

  /// `Christmas Day — NL Atw art. 3(1)`: how an explanation names the day.
  public var reason: String { "\(name) — \(source)" }
}

/// The holiday rules a calendar follows.
public enum HolidayProfile: String, Sendable, Hashable, Codable, CaseIterable {
  /// The Netherlands under the Algemene termijnenwet: the art. 3 list, Good Friday, 5 May every
  /// year since 1982, and the days equated by royal decree.
  case netherlands = "NL"
  /// The Netherlands' public holidays only: no decree days, and 5 May only every fifth year.
  case netherlandsPublic = "NL-public"
  /// Belgium's ten legal holidays (law of 4 January 1974; royal decree of 18 April 1974).
  case belgium = "BE"

  /// The country whose time zone and courts the profile belongs to.
  public var jurisdiction: Jurisdiction {
    switch self {
    case .netherlands, .netherlandsPublic: .netherlands
    case .belgium: .belgium
    }
  }

  /// Parses a profile name case-insensitively: `NL`, `NL-public`, `BE`.
  ///
  /// - Throws: ``CalendarError/unknownCalendar(_:)`` naming the text and the known profiles.
  public init(parsing text: String) throws(CalendarError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard
      let profile = Self.allCases.first(where: { $0.rawValue.lowercased() == trimmed.lowercased() })
    else { throw .unknownCalendar(text) }
    self = profile
  }
}

/// A country whose courts and calendars this product knows.
public enum Jurisdiction: String, Sendable, Hashable, Codable, CaseIterable {
  /// The Netherlands.
  case netherlands = "NL"
  /// Belgium.
  case belgium = "BE"

  /// The IANA time zone whose local day ends a deadline.
  public var timeZoneIdentifier: String {
    switch self {
    case .netherlands: "Europe/Amsterdam"
    case .belgium: "Europe/Brussels"
    }
  }

  /// The default holiday profile for parties seated in this country.
  public var defaultProfile: HolidayProfile {
    switch self {
    case .netherlands: .netherlands
    case .belgium: .belgium
    }
  }
}

/// A Belgian community whose holiday a calendar may opt into. These days are not legal
/// holidays; they are days off for that community's public services.
public enum BelgianCommunity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// The Flemish Community: 11 July.
  case flemish
  /// The French Community: 27 September.
  case french
  /// The German-speaking Community: 15 November.
  case german

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The community's day in `year`.
  public func holiday(in year: Int) -> Holiday {
    switch self {
    case .flemish:
      Holiday(
        date: CivilDate(unchecked: year, 7, 11), name: "Day of the Flemish Community",
        source: "BE Flemish Community holiday (opt-in; not a legal holiday)", kind: .community)
    case .french:
      Holiday(
        date: CivilDate(unchecked: year, 9, 27), name: "Day of the French Community",
        source: "BE French Community holiday (opt-in; not a legal holiday)", kind: .community)
    case .german:
      Holiday(
        date: CivilDate(unchecked: year, 11, 15), name: "Day of the German-speaking Community",
        source: "BE German-speaking Community holiday (opt-in; not a legal holiday)",
        kind: .community)
    }
  }
}

/// The statutory holiday rules, computed per year.
enum HolidayRules {
  /// Easter Sunday in the Gregorian calendar, by the anonymous computus (Meeus/Jones/Butcher).
  static func easterSunday(year: Int) -> CivilDate {
    let a = year % 19
    let b = year / 100
    let c = year % 100
    let d = b / 4
    let e = b % 4
    let f = (b + 8) / 25
    let g = (b - f + 1) / 3
    let h = (19 * a + b - d - g + 15) % 30
    let i = c / 4
    let k = c % 4
    let l = (32 + 2 * e + 2 * i - h - k) % 7
    let m = (a + 11 * h + 22 * l) / 451
    let month = (h + l - 7 * m + 114) / 31
    let day = (h + l - 7 * m + 114) % 31 + 1
    return CivilDate(unchecked: year, month, day)
  }

  static let atw = "NL Atw art. 3(1)"
  static let atwGoodFriday = "NL Atw art. 3(2)"
  static let belgianLaw = "BE Law of 4 January 1974; RD 18 April 1974 art. 1"

  /// The statutory holidays of `profile` in `year` (no decree, community or closure days).
  static func statutoryHolidays(_ profile: HolidayProfile, year: Int) -> [Holiday] {
    let easter = easterSunday(year: year)
    func day(_ month: Int, _ day: Int, _ name: String, _ source: String) -> Holiday {
      Holiday(
        date: CivilDate(unchecked: year, month, day), name: name, source: source, kind: .legal)
    }
    func fromEaster(_ offset: Int, _ name: String, _ source: String) -> Holiday {
      Holiday(date: easter.adding(days: offset), name: name, source: source, kind: .legal)
    }
    switch profile {
    case .netherlands, .netherlandsPublic:
      var days = [
        day(1, 1, "New Year's Day", atw),
        fromEaster(-2, "Good Friday", atwGoodFriday),
        fromEaster(1, "Easter Monday", atw),
        monarchsDay(year: year),
        fromEaster(39, "Ascension Day", atw),
        fromEaster(50, "Whit Monday", atw),
        day(12, 25, "Christmas Day", atw),
        day(12, 26, "Second Christmas Day", atw),
      ]
      let liberationDay =
        profile == .netherlands ? year >= 1982 : year % 5 == 0
      if liberationDay {
        let source =
          profile == .netherlands ? atw : "NL public holiday in lustrum years (every fifth year)"
        days.append(day(5, 5, "Liberation Day", source))
      }
      return days.sorted { $0.date < $1.date }
    case .belgium:
      var ascension = fromEaster(39, "Ascension Day", belgianLaw)
      if year == 2008 {
        // Ascension Day 2008 fell on 1 May, already Labour Day; the next day replaced it.
        ascension = day(
          5, 2, "Ascension Day replacement (Ascension fell on 1 May)",
          "BE RD 3 June 2007 (2 May 2008 in place of Ascension Day)")
      }
      return [
        day(1, 1, "New Year's Day", belgianLaw),
        fromEaster(1, "Easter Monday", belgianLaw),
        day(5, 1, "Labour Day", belgianLaw),
        ascension,
        fromEaster(50, "Whit Monday", belgianLaw),
        day(7, 21, "National Day", belgianLaw),
        day(8, 15, "Assumption Day", belgianLaw),
        day(11, 1, "All Saints' Day", belgianLaw),
        day(11, 11, "Armistice Day", belgianLaw),
        day(12, 25, "Christmas Day", belgianLaw),
      ].sorted { $0.date < $1.date }
    }
  }

  /// King's Day since 2014, Queen's Day before, with the historical Sunday moves.
  static func monarchsDay(year: Int) -> Holiday {
    if year >= 2014 {
      let date = CivilDate(unchecked: year, 4, 27)
      let moved = date.weekday == .sunday
      return Holiday(
        date: moved ? date.adding(days: -1) : date,
        name: moved ? "King's Day (27 April is a Sunday)" : "King's Day",
        source: atw, kind: .legal)
    }
    let date = CivilDate(unchecked: year, 4, 30)
    guard date.weekday == .sunday else {
      return Holiday(date: date, name: "Queen's Day", source: atw, kind: .legal)
    }
    // A Sunday moved the celebration to Monday 1 May before 1980, to Saturday 29 April after.
    return Holiday(
      date: date.adding(days: year < 1980 ? 1 : -1), name: "Queen's Day (30 April is a Sunday)",
      source: atw, kind: .legal)
  }
}
