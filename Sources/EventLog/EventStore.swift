import CanonicalJSON
public import CaseModel
import EventCoding
public import Foundation
public import GRDB
import GRDBSQLite
import WorkingDays

/// The append-only event log of every case, with its projections, in one SQLite file.
///
/// A file is opened as a WAL `DatabasePool` (readers never block the writer), with
/// `synchronous=FULL` (a committed step survives power loss) and a busy timeout (a second
/// process waits instead of failing); the file and its `-wal` and `-shm` companions are
/// readable by their owner only. The schema is created and upgraded by a `DatabaseMigrator`.
///
/// ```swift
/// let store = try EventStore(path: "disputes.sqlite")
/// let result = try store.record(caseID: id, commandID: "cmd-1", actor: "anna", recordedAt: now) { dispute, _ in
///   try CaseDecider.decide(command, dispute!, context: context)
/// }
/// ```
public struct EventStore: Sendable {
  /// The database connection (a pool for files, a queue in memory).
  public let writer: any DatabaseWriter
  /// The file's path, or `nil` in memory.
  public let path: String?

  /// How a file is opened.
  public struct Options: Sendable {
    /// `synchronous=FULL` (the default) survives power loss; `NORMAL` survives a crash of the
    /// process only, and is faster.
    public var synchronousFull: Bool
    /// How long to wait for another process's write lock.
    public var busyTimeout: TimeInterval

    /// Creates options.
    public init(synchronousFull: Bool = true, busyTimeout: TimeInterval = 10) {
      self.synchronousFull = synchronousFull
      self.busyTimeout = busyTimeout
    }
  }

  /// Opens (creating if needed) a database file.
  ///
  /// - Throws: ``EventLogError/notADatabase(_:)`` for a file that is not SQLite or not this
  ///   product's, ``EventLogError/io(_:)`` when it cannot be created.
  public init(path: String, options: Options = Options()) throws(EventLogError) {
    let manager = FileManager.default
    if !manager.fileExists(atPath: path) {
      // Created with owner-only permissions before SQLite opens it; SQLite gives the -wal and
      // -shm files the same permissions as the database file.
      guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
      else {
        throw .io("cannot create \(path)")
      }
    }
    for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: path + suffix) {
      try? manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path + suffix)
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(options.busyTimeout)
    let synchronous = options.synchronousFull ? "FULL" : "NORMAL"
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
    }
    do {
      let pool = try DatabasePool(path: path, configuration: configuration)
      try Self.migrator.migrate(pool)
      writer = pool
    } catch {
      throw Self.translate(error, context: path)
    }
    self.path = path
  }

  /// An empty database in memory, for tests and throwaway work.
  public static func inMemory() throws(EventLogError) -> EventStore {
    do {
      let queue = try DatabaseQueue()
      try migrator.migrate(queue)
      return EventStore(writer: queue, path: nil)
    } catch {
      throw translate(error, context: "memory")
    }
  }

  private init(writer: any DatabaseWriter, path: String?) {
    self.writer = writer
    self.path = path
  }

  // MARK: - Schema

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: event log, people, shops, projections") { db in
      try db.execute(
        sql: """
          CREATE TABLE event (
            position INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL,
            case_version INTEGER NOT NULL,
            type TEXT NOT NULL,
            type_version INTEGER NOT NULL,
            occurred_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            command_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            previous_hash BLOB NOT NULL,
            hash BLOB NOT NULL,
            UNIQUE (case_id, case_version)
          );
          CREATE UNIQUE INDEX event_command ON event(command_id, case_version);
          CREATE TABLE person (
            id TEXT PRIMARY KEY,
            name TEXT,
            email TEXT,
            phone TEXT,
            erased_at TEXT
          );
          CREATE TABLE shop (
            key TEXT PRIMARY KEY,
            trade_name TEXT NOT NULL,
            country TEXT NOT NULL,
            registration_number TEXT,
            website TEXT
          );
          CREATE TABLE case_summary (
            case_id TEXT PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            scheme TEXT NOT NULL,
            workflow_version TEXT NOT NULL,
            state TEXT NOT NULL,
            phase TEXT NOT NULL,
            closed INTEGER NOT NULL,
            shop_key TEXT NOT NULL,
            shop_name TEXT NOT NULL,
            shop_country TEXT NOT NULL,
            consumer_country TEXT NOT NULL,
            consumer_id TEXT,
            subject TEXT NOT NULL,
            amount_cents INTEGER,
            received_at TEXT NOT NULL,
            last_step_at TEXT NOT NULL,
            version INTEGER NOT NULL,
            last_position INTEGER NOT NULL,
            next_deadline_kind TEXT,
            next_deadline_expires_at TEXT,
            snapshot BLOB
          );
          CREATE INDEX case_by_state ON case_summary(closed, state);
          CREATE INDEX case_by_scheme ON case_summary(scheme, state);
          CREATE INDEX case_by_shop ON case_summary(shop_key);
          CREATE INDEX case_by_next_deadline ON case_summary(next_deadline_expires_at);
          CREATE TABLE deadline (
            case_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            party TEXT NOT NULL,
            last_day TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            status TEXT NOT NULL,
            marked_missed INTEGER NOT NULL,
            opened_by_version INTEGER NOT NULL,
            PRIMARY KEY (case_id, seq)
          );
          CREATE INDEX deadline_by_expiry ON deadline(status, expires_at);
          """)
    }
    migrator.registerMigration("v2: event uniqueness as named indexes") { db in
      // The same table, its `UNIQUE (case_id, case_version)` now a named index: an import into
      // an empty database drops it and builds it once, sorted, after loading the rows in
      // position order, instead of inserting into it row by row (docs/performance.md).
      try db.execute(
        sql: """
          CREATE TABLE event_v2 (
            position INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL,
            case_version INTEGER NOT NULL,
            type TEXT NOT NULL,
            type_version INTEGER NOT NULL,
            occurred_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL,
            command_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            previous_hash BLOB NOT NULL,
            hash BLOB NOT NULL
          );
          INSERT INTO event_v2 SELECT position, case_id, case_version, type, type_version,
            occurred_at, recorded_at, actor, command_id, payload, previous_hash, hash
            FROM event ORDER BY position;
          DROP TABLE event;
          ALTER TABLE event_v2 RENAME TO event;
          CREATE UNIQUE INDEX event_case_version ON event(case_id, case_version);
          CREATE UNIQUE INDEX event_command ON event(command_id, case_version);
          """)
    }
    migrator.registerMigration("v3: projection indexes for the queries that use them") { db in
      // "What is due before X" and "what is overdue at X" ask only for open deadlines: the
      // index holds those alone, so it stays as small as the open cases however long the log
      // grows, and a rebuild or an import builds it from them. No query filtered or ordered
      // on a case's shop key or next expiry (the shop filter also matches names, which an
      // index cannot serve), so those two indexes only cost every write.
      try db.execute(
        sql: """
          DROP INDEX deadline_by_expiry;
          CREATE INDEX deadline_open_by_expiry ON deadline(expires_at) WHERE status = 'open';
          DROP INDEX case_by_shop;
          DROP INDEX case_by_next_deadline;
          """)
    }
    return migrator
  }

  // MARK: - Recording

  /// What ``record(caseID:expectedVersion:commandID:actor:recordedAt:person:decide:)`` did.
  public struct Recorded: Sendable {
    /// The case after the command.
    public let dispute: DisputeCase
    /// The records written (or, for a retry, the records the first attempt wrote).
    public let records: [LogRecord]
    /// Whether the command id had been recorded before, so nothing new was written.
    public let duplicate: Bool
  }

  /// Records a command atomically: loads the case from its projection row, asks `decide` for
  /// the events (pure, inside the transaction, so no other writer can interleave), appends
  /// them with their hash-chain links, and updates the projections — all or nothing.
  ///
  /// - Parameters:
  ///   - caseID: The case (its id, or its readable reference), or `nil` when `decide` opens a
  ///     new one.
  ///   - expectedVersion: The version the caller last saw, if it wants a conflict rather than
  ///     a decision on a case that changed since.
  ///   - commandID: The command's id; recording the same id again writes nothing and returns
  ///     the first result.
  ///   - person: Personal data to keep (outside the hashed events) with the case.
  ///   - sequenceFor: For a new case, the reference prefix and year whose next sequence number
  ///     `decide` receives (assigned inside the transaction, so numbers never repeat).
  ///   - decide: Given the current case (`nil` for a new one) and the sequence number (0 when
  ///     none was asked for), the events to append.
  /// - Throws: ``EventLogError`` — `conflict`, `caseNotFound`, `rejected` (the decider's
  ///   `CaseError`), `busy`, `corruptEvent`.
  public func record(
    caseID: CaseID?, expectedVersion: Int? = nil, commandID: String, actor: String,
    recordedAt: Date,
    person: PersonRecord? = nil, sequenceFor: (prefix: String, year: Int)? = nil,
    decide: @Sendable (DisputeCase?, Int) throws(CaseError) -> [CaseEvent]
  ) throws(EventLogError) -> Recorded {
    do {
      return try writer.write { db throws -> Recorded in
        if let earlier = try Self.recordsOfCommand(db, commandID) {
          let dispute = try Self.loadCase(db, earlier[0].caseID)
          return Recorded(dispute: dispute, records: earlier, duplicate: true)
        }
        var dispute: DisputeCase?
        if let given = caseID {
          // An id or a readable reference, resolved inside the transaction.
          guard let caseID = try Self.resolve(db, given.rawValue) else {
            throw EventLogError.caseNotFound(given.rawValue)
          }
          let current = try Self.loadCase(db, caseID)
          if let expectedVersion, expectedVersion != current.version {
            throw EventLogError.conflict(
              reference: current.reference.description, expected: expectedVersion,
              actual: current.version)
          }
          dispute = current
        }
        var sequence = 0
        if let sequenceFor {
          let pattern = "\(sequenceFor.prefix)-\(sequenceFor.year)-%"
          let highest = try String.fetchOne(
            db,
            sql:
              "SELECT reference FROM case_summary WHERE reference LIKE ? ORDER BY length(reference) DESC, reference DESC LIMIT 1",
            arguments: [pattern])
          sequence = (highest.flatMap(CaseReference.init(parsing:))?.sequence ?? 0) + 1
        }
        let decided = Result { () throws(CaseError) in try decide(dispute, sequence) }
        let events: [CaseEvent]
        switch decided {
        case .success(let value): events = value
        case .failure(let error): throw EventLogError.rejected(error)
        }
        guard !events.isEmpty else {
          return Recorded(dispute: dispute!, records: [], duplicate: false)
        }
        var next: DisputeCase
        var remaining = events[...]
        if let dispute {
          next = dispute
        } else {
          next = try DisputeCase(opening: events[0])
          remaining = events.dropFirst()
        }
        for event in remaining { try next.apply(event) }
        let records = try Self.append(
          db, caseID: next.id, firstVersion: (dispute?.version ?? 0) + 1, events: events,
          commandID: commandID,
          actor: actor, recordedAt: recordedAt)
        if let person { try person.save(db) }
        try Self.project(db, next, lastPosition: records.last!.position, previous: dispute)
        return Recorded(dispute: next, records: records, duplicate: false)
      }
    } catch {
      throw Self.translate(error, context: commandID)
    }
  }

  /// Appends events to a case's stream, chaining their hashes. Runs inside the caller's
  /// transaction.
  static func append(
    _ db: Database, caseID: CaseID, firstVersion: Int, events: [CaseEvent], commandID: String,
    actor: String,
    recordedAt: Date
  ) throws -> [LogRecord] {
    let last = try Row.fetchOne(
      db.cachedStatement(sql: "SELECT position, hash FROM event ORDER BY position DESC LIMIT 1"))
    var position: Int = last?["position"] ?? 0
    var previous: [UInt8] = last.map { [UInt8]($0["hash"] as Data) } ?? LogRecord.genesis
    let recorded = Instants.iso8601(recordedAt)
    var records: [LogRecord] = []
    let insert = try db.cachedStatement(
      sql: """
        INSERT INTO event (position, case_id, case_version, type, type_version, occurred_at, recorded_at, actor,
          command_id, payload, previous_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for (offset, event) in events.enumerated() {
      position += 1
      let type = event.change.typeName
      let record = LogRecord(
        position: position, caseID: caseID, caseVersion: firstVersion + offset, type: type,
        typeVersion: EventCodec.currentVersion(of: type)!,
        occurredAt: EventCodec.text(event.occurredAt),
        recordedAt: recorded, actor: actor, commandID: commandID,
        payload: EventCodec.payload(event),
        previousHash: previous)
      try insert.execute(arguments: record.databaseArguments)
      previous = record.hash
      records.append(record)
    }
    return records
  }

  /// Inserts a record exactly as given (import). Runs inside the caller's transaction.
  static func insert(_ db: Database, _ record: LogRecord, texts: inout TextArena) throws {
    try insert(record, with: eventInsertion(db), texts: &texts)
  }

  /// The statement that inserts an event row, for ``insert(_:with:texts:)``.
  static func eventInsertion(_ db: Database) throws -> RawStatement {
    try RawStatement(
      db,
      """
      INSERT INTO event (position, case_id, case_version, type, type_version, occurred_at, recorded_at, actor,
        command_id, payload, previous_hash, hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """)
  }

  /// Inserts an event row with a statement from ``eventInsertion(_:)``, prepared once for a
  /// bulk load.
  static func insert(_ record: LogRecord, with insert: RawStatement, texts: inout TextArena)
    throws
  {
    insert.bind(1, record.position)
    texts.add(2, record.caseID.rawValue)
    insert.bind(3, record.caseVersion)
    texts.add(4, record.type)
    insert.bind(5, record.typeVersion)
    texts.add(6, record.occurredAt)
    texts.add(7, record.recordedAt)
    texts.add(8, record.actor)
    texts.add(9, record.commandID)
    record.payload.withUnsafeBytes { texts.add(10, utf8: $0) }
    record.previousHash.withUnsafeBytes { texts.add(11, blob: $0) }
    record.hash.withUnsafeBytes { texts.add(12, blob: $0) }
    try insert.execute(texts: &texts)
  }

  /// Inserts an event row the import's reader packed, with a statement from
  /// ``eventInsertion(_:)``, binding its bytes in place.
  static func insert(_ row: PackedEvent, with insert: RawStatement) throws {
    try insert.execute(row)
  }

  // MARK: - Reading

  /// The case id for an id or a reference, inside a transaction.
  static func resolve(_ db: Database, _ idOrReference: String) throws -> CaseID? {
    try String.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT case_id FROM case_summary WHERE case_id = ?
          UNION ALL SELECT case_id FROM case_summary WHERE reference = ? LIMIT 1
          """),
      arguments: [idOrReference, idOrReference.uppercased()]
    ).map(CaseID.init)
  }

  /// The records a command id wrote, or `nil` when it is new.
  static func recordsOfCommand(_ db: Database, _ commandID: String) throws -> [LogRecord]? {
    let records = try Row.fetchAll(
      db.cachedStatement(sql: "SELECT * FROM event WHERE command_id = ? ORDER BY position"),
      arguments: [commandID]
    ).map(LogRecord.init(row:))
    return records.isEmpty ? nil : records
  }

  /// Loads a case from its projection row's snapshot. The snapshot is a cache: after a rebuild
  /// or an import it is empty, and the case is replayed from its events (the next command
  /// stores a snapshot again); should a snapshot not read, the events are replayed too.
  static func loadCase(_ db: Database, _ caseID: CaseID) throws -> DisputeCase {
    guard
      let row = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT snapshot FROM case_summary WHERE case_id = ?"),
        arguments: [caseID.rawValue])
    else { throw EventLogError.caseNotFound(caseID.rawValue) }
    if let data = row[0] as Data?, let dispute = try? Snapshot.decode(data) { return dispute }
    return try replayCase(db, caseID, explanations: true)
  }

  /// Replays a case from its events.
  static func replayCase(_ db: Database, _ caseID: CaseID, explanations: Bool) throws -> DisputeCase
  {
    try replayCaseWithPosition(db, caseID, explanations: explanations).dispute
  }

  /// Replays a case from its events (only those before position `before`, when given), also
  /// giving the position of its last event.
  ///
  /// - Throws: ``EventLogError/corruptEvent(position:message:)`` for an event that does not
  ///   decode or fit, or a case version out of sequence.
  static func replayCaseWithPosition(
    _ db: Database, _ caseID: CaseID, explanations: Bool, before: Int = .max
  ) throws -> (dispute: DisputeCase, lastPosition: Int) {
    let records = try LogRecord.fetch(
      db, sql: "SELECT * FROM event WHERE case_id = ? AND position < ? ORDER BY case_version",
      [caseID.rawValue, before])
    guard !records.isEmpty else { throw EventLogError.caseNotFound(caseID.rawValue) }
    var events: [CaseEvent] = []
    for (offset, record) in records.enumerated() {
      guard record.caseVersion == offset + 1 else {
        throw EventLogError.corruptEvent(
          position: record.position,
          message:
            "case \(caseID) has version \(record.caseVersion) where \(offset + 1) was expected")
      }
      do {
        events.append(
          try EventCodec.decode(
            type: record.type, version: record.typeVersion, occurredAt: record.occurredAt,
            payload: record.payload,
            explanations: explanations))
      } catch {
        throw EventLogError.corruptEvent(position: record.position, message: error.description)
      }
    }
    do {
      return (try DisputeCase.replay(events), records.map(\.position).max()!)
    } catch {
      throw EventLogError.corruptEvent(position: records[0].position, message: error.description)
    }
  }

  /// The case with this id, from its projection row.
  public func dispute(_ caseID: CaseID) throws(EventLogError) -> DisputeCase {
    do {
      return try writer.read { db in try Self.loadCase(db, caseID) }
    } catch {
      throw Self.translate(error, context: caseID.rawValue)
    }
  }

  /// The case id for an id or a readable reference (case-insensitive), or `nil`.
  public func resolve(_ idOrReference: String) throws(EventLogError) -> CaseID? {
    try locate(idOrReference)?.caseID
  }

  /// The case id and scheme for an id or a readable reference, from the projection row alone.
  public func locate(_ idOrReference: String) throws(EventLogError) -> (
    caseID: CaseID, scheme: String
  )? {
    do {
      return try writer.read { db in
        try Row.fetchOne(
          db,
          sql: """
            SELECT case_id, scheme FROM case_summary WHERE case_id = ?
            UNION ALL SELECT case_id, scheme FROM case_summary WHERE reference = ? LIMIT 1
            """,
          arguments: [idOrReference, idOrReference.uppercased()]
        ).map { (CaseID($0[0] as String), $0[1] as String) }
      }
    } catch {
      throw Self.translate(error, context: idOrReference)
    }
  }

  /// A case's records, in order.
  public func records(of caseID: CaseID) throws(EventLogError) -> [LogRecord] {
    do {
      return try writer.read { db in
        try LogRecord.fetch(
          db, sql: "SELECT * FROM event WHERE case_id = ? ORDER BY case_version", [caseID.rawValue])
      }
    } catch {
      throw Self.translate(error, context: caseID.rawValue)
    }
  }

  /// Up to `limit` records from `position` on, in order.
  public func records(from position: Int, limit: Int = 1000) throws(EventLogError) -> [LogRecord] {
    do {
      return try writer.read { db in
        try LogRecord.fetch(
          db, sql: "SELECT * FROM event WHERE position >= ? ORDER BY position LIMIT ?",
          [position, limit])
      }
    } catch {
      throw Self.translate(error, context: "position \(position)")
    }
  }

  /// The position of the last record, 0 for an empty log.
  public func lastPosition() throws(EventLogError) -> Int {
    do {
      return try writer.read { db in
        try Int.fetchOne(db, sql: "SELECT MAX(position) FROM event") ?? 0
      }
    } catch {
      throw Self.translate(error, context: "last position")
    }
  }

  // MARK: - Errors

  /// Maps GRDB and decoding failures to ``EventLogError``.
  static func translate(_ error: any Error, context: String) -> EventLogError {
    switch error {
    case let error as EventLogError:
      return error
    case let error as CaseError:
      return .rejected(error)
    case let error as DatabaseError:
      switch error.resultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy
      case .SQLITE_NOTADB, .SQLITE_CORRUPT:
        return .notADatabase("\(context): \(error.message ?? "corrupt")")
      case .SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_PERM:
        return .io("\(context): \(error.message ?? "\(error.resultCode)")")
      default:
        return .database("\(context): \(error.message ?? "\(error.resultCode)")")
      }
    default:
      return .database("\(context): \(error)")
    }
  }
}

extension LogRecord {
  var databaseArguments: StatementArguments {
    [
      position, caseID.rawValue, caseVersion, type, typeVersion, occurredAt, recordedAt, actor,
      commandID,
      String(decoding: payload, as: UTF8.self), Data(previousHash), Data(hash),
    ]
  }

  init(row: Row) {
    self.init(
      stored: row["position"], caseID: CaseID(row["case_id"]), caseVersion: row["case_version"],
      type: row["type"],
      typeVersion: row["type_version"], occurredAt: row["occurred_at"],
      recordedAt: row["recorded_at"],
      actor: row["actor"], commandID: row["command_id"],
      payload: Array((row["payload"] as String).utf8),
      previousHash: [UInt8](row["previous_hash"] as Data), hash: [UInt8](row["hash"] as Data))
  }

  static func fetch(_ db: Database, sql: String, _ arguments: StatementArguments) throws
    -> [LogRecord]
  {
    try Row.fetchAll(db, sql: sql, arguments: arguments).map(LogRecord.init(row:))
  }
}
