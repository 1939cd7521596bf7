import DisputeEngine
import Foundation
import GRDB
import Testing

@Suite("Engine (in memory)")
struct EngineTests {
  typealias F = EngineFixture

  @Test("a case through the engine: references, projections, timeline, deadlines")
  func lifecycle() throws {
    let engine = try F.memory()
    let first = try engine.openCase(F.newCase(), actor: "anna")
    let second = try engine.openCase(F.newCase(received: "2026-12-28"), actor: "anna")
    #expect(first.reference.description == "WWK-2026-00001")
    #expect(second.reference.description == "WWK-2026-00002")
    #expect(
      try engine.openCase(F.newCase(received: "2027-01-04"), actor: "anna").reference.description
        == "WWK-2027-00001")
    let reference = first.reference.description
    try engine.handle(
      .respond(at: F.day("2026-12-30"), proposal: "refund"), on: reference, actor: "anna")
    try engine.handle(.reject(at: F.day("2027-01-02")), on: reference, actor: "anna")
    let filed = try engine.handle(
      .file(at: F.day("2027-01-05")), on: reference.lowercased(), actor: "bram")
    #expect(filed.dispute.state.kind == .filedWithMediator)
    #expect(filed.records.map(\.caseVersion) == [4])

    let detail = try engine.caseDetail(reference)
    #expect(
      detail.timeline.map(\.record.type) == [
        "CaseOpened", "ShopResponded", "AnswerRejected", "ComplaintFiled",
      ])
    #expect(detail.timeline.map(\.record.actor) == ["anna", "anna", "anna", "bram"])
    #expect(detail.timeline.allSatisfy { $0.record.recordedAt == "2027-01-15T09:00:00.000Z" })
    #expect(detail.consumer?.name == "Anna de Vries")

    let summaries = try engine.cases(CaseQuery(state: .filedWithMediator))
    #expect(summaries.map(\.reference) == [reference])
    #expect(summaries.first?.nextDeadline == "admissibilityDecision")
    // 5 Jan + 3 weeks = 26 Jan 2027, 23:59:59.999 CET.
    #expect(summaries.first?.nextDeadlineExpiresAt == "2027-01-26T22:59:59.999Z")
    #expect(try engine.cases(CaseQuery(shop: "voorbeeld")).count == 3)
    #expect(try engine.cases(CaseQuery(open: false)).isEmpty)
    // Due before 1 February: the admissibility decision, and the shop's answer of the 2027 case
    // (4 Jan + 5 working days = 11 Jan) and of the second 2026 case (28 Dec + 5 = 5 Jan 2027).
    let due = try engine.deadlines(dueBefore: try Instants.parse("2027-02-01T00:00:00Z"))
    #expect(due.map(\.kind).sorted() == ["admissibilityDecision", "shopAnswer", "shopAnswer"])
  }

  @Test("retrying a command id records once and returns the first result")
  func idempotentRetries() throws {
    let engine = try F.memory()
    let opened = try engine.openCase(F.newCase(), commandID: "open-1", actor: "anna")
    let again = try engine.openCase(F.newCase(), commandID: "open-1", actor: "anna")
    #expect(again.duplicate && again.dispute.id == opened.dispute.id)
    let first = try engine.handle(
      .respond(at: F.day("2026-12-28"), proposal: nil), on: opened.reference.description,
      commandID: "r-1", actor: "anna")
    let retry = try engine.handle(
      .respond(at: F.day("2026-12-28"), proposal: nil), on: opened.reference.description,
      commandID: "r-1", actor: "anna")
    #expect(!first.duplicate && retry.duplicate)
    #expect(retry.records == first.records)
    #expect(try engine.store.counts().events == 2)
  }

  @Test("a stale expected version is a typed conflict and writes nothing")
  func conflicts() throws {
    let engine = try F.memory()
    let reference = try engine.openCase(F.newCase(), actor: "anna").reference.description
    try engine.handle(
      .acknowledge(at: F.day("2026-12-24")), on: reference, expectedVersion: 1, actor: "anna")
    #expect(throws: EngineError.log(.conflict(reference: reference, expected: 1, actual: 2))) {
      try engine.handle(
        .respond(at: F.day("2026-12-28"), proposal: nil), on: reference, expectedVersion: 1,
        actor: "bram")
    }
    #expect(try engine.store.counts().events == 2)
  }

  @Test("an illegal step is refused with the state and the possible steps; nothing is written")
  func illegalStep() throws {
    let engine = try F.memory()
    let reference = try engine.openCase(F.newCase(), actor: "anna").reference.description
    do {
      try engine.handle(
        .decide(at: F.day("2026-12-28"), outcome: .upheld), on: reference, actor: "anna")
      Issue.record("accepted")
    } catch {
      guard case .log(.rejected(let refusal)) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(refusal.state == .awaitingShopAnswer && refusal.command == .decide)
      #expect(
        error.description.contains("possible steps: acknowledge, respond, file, withdraw, abandon"))
    }
    #expect(throws: EngineError.log(.caseNotFound("WWK-2026-99999"))) {
      try engine.handle(.accept(at: F.day("2026-12-28")), on: "WWK-2026-99999", actor: "anna")
    }
    #expect(try engine.store.counts().events == 1)
    #expect(try engine.store.verify().isIntact)
  }

  @Test("sweep marks passed deadlines once")
  func sweep() throws {
    let engine = try F.memory()
    let reference = try engine.openCase(F.newCase(), actor: "anna").reference.description
    let marked = try engine.sweep(now: try Instants.parse("2027-01-02T00:00:00Z"))
    #expect(marked.map(\.reference) == [reference] && marked.map(\.kind) == [.shopAnswer])
    #expect(try engine.sweep(now: try Instants.parse("2027-01-03T00:00:00Z")).isEmpty)
    // Overdue: open and expired.
    #expect(
      try engine.cases(CaseQuery(overdueAt: try Instants.parse("2027-01-02T00:00:00Z"))).count == 1)
    // A late record of a timely answer still meets the deadline.
    let answered = try engine.handle(
      .respond(at: F.day("2026-12-30"), proposal: nil), on: reference, actor: "anna")
    #expect(answered.dispute.deadlines.first?.status == .met)
    #expect(
      try engine.cases(CaseQuery(overdueAt: try Instants.parse("2027-01-02T00:00:00Z"))).isEmpty)
  }

  @Test("verify finds the first altered record")
  func tamperDetection() throws {
    let engine = try F.memory()
    for day in ["2026-12-21", "2026-12-22", "2026-12-23"] {
      _ = try engine.openCase(F.newCase(received: day), actor: "anna")
    }
    let intact = try engine.store.verify()
    #expect(intact.isIntact && intact.events == 3)
    #expect(intact.lastHash == LogRecord.hex(try engine.store.records(from: 3)[0].hash))
    try engine.store.writer.write { db in
      try db.execute(
        sql:
          "UPDATE event SET payload = replace(payload, 'Voorbeeld', 'Voorbeelt') WHERE position = 2"
      )
    }
    let report = try engine.store.verify()
    #expect(report.problem?.position == 2)
    #expect(report.problem?.message.contains("altered") == true)
    #expect(report.events == 1)
  }

  @Test("a rebuild of the projections equals the live tables, and a drifted row is found")
  func rebuildEqualsLive() throws {
    let engine = try F.memory()
    var generator = CaseGenerator(
      seed: 3, firstDay: try CivilDate(parsing: "2026-02-02"), days: 120, expectedCount: 60)
    let batches = (0..<60).map { _ in EventStore.CaseBatch(events: generator.next().events) }
    #expect(try engine.store.appendCases(batches, actor: "generator", recordedAt: F.now) > 300)
    #expect(try engine.store.checkProjections().matches)
    try engine.store.writer.write { db in
      try db.execute(sql: "UPDATE case_summary SET shop_name = 'Drifted B.V.' WHERE rowid = 3")
    }
    let check = try engine.store.checkProjections()
    #expect(!check.matches)
    #expect(check.differences.first?.hasPrefix("case_summary") == true)
    try engine.store.rebuildProjections()
    #expect(try engine.store.checkProjections().matches)
  }

  @Test("erasing a person keeps the chain valid and records that it happened")
  func erasure() throws {
    let engine = try F.memory()
    let opened = try engine.openCase(F.newCase(), actor: "anna")
    let person = try #require(opened.dispute.opening.consumerID)
    #expect(try engine.store.person(person)?.email == "anna@example.org")
    let cases = try engine.store.erasePerson(person, actor: "dpo", recordedAt: F.now)
    #expect(cases == [opened.dispute.id])
    let detail = try engine.caseDetail(opened.reference.description)
    #expect(
      detail.consumer?.name == nil && detail.consumer?.email == nil
        && detail.consumer?.erasedAt != nil)
    #expect(detail.timeline.last?.record.type == "PersonalDataErased")
    #expect(detail.dispute.personalDataErased)
    #expect(try engine.store.verify().isIntact)
    #expect(throws: EventLogError.self) {
      try engine.store.erasePerson("nobody", actor: "dpo", recordedAt: F.now)
    }
  }
}
