import CaseModel
import Foundation
import WorkingDays

/// The event types of log format version 1, as the report replay distinguishes them.
enum EventType: UInt8, CaseIterable {
  case opened, acknowledged, responded, answerAccepted, answerRejected, filed, refused
  case fileCompleted, forwarded, settled, mediationFailed, escalated, claimFiled, defenceFiled
  case decisionIssued, complied, notComplied, withdrawn, abandoned, closed
  case deadlineExtended, deadlineMissed, noted, corrected, personalDataErased

  /// The name stored in the log (`CaseEvent.Change.typeName`).
  var name: StaticString {
    switch self {
    case .opened: "CaseOpened"
    case .acknowledged: "ShopAcknowledged"
    case .responded: "ShopResponded"
    case .answerAccepted: "AnswerAccepted"
    case .answerRejected: "AnswerRejected"
    case .filed: "ComplaintFiled"
    case .refused: "FilingRefused"
    case .fileCompleted: "FileCompleted"
    case .forwarded: "MediationStarted"
    case .settled: "SettlementReached"
    case .mediationFailed: "MediationFailed"
    case .escalated: "EscalatedToCommittee"
    case .claimFiled: "ClaimFiled"
    case .defenceFiled: "DefenceFiled"
    case .decisionIssued: "DecisionIssued"
    case .complied: "Complied"
    case .notComplied: "NotComplied"
    case .withdrawn: "CaseWithdrawn"
    case .abandoned: "CaseAbandoned"
    case .closed: "CaseClosed"
    case .deadlineExtended: "DeadlineExtended"
    case .deadlineMissed: "DeadlineMissed"
    case .noted: "NoteAdded"
    case .corrected: "CorrectionRecorded"
    case .personalDataErased: "PersonalDataErased"
    }
  }

  /// The newest schema version of the type that this reader knows.
  var latestVersion: Int { self == .opened ? 2 : 1 }

  /// The lifecycle step the event records, if it is one.
  var step: CommandKind? {
    switch self {
    case .opened: .open
    case .acknowledged: .acknowledge
    case .responded: .respond
    case .answerAccepted: .accept
    case .answerRejected: .reject
    case .filed: .file
    case .refused: .refuse
    case .fileCompleted: .completeFile
    case .forwarded: .mediate
    case .settled: .settle
    case .mediationFailed: .failMediation
    case .escalated: .escalate
    case .claimFiled: .claim
    case .defenceFiled: .defend
    case .decisionIssued: .decide
    case .complied: .comply
    case .notComplied: .notComply
    case .withdrawn: .withdraw
    case .abandoned: .abandon
    case .closed: .close
    case .deadlineExtended, .deadlineMissed, .noted, .corrected, .personalDataErased: nil
    }
  }

  /// The types by the length of their names, so that a name is compared with at most a few.
  private static let byLength: [[EventType]] = {
    var table = [[EventType]](repeating: [], count: 32)
    for type in allCases { table[type.name.utf8CodeUnitCount].append(type) }
    return table
  }()

  static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> EventType? {
    guard bytes.count < byLength.count else { return nil }
    for type in byLength[bytes.count] where bytes.equals(type.name) { return type }
    return nil
  }
}

/// When something occurred: a civil day (stored date-only) or an instant in milliseconds.
struct Moment: Sendable, Hashable {
  /// The day number (days since 1970-01-01) for a day, milliseconds since the epoch for an
  /// instant.
  var value: Int64
  var isDay: Bool
}

/// What a deadline-opening payload says of a deadline, as far as reports need it.
struct OpenedSummary: Sendable, Hashable {
  var kind: DeadlineKind
  var party: Party
  var lastDay: Int32
  var expiresMs: Int64
}

/// The case-opening facts that reports group by. Personal data is never read.
struct OpeningFacts: Sendable {
  var reference: String
  var scheme: String
  var shop: ShopIdentity
  var consumerCountry: String
  var subject: String
  var amountCents: Int?
}

/// One event as the report replay reads it: the record's envelope and the few payload fields
/// that reports use. Everything else in the payload is skipped, not decoded.
struct ScannedEvent {
  var position: Int = 0
  var caseKey = CaseKey()
  var caseVersion: Int = 0
  var type: EventType = .noted
  var occurred = Moment(value: 0, isDay: true)
  var recordedMs: Int64 = 0
  var opening: OpeningFacts?
  var ground: RefusalGround?
  var outcome: DecisionOutcome?
  /// A reason for closing, withdrawing, abandoning or a failed mediation.
  var reason: String?
  var deadlineKind: DeadlineKind?
  var correctedVersion: Int = 0
  var opens: [OpenedSummary] = []

  mutating func resetPayload() {
    // Only what is set is cleared: most events carry none of it.
    if opening != nil { opening = nil }
    ground = nil
    outcome = nil
    if reason != nil { reason = nil }
    deadlineKind = nil
    correctedVersion = 0
    if !opens.isEmpty { opens.removeAll(keepingCapacity: true) }
  }
}

/// A case identifier packed for hashing without making text: a lower-case UUID in 16 bytes
/// (`other` 0); an identifier of at most 16 bytes as its bytes (`other` has ``packedFlag`` and
/// the length); any other by its index in the replay's table of such identifiers.
struct CaseKey: Hashable, Sendable {
  var high: UInt64 = 0
  var low: UInt64 = 0
  var other: UInt32 = 0

  static let packedFlag: UInt32 = 1 << 31

  /// One mixed word instead of three fields: the replay looks a key up for every event.
  func hash(into hasher: inout Hasher) {
    hasher.combine((high &* 0x9E37_79B9_7F4A_7C15) ^ low ^ UInt64(other) << 32)
  }
}

enum Dates {
  /// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of
  /// `CivilDate(dayNumber:)`).
  @inline(__always) static func dayNumber(year: Int, month: Int, day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  @inline(__always) private static func digits(
    _ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int
  ) -> Int? {
    var value = 0
    for index in at..<at + count {
      let digit = bytes[index] &- 0x30
      guard digit < 10 else { return nil }
      value = value * 10 + Int(digit)
    }
    return value
  }

  /// Reads `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS.mmmZ`.
  static func moment(_ bytes: UnsafeBufferPointer<UInt8>) -> Moment? {
    guard bytes.count == 10 || bytes.count == 24, bytes[4] == 0x2D, bytes[7] == 0x2D,
      let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2),
      let day = digits(bytes, 8, 2), (1...12).contains(month),
      day >= 1, day <= daysIn(month: month, year: year)
    else { return nil }
    let dayNumber = Self.dayNumber(year: year, month: month, day: day)
    if bytes.count == 10 { return Moment(value: Int64(dayNumber), isDay: true) }
    guard bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A, bytes[19] == 0x2E,
      bytes[23] == 0x5A, let hour = digits(bytes, 11, 2), let minute = digits(bytes, 14, 2),
      let second = digits(bytes, 17, 2), let milli = digits(bytes, 20, 3), hour < 24,
      minute < 60, second < 60
    else { return nil }
    let ms =
      ((Int64(dayNumber) * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000
      + Int64(second) * 1000 + Int64(milli)
    return Moment(value: ms, isDay: false)
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}

/// Matches bytes against the raw values of a string enumeration without allocating.
struct ByteTable<Value: RawRepresentable & CaseIterable & Sendable>: Sendable
where Value.RawValue == String {
  private let entries: [([UInt8], Value)]

  init() { entries = Value.allCases.map { (Array($0.rawValue.utf8), $0) } }

  func value(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
    for (raw, value) in entries where raw.count == bytes.count {
      if raw.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, raw.count) })
        == 0
      {
        return value
      }
    }
    return nil
  }
}
