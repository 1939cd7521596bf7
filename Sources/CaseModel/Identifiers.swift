public import WorkingDays

/// A case's stable identifier, assigned when it is opened (a UUID string in the engine).
public struct CaseID: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The identifier's text.
  public let rawValue: String

  /// Wraps an identifier.
  public init(_ rawValue: String) { self.rawValue = rawValue }

  public var description: String { rawValue }

  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// A case's readable reference: the scheme's prefix, the year the shop received the complaint,
/// and a sequence number within that scheme and year, for example `WWK-2026-00123`.
public struct CaseReference: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The scheme's prefix, for example `WWK`.
  public let prefix: String
  /// The year of the complaint's receipt.
  public let year: Int
  /// The sequence number within the scheme and year, from 1.
  public let sequence: Int

  /// Creates a reference.
  public init(prefix: String, year: Int, sequence: Int) {
    self.prefix = prefix
    self.year = year
    self.sequence = sequence
  }

  /// `WWK-2026-00123`.
  public var description: String {
    let digits = String(sequence)
    return "\(prefix)-\(year)-\(String(repeating: "0", count: max(0, 5 - digits.count)))\(digits)"
  }

  /// ``description`` written into `buffer` without making a string (a bulk replay writes one
  /// for every case).
  ///
  /// - Returns: The number of bytes written, or `nil` when they do not fit or the year is not
  ///   four digits; ``description`` writes those.
  public func write(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
    guard (1000...9999).contains(year), sequence >= 0 else { return nil }
    var width = 5  // the sequence, zero-padded to five digits
    var rest = sequence / 100_000
    while rest > 0 {
      width += 1
      rest /= 10
    }
    func digits(_ value: Int, endingAt end: Int, width: Int) {
      var rest = value
      for index in stride(from: end - 1, through: end - width, by: -1) {
        buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      }
    }
    var prefix = prefix
    return prefix.withUTF8 { letters -> Int? in
      let count = letters.count + 6 + width
      guard count <= buffer.count else { return nil }
      _ = UnsafeMutableBufferPointer(rebasing: buffer[..<letters.count]).initialize(from: letters)
      buffer[letters.count] = UInt8(ascii: "-")
      digits(year, endingAt: letters.count + 5, width: 4)
      buffer[letters.count + 5] = UInt8(ascii: "-")
      digits(sequence, endingAt: count, width: width)
      return count
    }
  }

  /// Parses `PREFIX-YEAR-NUMBER`; `nil` when the text is not of that form.
  public init?(parsing text: String) {
    if let reference = Self.parseASCII(text) {
      self = reference
      return
    }
    let parts = text.split(separator: "-")
    guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(\.isLetter),
      parts[1].count == 4, let year = Int(parts[1]), let sequence = Int(parts[2]), sequence > 0
    else { return nil }
    self.init(prefix: parts[0].uppercased(), year: year, sequence: sequence)
  }

  /// ``init(parsing:)`` for the usual case of an ASCII prefix, read from the bytes (every
  /// case opening in a bulk replay has one); `nil` sends anything else to the general parser.
  private static func parseASCII(_ text: String) -> CaseReference? {
    var text = text
    return text.withUTF8 { bytes -> CaseReference? in
      func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
      func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
      var index = 0
      while index < bytes.count, isLetter(bytes[index]) { index += 1 }
      let prefixEnd = index
      guard prefixEnd > 0, bytes.count - prefixEnd >= 7, bytes[prefixEnd] == 0x2D,
        bytes[prefixEnd + 5] == 0x2D
      else { return nil }
      var year = 0
      for offset in prefixEnd + 1..<prefixEnd + 5 {
        guard isDigit(bytes[offset]) else { return nil }
        year = year * 10 + Int(bytes[offset] - 0x30)
      }
      let digits = bytes[(prefixEnd + 6)...]
      guard digits.count <= 18, digits.allSatisfy(isDigit) else { return nil }
      let sequence = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
      guard sequence > 0 else { return nil }
      let prefix = String(
        decoding: bytes[..<prefixEnd].map { $0 & ~0x20 }, as: UTF8.self)
      return CaseReference(prefix: prefix, year: year, sequence: sequence)
    }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let reference = CaseReference(parsing: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "'\(text)' is not a case reference like WWK-2026-00123")
    }
    self = reference
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// An ISO 3166-1 alpha-2 country code, for example `NL`, `BE` or `DE`.
public struct CountryCode: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The two upper-case letters.
  public let rawValue: String

  /// Validates and upper-cases a two-letter code; `nil` for anything else.
  public init?(_ text: String) {
    let utf8 = text.utf8
    if utf8.count == 2, let first = utf8.first, let last = utf8.last,
      (first | 0x20) &- 0x61 < 26, (last | 0x20) &- 0x61 < 26
    {
      // Two ASCII letters, the usual case: upper-cased without the general machinery.
      rawValue = String(decoding: [first & ~0x20, last & ~0x20], as: UTF8.self)
      return
    }
    let upper = text.uppercased()
    guard upper.count == 2, upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
      return nil
    }
    rawValue = upper
  }

  /// The Netherlands.
  public static let netherlands = CountryCode(jurisdiction: .netherlands)
  /// Belgium.
  public static let belgium = CountryCode(jurisdiction: .belgium)

  /// The country of a jurisdiction this product knows.
  public init(jurisdiction: Jurisdiction) { rawValue = jurisdiction.rawValue }

  /// The jurisdiction, when this product has its calendar (NL, BE).
  public var jurisdiction: Jurisdiction? { Jurisdiction(rawValue: rawValue) }

  public var description: String { rawValue }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let code = CountryCode(text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "'\(text)' is not a two-letter country code")
    }
    self = code
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}

/// An amount of money in euro cents.
public struct Money: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  /// The amount in cents.
  public let cents: Int

  /// Creates an amount from cents.
  public init(cents: Int) { self.cents = cents }

  /// Parses `25`, `25.5` or `25.50` (euros, at most two decimals); `nil` otherwise.
  public init?(parsing text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let euros = Int(parts[0]), euros >= 0,
      parts[0].allSatisfy(\.isNumber)
    else { return nil }
    var cents = euros * 100
    if parts.count == 2 {
      guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isNumber),
        let fraction = Int(parts[1])
      else { return nil }
      cents += parts[1].count == 1 ? fraction * 10 : fraction
    }
    self.cents = cents
  }

  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

  /// `€25.00`.
  public var description: String {
    let fraction = cents % 100
    return "€\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)"
  }
}

/// A shop: a business with an identity of its own (`domain.md` §6.9).
public struct ShopIdentity: Sendable, Hashable, Codable {
  /// The trade name, for example `Voorbeeld Webwinkel B.V.`.
  public var tradeName: String
  /// Where the shop is seated; its deadlines run on this country's calendar.
  public var country: Jurisdiction
  /// The KvK (NL) or KBO (BE) number, if known.
  public var registrationNumber: String?
  /// The shop's website, if known.
  public var website: String?
  /// Whether the shop is a member of the scheme's trustmark.
  public var isMember: Bool

  /// Creates a shop identity.
  public init(
    tradeName: String, country: Jurisdiction, registrationNumber: String? = nil,
    website: String? = nil, isMember: Bool = true
  ) {
    self.tradeName = tradeName
    self.country = country
    self.registrationNumber = registrationNumber
    self.website = website
    self.isMember = isMember
  }
}

/// Who must act before a deadline.
public enum Party: String, Sendable, Hashable, Codable, CaseIterable {
  /// The consumer who complained.
  case consumer
  /// The webshop.
  case shop
  /// The trustmark's mediator.
  case mediator
  /// The disputes committee.
  case committee
}
