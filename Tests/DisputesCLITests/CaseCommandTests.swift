import Foundation
import Testing

/// End-to-end tests of the case, deadline, log and demo commands on temporary databases.
@Suite("disputes case, deadlines, log, demo (end to end)")
struct CaseCommandTests {
  /// A temporary directory with a database path and the environment that points at it.
  struct Workspace {
    let directory: URL
    let db: String
    var environment: [String: String]

    init(now: String = "2027-03-20T12:00:00+01:00") throws {
      directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "cli-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      db = directory.appendingPathComponent("d.sqlite").path
      environment = ["DISPUTES_DB": db, "DISPUTES_NOW": now, "DISPUTES_ACTOR": "tester"]
    }

    func run(_ arguments: [String], stdin: String? = nil) throws -> CLIRunner.Result {
      try CLIRunner.run(arguments, stdin: stdin, environment: environment, in: directory)
    }

    /// Runs a step that must succeed.
    @discardableResult
    func ok(_ arguments: [String]) throws -> String {
      let result = try run(arguments)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      return result.stdout
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
      let result = try run(arguments + ["--json"])
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        ?? [:]
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
  }

  static func openWWK(_ w: Workspace, received: String = "2026-12-23", amount: String = "120")
    throws -> String
  {
    let opened = try w.json([
      "case", "open", "--scheme", "webwinkelkeur", "--shop", "Voorbeeld Webwinkel B.V.",
      "--shop-country", "NL",
      "--shop-id", "12345678", "--consumer", "Anna de Vries", "--consumer-email",
      "anna@example.org",
      "--subject", "delivery", "--amount", amount, "--received", received,
    ])
    return opened["reference"] as? String ?? ""
  }

  @Test("a WebwinkelKeur case from the shop to a DigiDispuut decision")
  func webwinkelkeurToDecision() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.ok(["init"])
    let reference = try Self.openWWK(w)
    #expect(reference == "WWK-2026-00001")
    for step in [
      ["respond", "--at", "2027-01-04", "--proposal", "store credit"],
      ["reject", "--at", "2027-01-04"],
      ["file", "--at", "2027-01-05"], ["complete-file", "--at", "2027-01-08"],
      ["mediate", "--at", "2027-01-11"],
      ["fail-mediation", "--at", "2027-01-20", "--reason", "no agreement"],
      ["escalate", "--at", "2027-01-21"],
      ["claim", "--at", "2027-02-01"], ["defend", "--at", "2027-02-10"],
      ["decide", "--at", "2027-03-15", "--outcome", "upheld"],
    ] {
      try w.ok(["case", step[0], reference] + step.dropFirst())
    }
    let decided = try w.json(["case", "show", reference])
    #expect(decided["state"] as? String == "decided")
    let deadlines = decided["deadlines"] as? [[String: Any]] ?? []
    // Mon 15 March + 14 days = Easter Monday 29 March 2027, rolled over to Tue 30 March.
    #expect(deadlines.last?["kind"] as? String == "decisionCompliance")
    #expect(deadlines.last?["lastDay"] as? String == "2027-03-30")
    #expect(deadlines.first?["status"] as? String == "late")  // the shop answered after 31 Dec
    try w.ok(["case", "comply", reference, "--at", "2027-03-25"])
    let shown = try w.ok(["case", "show", reference])
    #expect(shown.contains("State:     closed (closed), version 12"))
    #expect(shown.split(separator: "\n").allSatisfy { $0.count <= 80 })
    let timeline = (try w.json(["case", "show", reference]))["timeline"] as? [[String: Any]] ?? []
    #expect(timeline.count == 12)
    #expect(
      timeline.allSatisfy {
        $0["actor"] as? String == "tester"
          && $0["recordedAt"] as? String == "2027-03-20T11:00:00.000Z"
      })
    #expect(try w.ok(["log", "verify"]).hasPrefix("Intact: 12 events"))
  }

  @Test("a Belgian case settled in mediation, with a fulfilment date")
  func becommerceSettled() throws {
    let w = try Workspace(now: "2027-08-20T10:00:00+02:00")
    defer { w.remove() }
    try w.ok(["init"])
    let opened = try w.json([
      "case", "open", "--scheme", "becommerce", "--shop", "Exemple Boutique SRL", "--shop-country",
      "BE",
      "--consumer", "Lucas Peeters", "--subject", "refund", "--amount", "64.50", "--received",
      "2027-07-16",
    ])
    let reference = opened["reference"] as? String ?? ""
    #expect(reference == "BEC-2027-00001")
    // 19, 20 July, 21 July National Day, 22, 23, 26 July.
    #expect(
      (opened["openDeadlines"] as? [[String: Any]])?.first?["lastDay"] as? String == "2027-07-26")
    for step in [
      ["respond", "--at", "2027-07-20"], ["reject", "--at", "2027-07-21"],
      ["file", "--at", "2027-07-22"],
      ["complete-file", "--at", "2027-07-26"], ["mediate", "--at", "2027-07-27"],
      ["settle", "--at", "2027-08-02", "--terms", "replacement", "--fulfil-by", "2027-08-16"],
    ] {
      try w.ok(["case", step[0], reference] + step.dropFirst())
    }
    let settled = try w.json(["case", "show", reference])
    #expect(settled["state"] as? String == "settled")
    let due = try w.ok(["deadlines", "due", "--before", "2027-08-31"])
    #expect(due.contains("settlementFulfilment") && due.contains("2027-08-16"))
    try w.ok(["case", "comply", reference, "--at", "2027-08-10"])
    #expect((try w.json(["case", "show", reference]))["state"] as? String == "closed")
  }

  @Test("a premature filing is refused with its ground")
  func refusedFiling() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.ok(["init"])
    let reference = try Self.openWWK(w)
    let filed = try w.json(["case", "file", reference, "--at", "2026-12-28"])
    #expect(filed["state"] as? String == "refused")
    #expect(
      (filed["recorded"] as? [[String: Any]])?.map { $0["type"] as? String } == [
        "ComplaintFiled", "FilingRefused",
      ])
    #expect(try w.ok(["case", "show", reference]).contains("no-prior-contact"))
  }

  @Test("an illegal step is refused with the state and the possible steps, and nothing is written")
  func illegalStep() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.ok(["init"])
    let reference = try Self.openWWK(w)
    let result = try w.run([
      "case", "decide", reference, "--outcome", "upheld", "--at", "2026-12-28",
    ])
    #expect(result.status == 65)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(
      result.stderr.contains(
        "(state awaitingShopAnswer): cannot decide in this state; possible steps: acknowledge, respond, file, withdraw, abandon"
      ))
    #expect(try w.ok(["log", "verify"]).hasPrefix("Intact: 1 events"))
    let missing = try w.run(["case", "respond", "WWK-2026-00099"])
    #expect(missing.status == 66)
    let before = try w.run(["case", "respond", reference, "--at", "2026-12-22"])
    #expect(
      before.status == 65 && before.stderr.contains("cannot have occurred before the previous step")
    )
    let badDate = try w.run(["case", "respond", reference, "--at", "2026-12-32"])
    #expect(badDate.status == 65 && badDate.stderr.contains("'2026-12-32' is not a date"))
  }

  @Test(
    "a step on a case that changed since is a conflict (exit 75); a retried command id is recorded once"
  )
  func conflictsAndRetries() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.ok(["init"])
    let reference = try Self.openWWK(w)
    try w.ok(["case", "acknowledge", reference, "--at", "2026-12-24", "--expected-version", "1"])
    let stale = try w.run([
      "case", "respond", reference, "--at", "2026-12-28", "--expected-version", "1",
    ])
    #expect(stale.status == 75)
    #expect(stale.stderr.contains("expected version 1, it is at version 2"))
    try w.ok(["case", "note", reference, "--text", "phoned", "--command-id", "n-1"])
    let retry = try w.ok(["case", "note", reference, "--text", "phoned", "--command-id", "n-1"])
    #expect(retry.contains("already recorded by this command id"))
    #expect(((try w.json(["case", "show", reference]))["version"] as? Int) == 3)
  }

  @Test("extend a deadline and correct the latest step")
  func extendAndCorrect() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.ok(["init"])
    let reference = try Self.openWWK(w)
    for step in [
      ["respond", "--at", "2026-12-28"], ["file", "--at", "2027-01-05"],
      ["complete-file", "--at", "2027-01-08"],
    ] {
      try w.ok(["case", step[0], reference] + step.dropFirst())
    }
    // 8 Jan + 90 days = Thu 8 April 2027. Extended by 4 weeks under the deadline's regime (eu), on
    // the mediator's NL calendar: Thu 6 May is Ascension Day, Fri 7 May a decree day: Mon 10 May.
    let extended = try w.json([
      "case", "extend", reference, "mediationOutcome", "--by", "4 weeks", "--reason", "complex",
    ])
    #expect(
      (extended["openDeadlines"] as? [[String: Any]])?.first?["lastDay"] as? String == "2027-05-10")
    let refused = try w.run([
      "case", "extend", reference, "shopAnswer", "--by", "1 week", "--reason", "x",
    ])
    #expect(refused.status == 65 && refused.stderr.contains("no open shopAnswer deadline"))
    // Void the latest step (complete-file, version 4): back to filedWithMediator.
    let corrected = try w.json([
      "case", "correct", reference, "4", "--reason", "the file was not complete",
    ])
    #expect(corrected["state"] as? String == "filedWithMediator")
    let earlier = try w.run(["case", "correct", reference, "2", "--reason", "x"])
    #expect(earlier.status == 65 && earlier.stderr.contains("only the latest step"))
  }

  @Test("a corrupted database file is refused with a clear error and left alone")
  func corruptedDatabase() throws {
    let w = try Workspace()
    defer { w.remove() }
    try Data(repeating: 0x42, count: 16_384).write(to: URL(fileURLWithPath: w.db))
    let result = try w.run(["case", "list"])
    #expect(result.status == 65)
    #expect(result.stderr.hasPrefix("error: not a dispute-engine database"))
    #expect(
      try Data(contentsOf: URL(fileURLWithPath: w.db)) == Data(repeating: 0x42, count: 16_384))
    let none = try CLIRunner.run([
      "case", "list", "--db", w.directory.appendingPathComponent("none.sqlite").path,
    ])
    #expect(none.status == 66 && none.stderr.contains("disputes init"))
  }

  @Test(
    "export, a bad import line refused with its number, a good import, a tampered log found by verify"
  )
  func logCommands() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.ok(["init"])
    let reference = try Self.openWWK(w)
    try w.ok(["case", "respond", reference, "--at", "2026-12-28"])
    let export = w.directory.appendingPathComponent("log.jsonl").path
    try w.ok(["log", "export", "--output", export])
    var lines = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n").map(
      String.init)
    #expect(lines.count == 3)
    lines[2] = lines[2].replacingOccurrences(
      of: "\"actor\":\"tester\"", with: "\"actor\":\"mallory\"")
    let bad = w.directory.appendingPathComponent("bad.jsonl").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: bad, atomically: true, encoding: .utf8)
    let target = w.directory.appendingPathComponent("target.sqlite").path
    let refused = try CLIRunner.run(["log", "import", bad, "--db", target])
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("import line 3: the hash does not match"))
    let imported = try CLIRunner.run(["log", "import", export, "--db", target])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(
      try CLIRunner.run(["case", "show", reference, "--db", target]).stdout.contains(
        "ShopResponded"))
    let again = try CLIRunner.run(["log", "import", export, "--db", target])
    #expect(again.status == 65 && again.stderr.contains("not empty"))
    // Tamper with the source database: verify reports the position and exits 1.
    let sqlite = Process()
    sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    sqlite.arguments = [w.db, "UPDATE event SET occurred_at = '2026-12-27' WHERE position = 2"]
    try sqlite.run()
    sqlite.waitUntilExit()
    let verify = try w.run(["log", "verify"])
    #expect(verify.status == 1)
    #expect(verify.stdout.contains("BROKEN at position 2"))
    let backup = w.directory.appendingPathComponent("backup.sqlite").path
    try w.ok(["backup", backup])
    #expect(FileManager.default.fileExists(atPath: backup))
  }

  @Test("log rebuild repairs drifted read tables, and refuses a log it cannot replay")
  func logRebuild() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.ok(["init"])
    let reference = try Self.openWWK(w)
    try w.ok(["case", "respond", reference, "--at", "2026-12-28"])
    func sql(_ statement: String) throws {
      let sqlite = Process()
      sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
      sqlite.arguments = [w.db, statement]
      try sqlite.run()
      sqlite.waitUntilExit()
    }
    try sql("UPDATE case_summary SET state = 'closed', closed = 1")
    let drifted = try w.run(["log", "verify", "--projections"])
    #expect(drifted.status == 1 && drifted.stdout.contains("Projections differ"))
    let rebuilt = try w.ok(["log", "rebuild"])
    #expect(rebuilt.contains("Rebuilt the read tables of \(w.db) from 2 events"), "\(rebuilt)")
    #expect(try w.ok(["log", "verify", "--projections"]).contains("Projections match"))
    #expect(try w.ok(["case", "show", reference]).contains("ShopResponded"))
    try sql("UPDATE event SET payload = '{\"colour\":1}' WHERE position = 2")
    let refused = try w.run(["log", "rebuild"])
    #expect(refused.status == 65, "\(refused.stderr)")
    #expect(refused.stderr.contains("position 2"), "\(refused.stderr)")
    #expect(refused.stderr.contains("colour"), "\(refused.stderr)")
  }

  @Test("erase-person removes the consumer's data; the log still verifies")
  func erasure() throws {
    let w = try Workspace()
    defer { w.remove() }
    try w.ok(["init"])
    let reference = try Self.openWWK(w)
    #expect((try w.json(["case", "show", reference]))["consumer"] as? String == "Anna de Vries")
    #expect(try w.ok(["erase-person", reference]).contains("recorded in 1 case"))
    let shown = try w.json(["case", "show", reference])
    #expect(shown["consumer"] == nil || shown["consumer"] is NSNull)
    #expect(shown["personalDataErased"] as? Bool == true)
    #expect(try w.ok(["log", "verify"]).hasPrefix("Intact: 2 events"))
  }

  @Test("deadlines sweep marks once; case list filters")
  func sweepAndList() throws {
    let w = try Workspace(now: "2027-01-10T12:00:00+01:00")
    defer { w.remove() }
    try w.ok(["init"])
    let first = try Self.openWWK(w)
    _ = try Self.openWWK(w, received: "2027-01-08")
    let sweep = try w.ok(["deadlines", "sweep"])
    #expect(sweep.contains("Marked 1 passed deadline") && sweep.contains(first))
    #expect(try w.ok(["deadlines", "sweep"]).contains("Marked 0 passed deadlines"))
    let overdue = try w.ok(["case", "list", "--overdue"])
    #expect(overdue.contains(first) && !overdue.contains("WWK-2027-00001"))
    #expect(try w.ok(["case", "list", "--state", "awaitingShopAnswer"]).contains("2 cases"))
    let due = try w.ok(["deadlines", "due"])
    #expect(due.contains("OVERDUE") && due.contains("WWK-2027-00001"))
  }

  @Test("demo builds its database afresh from Fixtures/ and shows the first things to look at")
  func demo() throws {
    let w = try Workspace()
    defer { w.remove() }
    var environment = w.environment
    environment["DISPUTES_DB"] = nil
    environment["DISPUTES_NOW"] = nil
    let result = try CLIRunner.run(["demo"], environment: environment, in: w.directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Demo database disputes-demo.sqlite: 10 cases"))
    #expect(result.stdout.contains("Overdue deadlines (2):"))
    #expect(result.stdout.contains("One case in full"))
    // Each run starts clean.
    #expect(
      try CLIRunner.run(["demo"], environment: environment, in: w.directory).stdout.contains(
        "10 cases"))
    // With --db, a database that is not empty is refused unless --reset.
    let db = w.directory.appendingPathComponent("disputes-demo.sqlite").path
    #expect(try CLIRunner.run(["demo", "--db", db], environment: environment).status == 65)
    let reset = try CLIRunner.run(
      ["demo", "--db", db, "--reset", "--cases", "200", "--seed", "3"], environment: environment)
    #expect(reset.status == 0, "\(reset.stderr)")
    #expect(reset.stdout.contains("210 cases"))
  }

  @Test("the compiled-in demo fixture equals Fixtures/demo-cases.jsonl")
  func compiledInDemoEqualsTheFixture() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
    let fixture = try String(
      contentsOf: root.appendingPathComponent("Fixtures/demo-cases.jsonl"), encoding: .utf8)
    let source = try String(
      contentsOf: root.appendingPathComponent("Sources/disputes/Demo/BundledDemo.swift"),
      encoding: .utf8)
    let indented = fixture.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.isEmpty ? "" : "    " + $0
    }
    .joined(separator: "\n")
    #expect(source.contains(indented), "run Scripts/embed-data.py")
  }
}
