import DisputeEngine
import Foundation
import Testing

@testable import Reporting

/// A correction that reopens a case after it left the replay's memory: its earlier
/// contribution (a refusal, with its days) is taken away and its final one (a settlement) added.
@Suite("Late corrections of concluded disputes")
struct LateCorrectionTests {
  @Test("the refusal is taken back and the settlement counted, with or without the second pass")
  func refusalCorrected() throws {
    let store = try EventStore.inMemory()
    let engine = Engine(store: store, clock: FixedClock(try Instants.parse("2027-01-15T09:00:00Z")))
    func day(_ text: String) -> Occurrence { .day(try! CivilDate(parsing: text)) }
    let shop = ShopIdentity(tradeName: "Voorbeeld", country: .netherlands, registrationNumber: "1")
    func open(_ received: String) throws -> String {
      try engine.openCase(
        NewCase(
          scheme: "webwinkelkeur", shop: shop, consumerCountry: CountryCode("NL")!, consumer: nil,
          subject: "delivery", amount: nil, receivedAt: day(received)),
        actor: "t"
      ).reference.description
    }
    // X: filed 3 March (after the shop's 5 working days), refused 6 March (version 3); other
    // cases close after it; then the refusal is voided and the dispute settled on 31 March.
    let x = try open("2026-02-23")
    try engine.handle(.file(at: day("2026-03-03")), on: x, actor: "t")
    try engine.handle(
      .refuse(at: day("2026-03-06"), ground: .frivolous, explanation: "no case"), on: x, actor: "t")
    for received in ["2026-03-09", "2026-03-10", "2026-03-11"] {
      let other = try open(received)
      try engine.handle(.respond(at: day("2026-03-12"), proposal: nil), on: other, actor: "t")
      try engine.handle(.accept(at: day("2026-03-13")), on: other, actor: "t")
    }
    try engine.handle(
      .correct(at: day("2026-03-16"), eventVersion: 3, reason: "refused by mistake"), on: x,
      actor: "t")
    try engine.handle(.completeFile(at: day("2026-03-17")), on: x, actor: "t")
    try engine.handle(.mediate(at: day("2026-03-18")), on: x, actor: "t")
    try engine.handle(.settle(at: day("2026-03-31"), terms: nil, fulfilBy: nil), on: x, actor: "t")

    var evicting = ReportOptions()
    evicting.recentlyClosedCapacity = 0
    for options in [ReportOptions(), evicting] {
      let report = try Reports.adr(year: 2026, from: .database(store), options: options)
      let summary = try #require(report.section("webwinkelkeur.summary"))
      #expect(summary.value("Disputes received", "All") == .count(1))
      #expect(summary.value("Disputes concluded", "All") == .count(1))
      #expect(summary.value("Refused", "All") == .count(0))
      #expect(summary.value("Amicable (settled in mediation)", "All") == .count(1))
      // 3 March to 31 March: 28 days; from the complete file (17 March): 14.
      #expect(
        summary.value("Median days to outcome, from receipt", "All") == .number(28, decimals: 1))
      #expect(
        summary.value("Median days to outcome, from the complete file", "All")
          == .number(14, decimals: 1))
      #expect(report.section("webwinkelkeur.refusal-grounds")?.rows.isEmpty == true)
    }
  }

  @Test("a distribution gives back what was taken away")
  func distribution() {
    var values = Distribution()
    for value in [5, 3, 9, 3, 7] { values.add(value, sign: 1) }
    values.add(3, sign: -1)
    values.add(9, sign: -1)
    #expect(values.sorted() == [3, 5, 7])
    let summary = Summary(values.sorted())
    #expect(summary.median == 5 && summary.p90 == 7 && summary.average == 5)
  }
}
