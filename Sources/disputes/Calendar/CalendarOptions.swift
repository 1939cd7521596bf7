import ArgumentParser
import DisputeEngine
import Foundation

/// Options that change which days a calendar counts as non-working.
struct CalendarOptions: ParsableArguments {
  @Option(
    name: .customLong("community"),
    help: ArgumentHelp(
      "Also treat a Belgian community's day as non-working: flemish (11 July), french "
        + "(27 September) or german (15 November). Repeatable.",
      valueName: "community"),
    transform: choice(BelgianCommunity.self))
  var communities: [BelgianCommunity] = []

  @Option(
    help: ArgumentHelp(
      "A file of closure days (one 'DATE,NAME[,SOURCE]' per line), for example a mediator's "
        + "office closures.",
      valueName: "file"))
  var closures: String?

  @Option(
    name: .customLong("decree-days"),
    help: ArgumentHelp(
      "A file of further days equated with holidays by Dutch royal decree "
        + "('DATE,NAME[,SOURCE]' and 'coverage,FIRST-LAST' lines), added to the compiled-in list.",
      valueName: "file"))
  var decreeDays: String?

  /// The calendar of `profile` with these options; the shared precomputed one when none is set.
  func calendar(for profile: HolidayProfile) throws -> WorkingDayCalendar {
    if communities.isEmpty, closures == nil, decreeDays == nil {
      return .standard(profile)
    }
    let closureList =
      try closures.map { try Self.readList($0, kind: .closure, source: "closure") } ?? .empty
    let decreeList =
      try decreeDays.map {
        try Self.readList($0, kind: .decree, source: "NL Atw art. 3(3), royal decree")
      } ?? .empty
    return WorkingDayCalendar(
      CalendarConfiguration(
        profile: profile, communities: Set(communities), closures: closureList,
        extraDecreeDays: decreeList))
  }

  static func readList(_ path: String, kind: Holiday.Kind, source: String) throws -> HolidayList {
    let text = try InputFile.readText(path)
    do {
      return try HolidayList(parsing: text, file: path, kind: kind, defaultSource: source)
    } catch {
      throw CLIFailure(error.description, status: .dataError)
    }
  }
}

/// Parses a closed set of raw values for an option, listing the accepted ones on failure.
func choice<T: RawRepresentable & CaseIterable & SendableMetatype>(_: T.Type)
  -> @Sendable (String) throws -> T
where T.RawValue == String {
  { text in
    let match =
      T.allCases.first { $0.rawValue == text }
      ?? T.allCases.first { $0.rawValue.lowercased() == text.lowercased() }
    guard let value = match else {
      let accepted = T.allCases.map(\.rawValue).joined(separator: ", ")
      throw ValidationError("'\(text)' is not one of \(accepted)")
    }
    return value
  }
}

/// Reading the values and files a command is given, with the exit status each failure maps to.
enum InputFile {
  /// The text of a file; a missing file is "not found" (66), an unreadable one an I/O error (74).
  static func readText(_ path: String) throws -> String {
    guard FileManager.default.fileExists(atPath: path) else {
      throw CLIFailure("no such file: \(path)", status: .notFound)
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIFailure("cannot read \(path)", status: .ioError)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIFailure("\(path) is not UTF-8 text", status: .dataError)
    }
    return text
  }
}

/// Parsing values given on the command line.
enum Values {
  static func profile(_ text: String) throws -> HolidayProfile {
    do {
      return try HolidayProfile(parsing: text)
    } catch {
      throw CLIFailure(error.description, status: .usage)
    }
  }

  static func date(_ text: String) throws -> CivilDate {
    do {
      return try CivilDate(parsing: text)
    } catch {
      throw CLIFailure(error.description, status: .dataError)
    }
  }

  static func trigger(_ text: String) throws -> DeadlineTrigger {
    do {
      return try DeadlineTrigger(parsing: text)
    } catch let error as CivilDateError {
      throw CLIFailure(error.description, status: .dataError)
    } catch let error as InstantParseError {
      throw CLIFailure(error.description, status: .dataError)
    }
  }

  /// Runs a calendar query, turning its typed error into a one-line failure.
  static func calendar<T>(_ body: () throws(CalendarError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      switch error {
      case .unknownCalendar, .negativePeriod, .hoursNeedTimeOfDay:
        throw CLIFailure(error.description, status: .usage)
      case .dateOutOfRange, .yearOutOfRange, .resultOutOfRange:
        throw CLIFailure(error.description, status: .dataError)
      }
    }
  }
}
