import Foundation

/// A list of dated non-working days read from a small text file: the Dutch days equated with
/// holidays by royal decree, or a mediator's office closures.
///
/// The format is one entry per line, fields separated by commas:
///
/// ```text
/// # Lines starting with '#' and blank lines are ignored.
/// coverage,2023-2028
/// 2026-05-15,Friday after Ascension Day,Royal decree under Atw art. 3(3) (2026-2028)
/// ```
///
/// - `DATE,NAME[,SOURCE]`: a day, its name, and optionally the rule that makes it one (the rest
///   of the line, so a source may itself contain commas).
/// - `coverage,FIRST-LAST`: the years for which the list is complete. A deadline that reaches a
///   year not covered carries a warning, because a decree for that year may exist but is not
///   known here.
public struct HolidayList: Sendable, Hashable {
  /// The days, in date order.
  public private(set) var days: [Holiday]
  /// The years for which the list is declared complete.
  public private(set) var coveredYears: Set<Int>

  /// Creates a list from days and the years it covers.
  public init(days: [Holiday], coveredYears: Set<Int> = []) {
    self.days = days.sorted { $0.date < $1.date }
    self.coveredYears = coveredYears
  }

  /// An empty list covering no year.
  public static let empty = HolidayList(days: [])

  /// Parses the text of a holiday list file.
  ///
  /// - Parameters:
  ///   - text: The file's contents.
  ///   - file: The file's name, for error messages.
  ///   - kind: The kind given to every day read (``Holiday/Kind/decree`` or
  ///     ``Holiday/Kind/closure``).
  ///   - defaultSource: The source of a day whose line names none.
  /// - Throws: ``HolidayListError`` naming the file, the line and what is wrong with it.
  public init(
    parsing text: String, file: String, kind: Holiday.Kind, defaultSource: String
  ) throws(HolidayListError) {
    var days: [Holiday] = []
    var covered: Set<Int> = []
    var seen: [CivilDate: Int] = [:]
    var lineNumber = 0
    // "\r\n" is one Character in Swift, so splitting on `isNewline` handles CRLF files too.
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      lineNumber += 1
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let fields = trimmed.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      func fail(_ message: String) -> HolidayListError {
        HolidayListError(file: file, line: lineNumber, message: message)
      }
      if fields[0] == "coverage" {
        let bounds = fields.count > 1 ? fields[1].split(separator: "-") : []
        guard bounds.count == 2, let first = Int(bounds[0]), let last = Int(bounds[1]),
          first <= last
        else {
          throw fail(
            "coverage must be written 'coverage,FIRST-LAST', for example coverage,2023-2028")
        }
        covered.formUnion(first...last)
        continue
      }
      let date: CivilDate
      do {
        date = try CivilDate(parsing: fields[0])
      } catch {
        throw fail(error.description)
      }
      guard fields.count >= 2, !fields[1].isEmpty else {
        throw fail("\(date) has no name: write DATE,NAME[,SOURCE]")
      }
      if let earlier = seen[date] {
        throw fail("\(date) is listed twice (first on line \(earlier))")
      }
      seen[date] = lineNumber
      let source = fields.count > 2 && !fields[2].isEmpty ? fields[2] : defaultSource
      days.append(Holiday(date: date, name: fields[1], source: source, kind: kind))
    }
    self.init(days: days, coveredYears: covered)
  }

  /// This list with the days and covered years of `other` added; a date in both keeps `other`'s.
  public func merging(_ other: HolidayList) -> HolidayList {
    let replaced = Set(other.days.map(\.date))
    return HolidayList(
      days: days.filter { !replaced.contains($0.date) } + other.days,
      coveredYears: coveredYears.union(other.coveredYears))
  }

  /// The covered years as readable ranges, for example `2023–2028`.
  public var coverageDescription: String {
    let years = coveredYears.sorted()
    guard var start = years.first else { return "no year" }
    var ranges: [String] = []
    var previous = start
    for year in years.dropFirst() {
      if year == previous + 1 {
        previous = year
        continue
      }
      ranges.append(start == previous ? "\(start)" : "\(start)–\(previous)")
      start = year
      previous = year
    }
    ranges.append(start == previous ? "\(start)" : "\(start)–\(previous)")
    return ranges.joined(separator: ", ")
  }
}

extension HolidayList {
  /// The days equated with legal holidays by Dutch royal decree (Atw art. 3(3)), compiled into
  /// the library so it works without the repository beside it.
  ///
  /// The same text is kept in `Workflows/calendars/nl-decree-days.csv`; a test checks that the two
  /// are identical. To add decrees issued after this release, pass a file of your own to
  /// ``CalendarConfiguration/init(profile:communities:closures:extraDecreeDays:)``.
  public static let bundledDutchDecreeDays: HolidayList = {
    do {
      return try HolidayList(
        parsing: bundledDutchDecreeDaysText, file: "nl-decree-days.csv (compiled in)",
        kind: .decree, defaultSource: "NL Atw art. 3(3), royal decree")
    } catch {
      // The text is a constant checked by the test suite; reaching this is a build defect.
      preconditionFailure("The compiled-in decree days do not parse: \(error)")
    }
  }()
}

/// A holiday list file that could not be read: which file, which line, what is wrong.
public struct HolidayListError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file's name as given.
  public let file: String
  /// The 1-based line number.
  public let line: Int
  /// What is wrong with that line.
  public let message: String

  public var description: String { "\(file):\(line): \(message)" }
}
