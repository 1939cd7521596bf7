import CanonicalJSON
import DisputeEngine
import Foundation
import GRDB
import Testing

@testable import EventLog

/// The bulk paths (rebuild and import) with their memory window forced down to nothing, so
/// that every closed case is let go and any later event reads it back, and import files
/// whose chain is intact but whose contents are not.
@Suite("Bulk replay", .serialized)
struct BulkReplayTests {
  typealias F = EngineFixture

  /// The projection rows, in a fixed order (the snapshot column, a cache, left out).
  static func projections(_ store: EventStore) throws -> [[String]] {
    try store.writer.read { db in
      let summary = try EventStore.columns(db, "case_summary").filter { $0 != "snapshot" }
      var rows: [[String]] = []
      for (table, columns, order) in [
        ("case_summary", summary.joined(separator: ", "), "case_id"),
        ("deadline", "*", "case_id, seq"), ("shop", "*", "key"),
      ] {
        for row in try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY \(order)") {
          rows.append([table] + row.databaseValues.map(\.description))
        }
      }
      return rows
    }
  }

  @Test(
    "a rebuild that lets every closed case go and reads it back equals the live tables",
    arguments: [true, false])
  func rebuildReadsBack(onFile: Bool) throws {
    let (engine, directory) = try FileStoreTests.generated(200)
    defer { try? FileManager.default.removeItem(at: directory) }
    var store = engine.store
    if !onFile {
      // The same log in memory, where the rebuild reads on its own connection.
      let file = directory.appendingPathComponent("log.jsonl")
      try FileStoreTests.export(engine, to: file)
      store = try EventStore.inMemory()
      let handle = try FileHandle(forReadingFrom: file)
      defer { try? handle.close() }
      try store.importLog(from: handle)
    }
    let live = try Self.projections(store)
    #expect(live.count > 600)
    let result = try store.writer.write { db in
      try EventStore.rebuild(db, pool: store.writer as? DatabasePool, recentlyClosedCapacity: 0)
    }
    #expect(result.events == (try store.counts().events))
    // Notes and corrections after a closing step are common in generated cases.
    #expect(result.revisits > 10, "\(result)")
    #expect(try Self.projections(store) == live)
    #expect(try store.checkProjections().matches)
  }

  @Test("an import that lets every closed case go replays those with later events at the end")
  func importDefersRevisits() throws {
    let (engine, directory) = try FileStoreTests.generated(200)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("log.jsonl")
    try FileStoreTests.export(engine, to: file)
    let copy = try Engine(path: directory.appendingPathComponent("copy.sqlite").path)
    let handle = try FileHandle(forReadingFrom: file)
    defer { try? handle.close() }
    let result = try copy.store.importLog(from: handle, progress: nil, recentlyClosedCapacity: 0)
    #expect(result.events == (try engine.store.counts().events))
    #expect(result.revisits > 10, "\(result)")
    #expect(try Self.projections(copy.store) == Self.projections(engine.store))
    #expect(try copy.store.verify().isIntact)
    #expect(try copy.store.checkProjections().matches)
  }

  @Test("a rebuild that meets an event that does not decode names it and changes nothing")
  func rebuildFailsCleanly() throws {
    let (engine, directory) = try FileStoreTests.generated(100)
    defer { try? FileManager.default.removeItem(at: directory) }
    let before = try Self.projections(engine.store)
    let position = try engine.store.counts().events - 40
    try engine.store.writer.write { db in
      try db.execute(
        sql: "UPDATE event SET payload = '{\"colour\":1}' WHERE position = ?", arguments: [position]
      )
    }
    do throws(EventLogError) {
      try engine.store.rebuildProjections()
      Issue.record("the rebuild went through")
    } catch .corruptEvent(let at, let message) {
      #expect(at == position)
      #expect(message.contains("colour"), "\(message)")
    } catch {
      Issue.record("unexpected \(error)")
    }
    #expect(try Self.projections(engine.store) == before)
  }

  /// Refuses, as `RAISE(FAIL)`, every deadline row after a case's first: an insert of several
  /// rows then fails part-way, with its first row written, as an `OR FAIL` insert leaves it.
  static func refuseSecondDeadlines(_ store: EventStore) throws {
    try store.writer.write { db in
      try db.execute(
        sql: """
          CREATE TRIGGER refuse_second_deadline BEFORE INSERT ON deadline WHEN NEW.seq > 0
          BEGIN SELECT RAISE(FAIL, 'refused by the test'); END
          """)
    }
  }

  @Test("a projection insert that fails part-way leaves neither its rows nor the command's events")
  func projectionFailsPartWay() throws {
    // A command: filing opens the admissibility deadline next to the closed answer deadline,
    // so the case's two deadline rows are written by one insert, which fails at the second.
    let engine = try F.memory()
    let reference = try engine.openCase(F.newCase(), actor: "anna").reference.description
    try engine.handle(
      .respond(at: F.day("2026-12-28"), proposal: "refund"), on: reference, actor: "anna")
    try engine.handle(.reject(at: F.day("2026-12-30")), on: reference, actor: "anna")
    let before = try Self.projections(engine.store)
    try Self.refuseSecondDeadlines(engine.store)
    #expect(throws: (any Error).self) {
      try engine.handle(.file(at: F.day("2027-01-04")), on: reference, actor: "anna")
    }
    #expect(try engine.store.counts().events == 3)
    #expect(try Self.projections(engine.store) == before)
    #expect(try engine.caseDetail(reference).dispute.state.kind == .shopAnswered)

    // A rebuild, which writes cases with one deadline before it meets one with two.
    let (generated, directory) = try FileStoreTests.generated(100)
    defer { try? FileManager.default.removeItem(at: directory) }
    let live = try Self.projections(generated.store)
    #expect(live.contains { $0[0] == "deadline" && $0[2] == "1" })
    try Self.refuseSecondDeadlines(generated.store)
    #expect(throws: EventLogError.self) { try generated.store.rebuildProjections() }
    #expect(try Self.projections(generated.store) == live)
  }

  // MARK: - Import files with an intact chain but wrong contents

  /// The exported lines, with `change` applied to the records and the chain re-linked and
  /// re-hashed from the first change on, so that only the contents are wrong.
  static func relinked(_ lines: [String], _ change: (inout [LogRecord]) -> Void) throws -> String {
    var records = try lines.dropFirst().map { try EventStore.parseLine(Array($0.utf8)) }
    change(&records)
    var previous = LogRecord.genesis
    var out: [String] = []
    for record in records {
      let linked = LogRecord(
        position: record.position, caseID: record.caseID, caseVersion: record.caseVersion,
        type: record.type, typeVersion: record.typeVersion, occurredAt: record.occurredAt,
        recordedAt: record.recordedAt, actor: record.actor, commandID: record.commandID,
        payload: record.payload, previousHash: previous)
      previous = linked.hash
      out.append(String(decoding: linked.exportLine, as: UTF8.self))
    }
    let header = LogHeader(events: records.count, lastHash: LogRecord.hex(previous), people: 0)
    return ([String(decoding: header.line, as: UTF8.self)] + out).joined(separator: "\n") + "\n"
  }

  static func with(_ record: LogRecord, caseVersion: Int? = nil, commandID: String? = nil)
    -> LogRecord
  {
    LogRecord(
      stored: record.position, caseID: record.caseID,
      caseVersion: caseVersion ?? record.caseVersion, type: record.type,
      typeVersion: record.typeVersion, occurredAt: record.occurredAt,
      recordedAt: record.recordedAt, actor: record.actor,
      commandID: commandID ?? record.commandID, payload: record.payload,
      previousHash: record.previousHash, hash: record.hash)
  }

  @Test("an import whose chain is intact but whose case versions or command ids repeat or skip")
  func importChecksVersionsAndCommands() throws {
    let (engine, directory) = try FileStoreTests.generated(60)
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("good.jsonl")
    try FileStoreTests.export(engine, to: good)
    let lines = try String(contentsOf: good, encoding: .utf8).split(separator: "\n").map(
      String.init)
    let records = try lines.dropFirst().map { try EventStore.parseLine(Array($0.utf8)) }
    // The second event of some case, and the opening of the last case.
    let second = try #require(records.first { $0.caseVersion == 2 })
    let lastOpening = try #require(records.last { $0.caseVersion == 1 })
    let firstOpening = records[0]
    let files: [(String, String, [String])] = [
      (
        "version gap",
        try Self.relinked(lines) { records in
          records[second.position - 1] = Self.with(second, caseVersion: 3)
        }, ["line \(second.position + 1)", "case version 3 follows version 1"]
      ),
      (
        "repeated command",
        try Self.relinked(lines) { records in
          records[lastOpening.position - 1] = Self.with(
            lastOpening, commandID: firstOpening.commandID)
        },
        [
          "line \(lastOpening.position + 1)", "command id '\(firstOpening.commandID)'",
          "repeats the event on line 2",
        ]
      ),
    ]
    for (name, content, expected) in files {
      let file = directory.appendingPathComponent("\(name).jsonl")
      try content.write(to: file, atomically: true, encoding: .utf8)
      let target = try Engine(path: directory.appendingPathComponent("\(name).sqlite").path)
      do {
        _ = try FileStoreTests.importLog(target, from: file)
        Issue.record("\(name) was imported")
      } catch {
        for text in expected { #expect("\(error)".contains(text), "\(name): \(error)") }
      }
      #expect(try target.store.counts() == (0, 0), "\(name) left data behind")
    }
  }

  @Test("a line that is not UTF-8 is refused by its number, even when its hash matches its bytes")
  func importRefusesInvalidUTF8() throws {
    let (engine, directory) = try FileStoreTests.generated(20)
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("good.jsonl")
    try FileStoreTests.export(engine, to: good)
    let lines = try String(contentsOf: good, encoding: .utf8).split(separator: "\n").map(
      String.init)
    var records = try lines.dropFirst().map { try EventStore.parseLine(Array($0.utf8)) }
    let target = try #require(records.firstIndex { $0.type == "NoteAdded" })
    // A byte 0xFF in the note's text, and the chain re-hashed over the bytes as they are.
    var payload = records[target].payload
    let text = Array(#""text":""#.utf8)
    let at = try #require(
      (0...(payload.count - text.count)).first { Array(payload[$0..<$0 + text.count]) == text })
    payload.insert(0xFF, at: at + text.count)
    var previous = LogRecord.genesis
    var bytes = Data()
    for (index, record) in records.enumerated() {
      let linked = LogRecord(
        position: record.position, caseID: record.caseID, caseVersion: record.caseVersion,
        type: record.type, typeVersion: record.typeVersion, occurredAt: record.occurredAt,
        recordedAt: record.recordedAt, actor: record.actor, commandID: record.commandID,
        payload: index == target ? payload : record.payload, previousHash: previous)
      records[index] = linked
      previous = linked.hash
      bytes.append(contentsOf: linked.exportLine + [0x0A])
    }
    let header = LogHeader(events: records.count, lastHash: LogRecord.hex(previous), people: 0)
    let file = directory.appendingPathComponent("latin1.jsonl")
    try (Data(header.line + [0x0A]) + bytes).write(to: file)
    let copy = try Engine(path: directory.appendingPathComponent("copy.sqlite").path)
    do {
      _ = try FileStoreTests.importLog(copy, from: file)
      Issue.record("a line that is not UTF-8 was imported")
    } catch {
      #expect("\(error)".contains("line \(target + 2)"), "\(error)")
      #expect("\(error)".contains("not valid UTF-8"), "\(error)")
    }
    #expect(try copy.store.counts() == (0, 0))
  }

  @Test(
    "UTF-8 validation of import lines",
    arguments: [
      ([0x61, 0x62], true), (Array("café €10 🙂 plain ascii tail....".utf8), true),
      ([0x61, 0xFF], false), ([0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0xE2, 0x82], false),
      ([0xC0, 0xAF], false), ([0xED, 0xA0, 0x80], false), ([], true),
    ] as [([UInt8], Bool)])
  func utf8Validation(bytes: [UInt8], valid: Bool) {
    #expect(bytes.withUnsafeBufferPointer(JSONReader.isValidUTF8) == valid)
  }

  @Test("lines in another shape than the export's are read by the general parser, hashes checked")
  func importReadsOtherShapes() throws {
    let (engine, directory) = try FileStoreTests.generated(20)
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("good.jsonl")
    try FileStoreTests.export(engine, to: good)
    let original = try String(contentsOf: good, encoding: .utf8)
    var lines = original.split(separator: "\n").map(String.init)
    // White space, and an escape spelling the same actor: the canonical form, and so the
    // hash, is unchanged.
    lines[3] = lines[3].replacingOccurrences(of: "\"position\":3,", with: "\"position\": 3 ,")
    lines[4] = lines[4].replacingOccurrences(
      of: "\"actor\":\"generator\"", with: "\"actor\":\"\\u0067enerator\"")
    #expect(lines[3].contains("\"position\": 3 ,") && lines[4].contains("\\u0067"))
    let shaped = directory.appendingPathComponent("shaped.jsonl")
    try (lines.joined(separator: "\r\n") + "\r\n").write(
      to: shaped, atomically: true, encoding: .utf8)
    let copy = try Engine(path: directory.appendingPathComponent("copy.sqlite").path)
    #expect(try FileStoreTests.importLog(copy, from: shaped) == lines.count - 1)
    #expect(try copy.store.verify().isIntact)
    let again = directory.appendingPathComponent("again.jsonl")
    try FileStoreTests.export(copy, to: again)
    #expect(try String(contentsOf: again, encoding: .utf8) == original)

    // The same white space with a hash computed over the line as written, not over the
    // canonical form, is refused.
    var forged = original.split(separator: "\n").map(String.init)
    let record = try EventStore.parseLine(Array(forged[3].utf8))
    let spaced = String(decoding: record.canonical, as: UTF8.self).replacingOccurrences(
      of: "\"position\":3,", with: "\"position\": 3,")
    let hash = LogRecord.hash(canonical: Array(spaced.utf8))
    forged[3] = String(spaced.dropLast()) + ",\"hash\":\"\(LogRecord.hex(hash))\"}"
    let forgedFile = directory.appendingPathComponent("forged.jsonl")
    try (forged.joined(separator: "\n") + "\n").write(
      to: forgedFile, atomically: true, encoding: .utf8)
    let refused = try Engine(path: directory.appendingPathComponent("refused.sqlite").path)
    do {
      _ = try FileStoreTests.importLog(refused, from: forgedFile)
      Issue.record("the forged line was imported")
    } catch {
      // Refused on its own line, not on the next one's link.
      #expect("\(error)".contains("line 4") && "\(error)".contains("altered"), "\(error)")
    }
    #expect(try refused.store.counts() == (0, 0))
  }

  @Test(
    "a payload followed by more JSON, its line hashed as written, is refused by its line",
    arguments: [",\"extra\":{}", "{}", " {\"a\":1}"])
  func importRefusesTextAfterPayload(tail: String) throws {
    let (engine, directory) = try FileStoreTests.generated(20)
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("good.jsonl")
    try FileStoreTests.export(engine, to: good)
    let lines = try String(contentsOf: good, encoding: .utf8).split(separator: "\n")
    var records = try lines.dropFirst().map { try EventStore.parseLine(Array($0.utf8)) }
    // The payload still starts with `{` and ends with `}`, as the import's fast path expects,
    // and the chain is re-hashed over it: only the payload's decoder can tell.
    let target = 6
    var previous = LogRecord.genesis
    var bytes = Data()
    for (index, record) in records.enumerated() {
      let linked = LogRecord(
        position: record.position, caseID: record.caseID, caseVersion: record.caseVersion,
        type: record.type, typeVersion: record.typeVersion, occurredAt: record.occurredAt,
        recordedAt: record.recordedAt, actor: record.actor, commandID: record.commandID,
        payload: index == target ? record.payload + Array(tail.utf8) : record.payload,
        previousHash: previous)
      records[index] = linked
      previous = linked.hash
      bytes.append(contentsOf: linked.exportLine + [0x0A])
    }
    let header = LogHeader(events: records.count, lastHash: LogRecord.hex(previous), people: 0)
    let file = directory.appendingPathComponent("extra.jsonl")
    try (Data(header.line + [0x0A]) + bytes).write(to: file)
    let copy = try Engine(path: directory.appendingPathComponent("copy.sqlite").path)
    do {
      _ = try FileStoreTests.importLog(copy, from: file)
      Issue.record("a payload with text after it was imported")
    } catch {
      #expect("\(error)".contains("line \(target + 2)"), "\(error)")
      #expect("\(error)".contains("after the payload"), "\(error)")
    }
    #expect(try copy.store.counts() == (0, 0))
  }

  /// A chain re-hashed over a line whose event does not decode (its type unknown, or a field
  /// of the wrong kind): only the decoder can tell, on the fast path and on the general one.
  @Test(
    "an event that does not decode, its chain intact, is refused by its line and position",
    arguments: [
      (type: "CaseReopened", payload: nil, reshape: false, message: "unknown event type"),
      (type: "CaseReopened", payload: nil, reshape: true, message: "unknown event type"),
      (type: nil, payload: "{\"note\":7}", reshape: false, message: "NoteAdded"),
      (type: nil, payload: "{\"note\":7}", reshape: true, message: "NoteAdded"),
    ] as [(type: String?, payload: String?, reshape: Bool, message: String)])
  func importRefusesUndecodableEvent(
    type: String?, payload: String?, reshape: Bool, message: String
  ) throws {
    let (engine, directory) = try FileStoreTests.generated(20)
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("good.jsonl")
    try FileStoreTests.export(engine, to: good)
    let lines = try String(contentsOf: good, encoding: .utf8).split(separator: "\n")
    let records = try lines.dropFirst().map { try EventStore.parseLine(Array($0.utf8)) }
    // A note, for the payload of the wrong shape; any event will do for the unknown type.
    let target = try #require(records.firstIndex { $0.type == "NoteAdded" })
    var previous = LogRecord.genesis
    var bytes: [UInt8] = []
    for (index, record) in records.enumerated() {
      let changed = index == target
      let linked = LogRecord(
        position: record.position, caseID: record.caseID, caseVersion: record.caseVersion,
        type: changed ? type ?? record.type : record.type, typeVersion: record.typeVersion,
        occurredAt: record.occurredAt, recordedAt: record.recordedAt, actor: record.actor,
        commandID: record.commandID,
        payload: changed ? payload.map { Array($0.utf8) } ?? record.payload : record.payload,
        previousHash: previous)
      previous = linked.hash
      var line = String(decoding: linked.exportLine, as: UTF8.self)
      // White space the fast path does not take; the canonical form, and the hash, stay.
      if changed, reshape {
        line = line.replacingOccurrences(of: ",\"actor\":", with: ", \"actor\":")
      }
      bytes += Array(line.utf8) + [0x0A]
    }
    let header = LogHeader(events: records.count, lastHash: LogRecord.hex(previous), people: 0)
    let file = directory.appendingPathComponent("undecodable.jsonl")
    try Data(header.line + [0x0A] + bytes).write(to: file)
    let copy = try Engine(path: directory.appendingPathComponent("copy.sqlite").path)
    do {
      _ = try FileStoreTests.importLog(copy, from: file)
      Issue.record("an event that does not decode was imported")
    } catch {
      let text = "\(error)"
      #expect(text.contains("import line \(target + 2):"), "\(text)")
      #expect(text.contains("position \(records[target].position)"), "\(text)")
      #expect(text.contains(message), "\(text)")
    }
    #expect(try copy.store.counts() == (0, 0))
  }

  /// The journal mode of the store's file, as a new connection sees it.
  static func journalMode(_ path: String) throws -> String? {
    try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
  }

  @Test("an import into a file no one else has open writes it once, then returns it to WAL mode")
  func importOutsideWAL() throws {
    let (engine, directory) = try FileStoreTests.generated(60)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("log.jsonl")
    try FileStoreTests.export(engine, to: file)
    let path = directory.appendingPathComponent("copy.sqlite").path
    let copy = try Engine(path: path)
    // A read first: its pooled reader connection is closed before the load.
    #expect(try copy.store.counts() == (0, 0))
    let handle = try FileHandle(forReadingFrom: file)
    defer { try? handle.close() }
    let result = try copy.store.importLog(from: handle, progress: nil, recentlyClosedCapacity: 16)
    #expect(result.outsideWAL)
    #expect(result.events == (try engine.store.counts().events))
    #expect(try Self.journalMode(path) == "wal")
    #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
    // The writer connection has its page cache and sorter settings back.
    let settings = try copy.store.writer.writeWithoutTransaction { db in
      (try Int.fetchOne(db, sql: "PRAGMA cache_size"), try Int.fetchOne(db, sql: "PRAGMA threads"))
    }
    #expect(settings.0 == -2000 && settings.1 == 0, "\(settings)")
    #expect(try copy.store.verify().isIntact)
    #expect(try copy.store.checkProjections().matches)
    #expect(try Self.projections(copy.store) == Self.projections(engine.store))
    // A rebuild, which empties the tables with fast deletes and fills them with a larger page
    // cache, gives the writer its settings back as well.
    let secureDelete = try copy.store.writer.writeWithoutTransaction { db in
      try Int.fetchOne(db, sql: "PRAGMA secure_delete")
    }
    try copy.store.rebuildProjections()
    let afterRebuild = try copy.store.writer.writeWithoutTransaction { db in
      (
        try Int.fetchOne(db, sql: "PRAGMA cache_size"), try Int.fetchOne(db, sql: "PRAGMA threads"),
        try Int.fetchOne(db, sql: "PRAGMA secure_delete")
      )
    }
    #expect(afterRebuild.0 == -2000 && afterRebuild.1 == 0, "\(afterRebuild)")
    #expect(afterRebuild.2 == secureDelete && secureDelete != 2, "\(afterRebuild)")
    #expect(try Self.projections(copy.store) == Self.projections(engine.store))
    // The pool works as before: a case opened, and read back through a reader.
    let cases = try copy.store.counts().cases
    try copy.openCase(F.newCase(), actor: "anna")
    #expect(try copy.store.counts().cases == cases + 1)
    for suffix in ["", "-wal", "-shm"] {
      let attributes = try FileManager.default.attributesOfItem(atPath: path + suffix)
      #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(suffix)")
    }
  }

  @Test("an import into a file another connection has open stays in WAL mode, and that one sees it")
  func importInsideWAL() throws {
    let (engine, directory) = try FileStoreTests.generated(40)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("log.jsonl")
    try FileStoreTests.export(engine, to: file)
    let path = directory.appendingPathComponent("copy.sqlite").path
    let copy = try Engine(path: path)
    let other = try EventStore(path: path)
    #expect(try other.counts() == (0, 0))
    let handle = try FileHandle(forReadingFrom: file)
    defer { try? handle.close() }
    let result = try copy.store.importLog(from: handle, progress: nil, recentlyClosedCapacity: 16)
    #expect(!result.outsideWAL)
    #expect(try other.counts().events == result.events)
    #expect(try Self.journalMode(path) == "wal")
    #expect(try other.verify().isIntact)
  }
}

/// A database written before migration v2 opens, is upgraded, and keeps every event, its
/// chain and its uniqueness guarantees.
@Suite("Schema upgrade", .serialized)
struct SchemaUpgradeTests {
  @Test("a version 1 database is upgraded to named event indexes with nothing lost")
  func upgradeFromVersion1() throws {
    let (engine, directory) = try FileStoreTests.generated(80)
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = try #require(engine.store.path)
    let before = directory.appendingPathComponent("before.jsonl")
    try FileStoreTests.export(engine, to: before)

    // The same content in a database with the version 1 schema only.
    let old = directory.appendingPathComponent("old.sqlite").path
    let queue = try DatabaseQueue(path: old)
    try EventStore.migrator.migrate(queue, upTo: "v1: event log, people, shops, projections")
    try queue.inDatabase { db in
      try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
      for table in ["event", "person", "shop", "case_summary", "deadline"] {
        try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM source.\(table)")
      }
      try db.execute(sql: "DETACH DATABASE source")
    }
    let oldIndexes = try queue.read { db in
      try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event'")
    }
    #expect(oldIndexes.contains("sqlite_autoindex_event_1"))
    try queue.close()

    let upgraded = try Engine(path: old)
    let indexes = try upgraded.store.writer.read { db in
      try String.fetchAll(
        db,
        sql:
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event' ORDER BY name"
      )
    }
    #expect(indexes == ["event_case_version", "event_command"])
    #expect(try upgraded.store.counts() == engine.store.counts())
    #expect(try upgraded.store.verify().isIntact)
    #expect(try upgraded.store.checkProjections().matches)
    let after = directory.appendingPathComponent("after.jsonl")
    try FileStoreTests.export(upgraded, to: after)
    #expect(try Data(contentsOf: after) == Data(contentsOf: before))
    // The uniqueness the table constraint gave is still there.
    #expect(throws: DatabaseError.self) {
      try upgraded.store.writer.write { db in
        try db.execute(
          sql: """
            INSERT INTO event (position, case_id, case_version, type, type_version, occurred_at,
              recorded_at, actor, command_id, payload, previous_hash, hash)
            SELECT position + 1000000, case_id, case_version, type, type_version, occurred_at,
              recorded_at, actor, 'another-command', payload, previous_hash, hash
            FROM event WHERE position = 1
            """)
      }
    }
  }

  @Test("a version 2 database gets the open-deadline index, and due deadlines come from it")
  func upgradeFromVersion2() throws {
    let (engine, directory) = try FileStoreTests.generated(120)
    defer { try? FileManager.default.removeItem(at: directory) }
    // The generated cases are all closed by now: a dozen more, still open, each with a deadline.
    for day in 1...12 {
      _ = try engine.openCase(
        EngineFixture.newCase(received: "2027-01-\(day < 10 ? "0" : "")\(day)"), actor: "anna")
    }
    let source = try #require(engine.store.path)
    let old = directory.appendingPathComponent("old.sqlite").path
    let queue = try DatabaseQueue(path: old)
    try EventStore.migrator.migrate(queue, upTo: "v2: event uniqueness as named indexes")
    try queue.inDatabase { db in
      try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
      for table in ["event", "person", "shop", "case_summary", "deadline"] {
        try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM source.\(table)")
      }
      try db.execute(sql: "DETACH DATABASE source")
    }
    try queue.close()

    let upgraded = try Engine(path: old)
    let (indexes, indexed, open, plan) = try upgraded.store.writer.read { db in
      (
        try String.fetchAll(
          db,
          sql: """
            SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
              AND tbl_name IN ('case_summary', 'deadline') ORDER BY name
            """),
        try Int.fetchOne(
          db,
          sql: """
            SELECT COUNT(*) FROM deadline INDEXED BY deadline_open_by_expiry
            WHERE status = 'open' AND expires_at < '9999'
            """),
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deadline WHERE status = 'open'"),
        try Row.fetchAll(
          db,
          sql: """
            EXPLAIN QUERY PLAN SELECT d.case_id FROM deadline d
            WHERE d.status = 'open' AND d.expires_at < '2027-06-01' ORDER BY d.expires_at
            """
        ).map { $0["detail"] as String }.joined(separator: " ")
      )
    }
    #expect(indexes == ["case_by_scheme", "case_by_state", "deadline_open_by_expiry"])
    #expect(indexed == open)
    #expect(open == 12)
    #expect(plan.contains("deadline_open_by_expiry"), "\(plan)")
    let later = EngineFixture.now.addingTimeInterval(400 * 86_400)
    #expect(
      try upgraded.store.openDeadlines(expiringBefore: later)
        == engine.store.openDeadlines(expiringBefore: later))
    #expect(try upgraded.store.openDeadlines(expiringBefore: later).count == open)
    #expect(try upgraded.store.checkProjections().matches)
  }
}
