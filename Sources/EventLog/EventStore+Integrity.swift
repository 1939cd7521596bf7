import CanonicalJSON
public import CaseModel
import EventCoding
public import Foundation
import GRDB
import WorkingDays

/// What ``EventStore/verify()`` found.
public struct VerificationReport: Sendable, Hashable {
  /// The first problem found, if any.
  public struct Problem: Sendable, Hashable, CustomStringConvertible {
    /// The position where the chain breaks.
    public let position: Int
    /// What is wrong there.
    public let message: String

    public var description: String { "position \(position): \(message)" }
  }

  /// How many events were checked.
  public let events: Int
  /// The last good hash, in hexadecimal.
  public let lastHash: String
  /// The first break, or `nil` when the whole log verifies.
  public let problem: Problem?

  /// Whether the log verified.
  public var isIntact: Bool { problem == nil }
}

/// What ``EventStore/checkProjections()`` found.
public struct ProjectionCheck: Sendable, Hashable {
  /// Rows that differ between the live projection and a rebuild from the log, by table.
  public let differences: [String]
  /// Whether the live projection equals a rebuild.
  public var matches: Bool { differences.isEmpty }
}

extension EventStore {
  // MARK: - Verify

  /// Walks the whole log in position order and reports the first position where it breaks:
  /// a gap in positions, a link that does not match the previous hash, a hash that does not
  /// match the record's contents, a case version out of sequence, or a payload that does not
  /// decode.
  ///
  /// - Parameter progress: Called with the number of events checked, every 10,000 events.
  public func verify(progress: (@Sendable (Int) -> Void)? = nil) throws(EventLogError)
    -> VerificationReport
  {
    do {
      return try writer.read { db in
        var previous = LogRecord.genesis
        var expectedPosition = 1
        var versions: [String: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM event ORDER BY position")
        while let row = try rows.next() {
          let record = LogRecord(row: row)
          func broken(_ message: String) -> VerificationReport {
            VerificationReport(
              events: expectedPosition - 1, lastHash: LogRecord.hex(previous),
              problem: .init(position: record.position, message: message))
          }
          if record.position != expectedPosition {
            return broken("expected position \(expectedPosition): records are missing")
          }
          if record.previousHash != previous {
            return broken("the link to the previous record does not match its hash")
          }
          if record.computedHash != record.hash {
            return broken("the stored hash does not match the record's contents: it was altered")
          }
          let version = (versions[record.caseID.rawValue] ?? 0) + 1
          if record.caseVersion != version {
            return broken(
              "case \(record.caseID) jumps to version \(record.caseVersion), expected \(version)")
          }
          if case .failure(let error) = Result(catching: { () throws(EventLogError) in
            try record.event()
          }) {
            return broken(error.description)
          }
          versions[record.caseID.rawValue] = version
          previous = record.hash
          expectedPosition += 1
          if expectedPosition % 10_000 == 1 { progress?(expectedPosition - 1) }
        }
        return VerificationReport(
          events: expectedPosition - 1, lastHash: LogRecord.hex(previous), problem: nil)
      }
    } catch {
      throw Self.translate(error, context: "verifying")
    }
  }

  // MARK: - Projections

  /// Rebuilds every projection from the log, in one transaction.
  ///
  /// Memory stays bounded by the number of open cases: a closed case is written out and
  /// dropped, and read back from its row if a later note or correction arrives.
  ///
  /// - Returns: The number of events replayed.
  @discardableResult
  public func rebuildProjections() throws(EventLogError) -> Int {
    do {
      return try writer.write { db in try Self.rebuild(db) }
    } catch {
      throw Self.translate(error, context: "rebuilding projections")
    }
  }

  static func rebuild(_ db: Database) throws -> Int {
    try withBulkCache(db) {
      try db.execute(sql: "DELETE FROM case_summary; DELETE FROM deadline; DELETE FROM shop")
      let dropped = try dropSecondaryIndexes(db)
      var builder = ProjectionBuilder()
      var replayed = 0
      let rows = try Row.fetchCursor(
        db,
        sql:
          "SELECT position, case_id, type, type_version, occurred_at, payload FROM event ORDER BY position"
      )
      while let row = try rows.next() {
        let position: Int = row[0]
        let caseID: String = row[1]
        let type: String = row[2]
        let version: Int = row[3]
        let occurredAt: String = row[4]
        let event: CaseEvent
        do {
          event = try row.withUnsafeData(atIndex: 5) { data in
            try (data ?? Data()).withUnsafeBytes { raw in
              try EventCodec.decode(
                type: type, version: version, occurredAt: occurredAt,
                payload: raw.bindMemory(to: UInt8.self),
                explanations: false)
            }
          }
        } catch {
          throw EventLogError.corruptEvent(position: position, message: "\(error)")
        }
        try builder.add(db, position: position, caseID: caseID, event: event)
        replayed += 1
      }
      try builder.finish(db)
      for sql in dropped { try db.execute(sql: sql) }
      return replayed
    }
  }

  /// Rebuilds the projections inside a transaction that is rolled back, and compares the
  /// result with the live tables. Nothing is changed.
  public func checkProjections() throws(EventLogError) -> ProjectionCheck {
    do {
      return try writer.write { db in
        var differences: [String] = []
        try db.inSavepoint {
          // The snapshot column is a cache, not a projection: it is left out of the comparison.
          let columns = [
            "case_summary": try Self.columns(db, "case_summary").filter { $0 != "snapshot" }.joined(
              separator: ", "),
            "deadline": "*", "shop": "*",
          ]
          for (table, list) in columns {
            try db.execute(sql: "CREATE TEMP TABLE live_\(table) AS SELECT \(list) FROM \(table)")
          }
          _ = try Self.rebuild(db)
          for (table, list) in columns.sorted(by: { $0.key < $1.key }) {
            let missing =
              try Int.fetchOne(
                db,
                sql:
                  "SELECT COUNT(*) FROM (SELECT \(list) FROM \(table) EXCEPT SELECT * FROM temp.live_\(table))"
              ) ?? 0
            let extra =
              try Int.fetchOne(
                db,
                sql:
                  "SELECT COUNT(*) FROM (SELECT * FROM temp.live_\(table) EXCEPT SELECT \(list) FROM \(table))"
              ) ?? 0
            if missing + extra > 0 {
              differences.append(
                "\(table): \(extra) live rows differ from the rebuild, \(missing) rebuilt rows are not live"
              )
            }
          }
          return .rollback
        }
        return ProjectionCheck(differences: differences)
      }
    } catch {
      throw Self.translate(error, context: "checking projections")
    }
  }

  static func columns(_ db: Database, _ table: String) throws -> [String] {
    try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
  }

  // MARK: - Backup

  /// Writes a consistent copy of the database to a new file (`VACUUM INTO`) while others keep
  /// reading and writing. The copy is readable by its owner only.
  ///
  /// - Throws: ``EventLogError/io(_:)`` when the target exists or cannot be written.
  public func backup(to target: String) throws(EventLogError) {
    guard !FileManager.default.fileExists(atPath: target) else {
      throw .io("\(target) already exists; choose a new file for the backup")
    }
    do {
      try writer.vacuum(into: target)
      try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
    } catch {
      throw Self.translate(error, context: "backup to \(target)")
    }
  }

  // MARK: - Erasure

  /// Erases a person's personal data (GDPR art. 17) and records that it happened in every case
  /// that refers to them, in one transaction. The hashed events never held the data, so the
  /// chain stays valid.
  ///
  /// - Returns: The cases that recorded the erasure.
  /// - Throws: ``EventLogError/caseNotFound(_:)`` when no person has that id.
  public func erasePerson(_ id: String, actor: String, recordedAt: Date) throws(EventLogError)
    -> [CaseID]
  {
    do {
      return try writer.write { db in
        guard try PersonRecord.fetch(db, id: id) != nil else {
          throw EventLogError.caseNotFound("person \(id)")
        }
        try PersonRecord(
          id: id, name: nil, email: nil, phone: nil, erasedAt: Instants.iso8601(recordedAt)
        ).save(db)
        let caseIDs = try String.fetchAll(
          db, sql: "SELECT case_id FROM case_summary WHERE consumer_id = ? ORDER BY case_id",
          arguments: [id]
        ).map(CaseID.init)
        for caseID in caseIDs {
          var dispute = try Self.loadCase(db, caseID)
          let event = CaseEvent(
            occurredAt: .instant(
              Instants.milliseconds(Int((recordedAt.timeIntervalSince1970 * 1000).rounded()))),
            change: .personalDataErased(personID: id))
          try dispute.apply(event)
          let records = try Self.append(
            db, caseID: caseID, firstVersion: dispute.version, events: [event],
            commandID: "erase:\(id):\(caseID)",
            actor: actor, recordedAt: recordedAt)
          try Self.project(db, dispute, lastPosition: records[0].position)
        }
        return caseIDs
      }
    } catch {
      throw Self.translate(error, context: "erasing \(id)")
    }
  }
}
