import CanonicalJSON
import CaseModel
import EventCoding
public import Foundation
import GRDB
import GRDBSQLite
import WorkingDays

/// The header line of an exported log.
public struct LogHeader: Sendable, Hashable {
  /// The format's name.
  public static let format = "dispute-engine-log"
  /// The format version this build writes and reads.
  public static let formatVersion = 1

  /// How many event lines follow.
  public let events: Int
  /// The hash of the last event, in hexadecimal (64 zeros for an empty log).
  public let lastHash: String
  /// How many person lines follow the events (0 unless personal data was exported).
  public let people: Int

  /// Creates a header.
  public init(events: Int, lastHash: String, people: Int) {
    self.events = events
    self.lastHash = lastHash
    self.people = people
  }

  /// The header as a line (without the line end).
  public var line: [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.key("format")
    w.string(Self.format)
    w.key("formatVersion")
    w.int(Self.formatVersion)
    w.key("events")
    w.int(events)
    w.key("lastHash")
    w.string(lastHash)
    w.key("people")
    w.int(people)
    w.endObject()
    return w.bytes
  }

  /// Reads a header line.
  public static func parse(_ line: [UInt8]) throws(EventLogError) -> LogHeader {
    do {
      return try line.withUnsafeBufferPointer { buffer throws -> LogHeader in
        var reader = JSONReader(buffer)
        var format: String?
        var version: Int?
        var events: Int?
        var lastHash: String?
        var people = 0
        try reader.beginObject()
        while let key = try reader.nextKey() {
          switch key {
          case "format": format = try reader.string()
          case "formatVersion": version = try reader.int()
          case "events": events = try reader.int()
          case "lastHash": lastHash = try reader.string()
          case "people": people = try reader.int()
          default: throw reader.error("unknown header field '\(key)'")
          }
        }
        guard format == Self.format else { throw reader.error("not a \(Self.format) file") }
        guard version == Self.formatVersion else {
          throw reader.error(
            "format version \(version ?? 0) is not supported (this build reads \(Self.formatVersion))"
          )
        }
        guard let events, events >= 0, let lastHash else {
          throw reader.error("the header lacks events or lastHash")
        }
        return LogHeader(events: events, lastHash: lastHash, people: people)
      }
    } catch let error as EventLogError {
      throw error
    } catch {
      throw .badImportLine(line: 1, message: "\(error)")
    }
  }
}

extension EventStore {
  /// Writes the whole log as JSON Lines (docs/log-format.md): a header, one line per event in
  /// position order with every field (recorded-at, actor, command id, hashes), and, only when
  /// asked, the people's personal data. Reads one consistent snapshot; writers keep working.
  ///
  /// - Returns: The header written.
  @discardableResult
  public func export(to output: FileHandle, includePersonalData: Bool = false) throws(EventLogError)
    -> LogHeader
  {
    do {
      return try writer.read { db in
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0
        let last = try Data.fetchOne(
          db, sql: "SELECT hash FROM event ORDER BY position DESC LIMIT 1")
        let people =
          includePersonalData ? try Row.fetchAll(db, sql: "SELECT * FROM person ORDER BY id") : []
        let header = LogHeader(
          events: count, lastHash: LogRecord.hex(last.map { [UInt8]($0) } ?? LogRecord.genesis),
          people: people.count)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush(force: Bool = false) {
          if force || buffer.count >= 1 << 20 {
            output.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
          }
        }
        buffer.append(contentsOf: header.line)
        buffer.append(0x0A)
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM event ORDER BY position")
        while let row = try rows.next() {
          buffer.append(contentsOf: LogRecord(row: row).exportLine)
          buffer.append(0x0A)
          flush()
        }
        for row in people {
          var w = JSONWriter()
          w.beginObject()
          w.key("person")
          w.beginObject()
          w.key("id")
          w.string(row["id"] as String)
          w.key("name")
          w.string(row["name"] as String?)
          w.key("email")
          w.string(row["email"] as String?)
          w.key("phone")
          w.string(row["phone"] as String?)
          w.key("erasedAt")
          w.string(row["erased_at"] as String?)
          w.endObject()
          w.endObject()
          buffer.append(contentsOf: w.bytes)
          buffer.append(0x0A)
        }
        flush(force: true)
        return header
      }
    } catch {
      throw Self.translate(error, context: "export")
    }
  }

  /// Imports an exported log into this database, which must be empty, in one transaction: every
  /// line's hash and link is checked, every payload checked as strictly as decoding it (without
  /// keeping its texts), and the projections are rebuilt. Any error leaves the database as it
  /// was.
  ///
  /// When no other connection has the file open, the load runs with a rollback journal rather
  /// than in WAL mode (each page is written once instead of twice) and the file is returned to
  /// WAL mode afterwards; otherwise it runs in WAL mode. Either way the commit is atomic and,
  /// with `synchronous=FULL`, durable. While a load runs outside WAL mode, a store opened on the
  /// same file meanwhile waits for its busy timeout and then throws ``EventLogError/busy``.
  ///
  /// - Parameter progress: Called with the number of events read, every 10,000 events.
  /// - Returns: The number of events imported.
  /// - Throws: ``EventLogError/importRefused(_:)`` for a database that is not empty;
  ///   ``EventLogError/badImportLine(line:message:)`` naming the first bad line (a truncated
  ///   file is one whose lines are fewer than its header says).
  @discardableResult
  public func importLog(from input: FileHandle, progress: (@Sendable (Int) -> Void)? = nil)
    throws(EventLogError) -> Int
  {
    try importLog(from: input, progress: progress, recentlyClosedCapacity: 4096).events
  }

  /// ``importLog(from:progress:)`` keeping `recentlyClosedCapacity` closed cases in memory
  /// (small values exercise the cases replayed at the end); also says how many were.
  func importLog(
    from input: FileHandle, progress: (@Sendable (Int) -> Void)?, recentlyClosedCapacity: Int
  ) throws(EventLogError) -> BulkReplay {
    do {
      // This process's idle readers are closed, so that the load may leave WAL mode.
      (writer as? DatabasePool)?.releaseMemory()
      return try writer.writeWithoutTransaction { db in
        try Self.refuseUnlessEmpty(db)
        return try Self.withoutWAL(db) { outsideWAL in
          var replay: BulkReplay?
          try db.inTransaction(.immediate) {
            try Self.refuseUnlessEmpty(db)
            replay = try Self.load(
              db, from: input, progress: progress,
              recentlyClosedCapacity: recentlyClosedCapacity)
            return .commit
          }
          replay?.outsideWAL = outsideWAL
          return replay ?? BulkReplay(events: 0, revisits: 0)
        }
      }
    } catch {
      throw Self.translate(error, context: "import")
    }
  }

  /// Throws ``EventLogError/importRefused(_:)`` unless the database has no event and no person.
  private static func refuseUnlessEmpty(_ db: Database) throws {
    let existing =
      try Int.fetchOne(
        db, sql: "SELECT (SELECT COUNT(*) FROM event) + (SELECT COUNT(*) FROM person)") ?? 0
    guard existing == 0 else {
      throw EventLogError.importRefused(
        "the database is not empty; import into a new database file")
    }
  }

  /// Runs `body` (an import into an empty file) with the database in rollback-journal mode
  /// when no other connection has it open, and returns it to WAL mode afterwards.
  ///
  /// In WAL mode every page of a bulk load is written twice: into the WAL at the commit, then
  /// into the database by the checkpoint. With a rollback journal, the pages of an empty file
  /// have nothing to save, so each is written once, directly (docs/performance.md). Commits
  /// are as durable and atomic in either mode; a crash in the middle leaves a journal that
  /// the next opening rolls back. When another connection (another process, a reader of this
  /// one) has the file open, SQLite refuses to leave WAL mode without waiting, and `body`
  /// runs in WAL mode as before.
  private static func withoutWAL<T>(_ db: Database, _ body: (_ outsideWAL: Bool) throws -> T)
    throws -> T
  {
    guard try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" else {
      return try body(false)
    }
    let left = try leaveWAL(db)
    defer {
      // When the way back fails (another process keeps a lock for longer than the busy
      // timeout), the committed data is intact and the file returns to WAL mode the next
      // time it is opened as a store.
      if left { _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
    }
    return try body(left)
  }

  /// Switches from WAL to the rollback journal, without waiting for other connections;
  /// `false` when another connection has the file open.
  private static func leaveWAL(_ db: Database) throws -> Bool {
    let waitMilliseconds: Int32? =
      switch db.configuration.busyMode {
      case .timeout(let seconds): Int32(clamping: Int((seconds * 1000).rounded()))
      case .immediateError: 0
      case .callback: nil
      }
    if waitMilliseconds != nil { sqlite3_busy_timeout(db.sqliteConnection, 0) }
    defer {
      if let waitMilliseconds { sqlite3_busy_timeout(db.sqliteConnection, waitMilliseconds) }
    }
    do {
      return try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete"
    } catch let error as DatabaseError
      where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    {
      return false
    }
  }

  /// Loads an exported log into an empty database, inside the caller's transaction.
  private static func load(
    _ db: Database, from input: FileHandle, progress: (@Sendable (Int) -> Void)?,
    recentlyClosedCapacity: Int
  ) throws -> BulkReplay {
    return try Self.withBulkCache(db) {
      // The event table's indexes are built once at the end, sorted, rather than row by row,
      // its uniqueness indexes too (the reader checks positions and links, the builder case
      // versions; repeated ids are found when the indexes are built). The projections' indexes
      // are small (a case's scheme and state, the open deadlines) and kept up to date as the
      // rows are written.
      let eventIndexes = try Self.dropIndexes(db, of: ["event"])
      // Lines are parsed, checked, decoded and folded into their cases on a reading thread;
      // this thread inserts the events and writes the cases the fold lets go of: one pass,
      // one decode.
      var imported = 0
      var deferred: Set<String> = []
      var writer = try ProjectionWriter(db)
      let insertion = try Self.eventInsertion(db)
      try ImportReader(input: input, recentlyClosedCapacity: recentlyClosedCapacity).run { item in
        switch item {
        case .event(let row):
          try Self.insert(row, with: insertion)
          imported += 1
          if imported % 10_000 == 0 { progress?(imported) }
        case .write(let folded):
          try writer.add(folded)
        case .person(let person):
          try person.save(db)
        case .finished(let cases):
          deferred = cases
        }
      }
      try writer.flush()
      try Self.withSortingThread(db) {
        for index in eventIndexes {
          do {
            try db.execute(sql: index.sql)
          } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw try Self.firstRepeatedEvent(db) ?? error
          }
        }
      }
      // Cases with events after they were written out are replayed whole, now that the
      // case index is built.
      for caseID in deferred.sorted() {
        do {
          let replayed = try Self.replayCaseWithPosition(
            db, CaseID(caseID), explanations: false)
          try FoldedCase(
            projection: CaseProjection(replayed.dispute), lastPosition: replayed.lastPosition,
            fresh: false
          ).write(with: &writer)
        } catch EventLogError.corruptEvent(let position, let message) {
          throw EventLogError.badImportLine(line: position + 1, message: message)
        }
      }
      return BulkReplay(events: imported, revisits: deferred.count)
    }
  }

  /// The first event whose case id and case version, or command id and case version, repeat
  /// an earlier event's, as an import error naming its line; `nil` when there is none.
  static func firstRepeatedEvent(_ db: Database) throws -> EventLogError? {
    for (column, what) in [("case_id", "case id"), ("command_id", "command id")] {
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT later.position, later.\(column), later.case_version, earlier.position
          FROM event AS later JOIN event AS earlier ON earlier.\(column) = later.\(column)
            AND earlier.case_version = later.case_version AND earlier.position < later.position
          ORDER BY later.position LIMIT 1
          """)
      guard let row else { continue }
      let position: Int = row[0]
      let value: String = row[1]
      let version: Int = row[2]
      let earlier: Int = row[3]
      return .badImportLine(
        line: position + 1,
        message:
          "\(what) '\(value)' with case version \(version) repeats the event on line \(earlier + 1)"
      )
    }
    return nil
  }

  /// Drops the named indexes of `tables`, returning what creates them again: a bulk load
  /// builds each index once, sorted, instead of inserting into it row by row. Runs inside the
  /// caller's transaction, so a failure or a rollback restores them.
  static func dropIndexes(_ db: Database, of tables: [String]) throws -> [(
    name: String, sql: String
  )] {
    let indexes = try Row.fetchAll(
      db,
      sql: """
        SELECT name, sql FROM sqlite_master
        WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(tables.map { _ in "?" }.joined(separator: ", ")))
        ORDER BY name
        """, arguments: StatementArguments(tables))
    var dropped: [(name: String, sql: String)] = []
    for index in indexes {
      let name: String = index["name"]
      dropped.append((name, index["sql"]))
      try db.execute(sql: "DROP INDEX \(name)")
    }
    return dropped
  }

  /// Reads one event line.
  public static func parseLine(_ line: [UInt8]) throws -> LogRecord {
    try line.withUnsafeBufferPointer { buffer in
      var reader = JSONReader(buffer)
      var strings: [String: String] = [:]
      var ints: [String: Int] = [:]
      var payload: ArraySlice<UInt8>?
      try reader.beginObject()
      while let key = try reader.nextKey() {
        switch key {
        case "position", "caseVersion", "typeVersion": ints[key] = try reader.int()
        case "caseId", "type", "occurredAt", "recordedAt", "actor", "commandId", "previousHash",
          "hash":
          strings[key] = try reader.string()
        case "payload": payload = try reader.rawValue()
        default: throw reader.error("unknown field '\(key)'")
        }
      }
      guard reader.atEnd() else { throw reader.error("unexpected text after the event") }
      func string(_ key: String) throws -> String {
        guard let value = strings[key] else { throw reader.error("missing '\(key)'") }
        return value
      }
      func int(_ key: String) throws -> Int {
        guard let value = ints[key] else { throw reader.error("missing '\(key)'") }
        return value
      }
      guard let payload else { throw reader.error("missing 'payload'") }
      guard let previous = LogRecord.bytes(hex: try string("previousHash")), previous.count == 32,
        let hash = LogRecord.bytes(hex: try string("hash")), hash.count == 32
      else { throw reader.error("a hash is not 64 hexadecimal digits") }
      return LogRecord(
        stored: try int("position"), caseID: CaseID(try string("caseId")),
        caseVersion: try int("caseVersion"),
        type: try string("type"), typeVersion: try int("typeVersion"),
        occurredAt: try string("occurredAt"),
        recordedAt: try string("recordedAt"), actor: try string("actor"),
        commandID: try string("commandId"),
        payload: Array(payload), previousHash: previous, hash: hash)
    }
  }

  static func parsePerson(_ line: [UInt8]) throws -> PersonRecord {
    try line.withUnsafeBufferPointer { buffer in
      var reader = JSONReader(buffer)
      var person: PersonRecord?
      try reader.beginObject()
      while let key = try reader.nextKey() {
        guard key == "person" else { throw reader.error("unknown field '\(key)'") }
        var fields: [String: String?] = [:]
        try reader.beginObject()
        while let field = try reader.nextKey() {
          guard ["id", "name", "email", "phone", "erasedAt"].contains(field) else {
            throw reader.error("unknown field '\(field)' in a person")
          }
          fields[field] = reader.readNull() ? String?.none : try reader.string()
        }
        guard let id = fields["id"] ?? nil else { throw reader.error("a person needs an id") }
        person = PersonRecord(
          id: id, name: fields["name"] ?? nil, email: fields["email"] ?? nil,
          phone: fields["phone"] ?? nil,
          erasedAt: fields["erasedAt"] ?? nil)
      }
      guard let person else { throw reader.error("expected {\"person\":{…}}") }
      return person
    }
  }
}

/// Reads a file line by line in blocks, accepting LF and CRLF.
public struct LineReader {
  /// The size of a block read at once, unless a longer line needs more. Small enough that the
  /// kernel's copy into it stays in the CPU's caches: `read(2)` into a 64 KiB buffer cost a
  /// quarter of the system time of reading into 1 MiB (docs/performance.md).
  static let blockSize = 1 << 16

  private let handle: FileHandle
  /// Bytes read and not yet handed out are `buffer[start..<end]`.
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0
  private var finished = false

  /// Reads from a file handle, from its current offset.
  public init(_ handle: FileHandle) {
    self.handle = handle
    buffer = [UInt8](repeating: 0, count: Self.blockSize)
  }

  /// The next line without its line end, or `nil` at the end of the file.
  public mutating func next() throws(EventLogError) -> [UInt8]? {
    do {
      return try withNextLine { Array($0) }
    } catch let error as EventLogError {
      throw error
    } catch {
      throw .io("\(error)")
    }
  }

  /// Calls `body` with the next line's bytes, without its line end (valid during the call
  /// only), and returns what it returns; `nil` at the end of the file.
  mutating func withNextLine<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
    while true {
      let (start, end) = (self.start, self.end)
      let newline = buffer.withUnsafeBufferPointer { bytes -> Int? in
        guard start < end, let base = bytes.baseAddress,
          let found = memchr(base + start, 0x0A, end - start)
        else { return nil }
        return UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
      }
      let lineEnd: Int
      if let newline {
        lineEnd = newline
      } else if finished {
        guard start < end else { return nil }
        lineEnd = end
      } else {
        try fill()
        continue
      }
      let lineStart = start
      self.start = newline.map { $0 + 1 } ?? end
      return try buffer.withUnsafeBufferPointer { bytes in
        var last = lineEnd
        if last > lineStart, bytes[last - 1] == 0x0D { last -= 1 }
        return try body(UnsafeBufferPointer(rebasing: bytes[lineStart..<last]))
      }
    }
  }

  /// Moves the unread bytes to the front (doubling the buffer when one line fills it) and
  /// reads more after them.
  private mutating func fill() throws(EventLogError) {
    let unread = end - start
    if start > 0 {
      let from = start
      buffer.withUnsafeMutableBufferPointer { bytes in
        guard let base = bytes.baseAddress else { return }
        _ = memmove(base, base + from, unread)
      }
      start = 0
      end = unread
    }
    if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
    let descriptor = handle.fileDescriptor
    let offset = end
    while true {
      let count = buffer.withUnsafeMutableBufferPointer { bytes in
        read(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
      }
      if count > 0 {
        end += count
        return
      }
      if count == 0 {
        finished = true
        return
      }
      guard errno == EINTR else {
        throw .io("cannot read: \(String(cString: strerror(errno)))")
      }
    }
  }
}
