import DisputeEngine
import Foundation
import GRDB
import Testing

@Suite("Event log on files", .serialized)
struct FileStoreTests {
  typealias F = EngineFixture

  /// A database with `count` generated cases, and its directory.
  static func generated(_ count: Int, seed: UInt64 = 11) throws -> (Engine, URL) {
    let directory = try F.directory()
    let engine = try Engine(
      path: directory.appendingPathComponent("log.sqlite").path, clock: FixedClock(F.now))
    var generator = CaseGenerator(
      seed: seed, firstDay: try CivilDate(parsing: "2026-01-05"), days: 300, expectedCount: count)
    var batches: [EventStore.CaseBatch] = []
    for _ in 0..<count {
      batches.append(EventStore.CaseBatch(generator.next()))
      if batches.count == 500 {
        try engine.store.appendCases(batches, actor: "generator", recordedAt: F.now)
        batches.removeAll()
      }
    }
    try engine.store.appendCases(batches, actor: "generator", recordedAt: F.now)
    return (engine, directory)
  }

  static func export(_ engine: Engine, to url: URL, people: Bool = false) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    try engine.store.export(to: handle, includePersonalData: people)
    try handle.close()
  }

  static func importLog(_ engine: Engine, from url: URL) throws -> Int {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    return try engine.store.importLog(from: handle)
  }

  @Test("a synthetic log interleaves cases by time, imports, verifies and projects")
  func syntheticLog() throws {
    let directory = try F.directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("synthetic.jsonl")
    _ = FileManager.default.createFile(atPath: file.path, contents: nil)
    let handle = try FileHandle(forWritingTo: file)
    let summary = try SyntheticLog.write(cases: 1500, seed: 9, to: handle)
    try handle.close()
    #expect(summary.cases == 1500 && summary.events > 7000)
    let engine = try Engine(path: directory.appendingPathComponent("s.sqlite").path)
    #expect(try Self.importLog(engine, from: file) == summary.events)
    #expect(try engine.store.verify().isIntact)
    #expect(try engine.store.counts().cases == 1500)
    // Interleaved: consecutive records mostly belong to different cases.
    let records = try engine.store.records(from: 1, limit: 2000)
    let switches = zip(records, records.dropFirst()).filter { $0.caseID != $1.caseID }.count
    #expect(switches > records.count / 2)
    // Occurrence order is non-decreasing by day.
    let days = records.map { String($0.occurredAt.prefix(10)) }
    #expect(days == days.sorted())
  }

  @Test("the database and its WAL files are readable by their owner only")
  func permissions() throws {
    let directory = try F.directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("p.sqlite").path
    let engine = try Engine(path: path)
    try engine.openCase(F.newCase(), actor: "anna")
    for suffix in ["", "-wal", "-shm"] {
      let attributes = try FileManager.default.attributesOfItem(atPath: path + suffix)
      #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(suffix)")
    }
    let journal = try engine.store.writer.read { db in
      try String.fetchOne(db, sql: "PRAGMA journal_mode")
    }
    #expect(journal == "wal")
    let synchronous = try engine.store.writer.read { db in
      try Int.fetchOne(db, sql: "PRAGMA synchronous")
    }
    #expect(synchronous == 2)  // FULL
  }

  @Test("export, import into an empty database, export again: identical, and verified")
  func exportImportRoundTrip() throws {
    let (engine, directory) = try Self.generated(400)
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = directory.appendingPathComponent("first.jsonl")
    try Self.export(engine, to: first, people: true)
    let copy = try Engine(path: directory.appendingPathComponent("copy.sqlite").path)
    let imported = try Self.importLog(copy, from: first)
    #expect(imported == (try engine.store.counts().events))
    let second = directory.appendingPathComponent("second.jsonl")
    try Self.export(copy, to: second, people: true)
    #expect(try Data(contentsOf: first) == Data(contentsOf: second))
    #expect(try copy.store.verify().isIntact)
    #expect(try copy.store.checkProjections().matches)
    #expect(try copy.cases(CaseQuery(limit: 10_000)) == engine.cases(CaseQuery(limit: 10_000)))
    // Into a database that is not empty: refused.
    #expect(throws: EventLogError.self) { try Self.importLog(copy, from: first) }
  }

  @Test("a truncated or altered import file is refused with the line, and nothing is imported")
  func badImports() throws {
    let (engine, directory) = try Self.generated(50)
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("good.jsonl")
    try Self.export(engine, to: good)
    let lines = try String(contentsOf: good, encoding: .utf8).split(separator: "\n").map(
      String.init)
    let cases: [(String, [String], String)] = [
      ("truncated", Array(lines.prefix(lines.count - 3)), "truncated"),
      (
        "altered",
        lines.enumerated().map {
          $0.offset == 7
            ? $0.element.replacingOccurrences(
              of: "\"actor\":\"generator\"", with: "\"actor\":\"mallory\"") : $0.element
        }, "altered"
      ),
      (
        "broken JSON",
        lines.enumerated().map { $0.offset == 5 ? String($0.element.dropLast(5)) : $0.element },
        "line 6"
      ),
      (
        "reordered", [lines[0], lines[2], lines[1]] + lines.dropFirst(3),
        "position 2 where 1 was expected"
      ),
    ]
    for (name, content, message) in cases {
      let file = directory.appendingPathComponent("\(name).jsonl")
      try (content.joined(separator: "\n") + "\n").write(
        to: file, atomically: true, encoding: .utf8)
      let path = directory.appendingPathComponent("\(name).sqlite").path
      let target = try Engine(path: path)
      do {
        _ = try Self.importLog(target, from: file)
        Issue.record("\(name) was imported")
      } catch {
        #expect("\(error)".contains(message), "\(name): \(error)")
        if name == "altered" { #expect("\(error)".contains("line 8")) }
      }
      #expect(try target.store.counts() == (0, 0), "\(name) left data behind")
      // The failed load ran outside WAL mode; the file is back in it, with no journal left.
      #expect(try BulkReplayTests.journalMode(path) == "wal", "\(name)")
      #expect(!FileManager.default.fileExists(atPath: path + "-journal"), "\(name)")
    }
  }

  @Test("a fault deep in a log of many batches is named by its line, and nothing is imported")
  func badImportDeep() throws {
    let (engine, directory) = try Self.generated(600)
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("good.jsonl")
    try Self.export(engine, to: good)
    let lines = try String(contentsOf: good, encoding: .utf8).split(separator: "\n").map(
      String.init)
    #expect(lines.count > 5_000)
    let target = lines.count - 200
    for (name, content, message) in [
      (
        "altered",
        lines.enumerated().map {
          $0.offset == target - 1
            ? $0.element.replacingOccurrences(
              of: "\"actor\":\"generator\"", with: "\"actor\":\"x\"")
            : $0.element
        }, "line \(target)"
      ),
      ("truncated", Array(lines.prefix(lines.count - 100)), "line \(lines.count - 99)"),
    ] {
      let file = directory.appendingPathComponent("\(name).jsonl")
      try (content.joined(separator: "\n") + "\n").write(
        to: file, atomically: true, encoding: .utf8)
      let copy = try Engine(path: directory.appendingPathComponent("\(name).sqlite").path)
      do {
        _ = try Self.importLog(copy, from: file)
        Issue.record("\(name) was imported")
      } catch {
        #expect("\(error)".contains(message), "\(name): \(error)")
      }
      #expect(try copy.store.counts() == (0, 0), "\(name) left data behind")
    }
  }

  @Test("an old event version in an imported log is upcast when read")
  func upcastOnRead() throws {
    let directory = try F.directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let payload = Array(
      #"{"caseId":"old-1","reference":"WWK-2025-00001","scheme":"webwinkelkeur","workflowVersion":"2025.1","shop":{"tradeName":"Oud B.V.","country":"NL"},"consumerCountry":"NL","subject":"delivery"}"#
        .utf8)
    let record = LogRecord(
      position: 1, caseID: CaseID("old-1"), caseVersion: 1, type: "CaseOpened", typeVersion: 1,
      occurredAt: "2025-03-03", recordedAt: "2025-03-03T10:00:00.000Z", actor: "legacy",
      commandID: "c1",
      payload: payload, previousHash: LogRecord.genesis)
    let header =
      #"{"format":"dispute-engine-log","formatVersion":1,"events":1,"lastHash":"\#(LogRecord.hex(record.hash))","people":0}"#
    let file = directory.appendingPathComponent("old.jsonl")
    try (header + "\n" + String(decoding: record.exportLine, as: UTF8.self) + "\n").write(
      to: file, atomically: true, encoding: .utf8)
    let engine = try Engine(path: directory.appendingPathComponent("old.sqlite").path)
    #expect(try Self.importLog(engine, from: file) == 1)
    let detail = try engine.caseDetail("WWK-2025-00001")
    #expect(detail.dispute.opening.shop.isMember)
    #expect(detail.timeline.first?.record.typeVersion == 1)
    #expect(try engine.store.verify().isIntact)
  }

  @Test("an unknown event type is an error naming its position, in verify and when read")
  func unknownEventType() throws {
    let engine = try F.memory()
    try engine.openCase(F.newCase(), actor: "anna")
    try engine.openCase(F.newCase(), actor: "anna")
    try engine.store.writer.write { db in
      try db.execute(sql: "UPDATE event SET type = 'CaseReopened' WHERE position = 2")
    }
    let report = try engine.store.verify()
    #expect(report.problem?.position == 2)
    #expect(
      throws: EngineError.log(
        .corruptEvent(position: 2, message: "CaseReopened v2: unknown event type 'CaseReopened'"))
    ) {
      try engine.caseDetail("WWK-2026-00002")
    }
    #expect(throws: EventLogError.self) { try engine.store.rebuildProjections() }
  }

  @Test("backup writes a consistent copy while the log stays open")
  func backup() throws {
    let (engine, directory) = try Self.generated(80)
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("backup.sqlite").path
    try engine.store.backup(to: target)
    let copy = try Engine(path: target)
    #expect(try copy.store.counts() == engine.store.counts())
    #expect(try copy.store.verify().lastHash == engine.store.verify().lastHash)
    #expect(
      (try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int) == 0o600
    )
    #expect(throws: EventLogError.self) { try engine.store.backup(to: target) }
  }

  @Test("a file that is not a database is refused, and left alone")
  func corruptFile() throws {
    let directory = try F.directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("garbage.sqlite").path
    let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    try garbage.write(to: URL(fileURLWithPath: path))
    do {
      _ = try Engine(path: path)
      Issue.record("opened garbage")
    } catch {
      guard case .log(.notADatabase) = error else {
        Issue.record("unexpected \(error)")
        return
      }
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
  }

  @Test("follow yields the log, then events appended by another connection")
  func follow() async throws {
    let directory = try F.directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("f.sqlite").path
    let engine = try Engine(path: path)
    try engine.openCase(F.newCase(), actor: "anna")
    let other = try Engine(path: path)
    var seen: [Int] = []
    for try await record in engine.follow(from: 1, pollInterval: .milliseconds(20)) {
      seen.append(record.position)
      if seen.count == 1 {
        try other.openCase(F.newCase(received: "2026-12-28"), actor: "bram")
      }
      if seen.count == 2 { break }
    }
    #expect(seen == [1, 2])
  }

  @Test("two processes adding to the same case: every conflict typed, no update lost")
  func concurrentProcesses() throws {
    let directory = try F.directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("c.sqlite").path
    let engine = try Engine(path: path)
    let reference = try engine.openCase(F.newCase(), actor: "anna").reference.description
    let count = 60
    let a = try StressProcess(["contend", path, reference, "\(count)", "a"], in: directory)
    let b = try StressProcess(["contend", path, reference, "\(count)", "b"], in: directory)
    #expect(a.wait() == 0 && b.wait() == 0, "\(a.lines.suffix(2)) \(b.lines.suffix(2))")
    let acknowledged = (a.lines + b.lines).filter { $0.hasPrefix("ack ") }.map {
      String($0.dropFirst(4))
    }
    #expect(acknowledged.count == 2 * count)
    let detail = try engine.caseDetail(reference)
    #expect(detail.dispute.version == 1 + 2 * count)
    #expect(Set(detail.timeline.map(\.record.commandID).dropFirst()) == Set(acknowledged))
    #expect(try engine.store.verify().isIntact)
    #expect(try engine.store.checkProjections().matches)
  }

  @Test(
    "a writer killed with SIGKILL loses nothing it acknowledged and leaves nothing half-written")
  func killedWriter() throws {
    let directory = try F.directory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("k.sqlite").path
    _ = try Engine(path: path)
    let writer = try StressProcess(["commands", path, "w"], in: directory)
    #expect(writer.waitFor { $0.filter { $0.hasPrefix("ack") }.count >= 40 })
    writer.kill()
    let acknowledged = writer.lines.filter { $0.hasPrefix("ack ") }.map { String($0.dropFirst(4)) }
    let engine = try Engine(path: path)
    #expect(try engine.store.verify().isIntact)
    let stored = Set(try engine.store.records(from: 1, limit: 100_000).map(\.commandID))
    #expect(Set(acknowledged).isSubset(of: stored))
    // At most the one command in flight was committed without being acknowledged.
    #expect(stored.count - acknowledged.count <= 1)
    #expect(try engine.store.checkProjections().matches)
  }

  @Test("an import killed with SIGKILL leaves an empty, valid database")
  func killedImport() throws {
    let (engine, directory) = try Self.generated(3000, seed: 5)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("big.jsonl")
    try Self.export(engine, to: file)
    let target = directory.appendingPathComponent("target.sqlite").path
    _ = try Engine(path: target)
    let importer = try StressProcess(["import", target, file.path], in: directory)
    #expect(importer.waitFor { $0.contains("started") })
    usleep(150_000)
    importer.kill()
    let reopened = try Engine(path: target)
    #expect(try reopened.store.verify().isIntact)
    let counts = try reopened.store.counts()
    if importer.lines.contains(where: { $0.hasPrefix("imported") }) {
      #expect(counts.events == (try engine.store.counts().events))
    } else {
      #expect(counts == (0, 0))
    }
  }
}
