import DisputeEngine
import Foundation
import Testing

/// A damaged JSON Lines log is refused with the line at fault, and no figure is returned.
@Suite("Corrupt and truncated logs")
struct CorruptLogTests {
  /// The hand-built log's export as lines (line 1 is the header).
  static func exportLines() throws -> (directory: URL, lines: [String]) {
    let logs = try ReportFigureTests.Logs()
    let text = try String(contentsOfFile: logs.export, encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return (logs.directory, lines)
  }

  static func report(_ lines: [String], in directory: URL, trailingNewline: Bool = true)
    throws(ReportError) -> ReportDocument
  {
    let path = directory.appendingPathComponent("damaged-\(UUID().uuidString).jsonl").path
    let text = lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return try Reports.adr(year: 2026, from: .jsonLines(path: path))
  }

  @Test("the intact export reports")
  func intact() throws {
    let (directory, lines) = try Self.exportLines()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(lines.count > 40)
    let report = try Self.report(lines, in: directory)
    #expect(report.section("webwinkelkeur.summary")?.value("Disputes received", "All") == .count(6))
  }

  @Test("a line cut short in the middle is named")
  func truncatedMidLine() throws {
    let (directory, lines) = try Self.exportLines()
    defer { try? FileManager.default.removeItem(at: directory) }
    var damaged = Array(lines.prefix(30))
    damaged[29] = String(damaged[29].prefix(120))
    #expect(
      throws: ReportError.corruptLine(line: 30, message: "not a complete event record (cut short?)")
    ) {
      try Self.report(damaged, in: directory, trailingNewline: false)
    }
  }

  @Test("a file that ends early is refused after its last line")
  func missingLines() throws {
    let (directory, lines) = try Self.exportLines()
    defer { try? FileManager.default.removeItem(at: directory) }
    let events = lines.count - 1
    do {
      _ = try Self.report(Array(lines.prefix(20)), in: directory)
      Issue.record("a truncated log was accepted")
    } catch {
      #expect(
        error
          == .corruptLine(
            line: 21,
            message: "the file ends after 19 events; its header announces \(events) (truncated?)"))
    }
  }

  @Test("a changed date fails its hash on that line")
  func tamperedLine() throws {
    let (directory, lines) = try Self.exportLines()
    defer { try? FileManager.default.removeItem(at: directory) }
    var damaged = lines
    let target = try #require(damaged.firstIndex { $0.contains("\"type\":\"FilingRefused\"") })
    damaged[target] = damaged[target].replacingOccurrences(
      of: "\"occurredAt\":\"2026-03-20\"", with: "\"occurredAt\":\"2026-03-21\"")
    #expect(damaged[target] != lines[target])
    #expect(
      throws: ReportError.corruptLine(
        line: target + 1, message: "the hash does not match the record")
    ) {
      try Self.report(damaged, in: directory)
    }
  }

  @Test("a line that is not UTF-8 is named, even with its chain re-hashed over its bytes")
  func invalidUTF8() throws {
    let (directory, lines) = try Self.exportLines()
    defer { try? FileManager.default.removeItem(at: directory) }
    let records = try lines.dropFirst().map { try EventStore.parseLine(Array($0.utf8)) }
    let target = try #require(records.firstIndex { $0.type == "FilingRefused" })
    var previous = LogRecord.genesis
    var bytes = Data()
    for (index, record) in records.enumerated() {
      var payload = record.payload
      // A stray Latin-1 byte at the start of the refusal's explanation.
      if index == target {
        let key = Array(#""explanation":""#.utf8)
        let at = try #require(
          (0...(payload.count - key.count)).first { Array(payload[$0..<$0 + key.count]) == key })
        payload.insert(0xE9, at: at + key.count)
      }
      let linked = LogRecord(
        position: record.position, caseID: record.caseID, caseVersion: record.caseVersion,
        type: record.type, typeVersion: record.typeVersion, occurredAt: record.occurredAt,
        recordedAt: record.recordedAt, actor: record.actor, commandID: record.commandID,
        payload: payload, previousHash: previous)
      previous = linked.hash
      bytes.append(contentsOf: linked.exportLine + [0x0A])
    }
    let header = LogHeader(events: records.count, lastHash: LogRecord.hex(previous), people: 0)
    let path = directory.appendingPathComponent("latin1.jsonl").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(header.line + [0x0A]) + bytes)
    #expect(
      throws: ReportError.corruptLine(line: target + 2, message: "the line is not valid UTF-8")
    ) {
      try Reports.adr(year: 2026, from: .jsonLines(path: path))
    }
  }

  @Test("lines out of order break the sequence at the first misplaced line")
  func swappedLines() throws {
    let (directory, lines) = try Self.exportLines()
    defer { try? FileManager.default.removeItem(at: directory) }
    var damaged = lines
    damaged.swapAt(10, 11)
    #expect(throws: ReportError.corruptLine(line: 11, message: "position 11 where 10 was expected"))
    {
      try Self.report(damaged, in: directory)
    }
  }

  @Test("a file that is not a log is refused on line 1")
  func notALog() throws {
    let (directory, _) = try Self.exportLines()
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
      _ = try Self.report(["{\"hello\":1}"], in: directory)
      Issue.record("a file without a header was accepted")
    } catch {
      guard case .corruptLine(let line, let message) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(line == 1 && message.hasPrefix("not a dispute-engine log header"))
    }
  }
}
