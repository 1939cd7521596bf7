import ArgumentParser
import DisputeEngine
import Foundation

/// `disputes calendar deadline --batch`: streams CSV lines from stdin to stdout, one process for
/// any number of lines.
struct DeadlineBatch {
  let regime: Regime
  let calendarOptions: CalendarOptions

  func run() throws {
    var calendars: [HolidayProfile: WorkingDayCalendar] = [:]
    var output = OutputBuffer()
    var failures = 0
    var lineNumber = 0
    while let rawLine = readLine(strippingNewline: true) {
      lineNumber += 1
      let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
      if line.isEmpty {
        output.append("\n")
        continue
      }
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      if lineNumber == 1, Self.isHeader(fields) {
        output.append(line + ",deadline\n")
        continue
      }
      do {
        guard fields.count == 3 else {
          throw CLIFailure(
            "expected 'jurisdiction,from,workingDays', found \(fields.count) fields",
            status: .dataError)
        }
        let profile = try Values.profile(fields[0])
        let date = try Values.date(fields[1])
        guard let count = Int(fields[2]) else {
          throw CLIFailure(
            "'\(fields[2])' is not a whole number of working days", status: .dataError)
        }
        guard count >= 0 else {
          throw CLIFailure(
            "a period cannot be negative (\(count) working days)", status: .dataError)
        }
        let calendar: WorkingDayCalendar
        if let cached = calendars[profile] {
          calendar = cached
        } else {
          calendar = try calendarOptions.calendar(for: profile)
          calendars[profile] = calendar
        }
        // Working-day periods never roll over and need no minimum, so every regime gives the
        // n-th working day; the regime is still validated once, on the command line.
        let deadline = try Values.calendar { () throws(CalendarError) in
          try calendar.addingWorkingDays(count, to: date)
        }
        output.append(line + "," + deadline.description + "\n")
      } catch let failure as CLIFailure {
        failures += 1
        output.append(line + ",\n")
        output.flush()
        Terminal.standardError.writeLine("error: stdin line \(lineNumber): \(failure.message)")
      }
    }
    output.flush()
    if failures > 0 {
      Terminal.standardError.writeLine("error: \(failures) of \(lineNumber) lines had no deadline")
      throw ExitCode(ExitStatus.dataError.rawValue)
    }
  }

  /// A first line whose date and count fields are neither a date nor a number is a header.
  static func isHeader(_ fields: [String]) -> Bool {
    guard fields.count == 3 else { return false }
    return (try? CivilDate(parsing: fields[1])) == nil && Int(fields[2]) == nil
      && (try? HolidayProfile(parsing: fields[0])) == nil
  }
}

/// Collects output and writes it to stdout in large blocks.
struct OutputBuffer {
  private var bytes: [UInt8] = []

  init() { bytes.reserveCapacity(1 << 16) }

  mutating func append(_ text: String) {
    bytes.append(contentsOf: text.utf8)
    if bytes.count >= 1 << 16 { flush() }
  }

  mutating func flush() {
    guard !bytes.isEmpty else { return }
    FileHandle.standardOutput.write(Data(bytes))
    bytes.removeAll(keepingCapacity: true)
  }
}
