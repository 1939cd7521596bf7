import CaseModel
import Foundation
import WorkingDays

/// Reads canonical records (export lines) and payloads (database rows) into
/// ``ScannedEvent``s. One parser serves one replay: it interns case identifiers that are not
/// UUIDs and reuses its tables.
struct RecordParser {
  private let deadlineKinds = ByteTable<DeadlineKind>()
  private let parties = ByteTable<Party>()
  private let grounds = ByteTable<RefusalGround>()
  private let outcomes = ByteTable<DecisionOutcome>()
  /// Whether `recordedAt` is read (only an as-known-at cut-off needs it; the hash covers it
  /// either way).
  var readsRecordedAt = true
  private var otherIdentifiers: [String: UInt32] = [:]
  /// Identifiers that are not lower-case UUIDs, by their ``CaseKey/other`` index.
  private(set) var otherIdentifierList: [String] = []

  /// The bytes at the end of an export line after the payload:
  /// `,"previousHash":"<64>","hash":"<64>"}`.
  static let suffixLength = 17 + 64 + 10 + 64 + 2

  /// The offsets, within a line, of what the hash chain needs.
  struct ChainFields {
    /// The canonical form is the line's first `canonicalLength` bytes followed by `}`.
    var canonicalLength: Int
    var previousHash: Int
    var hash: Int
  }

  /// Parses one export line (without its line end).
  mutating func parseLine(_ line: UnsafeBufferPointer<UInt8>, into event: inout ScannedEvent)
    throws(ScanError) -> ChainFields
  {
    let count = line.count
    guard count > Self.suffixLength + 20, let base = line.baseAddress else {
      throw ScanError(offset: 0, "not a complete event record (cut short?)")
    }
    let suffixStart = count - Self.suffixLength
    var tail = ByteScanner(base, count: count)
    tail.offset = suffixStart
    try tail.expect(",\"previousHash\":\"")
    tail.offset += 64
    try tail.expect("\",\"hash\":\"")
    tail.offset += 64
    try tail.expect("\"}")

    var scanner = ByteScanner(base, count: suffixStart)
    try scanner.expect("{\"position\":")
    event.position = try scanner.integer()
    try scanner.expect(",\"caseId\":\"")
    event.caseKey = key(try scanner.plainString())
    try scanner.expect(",\"caseVersion\":")
    event.caseVersion = try scanner.integer()
    try scanner.expect(",\"type\":\"")
    let typeAt = scanner.offset
    guard let type = EventType.named(try scanner.plainString()) else {
      throw ScanError(offset: typeAt, "unknown event type")
    }
    event.type = type
    try scanner.expect(",\"typeVersion\":")
    let versionAt = scanner.offset
    let version = try scanner.integer()
    guard version >= 1, version <= type.latestVersion else {
      throw ScanError(offset: versionAt, "unknown version \(version) of \(type.name)")
    }
    try scanner.expect(",\"occurredAt\":\"")
    event.occurred = try moment(&scanner)
    try scanner.expect(",\"recordedAt\":\"")
    if readsRecordedAt {
      let recorded = try moment(&scanner)
      guard !recorded.isDay else { throw ScanError(offset: scanner.offset, "recordedAt is a day") }
      event.recordedMs = recorded.value
    } else {
      try scanner.skipString()
    }
    try scanner.expect(",\"actor\":\"")
    try scanner.skipString()
    try scanner.expect(",\"commandId\":\"")
    try scanner.skipString()
    try scanner.expect(",\"payload\":")
    let payloadStart = scanner.offset
    try parsePayload(
      UnsafeBufferPointer(start: base + payloadStart, count: suffixStart - payloadStart),
      type: type, into: &event, offset: payloadStart)
    return ChainFields(
      canonicalLength: count - 75, previousHash: suffixStart + 17, hash: count - 66)
  }

  /// Reads the case identifier of a line without parsing the rest (for the second pass).
  mutating func caseKey(ofLine line: UnsafeBufferPointer<UInt8>) throws(ScanError) -> CaseKey {
    var scanner = ByteScanner(line.baseAddress!, count: line.count)
    try scanner.expect("{\"position\":")
    _ = try scanner.integer()
    try scanner.expect(",\"caseId\":\"")
    return key(try scanner.plainString())
  }

  /// Parses a stored payload of a known type.
  mutating func parsePayload(
    _ payload: UnsafeBufferPointer<UInt8>, type: EventType, into event: inout ScannedEvent,
    offset: Int = 0
  ) throws(ScanError) {
    event.resetPayload()
    switch type {
    case .acknowledged, .responded, .answerAccepted, .answerRejected, .defenceFiled, .complied,
      .notComplied, .noted, .personalDataErased:
      // Nothing a report needs; the payload is covered by the hash or by the database.
      return
    default:
      break
    }
    guard let base = payload.baseAddress else { throw ScanError(offset: offset, "empty payload") }
    var scanner = ByteScanner(base, count: payload.count)
    do throws(ScanError) {
      try scanner.expect("{")
      var first = true
      var opening = type == .opened ? OpeningFacts.empty : nil
      while let key = try scanner.nextKey(first: &first) {
        if key.equals("opens") {
          try readOpens(&scanner, into: &event)
          continue
        }
        switch type {
        case .opened:
          try readOpening(key, &scanner, into: &opening!)
        case .refused where key.equals("ground"):
          try scanner.expect("\"")
          let at = scanner.offset
          guard let ground = grounds.value(try scanner.plainString()) else {
            throw ScanError(offset: at, "unknown refusal ground")
          }
          event.ground = ground
        case .decisionIssued where key.equals("outcome"):
          try scanner.expect("\"")
          let at = scanner.offset
          guard let outcome = outcomes.value(try scanner.plainString()) else {
            throw ScanError(offset: at, "unknown decision outcome")
          }
          event.outcome = outcome
        case .mediationFailed, .withdrawn, .abandoned, .closed:
          if key.equals("reason") {
            try scanner.expect("\"")
            event.reason = try scanner.string()
          } else {
            try scanner.skipValue()
          }
        case .deadlineExtended, .deadlineMissed:
          if key.equals("deadline") {
            try scanner.expect("\"")
            event.deadlineKind = try deadlineKind(&scanner)
          } else {
            try scanner.skipValue()
          }
        case .corrected where key.equals("eventVersion"):
          event.correctedVersion = try scanner.integer()
        default:
          try scanner.skipValue()
        }
      }
      guard scanner.offset == scanner.end else {
        throw ScanError(offset: scanner.offset, "text after the payload")
      }
      if let opening {
        guard !opening.reference.isEmpty, !opening.scheme.isEmpty, !opening.subject.isEmpty,
          !opening.shop.tradeName.isEmpty, !opening.consumerCountry.isEmpty
        else { throw ScanError(offset: 0, "CaseOpened lacks a required field") }
        event.opening = opening
      }
    } catch {
      throw ScanError(offset: offset + error.offset, error.message)
    }
    switch type {
    case .refused where event.ground == nil:
      throw ScanError(offset: offset, "FilingRefused has no ground")
    case .decisionIssued where event.outcome == nil:
      throw ScanError(offset: offset, "DecisionIssued has no outcome")
    case .deadlineExtended where event.deadlineKind == nil,
      .deadlineMissed where event.deadlineKind == nil:
      throw ScanError(offset: offset, "\(type.name) names no deadline")
    case .corrected where event.correctedVersion == 0:
      throw ScanError(offset: offset, "CorrectionRecorded names no event")
    default:
      break
    }
  }

  private func deadlineKind(_ scanner: inout ByteScanner) throws(ScanError) -> DeadlineKind {
    let at = scanner.offset
    guard let kind = deadlineKinds.value(try scanner.plainString()) else {
      throw ScanError(offset: at, "unknown deadline kind")
    }
    return kind
  }

  private func readOpening(
    _ key: UnsafeBufferPointer<UInt8>, _ scanner: inout ByteScanner,
    into opening: inout OpeningFacts
  ) throws(ScanError) {
    if key.equals("reference") {
      try scanner.expect("\"")
      opening.reference = try scanner.string()
    } else if key.equals("scheme") {
      try scanner.expect("\"")
      opening.scheme = try scanner.string()
    } else if key.equals("shop") {
      try scanner.expect("{")
      var first = true
      while let field = try scanner.nextKey(first: &first) {
        if field.equals("tradeName") {
          try scanner.expect("\"")
          opening.shop.tradeName = try scanner.string()
        } else if field.equals("country") {
          try scanner.expect("\"")
          let at = scanner.offset
          guard let country = Jurisdiction(rawValue: try scanner.string()) else {
            throw ScanError(offset: at, "unknown shop country")
          }
          opening.shop.country = country
        } else if field.equals("registrationNumber") {
          try scanner.expect("\"")
          opening.shop.registrationNumber = try scanner.string()
        } else {
          try scanner.skipValue()
        }
      }
    } else if key.equals("consumerCountry") {
      try scanner.expect("\"")
      opening.consumerCountry = try scanner.string()
    } else if key.equals("subject") {
      try scanner.expect("\"")
      opening.subject = try scanner.string()
    } else if key.equals("amountCents") {
      opening.amountCents = try scanner.integer()
    } else {
      try scanner.skipValue()
    }
  }

  private func readOpens(_ scanner: inout ByteScanner, into event: inout ScannedEvent)
    throws(ScanError)
  {
    try scanner.expect("[")
    if scanner.consume(byte: 0x5D) { return }
    repeat {
      try scanner.expect("{")
      var first = true
      var kind: DeadlineKind?
      var party: Party?
      var lastDay: Int64?
      var expires: Int64?
      while let key = try scanner.nextKey(first: &first) {
        if key.equals("kind") {
          try scanner.expect("\"")
          kind = try deadlineKind(&scanner)
        } else if key.equals("party") {
          try scanner.expect("\"")
          let at = scanner.offset
          party = parties.value(try scanner.plainString())
          if party == nil { throw ScanError(offset: at, "unknown party") }
        } else if key.equals("lastDay") {
          try scanner.expect("\"")
          let day = try moment(&scanner)
          guard day.isDay else { throw ScanError(offset: scanner.offset, "lastDay is not a day") }
          lastDay = day.value
        } else if key.equals("expiresAt") {
          try scanner.expect("\"")
          let instant = try moment(&scanner)
          guard !instant.isDay else {
            throw ScanError(offset: scanner.offset, "expiresAt is not an instant")
          }
          expires = instant.value
        } else {
          try scanner.skipValue()
        }
      }
      guard let kind, let party, let lastDay, let expires else {
        throw ScanError(offset: scanner.offset, "a deadline in opens lacks a field")
      }
      event.opens.append(
        OpenedSummary(kind: kind, party: party, lastDay: Int32(lastDay), expiresMs: expires))
    } while scanner.consume(byte: 0x2C)
    try scanner.expect("]")
  }

  /// A date or instant string, after its opening quote.
  private func moment(_ scanner: inout ByteScanner) throws(ScanError) -> Moment {
    let at = scanner.offset
    guard let moment = Dates.moment(try scanner.plainString()) else {
      throw ScanError(offset: at, "not a date or UTC instant")
    }
    return moment
  }

  /// Packs an identifier: lower-case UUIDs directly, others through the intern table.
  mutating func key(_ bytes: UnsafeBufferPointer<UInt8>) -> CaseKey {
    if bytes.count == 36, bytes[8] == 0x2D, bytes[13] == 0x2D, bytes[18] == 0x2D,
      bytes[23] == 0x2D
    {
      var high: UInt64 = 0
      var low: UInt64 = 0
      var nibbles = 0
      var valid = true
      for index in 0..<36 where index != 8 && index != 13 && index != 18 && index != 23 {
        let byte = bytes[index]
        let nibble: UInt64
        switch byte {
        case 0x30...0x39: nibble = UInt64(byte - 0x30)
        case 0x61...0x66: nibble = UInt64(byte - 0x61 + 10)
        default:
          valid = false
          nibble = 0
        }
        if nibbles < 16 { high = high << 4 | nibble } else { low = low << 4 | nibble }
        nibbles += 1
      }
      if valid { return CaseKey(high: high, low: low, other: 0) }
    }
    if bytes.count <= 16 {
      // Short identifiers are packed as they are, with their length, so no text is made.
      var high: UInt64 = 0
      var low: UInt64 = 0
      for index in 0..<bytes.count {
        if index < 8 {
          high |= UInt64(bytes[index]) << UInt64(index * 8)
        } else {
          low |= UInt64(bytes[index]) << UInt64((index - 8) * 8)
        }
      }
      return CaseKey(high: high, low: low, other: CaseKey.packedFlag | UInt32(bytes.count))
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if let index = otherIdentifiers[text] { return CaseKey(other: index) }
    otherIdentifierList.append(text)
    let index = UInt32(otherIdentifierList.count)
    otherIdentifiers[text] = index
    return CaseKey(other: index)
  }

  /// The identifier text of a key.
  func identifier(_ key: CaseKey) -> String {
    if key.other & CaseKey.packedFlag != 0 {
      let count = Int(key.other & ~CaseKey.packedFlag)
      var bytes: [UInt8] = []
      for index in 0..<count {
        let word = index < 8 ? key.high : key.low
        let shift = UInt64((index % 8) * 8)
        bytes.append(UInt8(truncatingIfNeeded: word >> shift))
      }
      return String(decoding: bytes, as: UTF8.self)
    }
    if key.other > 0 { return otherIdentifierList[Int(key.other) - 1] }
    let hex = Array("0123456789abcdef".utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(36)
    for (index, word) in [key.high, key.low].enumerated() {
      for nibble in 0..<16 {
        let position = index * 16 + nibble
        if position == 8 || position == 12 || position == 16 || position == 20 {
          bytes.append(0x2D)
        }
        bytes.append(hex[Int(word >> UInt64(60 - nibble * 4) & 0xF)])
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

extension OpeningFacts {
  static var empty: OpeningFacts {
    OpeningFacts(
      reference: "", scheme: "", shop: ShopIdentity(tradeName: "", country: .netherlands),
      consumerCountry: "", subject: "", amountCents: nil)
  }
}
