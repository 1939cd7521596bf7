import DisputeEngine
import Foundation
import Testing

@testable import Reporting

/// Reports over the hand-built log of ``HandBuiltLog``; every expected figure below was worked
/// out by hand from the table there.
@Suite("Reports from a hand-built log")
struct ReportFigureTests {
  typealias Cell = ReportDocument.Cell

  /// A database and its export, built once per test.
  struct Logs {
    let directory: URL
    let database: String
    let export: String
    let store: EventStore

    init() throws {
      directory = try scratchDirectory("reports")
      database = directory.appendingPathComponent("log.sqlite").path
      export = directory.appendingPathComponent("log.jsonl").path
      try HandBuiltLog.build(at: database)
      store = try EventStore(path: database)
      _ = FileManager.default.createFile(atPath: export, contents: nil)
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: export))
      _ = try store.export(to: handle)
      try handle.close()
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
  }

  static func adr(_ source: ReportSource, options: ReportOptions = ReportOptions()) throws
    -> ReportDocument
  {
    try Reports.adr(year: 2026, shopThreshold: 2, from: source, options: options)
  }

  @Test("ADR 2026: received, concluded, refusals, outcomes, times, compliance, recurring shops")
  func adrFigures() throws {
    let logs = try Logs()
    defer { logs.remove() }
    let report = try Self.adr(.database(logs.store))
    let summary = try #require(report.section("webwinkelkeur.summary"))
    func row(_ label: String) -> [Cell] {
      ["All", "Domestic", "Cross-border"].map { summary.value(label, $0) ?? .text("missing") }
    }
    // Filed in 2026: A, B, D, E, F, G; domestic A, D, F, G; cross-border B (BE), E (DE).
    #expect(row("Disputes received") == [.count(6), .count(4), .count(2)])
    // Outcome in 2026: A settled, B refused, D decided, E withdrawn, G refused (F in 2027).
    #expect(row("Disputes concluded") == [.count(5), .count(3), .count(2)])
    #expect(row("Refused") == [.count(2), .count(1), .count(1)])
    #expect(row("Refused, share of concluded") == [.share(0.4), .share(1.0 / 3), .share(0.5)])
    #expect(row("Discontinued") == [.count(1), .count(0), .count(1)])
    #expect(row("Outcome for the consumer") == [.count(1), .count(1), .count(0)])
    #expect(row("  of which partly upheld") == [.count(1), .count(1), .count(0)])
    #expect(row("Outcome for the shop") == [.count(0), .count(0), .count(0)])
    #expect(row("Amicable (settled in mediation)") == [.count(1), .count(1), .count(0)])
    // Days from filing to outcome: A 32, B 4, D 112, E 11, G 2.
    #expect(
      row("Average days to outcome, from receipt") == [
        .number(32.2, decimals: 1), .number(146.0 / 3, decimals: 1), .number(7.5, decimals: 1),
      ])
    #expect(
      row("Median days to outcome, from receipt") == [
        .number(11, decimals: 1), .number(32, decimals: 1), .number(7.5, decimals: 1),
      ])
    // From the complete file: A 30, D 107, E 6.
    #expect(
      summary.value("Average days to outcome, from the complete file", "All")
        == .number(143.0 / 3, decimals: 1))
    #expect(
      summary.value("Median days to outcome, from the complete file", "All")
        == .number(30, decimals: 1))
    // A complied on 20 April; D did not comply on 20 October.
    #expect(row("Compliance rate") == [.share(0.5), .share(0.5), .none])
    #expect(row("Pending at year end") == [.count(1), .count(1), .count(0)])

    let types = try #require(report.section("webwinkelkeur.complaint-types"))
    #expect(types.value("delivery", "All") == .count(3))
    #expect(types.value("delivery", "Cross-border") == .count(1))
    #expect(types.value("refund", "All") == .count(2))
    #expect(types.value("defective-product", "Share") == .share(1.0 / 6))

    let grounds = try #require(report.section("webwinkelkeur.refusal-grounds"))
    #expect(grounds.rows.count == 2)
    #expect(grounds.value("frivolous", "Cross-border") == .count(1))
    #expect(grounds.value("handled-elsewhere", "Share of refusals") == .share(0.5))

    let discontinued = try #require(report.section("webwinkelkeur.discontinued"))
    #expect(
      discontinued.rows == [
        [.text("withdrawn by the consumer"), .count(1), .count(0), .count(1), .share(1)]
      ])

    let recurring = try #require(report.section("webwinkelkeur.recurring"))
    #expect(
      recurring.rows == [
        [
          .text("Voorbeeld Webwinkel B.V."), .text("NL"), .count(3), .count(2), .count(1),
          .share(0.5),
        ],
        [
          .text("Fietsenwinkel Zuid B.V."), .text("NL"), .count(2), .count(1), .count(1),
          .share(1.0 / 3),
        ],
      ])
  }

  @Test("SLA 2026: answers on time, working days to the first answer, phases, escalation")
  func slaFigures() throws {
    let logs = try Logs()
    defer { logs.remove() }
    let report = try Reports.sla(
      from: try CivilDate(parsing: "2026-01-01"), to: try CivilDate(parsing: "2026-12-31"),
      source: .database(logs.store),
      options: ReportOptions(asOf: try Instants.parse("2027-02-15T00:00:00Z")))
    let summary = try #require(report.section("summary"))
    func value(_ label: String) -> Cell? { summary.value(label, "Value") }
    #expect(value("Complaints received") == .count(8))
    // On time: A (2 wd), D, E, G (1 wd). Late: C (6 wd; deadline 12 May). Unanswered: B, F
    // (closed by the filing after the deadline) and H (still open, expired 17 December).
    #expect(value("Answered within the deadline") == .count(4))
    #expect(value("Answered after the deadline") == .count(1))
    #expect(value("Not answered by the deadline") == .count(3))
    #expect(value("Share answered within the deadline") == .share(0.5))
    // Shop 2 (E, G) answered everything on time; shops 1 and 3 did not.
    #expect(value("Shops with a decided deadline") == .count(3))
    #expect(value("Shops answering every complaint within the deadline") == .count(1))
    // Working days to the first answer: 1, 1, 1, 2, 6.
    #expect(value("Answers counted for time to first answer") == .count(5))
    #expect(value("Median working days to first answer") == .number(1, decimals: 1))
    #expect(value("90th percentile working days to first answer") == .number(6, decimals: 1))
    #expect(value("Filed with the mediator") == .count(6))
    #expect(value("Escalation rate to the mediator") == .share(0.75))
    #expect(value("Escalation rate to the committee, of filed") == .share(1.0 / 6))

    // Direct phase: A 8, B 14, C 10, D 9, E 18, F 13, G 6 days (H has not left it).
    let phases = try #require(report.section("phases"))
    #expect(phases.value("direct", "Cases that left it") == .count(7))
    #expect(phases.value("direct", "Average") == .number(78.0 / 7, decimals: 1))
    #expect(phases.value("direct", "Median") == .number(10, decimals: 1))
    #expect(phases.value("direct", "90th percentile") == .number(18, decimals: 1))
    let months = try #require(report.section("by-month"))
    #expect(months.value("2026-03", "Received") == .count(2))
    #expect(months.value("2026-12", "Received") == .count(2))
  }

  @Test("snapshot: open cases by state and overdue deadlines at an instant")
  func snapshot() throws {
    let logs = try Logs()
    defer { logs.remove() }
    let asOf = try Instants.parse("2026-12-31T12:00:00Z")
    let report = try Reports.snapshot(asOf: asOf, source: .database(logs.store))
    let open = try #require(report.section("open-cases"))
    #expect(open.value("awaitingShopAnswer", "Total") == .count(1))
    #expect(open.value("filedWithMediator", "Total") == .count(1))
    #expect(open.value("total", "Total") == .count(2))
    let overdue = try #require(report.section("overdue"))
    // H's answer deadline: 10 December + 5 working days = 17 December; 14 days before 31 December.
    #expect(
      overdue.rows == [
        [
          .text("WWK-2026-00008"), .text("webwinkelkeur"), .text("Voorbeeld Webwinkel B.V."),
          .text("shopAnswer"), .text("shop"), .text("2026-12-17"), .count(14),
        ]
      ])
  }

  @Test("as known at: events recorded later are ignored")
  func asKnownAt() throws {
    let logs = try Logs()
    defer { logs.remove() }
    // On 16 January 2027 G was resolved directly (its correction came on 1 February) and H
    // was not yet recorded.
    let options = ReportOptions(knownAt: try Instants.parse("2027-01-16T00:00:00Z"))
    let report = try Self.adr(.jsonLines(path: logs.export), options: options)
    let summary = try #require(report.section("webwinkelkeur.summary"))
    #expect(summary.value("Disputes received", "All") == .count(5))
    #expect(summary.value("Refused", "All") == .count(1))
    #expect(summary.value("Disputes concluded", "All") == .count(4))
    let snapshot = try Reports.snapshot(
      asOf: try Instants.parse("2026-12-31T12:00:00Z"), source: .jsonLines(path: logs.export),
      options: options)
    #expect(snapshot.section("open-cases")?.value("total", "Total") == .count(1))
    #expect(snapshot.section("overdue")?.rows.isEmpty == true)
  }

  @Test("the database and its JSON Lines export give the same reports")
  func databaseEqualsExport() throws {
    let logs = try Logs()
    defer { logs.remove() }
    func withoutSource(_ report: ReportDocument) -> ReportDocument {
      var copy = report
      copy.parameters.removeAll { $0.name == "source" }
      return copy
    }
    for knownAt in [nil, try Instants.parse("2027-01-16T00:00:00Z")] {
      let options = ReportOptions(
        asOf: try Instants.parse("2027-02-15T00:00:00Z"), knownAt: knownAt)
      let fromDatabase = try Self.adr(.database(logs.store), options: options)
      let fromFile = try Self.adr(.jsonLines(path: logs.export), options: options)
      #expect(withoutSource(fromDatabase) == withoutSource(fromFile))
      let lines = try String(contentsOfFile: logs.export, encoding: .utf8).split(separator: "\n")
      #expect(
        fromFile.parameters.last == .init(name: "events read", value: String(lines.count - 1)))
      let slaDatabase = try Reports.sla(
        from: try CivilDate(parsing: "2026-01-01"), to: try CivilDate(parsing: "2027-12-31"),
        source: .database(logs.store), options: options)
      let slaFile = try Reports.sla(
        from: try CivilDate(parsing: "2026-01-01"), to: try CivilDate(parsing: "2027-12-31"),
        source: .jsonLines(path: logs.export), options: options)
      #expect(withoutSource(slaDatabase) == withoutSource(slaFile))
      #expect(
        ReportRenderer.render(withoutSource(slaDatabase), as: .json)
          == ReportRenderer.render(withoutSource(slaFile), as: .json))
    }
  }

  @Test("a correction that reaches a case already out of memory is replayed exactly")
  func lateCorrectionSecondPass() throws {
    let logs = try Logs()
    defer { logs.remove() }
    var tight = ReportOptions()
    tight.recentlyClosedCapacity = 0
    for source in [ReportSource.database(logs.store), .jsonLines(path: logs.export)] {
      let normal = try Self.adr(source)
      let evicting = try Self.adr(source, options: tight)
      #expect(normal == evicting)
      #expect(evicting.section("webwinkelkeur.summary")?.value("Refused", "All") == .count(2))
    }
  }
}
