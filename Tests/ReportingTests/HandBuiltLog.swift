import DisputeEngine
import Foundation

/// A small WebwinkelKeur log whose every report figure was worked out by hand (the working is
/// in ReportFigureTests). Eight complaints received by three shops in 2026:
///
/// | case | shop | consumer | subject | what happens (2026 unless said) |
/// |---|---|---|---|---|
/// | A | 1 | NL | delivery | received Mon 2 Mar; answer 4 Mar (2 wd, on time); rejected 5 Mar; filed 10 Mar; file complete 12 Mar; mediation 13 Mar; settled 11 Apr; complied 20 Apr |
/// | B | 1 | BE | refund | received 2 Mar; no answer; filed 16 Mar (deadline 9 Mar missed); refused 20 Mar, frivolous |
/// | C | 1 | NL | refund | received Mon 4 May; acknowledged 5 May; answer Wed 13 May (6 wd: 5 May is Liberation Day; deadline 12 May, late); accepted 14 May |
/// | D | 1 | NL | defective-product | received 1 Jun; answer 2 Jun; rejected; filed 10 Jun; complete 15 Jun; mediation 16 Jun; failed 16 Jul; escalated 20 Jul; claim 27 Jul; defence 5 Aug; partly upheld 30 Sep; not complied 20 Oct |
/// | E | 2 | DE | delivery | received 2 Nov; answer 3 Nov; rejected; filed 20 Nov; complete 25 Nov; withdrawn 1 Dec |
/// | F | 3 | NL | refund | received Tue 1 Dec; no answer (deadline 8 Dec); filed 14 Dec; complete 5 Jan 2027; mediation 6 Jan; settled 12 Jan 2027 |
/// | G | 2 | NL | delivery | received 1 Jul; answer 2 Jul; accepted 3 Jul — recorded 1 Feb 2027: the acceptance voided, rejected 6 Jul, filed 7 Jul, refused 9 Jul, handled elsewhere |
/// | H | 1 | NL | refund | received Thu 10 Dec, recorded 20 Jan 2027; never answered (deadline 17 Dec) |
///
/// Everything is recorded on 15 January 2027 except H's opening (20 January 2027) and G's
/// correction and later steps (1 February 2027).
enum HandBuiltLog {
  static let firstRecording = try! Instants.parse("2027-01-15T09:00:00Z")
  static let secondRecording = try! Instants.parse("2027-01-20T09:00:00Z")
  static let thirdRecording = try! Instants.parse("2027-02-01T09:00:00Z")

  static let shop1 = ShopIdentity(
    tradeName: "Voorbeeld Webwinkel B.V.", country: .netherlands, registrationNumber: "12345678")
  static let shop2 = ShopIdentity(
    tradeName: "Fietsenwinkel Zuid B.V.", country: .netherlands, registrationNumber: "60123456")
  static let shop3 = ShopIdentity(tradeName: "Boekenhoek", country: .netherlands)

  static func day(_ text: String) -> Occurrence { .day(try! CivilDate(parsing: text)) }

  /// Writes the log into a new database at `path`.
  static func build(at path: String) throws {
    let store = try EventStore(path: path)
    let first = Engine(store: store, clock: FixedClock(firstRecording))
    func open(_ shop: ShopIdentity, _ consumer: String, _ subject: String, _ received: String)
      throws -> String
    {
      try first.openCase(
        NewCase(
          scheme: "webwinkelkeur", shop: shop, consumerCountry: CountryCode(consumer)!,
          consumer: nil, subject: subject, amount: Money(cents: 50_000),
          receivedAt: day(received)),
        actor: "test"
      ).reference.description
    }
    func steps(_ reference: String, _ commands: [CaseCommand], engine: Engine? = nil) throws {
      for command in commands {
        try (engine ?? first).handle(command, on: reference, actor: "test")
      }
    }

    let a = try open(shop1, "NL", "delivery", "2026-03-02")
    let b = try open(shop1, "BE", "refund", "2026-03-02")
    try steps(
      a,
      [
        .respond(at: day("2026-03-04"), proposal: nil), .reject(at: day("2026-03-05")),
        .file(at: day("2026-03-10")), .completeFile(at: day("2026-03-12")),
        .mediate(at: day("2026-03-13")), .settle(at: day("2026-04-11"), terms: nil, fulfilBy: nil),
        .comply(at: day("2026-04-20")),
      ])
    try steps(
      b,
      [
        .file(at: day("2026-03-16")),
        .refuse(at: day("2026-03-20"), ground: .frivolous, explanation: "no case made"),
      ])
    let c = try open(shop1, "NL", "refund", "2026-05-04")
    try steps(
      c,
      [
        .acknowledge(at: day("2026-05-05")), .respond(at: day("2026-05-13"), proposal: "refund"),
        .accept(at: day("2026-05-14")),
      ])
    let d = try open(shop1, "NL", "defective-product", "2026-06-01")
    try steps(
      d,
      [
        .respond(at: day("2026-06-02"), proposal: nil), .reject(at: day("2026-06-03")),
        .file(at: day("2026-06-10")), .completeFile(at: day("2026-06-15")),
        .mediate(at: day("2026-06-16")), .failMediation(at: day("2026-07-16"), reason: nil),
        .escalate(at: day("2026-07-20")), .claim(at: day("2026-07-27")),
        .defend(at: day("2026-08-05")), .decide(at: day("2026-09-30"), outcome: .partlyUpheld),
        .notComply(at: day("2026-10-20"), reason: nil),
      ])
    let g = try open(shop2, "NL", "delivery", "2026-07-01")
    try steps(
      g, [.respond(at: day("2026-07-02"), proposal: nil), .accept(at: day("2026-07-03"))])
    let e = try open(shop2, "DE", "delivery", "2026-11-02")
    try steps(
      e,
      [
        .respond(at: day("2026-11-03"), proposal: nil), .reject(at: day("2026-11-04")),
        .file(at: day("2026-11-20")), .completeFile(at: day("2026-11-25")),
        .withdraw(at: day("2026-12-01"), reason: "solved it myself"),
      ])
    let f = try open(shop3, "NL", "refund", "2026-12-01")
    try steps(
      f,
      [
        .file(at: day("2026-12-14")), .completeFile(at: day("2027-01-05")),
        .mediate(at: day("2027-01-06")), .settle(at: day("2027-01-12"), terms: nil, fulfilBy: nil),
      ])

    let second = Engine(store: store, clock: FixedClock(secondRecording))
    _ = try second.openCase(
      NewCase(
        scheme: "webwinkelkeur", shop: shop1, consumerCountry: CountryCode("NL")!, consumer: nil,
        subject: "refund", amount: nil, receivedAt: day("2026-12-10")),
      actor: "test")

    let third = Engine(store: store, clock: FixedClock(thirdRecording))
    try steps(
      g,
      [
        .correct(at: day("2026-07-06"), eventVersion: 3, reason: "the consumer did not accept"),
        .reject(at: day("2026-07-06")), .file(at: day("2026-07-07")),
        .refuse(at: day("2026-07-09"), ground: .handledElsewhere, explanation: "before a court"),
      ], engine: third)
  }
}

/// A fresh directory under the system's temporary directory, for one test's files.
func scratchDirectory(_ prefix: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "\(prefix)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
