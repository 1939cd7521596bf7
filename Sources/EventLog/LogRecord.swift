import CanonicalJSON
public import CaseModel
import Crypto
import EventCoding
import Foundation
import WorkingDays

/// One stored event: its place in the log, its payload, and its link in the hash chain.
public struct LogRecord: Sendable, Hashable {
  /// The global position, from 1, without gaps.
  public let position: Int
  /// The case it belongs to.
  public let caseID: CaseID
  /// Its version within the case, from 1.
  public let caseVersion: Int
  /// The event type, for example `ShopResponded`.
  public let type: String
  /// The type's schema version when written.
  public let typeVersion: Int
  /// When it occurred: `YYYY-MM-DD` or an ISO 8601 UTC instant.
  public let occurredAt: String
  /// When it was written, in UTC with milliseconds.
  public let recordedAt: String
  /// Who recorded it.
  public let actor: String
  /// The command that produced it (retries with the same id record nothing new).
  public let commandID: String
  /// The canonical JSON payload.
  public let payload: [UInt8]
  /// The hash of the previous record (32 zero bytes for the first).
  public let previousHash: [UInt8]
  /// SHA-256 of this record's canonical form (which includes `previousHash`).
  public let hash: [UInt8]

  /// Creates a record, computing its hash.
  public init(
    position: Int, caseID: CaseID, caseVersion: Int, type: String, typeVersion: Int,
    occurredAt: String,
    recordedAt: String, actor: String, commandID: String, payload: [UInt8], previousHash: [UInt8]
  ) {
    let hash = Self.hash(
      canonical: Self.canonical(
        position: position, caseID: caseID.rawValue, caseVersion: caseVersion, type: type,
        typeVersion: typeVersion, occurredAt: occurredAt, recordedAt: recordedAt, actor: actor,
        commandID: commandID, payload: payload, previousHash: previousHash))
    self.init(
      stored: position, caseID: caseID, caseVersion: caseVersion, type: type,
      typeVersion: typeVersion,
      occurredAt: occurredAt, recordedAt: recordedAt, actor: actor, commandID: commandID,
      payload: payload,
      previousHash: previousHash, hash: hash)
  }

  /// A record as read back, with the hash it was stored with (not recomputed).
  public init(
    stored position: Int, caseID: CaseID, caseVersion: Int, type: String, typeVersion: Int,
    occurredAt: String,
    recordedAt: String, actor: String, commandID: String, payload: [UInt8], previousHash: [UInt8],
    hash: [UInt8]
  ) {
    self.position = position
    self.caseID = caseID
    self.caseVersion = caseVersion
    self.type = type
    self.typeVersion = typeVersion
    self.occurredAt = occurredAt
    self.recordedAt = recordedAt
    self.actor = actor
    self.commandID = commandID
    self.payload = payload
    self.previousHash = previousHash
    self.hash = hash
  }

  /// The 32 zero bytes that precede the first record.
  public static let genesis = [UInt8](repeating: 0, count: 32)

  /// The event, decoded (and upcast to the current version); without `explanations`, its
  /// deadlines' explanation texts are skipped.
  ///
  /// - Throws: ``EventLogError/corruptEvent(position:message:)`` naming the position.
  public func event(explanations: Bool = true) throws(EventLogError) -> CaseEvent {
    do {
      return try EventCodec.decode(
        type: type, version: typeVersion, occurredAt: occurredAt, payload: payload,
        explanations: explanations)
    } catch {
      throw .corruptEvent(position: position, message: error.description)
    }
  }

  /// The hash this record's fields give; differs from ``hash`` when the record was altered.
  public var computedHash: [UInt8] {
    Self.hash(canonical: canonical)
  }

  /// The canonical form that the hash covers: the export line without its `hash` field.
  public var canonical: [UInt8] {
    Self.canonical(
      position: position, caseID: caseID.rawValue, caseVersion: caseVersion, type: type,
      typeVersion: typeVersion,
      occurredAt: occurredAt, recordedAt: recordedAt, actor: actor, commandID: commandID,
      payload: payload,
      previousHash: previousHash)
  }

  /// The JSON Lines form: the canonical object with `hash` added last (docs/log-format.md).
  public var exportLine: [UInt8] {
    var bytes = canonical
    bytes.removeLast()  // "}"
    bytes.append(contentsOf: ",\"hash\":\"".utf8)
    bytes.append(contentsOf: Self.hex(hash).utf8)
    bytes.append(contentsOf: "\"}".utf8)
    return bytes
  }

  static func canonical(
    position: Int, caseID: String, caseVersion: Int, type: String, typeVersion: Int,
    occurredAt: String,
    recordedAt: String, actor: String, commandID: String, payload: [UInt8], previousHash: [UInt8]
  ) -> [UInt8] {
    var w = JSONWriter(capacity: payload.count + 320)
    w.beginObject()
    w.key("position")
    w.int(position)
    w.key("caseId")
    w.string(caseID)
    w.key("caseVersion")
    w.int(caseVersion)
    w.key("type")
    w.string(type)
    w.key("typeVersion")
    w.int(typeVersion)
    w.key("occurredAt")
    w.string(occurredAt)
    w.key("recordedAt")
    w.string(recordedAt)
    w.key("actor")
    w.string(actor)
    w.key("commandId")
    w.string(commandID)
    w.key("payload")
    w.raw(payload)
    w.key("previousHash")
    w.string(hex(previousHash))
    w.endObject()
    return w.bytes
  }

  static func hash(canonical: [UInt8]) -> [UInt8] {
    Array(SHA256.hash(data: canonical))
  }

  /// Lower-case hexadecimal.
  public static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Reads lower-case or upper-case hexadecimal; `nil` when it is not.
  public static func bytes(hex text: String) -> [UInt8]? {
    let utf8 = Array(text.utf8)
    guard utf8.count % 2 == 0 else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(utf8.count / 2)
    func value(_ c: UInt8) -> UInt8? {
      switch c {
      case 48...57: c - 48
      case 97...102: c - 87
      case 65...70: c - 55
      default: nil
      }
    }
    var index = 0
    while index < utf8.count {
      guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
      out.append(high << 4 | low)
      index += 2
    }
    return out
  }
}
