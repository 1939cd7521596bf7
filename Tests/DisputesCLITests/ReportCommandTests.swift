import Foundation
import Testing

/// `disputes report` end to end: the demo database, its export, every format, a damaged log.
@Suite("disputes report")
struct ReportCommandTests {
  typealias Workspace = CaseCommandTests.Workspace

  /// A workspace with the demo database and its export.
  static func demoWithExport() throws -> (Workspace, database: String, log: String) {
    let w = try Workspace()
    try w.ok(["demo"])
    let log = w.directory.appendingPathComponent("log.jsonl").path
    let exported = try w.run(["log", "export", "--db", w.db, "--output", log])
    #expect(exported.status == 0, "\(exported.stderr)")
    return (w, w.db, log)
  }

  @Test("the demo's 2026 ADR report: the same from the database and its export, in every format")
  func demoReports() throws {
    let (w, demo, log) = try Self.demoWithExport()
    defer { w.remove() }
    func strip(_ text: String) -> String {
      text.split(separator: "\n").filter { !$0.hasPrefix("source:") }.joined(separator: "\n")
    }
    let fromDatabase = try w.ok(["report", "adr", "--year", "2026", "--db", demo])
    let fromLog = try w.ok(["report", "adr", "--year", "2026", "--log", log])
    #expect(strip(fromDatabase) == strip(fromLog))
    #expect(fromDatabase.contains("Disputes received"))

    let json = try w.ok(["report", "adr", "--year", "2026", "--log", log, "--format", "json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    #expect(object?["report"] as? String == "adr")
    let csv = try w.ok([
      "report", "sla", "--from", "2026-01-01", "--to", "2026-12-31", "--log", log, "--format",
      "csv",
    ])
    #expect(csv.contains("\nfigure,Value\nComplaints received,"))

    let html = w.directory.appendingPathComponent("snapshot.html").path
    let written = try w.run([
      "report", "snapshot", "--as-of", "2027-01-15", "--db", demo, "--output", html,
    ])
    #expect(written.status == 0, "\(written.stderr)")
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<svg"))
    // Self-contained: no script and no address other than the SVG namespace.
    #expect(!page.contains("<script") && !page.contains("src="))
    #expect(
      page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http")
        == false)
    let again = try w.run(["report", "snapshot", "--db", demo, "--output", html])
    #expect(again.status == 74 && again.stderr.contains("--force"))
  }

  @Test(
    "the replayed snapshot agrees with the projections: the same overdue deadlines and open cases")
  func snapshotMatchesProjections() throws {
    let (w, demo, log) = try Self.demoWithExport()
    defer { w.remove() }
    let now = w.environment["DISPUTES_NOW"]!
    func json(_ arguments: [String]) throws -> Any {
      try JSONSerialization.jsonObject(with: Data(try w.ok(arguments).utf8))
    }
    let due =
      try json(["deadlines", "due", "--db", demo, "--before", now, "--json"]) as? [[String: Any]]
      ?? []
    let fromProjections = Set(due.map { "\($0["reference"] ?? "") \($0["kind"] ?? "")" })
    #expect(!fromProjections.isEmpty)
    for source in [["--db", demo], ["--log", log]] {
      let report = try json(["report", "snapshot", "--format", "json"] + source) as? [String: Any]
      let sections = report?["sections"] as? [[String: Any]] ?? []
      let overdue =
        sections.first { $0["id"] as? String == "overdue" }?["rows"] as? [[String: Any]] ?? []
      #expect(Set(overdue.map { "\($0["Case"] ?? "") \($0["Deadline"] ?? "")" }) == fromProjections)
      let open =
        sections.first { $0["id"] as? String == "open-cases" }?["rows"] as? [[String: Any]] ?? []
      let total = open.first { $0["State"] as? String == "total" }?["Total"] as? Int
      let cases = try json(["case", "list", "--db", demo, "--open", "--json"]) as? [Any] ?? []
      #expect(total == cases.count)
    }
  }

  @Test("a damaged log exits 65 naming the line; bad parameters exit 64")
  func refusals() throws {
    let (w, demo, log) = try Self.demoWithExport()
    defer { w.remove() }
    var lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(
      String.init)
    lines = Array(lines.prefix(10))
    try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
    let damaged = try w.run(["report", "adr", "--year", "2026", "--log", log])
    #expect(damaged.status == 65)
    #expect(damaged.stderr.contains("line 11 of the log") && damaged.stdout.isEmpty)
    let scheme = try w.run(["report", "adr", "--year", "2026", "--db", demo, "--scheme", "nope"])
    #expect(scheme.status == 64)
    let format = try w.run(["report", "adr", "--year", "2026", "--db", demo, "--format", "pdf"])
    #expect(format.status == 64 && format.stderr.contains("table, csv, json or html"))
  }
}
