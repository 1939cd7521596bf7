import DisputeEngine
import Foundation

/// Helpers for engine tests: engines over memory or temporary files, and common requests.
enum EngineFixture {
  static let now = try! Instants.parse("2027-01-15T09:00:00Z")

  static func memory(clock: any EngineClock = FixedClock(now)) throws -> Engine {
    Engine(store: try EventStore.inMemory(), clock: clock)
  }

  /// A fresh directory for database files, removed by the caller.
  static func directory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "engine-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func day(_ text: String) -> Occurrence { .day(try! CivilDate(parsing: text)) }

  static let shop = ShopIdentity(
    tradeName: "Voorbeeld Webwinkel B.V.", country: .netherlands, registrationNumber: "12345678",
    website: "https://voorbeeld.example")

  static func newCase(
    received: String = "2026-12-23", scheme: String = "webwinkelkeur", amount: Int? = 12_000
  )
    -> NewCase
  {
    NewCase(
      scheme: scheme, shop: shop, consumerCountry: .netherlands,
      consumer: .init(name: "Anna de Vries", email: "anna@example.org", phone: "+31 6 12345678"),
      subject: "delivery",
      amount: amount.map(Money.init(cents:)), receivedAt: day(received))
  }
}
