import ArgumentParser
import DisputeEngine
import Foundation

struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Build a demo database from Fixtures/ and show what a case handler looks at first.",
    discussion: """
      Builds ./disputes-demo.sqlite afresh (each run starts clean), plays the cases of \
      Fixtures/demo-cases.jsonl through the engine (both schemes, cross-border cases, every \
      phase), adds --cases generated cases (received in 2025) if asked, sweeps deadlines at a fixed date \
      (2027-01-15T09:00+01:00 unless --now is given) and prints the open cases, the overdue \
      deadlines and one case's timeline. With --db, a database that is not empty is refused \
      unless --reset.
      """)

  @Option(help: "Also generate this many synthetic cases (seeded; see --seed).")
  var cases = 0

  @Option(help: "The generator's seed.")
  var seed: UInt64 = 7

  @Flag(help: "With --db: empty the database first.")
  var reset = false

  @OptionGroup var global: GlobalOptions

  static let demoNow = "2027-01-15T09:00:00+01:00"

  func run() throws {
    let explicit = global.db ?? GlobalOptions.environment["DISPUTES_DB"]
    let path = explicit ?? "disputes-demo.sqlite"
    if explicit == nil || reset {
      for suffix in ["", "-wal", "-shm"] {
        try? FileManager.default.removeItem(atPath: path + suffix)
      }
    }
    var options = global
    options.db = path
    if options.now == nil && GlobalOptions.environment["DISPUTES_NOW"] == nil {
      options.now = Self.demoNow
    }
    if options.actor == nil && GlobalOptions.environment["DISPUTES_ACTOR"] == nil {
      options.actor = "demo"
    }
    let engine = try options.engine(mustExist: false)
    let existing = try logCall { () throws(EventLogError) in try engine.store.counts() }
    guard existing.events == 0 else {
      throw CLIFailure(
        "\(path) is not empty; give --reset to start it afresh, or another --db", status: .dataError
      )
    }
    let fixture =
      FileManager.default.contents(atPath: "Fixtures/demo-cases.jsonl").map {
        String(decoding: $0, as: UTF8.self)
      }
      ?? BundledDemo.cases
    let played = try DemoFixture.play(fixture, on: engine, actor: options.actorName)
    var generated = 0
    if cases > 0 {
      generated = try generate(cases, on: engine)
    }
    let marked = try engineCall { () throws(EngineError) in try engine.sweep(actor: "sweep") }
    let now = engine.clock.now()
    let counts = try logCall { () throws(EventLogError) in try engine.store.counts() }
    print(
      "Demo database \(path): \(counts.cases) cases, \(counts.events) events (\(played) from Fixtures/demo-cases.jsonl"
        + (generated > 0 ? ", \(generated) generated with seed \(seed)" : "") + ")")
    print(
      "Now: \(Instants.localDescription(now, in: WorkingDayCalendar.netherlands.timeZone)); the sweep marked \(marked.count) passed deadline\(marked.count == 1 ? "" : "s")."
    )
    print("")

    let open = try engineCall { () throws(EngineError) in
      try engine.cases(CaseQuery(open: true, limit: 12))
    }
    print(open.count == 12 ? "Open cases (the first 12):" : "Open cases (\(open.count)):")
    print(CaseTable.render(open, indent: 2))
    print("")
    let overdue = try engineCall { () throws(EngineError) in try engine.deadlines(dueBefore: now) }
    print("Overdue deadlines (\(overdue.count)):")
    print(
      Table.render(
        header: ["REFERENCE", "DEADLINE", "PARTY", "DUE"],
        rows: overdue.prefix(12).map { [$0.reference, $0.kind, $0.party, $0.lastDay] }, indent: 2))
    print("")
    let detail = try engineCall { () throws(EngineError) in try engine.caseDetail("WWK-2026-00002")
    }
    print("One case in full (disputes case show WWK-2026-00002 --db \(path)):")
    print(
      CaseView(detail, workflow: try? engine.context(detail.dispute.opening.scheme).workflow).text)
    print("")
    print("Try: disputes case list --db \(path) --overdue    disputes log verify --db \(path)")
    print(
      "     disputes report adr --year 2026 --db \(path)    "
        + "disputes report snapshot --as-of \(Instants.iso8601(now)) --db \(path)")
  }

  func generate(_ count: Int, on engine: Engine) throws -> Int {
    // Received in 2025, so their references never meet the fixture's (2026 and 2027).
    let firstDay = try CivilDate(parsing: "2025-01-06")
    var generator = CaseGenerator(seed: seed, firstDay: firstDay, days: 330, expectedCount: count)
    var batch: [EventStore.CaseBatch] = []
    var written = 0
    for _ in 0..<count {
      batch.append(EventStore.CaseBatch(generator.next()))
      if batch.count == 2000 {
        written += batch.count
        try logCall { () throws(EventLogError) in
          try engine.store.appendCases(batch, actor: "generator", recordedAt: engine.clock.now())
        }
        batch.removeAll()
      }
    }
    written += batch.count
    try logCall { () throws(EventLogError) in
      try engine.store.appendCases(batch, actor: "generator", recordedAt: engine.clock.now())
    }
    return written
  }
}

/// Plays `Fixtures/demo-cases.jsonl` through the engine: each line is a case with its steps.
enum DemoFixture {
  static func play(_ text: String, on engine: Engine, actor: String) throws -> Int {
    var played = 0
    for (index, line) in text.split(separator: "\n").enumerated()
    where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      func fail(_ message: String) -> CLIFailure {
        CLIFailure("Fixtures/demo-cases.jsonl line \(index + 1): \(message)", status: .dataError)
      }
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let scheme = object["scheme"] as? String, let shop = object["shop"] as? String,
        let country = (object["shopCountry"] as? String).flatMap(Jurisdiction.init(rawValue:)),
        let consumer = object["consumer"] as? String,
        let consumerCountry = (object["consumerCountry"] as? String).flatMap(CountryCode.init),
        let subject = object["subject"] as? String, let received = object["received"] as? String,
        let steps = object["steps"] as? [[String]]
      else {
        throw fail(
          "a case needs scheme, shop, shopCountry, consumer, consumerCountry, subject, received, steps"
        )
      }
      let request = NewCase(
        scheme: scheme,
        shop: ShopIdentity(
          tradeName: shop, country: country, registrationNumber: object["shopId"] as? String),
        consumerCountry: consumerCountry, consumer: .init(name: consumer), subject: subject,
        amount: (object["amount"] as? String).flatMap(Money.init(parsing:)),
        receivedAt: try disputesOccurrence(received, option: "received"))
      let opened = try engineCall { () throws(EngineError) in
        try engine.openCase(request, actor: actor)
      }
      let reference = opened.reference.description
      for step in steps {
        guard step.count >= 2 else { throw fail("a step is [name, date, …]") }
        let at = try disputesOccurrence(step[1], option: "step date")
        let extra = Array(step.dropFirst(2))
        let command: CaseCommand
        switch step[0] {
        case "acknowledge": command = .acknowledge(at: at)
        case "respond": command = .respond(at: at, proposal: extra.first)
        case "accept": command = .accept(at: at)
        case "reject": command = .reject(at: at)
        case "file": command = .file(at: at)
        case "complete-file": command = .completeFile(at: at)
        case "mediate": command = .mediate(at: at)
        case "settle":
          command = .settle(
            at: at, terms: extra.first,
            fulfilBy: try extra.dropFirst().first.map { try Values.date($0) })
        case "fail-mediation": command = .failMediation(at: at, reason: extra.first)
        case "escalate": command = .escalate(at: at)
        case "claim": command = .claim(at: at)
        case "defend": command = .defend(at: at)
        case "decide":
          guard let outcome = extra.first.flatMap(DecisionOutcome.init(rawValue:)) else {
            throw fail("decide needs an outcome")
          }
          command = .decide(at: at, outcome: outcome)
        case "comply": command = .comply(at: at)
        case "withdraw": command = .withdraw(at: at, reason: extra.first)
        case "note": command = .note(at: at, text: extra.first ?? "")
        default: throw fail("unknown step '\(step[0])'")
        }
        try engineCall { () throws(EngineError) in
          try engine.handle(command, on: reference, actor: actor)
        }
      }
      played += 1
    }
    return played
  }
}
