public import Foundation

/// Converting between instants (`Date`, stored in UTC) and civil days in a time zone, and
/// reading and writing ISO 8601 timestamps.
///
/// Only this file turns instants into civil dates, so the time-zone edge stays in one place.
public enum Instants {
  /// The civil day on which `instant` falls in `timeZone`.
  public static func civilDate(of instant: Date, in timeZone: TimeZone) -> CivilDate {
    let local = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
    return CivilDate(dayNumber: Int((local / 86_400).rounded(.down)))
  }

  /// The instant at which `date` begins (local midnight) in `timeZone`.
  ///
  /// European daylight-saving changes happen at 01:00 UTC, never at local midnight, so local
  /// midnight always exists exactly once; the two-step offset lookup also covers zones whose
  /// offset changes near midnight.
  public static func startOfDay(_ date: CivilDate, in timeZone: TimeZone) -> Date {
    let localMidnight = Double(date.dayNumber) * 86_400
    let guess =
      localMidnight
      - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: localMidnight)))
    let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: guess))
    return Date(timeIntervalSince1970: localMidnight - Double(offset))
  }

  /// The last millisecond of `date` in `timeZone` (23:59:59.999 local time): when a period in
  /// days that ends on `date` expires.
  public static func endOfDay(_ date: CivilDate, in timeZone: TimeZone) -> Date {
    let next = startOfDay(date.adding(days: 1), in: timeZone)
    return milliseconds(Int((next.timeIntervalSince1970 * 1000).rounded()) - 1)
  }

  /// The instant `count` milliseconds after 1970-01-01T00:00:00Z. Instants in this product are
  /// millisecond-exact, so the same text always gives the same `Date`.
  public static func milliseconds(_ count: Int) -> Date {
    Date(timeIntervalSince1970: Double(count) / 1000)
  }

  /// The time zone with this IANA identifier.
  static func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else {
      // The identifiers are the two constants of `Jurisdiction`; without them the system's
      // time-zone data is missing, which no deadline can be computed without.
      preconditionFailure("time zone \(identifier) is not available on this system")
    }
    return zone
  }

  /// Formats an instant as ISO 8601 in UTC with milliseconds: `2026-12-31T22:59:59.999Z`.
  public static func iso8601(_ instant: Date) -> String {
    let text = String(unsafeUninitializedCapacity: 24) { writeISO8601(instant, into: $0) ?? 0 }
    if !text.isEmpty { return text }
    // A year outside 0...9999.
    let (date, inDay) = split(instant)
    func pad(_ value: Int, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return
      "\(date)T\(pad(inDay / 3_600_000, 2)):\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))Z"
  }

  /// ``iso8601(_:)`` written digit by digit into `buffer`, which must hold 24 bytes, without
  /// making a string (a bulk replay writes one for every deadline it projects).
  ///
  /// - Returns: The number of bytes written (24), or `nil` for a year outside 0...9999, which
  ///   only ``iso8601(_:)`` writes.
  public static func writeISO8601(_ instant: Date, into buffer: UnsafeMutableBufferPointer<UInt8>)
    -> Int?
  {
    precondition(buffer.count >= 24, "an ISO 8601 instant takes 24 bytes")
    let (date, inDay) = split(instant)
    guard (0...9999).contains(date.year) else { return nil }
    writeDigits(date.year, width: 4, into: buffer, at: 0)
    buffer[4] = UInt8(ascii: "-")
    writeDigits(date.month, width: 2, into: buffer, at: 5)
    buffer[7] = UInt8(ascii: "-")
    writeDigits(date.day, width: 2, into: buffer, at: 8)
    buffer[10] = UInt8(ascii: "T")
    writeDigits(inDay / 3_600_000, width: 2, into: buffer, at: 11)
    buffer[13] = UInt8(ascii: ":")
    writeDigits(inDay / 60_000 % 60, width: 2, into: buffer, at: 14)
    buffer[16] = UInt8(ascii: ":")
    writeDigits(inDay / 1000 % 60, width: 2, into: buffer, at: 17)
    buffer[19] = UInt8(ascii: ".")
    writeDigits(inDay % 1000, width: 3, into: buffer, at: 20)
    buffer[23] = UInt8(ascii: "Z")
    return 24
  }

  /// The UTC day of an instant and the milliseconds into it.
  private static func split(_ instant: Date) -> (date: CivilDate, inDay: Int) {
    let milliseconds = Int((instant.timeIntervalSince1970 * 1000).rounded())
    let days = Int((Double(milliseconds) / 86_400_000).rounded(.down))
    return (CivilDate(dayNumber: days), milliseconds - days * 86_400_000)
  }

  /// Formats an instant in `timeZone` as `2026-12-31 23:59:59.999 CET`-style local text,
  /// for explanations.
  public static func localDescription(_ instant: Date, in timeZone: TimeZone) -> String {
    let offset = timeZone.secondsFromGMT(for: instant)
    let shifted = iso8601(instant.addingTimeInterval(Double(offset)))
    let sign = offset < 0 ? "-" : "+"
    let hours = abs(offset) / 3600
    let minutes = abs(offset) / 60 % 60
    let offsetText = "\(sign)\(hours < 10 ? "0" : "")\(hours):\(minutes < 10 ? "0" : "")\(minutes)"
    return shifted.dropLast().replacingOccurrences(of: "T", with: " ") + " " + offsetText
  }

  /// Parses an ISO 8601 timestamp with an offset, strictly: `YYYY-MM-DDTHH:MM[:SS[.fff]]`
  /// followed by `Z` or `±HH:MM`. Fractions finer than a millisecond are truncated.
  ///
  /// - Throws: ``InstantParseError`` saying what is wrong.
  public static func parse(_ text: String) throws(InstantParseError) -> Date {
    if let date = text.utf8.withContiguousStorageIfAvailable(canonical(utf8:)), let date {
      return date
    }
    let bytes = Array(text.utf8)
    func fail(_ reason: String) -> InstantParseError {
      InstantParseError(text: text, reason: reason)
    }
    guard bytes.count >= 17, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ")
    else {
      throw fail("expected YYYY-MM-DDTHH:MM with an offset, for example 2026-12-23T14:30+01:00")
    }
    let date: CivilDate
    do {
      date = try CivilDate(parsing: text.prefix(10))
    } catch {
      throw fail(error.description)
    }
    var index = 11
    func digits(_ count: Int) -> Int? {
      guard index + count <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[index..<index + count] {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      index += count
      return value
    }
    func skip(_ character: Character) -> Bool {
      guard index < bytes.count, bytes[index] == character.asciiValue! else { return false }
      index += 1
      return true
    }
    guard let hour = digits(2), skip(":"), let minute = digits(2) else {
      throw fail("the time must be HH:MM")
    }
    var second = 0
    var fraction = 0.0
    if skip(":") {
      guard let value = digits(2) else { throw fail("the seconds must be two digits") }
      second = value
      if skip(".") {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"),
          bytes[index] <= UInt8(ascii: "9")
        {
          index += 1
        }
        guard index > start,
          let value = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self))
        else { throw fail("the fraction of a second must have digits") }
        fraction = value
      }
    }
    guard hour < 24, minute < 60, second < 60 else {
      throw fail("\(hour):\(minute):\(second) is not a time of day")
    }
    var offsetSeconds = 0
    if skip("Z") || skip("z") {
      offsetSeconds = 0
    } else if index < bytes.count,
      bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
    {
      let negative = bytes[index] == UInt8(ascii: "-")
      index += 1
      guard let offsetHours = digits(2), skip(":"), let offsetMinutes = digits(2),
        offsetHours < 24, offsetMinutes < 60
      else { throw fail("the offset must be ±HH:MM") }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (negative ? -1 : 1)
    } else {
      throw fail("a time needs an offset, Z or ±HH:MM (a bare date means the whole local day)")
    }
    guard index == bytes.count else { throw fail("unexpected text after the offset") }
    let seconds = date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
    return milliseconds(seconds * 1000 + Int((fraction * 1000).rounded(.down)))
  }
}

extension Instants {
  /// Reads the canonical form ``iso8601(_:)`` writes, `YYYY-MM-DDTHH:MM:SS.fffZ`, from UTF-8
  /// bytes without allocating (for bulk decoding); `nil` for any other text, which
  /// ``parse(_:)`` reads or explains.
  public static func canonical(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Date? {
    guard bytes.count == 24, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
      bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."),
      bytes[23] == UInt8(ascii: "Z"),
      let date = CivilDate(utf8: UnsafeBufferPointer(rebasing: bytes[0..<10])),
      let hour = CivilDate.digits(bytes, 11, 2), hour < 24,
      let minute = CivilDate.digits(bytes, 14, 2), minute < 60,
      let second = CivilDate.digits(bytes, 17, 2), second < 60,
      let millisecond = CivilDate.digits(bytes, 20, 3)
    else { return nil }
    let seconds = date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second
    return milliseconds(seconds * 1000 + millisecond)
  }
}

/// A timestamp that is not strict ISO 8601 with an offset.
public struct InstantParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The text refused.
  public let text: String
  /// What is wrong with it.
  public let reason: String

  public var description: String { "'\(text)' is not a date-time: \(reason)" }
}
