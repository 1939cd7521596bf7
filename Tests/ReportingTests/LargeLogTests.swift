import DisputeEngine
import Foundation
import Testing

@testable import Reporting

/// A generated log of a few megabytes: several blocks for the two-core readers.
@Suite("Reports over a multi-block log")
struct LargeLogTests {
  struct Generated {
    let directory: URL
    let log: String
    let events: Int
    let store: EventStore

    init() throws {
      directory = try scratchDirectory("large")
      log = directory.appendingPathComponent("log.jsonl").path
      _ = FileManager.default.createFile(atPath: log, contents: nil)
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
      events = try SyntheticLog.write(cases: 600, seed: 11, to: handle).events
      try handle.close()
      store = try EventStore(path: directory.appendingPathComponent("log.sqlite").path)
      let input = try #require(FileHandle(forReadingAtPath: log))
      _ = try store.importLog(from: input)
      try input.close()
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
  }

  @Test("the log spans several blocks, and the database and the file give the same reports")
  func sameFigures() throws {
    let generated = try Generated()
    defer { generated.remove() }
    let size = try FileManager.default.attributesOfItem(atPath: generated.log)[.size] as? Int ?? 0
    #expect(size > 3 << 20)
    func strip(_ report: ReportDocument) -> ReportDocument {
      var copy = report
      copy.parameters.removeAll { $0.name == "source" }
      return copy
    }
    let fromFile = try Reports.adr(year: 2025, from: .jsonLines(path: generated.log))
    let fromDatabase = try Reports.adr(year: 2025, from: .database(generated.store))
    #expect(strip(fromFile) == strip(fromDatabase))
    let received = fromFile.sections.filter { $0.id.hasSuffix(".summary") }.compactMap {
      if case .count(let count)? = $0.value("Disputes received", "All") { return count }
      return nil
    }
    #expect(received.reduce(0, +) > 100)
    // Without the hash check, and with every closed case leaving memory at once (all late
    // corrections and notes then go through the second pass), the figures are the same.
    var options = ReportOptions(verifyHashes: false)
    options.recentlyClosedCapacity = 0
    #expect(
      strip(try Reports.adr(year: 2025, from: .jsonLines(path: generated.log), options: options))
        == strip(fromFile))
    #expect(
      strip(try Reports.adr(year: 2025, from: .database(generated.store), options: options))
        == strip(fromFile))
  }

  @Test(
    "a changed line deep in the file is named, wherever it falls in its block",
    arguments: [0.3, 0.55, 0.999])
  func tamperedDeepLine(fraction: Double) throws {
    let generated = try Generated()
    defer { generated.remove() }
    var lines = try String(contentsOfFile: generated.log, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    let target = 1 + Int(Double(generated.events) * fraction)
    #expect(lines[target].contains("\"occurredAt\":\"20"))
    lines[target] = lines[target].replacingOccurrences(
      of: "\"occurredAt\":\"20", with: "\"occurredAt\":\"19")
    let damaged = generated.directory.appendingPathComponent("damaged.jsonl").path
    try lines.joined(separator: "\n").write(toFile: damaged, atomically: true, encoding: .utf8)
    #expect(
      throws: ReportError.corruptLine(
        line: target + 1, message: "the hash does not match the record")
    ) {
      try Reports.adr(year: 2025, from: .jsonLines(path: damaged))
    }
  }

  @Test("a log cut off in its middle is refused after its last whole line")
  func cutOff() throws {
    let generated = try Generated()
    defer { generated.remove() }
    let data = try Data(contentsOf: URL(fileURLWithPath: generated.log))
    let cut = data.prefix(data.count / 2)
    let damaged = generated.directory.appendingPathComponent("cut.jsonl").path
    try cut.write(to: URL(fileURLWithPath: damaged))
    let wholeLines = cut.split(separator: 0x0A, omittingEmptySubsequences: false).count - 1
    // The partial last line is line wholeLines + 1: it is not a complete record.
    #expect(
      throws: ReportError.corruptLine(
        line: wholeLines + 1, message: "not a complete event record (cut short?)")
    ) {
      try Reports.adr(year: 2025, from: .jsonLines(path: damaged))
    }
  }
}
