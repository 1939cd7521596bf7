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
      return try writer.write { db in try Self.rebuild(db, pool: writer as? DatabasePool).events }
    } catch {
      throw Self.translate(error, context: "rebuilding projections")
    }
  }

  /// Rebuilds the projections inside the caller's write transaction.
  ///
  /// With a `pool`, the events are read, decoded and folded into their cases on a thread of
  /// its own, from one of the pool's reader connections, while this thread writes the cases'
  /// rows: the transaction holds the write lock and leaves the event table alone, so the reader
  /// sees exactly the events this transaction sees.
  ///
  /// - Parameter recentlyClosedCapacity: How many closed cases stay in memory (see
  ///   ``CaseFolder``); small values exercise the path that reads a case back.
  /// - Returns: The number of events replayed and of cases read back.
  static func rebuild(
    _ db: Database, pool: DatabasePool?, recentlyClosedCapacity: Int = 4096
  ) throws -> BulkReplay {
    try withBulkCache(db, kibibytes: 16_384) {
      // The tables are emptied by the writing thread as soon as the reading thread has started,
      // so that the two overlap: emptying them takes a few tenths of a second for a large log,
      // and the reading thread, once its ring of batches is full, would otherwise wait for it.
      // Their indexes stay and are kept up to date row by row: the writing thread has time to
      // spare while it waits for cases, and the indexes are small (two over a few values of a
      // case's scheme and state, and the deadlines still open), whereas building them after the
      // fold kept the writer alone for another 0.2-0.3 s.
      var writer: ProjectionWriter?
      func prepare() throws {
        guard writer == nil else { return }
        try withFastDeletes(db) {
          try db.execute(sql: "DELETE FROM case_summary; DELETE FROM deadline; DELETE FROM shop")
        }
        writer = try ProjectionWriter(db)
      }
      func write(_ folded: FoldedCase) throws {
        try prepare()
        try writer!.add(folded)
      }
      var replayed = BulkReplay(events: 0, revisits: 0)
      if let pool {
        enum Output {
          case write(FoldedCase)
          case done(BulkReplay)
        }
        // The transaction is IMMEDIATE (GRDB's default for writes): it holds the write lock
        // from its start, so the reader's snapshot is exactly what this transaction sees.
        // The cases are let go of on this thread, the less busy one. Batches of 256 cases are
        // few enough that waking the writer for each costs little; a ring of four keeps about
        // a thousand cases in flight.
        try BatchPipeline<Output>(batchSize: 256, ringSize: 4, consumerReleases: true).run(
          produce: { emitter in
            try pool.read { reader in
              var cancelled = false
              let events = try fold(reader, recentlyClosedCapacity: recentlyClosedCapacity) {
                folded in
                if !cancelled, !emitter.add(.write(folded)) { cancelled = true }
                return !cancelled
              }
              _ = emitter.add(.done(events))
            }
          },
          first: prepare,
          consume: { output in
            switch output {
            case .write(let folded): try write(folded)
            case .done(let result): replayed = result
            }
          })
      } else {
        try prepare()
        replayed = try fold(db, recentlyClosedCapacity: recentlyClosedCapacity) { folded in
          try write(folded)
          return true
        }
      }
      try prepare()  // an empty log has no case to write, and its tables are emptied too
      try writer!.flush()
      return replayed
    }
  }

  /// Reads, decodes (without the deadlines' explanations) and folds every event in position
  /// order, handing each case to `release` once it is let go or at the end; stops early when
  /// `release` returns `false`.
  ///
  /// - Returns: The number of events read and of cases read back.
  private static func fold(
    _ db: Database, recentlyClosedCapacity: Int, release: (FoldedCase) throws -> Bool
  ) throws -> BulkReplay {
    var folder = CaseFolder(recentlyClosedCapacity: recentlyClosedCapacity)
    var events = 0
    var going = true
    func hand(_ folded: FoldedCase) throws {
      if going { going = try release(folded) }
    }
    func reread(_ caseID: CaseID, before position: Int) throws -> CaseProjection {
      CaseProjection(
        try replayCaseWithPosition(db, caseID, explanations: false, before: position).dispute)
    }
    try scan(db, recordedAt: false) { stored in
      let event: EventOutline
      do {
        event = try EventCodec.decodeOutline(
          type: stored.type, version: stored.typeVersion, occurredAt: stored.occurredAt,
          payload: stored.payload)
      } catch {
        throw EventLogError.corruptEvent(position: stored.position, message: "\(error)")
      }
      try folder.add(
        position: stored.position, caseID: FoldKey(stored.caseID),
        caseVersion: stored.caseVersion, event: event, reread: reread, release: hand)
      events += 1
      return going
    }
    if going { try folder.finish(release: hand) }
    return BulkReplay(events: events, revisits: folder.rereads)
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
          _ = try Self.rebuild(db, pool: writer as? DatabasePool)
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
