/// A day in the proleptic Gregorian calendar, with no time of day and no time zone.
///
/// Deadlines in this product are counted in civil days (Atw art. 1, Judicial Code art. 52,
/// Regulation 1182/71 art. 3), so a civil date is its own value type and calendar arithmetic is
/// never done on `Date`. A value keeps both its components and its ``dayNumber``, a compact
/// ordinal (days since 1970-01-01), so comparison and day arithmetic are integer operations.
///
/// ```swift
/// let received = try CivilDate(parsing: "2026-12-23")
/// received.weekday            // .wednesday
/// received.adding(days: 8)    // 2026-12-31
/// ```
public struct CivilDate: Sendable, Hashable, Comparable {
  /// The calendar year, for example `2026`.
  public let year: Int
  /// The month, 1 (January) through 12 (December).
  public let month: Int
  /// The day of the month, 1 through 31.
  public let day: Int
  /// Days since 1970-01-01 (which has day number 0); negative before it.
  public let dayNumber: Int

  /// The years a civil date may have: wide enough for any plausible record, narrow enough that
  /// the day number never overflows.
  public static let representableYears: ClosedRange<Int> = 1...9999

  /// Creates a date from its components, validating them.
  ///
  /// - Throws: ``CivilDateError`` naming the component that is wrong, for example
  ///   `2026-02-30: February 2026 has 28 days`.
  public init(year: Int, month: Int, day: Int) throws(CivilDateError) {
    guard Self.representableYears.contains(year) else {
      throw CivilDateError(
        text: Self.format(year: year, month: month, day: day),
        reason: .yearNotRepresentable(year))
    }
    guard (1...12).contains(month) else {
      throw CivilDateError(
        text: Self.format(year: year, month: month, day: day), reason: .monthOutOfRange(month))
    }
    let length = Self.daysInMonth(year: year, month: month)
    guard (1...length).contains(day) else {
      throw CivilDateError(
        text: Self.format(year: year, month: month, day: day),
        reason: .dayOutOfRange(day: day, month: month, year: year, daysInMonth: length))
    }
    self.init(unchecked: year, month, day)
  }

  /// Creates the date with the given day number (days since 1970-01-01).
  public init(dayNumber: Int) {
    // Inverse of `daysFromCivil`, after Howard Hinnant's public-domain "civil_from_days".
    let z = dayNumber + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    self.year = year
    self.month = month
    self.day = day
    self.dayNumber = dayNumber
  }

  /// Components already known to be valid.
  init(unchecked year: Int, _ month: Int, _ day: Int) {
    self.year = year
    self.month = month
    self.day = day
    self.dayNumber = Self.daysFromCivil(year: year, month: month, day: day)
  }

  public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.dayNumber < rhs.dayNumber }
  public static func == (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.dayNumber == rhs.dayNumber }
  public func hash(into hasher: inout Hasher) { hasher.combine(dayNumber) }

  /// The ISO 8601 weekday of this date.
  public var weekday: Weekday {
    // 1970-01-01 was a Thursday (ISO weekday 4).
    let index = ((dayNumber + 3) % 7 + 7) % 7  // 0 = Monday
    return Weekday(rawValue: index + 1)!
  }

  /// `true` on Saturdays and Sundays.
  public var isWeekend: Bool { weekday.isWeekend }

  /// The date `days` days later (earlier when negative).
  public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

  /// The number of days from this date to `other` (positive when `other` is later).
  public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

  /// The same day of the month `months` months later; when that month is shorter, its last day.
  ///
  /// `2026-01-31` plus one month is `2026-02-28`; `2028-01-31` plus one month is `2028-02-29`.
  public func adding(months: Int) -> CivilDate {
    let (targetYear, targetMonth) = Self.shift(year: year, month: month, by: months)
    let lastDay = Self.daysInMonth(year: targetYear, month: targetMonth)
    return CivilDate(unchecked: targetYear, targetMonth, min(day, lastDay))
  }

  /// The last day of this date's month.
  public var lastDayOfMonth: CivilDate {
    CivilDate(unchecked: year, month, Self.daysInMonth(year: year, month: month))
  }

  /// `true` when `year` is a Gregorian leap year.
  public static func isLeapYear(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  /// The number of days in the given month.
  public static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  static func shift(year: Int, month: Int, by months: Int) -> (year: Int, month: Int) {
    let zeroBased = year * 12 + (month - 1) + months
    let newYear = zeroBased >= 0 ? zeroBased / 12 : (zeroBased - 11) / 12
    return (newYear, zeroBased - newYear * 12 + 1)
  }

  /// Days since 1970-01-01, after Howard Hinnant's public-domain "days_from_civil".
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  static func format(year: Int, month: Int, day: Int) -> String {
    if (0...9999).contains(year), (0...99).contains(month), (0...99).contains(day) {
      // The usual case, written digit by digit into the string's own storage.
      return String(unsafeUninitializedCapacity: 10) { buffer in
        writeDigits(year, width: 4, into: buffer, at: 0)
        buffer[4] = UInt8(ascii: "-")
        writeDigits(month, width: 2, into: buffer, at: 5)
        buffer[7] = UInt8(ascii: "-")
        writeDigits(day, width: 2, into: buffer, at: 8)
        return 10
      }
    }
    func pad(_ value: Int, _ width: Int) -> String {
      let digits = String(abs(value))
      let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
      return value < 0 ? "-" + padded : padded
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }
}

/// Writes a non-negative `value` as `width` decimal digits, zero-padded, from `offset`.
func writeDigits(
  _ value: Int, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int
) {
  var rest = value
  for index in stride(from: offset + width - 1, through: offset, by: -1) {
    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
    rest /= 10
  }
}

extension CivilDate: CustomStringConvertible {
  /// The date as `YYYY-MM-DD`.
  public var description: String { Self.format(year: year, month: month, day: day) }

  /// ``description`` written into `buffer`, which must hold 10 bytes, without making a string.
  ///
  /// - Returns: The number of bytes written (10), or `nil` for a year outside 0...9999, which
  ///   only ``description`` writes.
  public func write(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
    precondition(buffer.count >= 10, "a date takes 10 bytes")
    guard (0...9999).contains(year) else { return nil }
    writeDigits(year, width: 4, into: buffer, at: 0)
    buffer[4] = UInt8(ascii: "-")
    writeDigits(month, width: 2, into: buffer, at: 5)
    buffer[7] = UInt8(ascii: "-")
    writeDigits(day, width: 2, into: buffer, at: 8)
    return 10
  }
}

extension CivilDate: Codable {
  /// Decodes a `YYYY-MM-DD` string, strictly.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      self = try CivilDate(parsing: text)
    } catch {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: error.description)
    }
  }

  /// Encodes the date as a `YYYY-MM-DD` string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

extension CivilDate {
  /// Parses an ISO 8601 calendar date in its extended form, `YYYY-MM-DD`, strictly.
  ///
  /// Exactly four year digits, two month digits and two day digits with hyphens; no sign, no
  /// surrounding spaces, no time. The date must exist: `2026-02-30` is refused because February
  /// 2026 has 28 days.
  ///
  /// - Throws: ``CivilDateError`` with the text and the reason it is not a date.
  public init(parsing text: some StringProtocol) throws(CivilDateError) {
    if let date = text.utf8.withContiguousStorageIfAvailable(CivilDate.init(utf8:)), let date {
      self = date
      return
    }
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      throw CivilDateError(text: String(text), reason: .malformed)
    }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for index in range {
        let byte = bytes[index]
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else {
      throw CivilDateError(text: String(text), reason: .malformed)
    }
    do {
      try self.init(year: year, month: month, day: day)
    } catch {
      throw CivilDateError(text: String(text), reason: error.reason)
    }
  }
}

extension CivilDate {
  /// Reads `YYYY-MM-DD` from UTF-8 bytes, as strictly as ``init(parsing:)`` but without
  /// allocating (for bulk decoding); `nil` when the bytes are not a date that exists.
  public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      return nil
    }
    // The eight digits, each checked on its own (a byte below "0" wraps round to a large
    // value): a bulk replay reads four dates for every deadline, so no loop and no error value.
    let zero = UInt8(ascii: "0")
    let (y0, y1, y2, y3) = (bytes[0] &- zero, bytes[1] &- zero, bytes[2] &- zero, bytes[3] &- zero)
    let (m0, m1, d0, d1) = (bytes[5] &- zero, bytes[6] &- zero, bytes[8] &- zero, bytes[9] &- zero)
    guard y0 < 10, y1 < 10, y2 < 10, y3 < 10, m0 < 10, m1 < 10, d0 < 10, d1 < 10 else {
      return nil
    }
    let year = Int(y0) * 1000 + Int(y1) * 100 + Int(y2) * 10 + Int(y3)
    let month = Int(m0) * 10 + Int(m1)
    let day = Int(d0) * 10 + Int(d1)
    guard Self.representableYears.contains(year), (1...12).contains(month), day >= 1,
      day <= Self.daysInMonth(year: year, month: month)
    else { return nil }
    self.init(unchecked: year, month, day)
  }

  /// The decimal number in `count` bytes from `start`, or `nil` when one is not a digit.
  static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
    var value = 0
    for index in start..<start + count {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      value = value * 10 + Int(digit)
    }
    return value
  }
}

/// Why a text or a set of components is not a civil date.
public struct CivilDateError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The reasons a date can be refused.
  public enum Reason: Sendable, Equatable {
    /// Not of the form `YYYY-MM-DD`.
    case malformed
    /// The year cannot be represented (outside 1...9999).
    case yearNotRepresentable(Int)
    /// The month is not 1 through 12.
    case monthOutOfRange(Int)
    /// The day does not exist in that month.
    case dayOutOfRange(day: Int, month: Int, year: Int, daysInMonth: Int)
  }

  /// The text (or formatted components) that was refused.
  public let text: String
  /// Why it was refused.
  public let reason: Reason

  public var description: String {
    switch reason {
    case .malformed:
      "'\(text)' is not a date: expected YYYY-MM-DD, for example 2026-12-23"
    case .yearNotRepresentable(let year):
      "'\(text)' is not a date: year \(year) is outside 0001...9999"
    case .monthOutOfRange(let month):
      "'\(text)' is not a date: month \(month) is not between 01 and 12"
    case .dayOutOfRange(let day, let month, let year, let length):
      "'\(text)' is not a date: \(Self.monthNames[month - 1]) \(year) has \(length) days, not \(day)"
    }
  }

  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]
}

/// A day of the week, numbered as in ISO 8601 (Monday = 1 … Sunday = 7).
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Codable {
  case monday = 1
  case tuesday, wednesday, thursday, friday, saturday, sunday

  /// `true` for Saturday and Sunday.
  public var isWeekend: Bool { self == .saturday || self == .sunday }

  /// The English name, for example `Saturday`.
  public var name: String {
    switch self {
    case .monday: "Monday"
    case .tuesday: "Tuesday"
    case .wednesday: "Wednesday"
    case .thursday: "Thursday"
    case .friday: "Friday"
    case .saturday: "Saturday"
    case .sunday: "Sunday"
    }
  }

  /// The three-letter abbreviation, for example `Sat`.
  public var abbreviation: String { String(name.prefix(3)) }
}
