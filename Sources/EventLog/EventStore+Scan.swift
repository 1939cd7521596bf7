import Foundation
import GRDB
import GRDBSQLite

/// The columns of one stored event as raw bytes, for readers that parse payloads themselves
/// (the report replay). The buffers are valid only inside the callback that receives them.
public struct StoredEventBytes {
  /// The event's position in the log.
  public let position: Int
  /// The case identifier.
  public let caseID: UnsafeBufferPointer<UInt8>
  /// The event's version within its case.
  public let caseVersion: Int
  /// The event type's name.
  public let type: UnsafeBufferPointer<UInt8>
  /// The schema version of the type.
  public let typeVersion: Int
  /// `occurred_at`, a day or a UTC instant.
  public let occurredAt: UnsafeBufferPointer<UInt8>
  /// `recorded_at`, a UTC instant.
  public let recordedAt: UnsafeBufferPointer<UInt8>
  /// The canonical JSON payload.
  public let payload: UnsafeBufferPointer<UInt8>

  /// Describes an event's columns (for readers that keep rows in buffers of their own).
  public init(
    position: Int, caseID: UnsafeBufferPointer<UInt8>, caseVersion: Int,
    type: UnsafeBufferPointer<UInt8>, typeVersion: Int, occurredAt: UnsafeBufferPointer<UInt8>,
    recordedAt: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>
  ) {
    self.position = position
    self.caseID = caseID
    self.caseVersion = caseVersion
    self.type = type
    self.typeVersion = typeVersion
    self.occurredAt = occurredAt
    self.recordedAt = recordedAt
    self.payload = payload
  }
}

extension EventStore {
  /// Streams stored events in position order without copying or decoding them, on a read
  /// snapshot (a writer may carry on meanwhile; events it appends are not seen).
  ///
  /// - Parameters:
  ///   - caseIDs: only these cases' events, or every event when `nil`.
  ///   - body: called once per event; its buffers are valid during the call only.
  /// - Throws: what `body` throws, unchanged; ``EventLogError`` for a database failure.
  public func scanEvents(
    caseIDs: [String]? = nil, _ body: (StoredEventBytes) throws -> Void
  ) throws {
    var bodyError: (any Error)?
    do {
      try writer.read { db in
        try Self.scan(db, caseIDs: caseIDs) { event in
          do {
            try body(event)
            return true
          } catch {
            bodyError = error
            return false
          }
        }
      }
    } catch {
      throw Self.translate(error, context: path ?? "memory")
    }
    if let bodyError { throw bodyError }
  }

  /// Steps through stored events in position order on `db`, until `body` returns `false`.
  ///
  /// - Parameter recordedAt: Whether to read `recorded_at`; without it, the event's
  ///   ``StoredEventBytes/recordedAt`` is empty (a rebuild does not use it).
  static func scan(
    _ db: Database, caseIDs: [String]? = nil, recordedAt: Bool = true,
    _ body: (StoredEventBytes) throws -> Bool
  ) throws {
    var sql = """
      SELECT position, case_id, case_version, type, type_version, occurred_at, payload\
      \(recordedAt ? ", recorded_at" : "") FROM event
      """
    if let caseIDs {
      guard !caseIDs.isEmpty else { return }
      sql += " WHERE case_id IN (\(caseIDs.map { _ in "?" }.joined(separator: ",")))"
    }
    sql += " ORDER BY position"
    let statement = try db.makeStatement(sql: sql)
    if let caseIDs { try statement.setArguments(StatementArguments(caseIDs)) }
    let handle = statement.sqliteStatement
    defer { sqlite3_reset(handle) }
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
      let count = Int(sqlite3_column_bytes(handle, column))
      guard let text = sqlite3_column_text(handle, column) else {
        return UnsafeBufferPointer(start: nil, count: 0)
      }
      return UnsafeBufferPointer(start: text, count: count)
    }
    while true {
      let code = sqlite3_step(handle)
      if code == SQLITE_DONE { break }
      guard code == SQLITE_ROW else {
        throw DatabaseError(
          resultCode: ResultCode(rawValue: code),
          message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
      }
      // The text pointers stay valid until the next step; columns are read in order so that
      // no earlier pointer is invalidated by a type conversion.
      let (position, caseID) = (Int(sqlite3_column_int64(handle, 0)), bytes(1))
      let (caseVersion, type) = (Int(sqlite3_column_int64(handle, 2)), bytes(3))
      let (typeVersion, occurredAt) = (Int(sqlite3_column_int64(handle, 4)), bytes(5))
      let payload = bytes(6)
      let recorded = recordedAt ? bytes(7) : UnsafeBufferPointer(start: nil, count: 0)
      let event = StoredEventBytes(
        position: position, caseID: caseID, caseVersion: caseVersion, type: type,
        typeVersion: typeVersion, occurredAt: occurredAt, recordedAt: recorded, payload: payload)
      guard try body(event) else { return }
    }
  }
}
