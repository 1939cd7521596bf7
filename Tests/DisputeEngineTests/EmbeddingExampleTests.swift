import DisputeEngine
import Foundation
import Testing

/// The complete example of docs/embedding.md, run as a test so that it stays true.
@Suite("docs/embedding.md example")
struct EmbeddingExampleTests {
  @Test("the embedding example runs as documented")
  func example() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "embed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("disputes.sqlite").path

    // --- example begins ---
    let engine = try Engine(path: path)

    // The shop received a complaint on Wednesday 23 December 2026.
    let shop = ShopIdentity(
      tradeName: "Voorbeeld Webwinkel B.V.", country: .netherlands, registrationNumber: "12345678",
      website: "https://voorbeeld.example")
    let opened = try engine.openCase(
      NewCase(
        scheme: "webwinkelkeur", shop: shop, consumerCountry: .netherlands,
        consumer: .init(name: "Anna de Vries", email: "anna@example.org"), subject: "delivery",
        amount: Money(cents: 12_000), receivedAt: .day(try CivilDate(parsing: "2026-12-23"))),
      commandID: "ticket-4711-open", actor: "service:helpdesk")
    let reference = opened.reference.description  // "WWK-2026-00001"
    let due = opened.dispute.openDeadlines[0]
    print(reference, due.kind, due.lastDay)  // shopAnswer 2026-12-31

    // Record the shop's answer, refusing to act on a case that changed since version 1.
    do {
      try engine.handle(
        .respond(at: .day(try CivilDate(parsing: "2026-12-28")), proposal: "a refund"),
        on: reference,
        expectedVersion: 1, commandID: "ticket-4711-answer", actor: "service:helpdesk")
    } catch EngineError.log(.conflict(_, let expected, let actual)) {
      print("changed from \(expected) to \(actual): reload and decide again")
    } catch EngineError.log(.rejected(let refusal)) {
      print("not possible now: \(refusal)")  // names the state and the possible steps
    }

    // What is overdue now? Record it (idempotent), then follow the log.
    try engine.sweep()
    let overdue = try engine.cases(CaseQuery(overdueAt: Date()))
    print(overdue.map(\.reference))

    for try await record in engine.follow(from: 1) {
      print(record.position, record.type, record.caseID)
      if record.position == 2 { break }  // a real service keeps following
    }
    // --- example ends ---

    #expect(reference == "WWK-2026-00001")
    #expect(due.lastDay == (try CivilDate(parsing: "2026-12-31")))
    #expect(try engine.caseDetail(reference).dispute.state.kind == .shopAnswered)
  }
}
