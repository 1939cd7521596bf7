public import CaseModel
public import WorkflowLoading
public import WorkingDays

/// A seeded generator of realistic synthetic cases, for demos, tests, benchmarks and reports.
///
/// Every case is driven through ``CaseDecider``, so its events are valid by construction. The
/// mix covers both schemes, Dutch and Belgian shops, domestic and cross-border consumers, and
/// every path through the lifecycle in plausible proportions (most complaints end in the direct
/// phase; a few reach the committee). The same seed always gives the same cases.
///
/// ```swift
/// var generator = CaseGenerator(seed: 7, firstDay: try CivilDate(parsing: "2026-01-01"), days: 365)
/// for _ in 0..<100 {
///   let generated = generator.next()   // a case's events, in order
/// }
/// ```
public struct CaseGenerator: Sendable {
  /// One generated case.
  public struct GeneratedCase: Sendable {
    /// The case's identifier.
    public let caseID: CaseID
    /// Its events, in order; the first opens it.
    public let events: [CaseEvent]
    /// The consumer's (fictitious) personal data, kept out of the events.
    public let consumer: Person
  }

  /// Fictitious personal data of a consumer.
  public struct Person: Sendable, Hashable {
    /// The reference used in the events.
    public let id: String
    /// A name.
    public let name: String
    /// An e-mail address.
    public let email: String
  }

  private var random: SeededRandom
  private let contexts: [DecisionContext]
  private let shops: [ShopIdentity]
  private let firstDay: CivilDate
  private let days: Int
  private let count: Int
  private var produced = 0
  private var sequences: [String: Int] = [:]

  /// Creates a generator.
  ///
  /// - Parameters:
  ///   - seed: The seed; the same seed gives the same cases.
  ///   - firstDay: The first day complaints are received.
  ///   - days: Over how many days receipts are spread, in order.
  ///   - expectedCount: How many cases will be asked for, to spread them over `days`.
  ///   - catalog: The workflows to use (the bundled ones by default).
  ///   - shopCount: The size of the shop population; complaints concentrate on a few shops.
  public init(
    seed: UInt64, firstDay: CivilDate, days: Int = 365, expectedCount: Int = 1000,
    catalog: WorkflowCatalog = .bundled, shopCount: Int = 400
  ) {
    random = SeededRandom(seed: seed)
    contexts = catalog.workflows.map(DecisionContext.init(workflow:))
    self.firstDay = firstDay
    self.days = max(1, days)
    count = max(1, expectedCount)
    var shopRandom = SeededRandom(seed: seed ^ 0x5EED_5409)
    shops = (0..<max(1, shopCount)).map { index in
      let belgian = shopRandom.chance(45)
      let stem = Self.shopStems[index % Self.shopStems.count]
      return ShopIdentity(
        tradeName: "\(stem) \(index + 1)\(belgian ? " BV" : " B.V.")",
        country: belgian ? .belgium : .netherlands,
        registrationNumber: belgian
          ? "0\(700 + index % 300).\(100 + index % 900).\(100 + (index * 7) % 900)"
          : String(10_000_000 + index * 37),
        website: "https://\(stem.lowercased())\(index + 1).example",
        isMember: shopRandom.chance(92))
    }
  }

  static let shopStems = [
    "Fietsenwinkel", "Boekenhoek", "Tuinplaza", "ModeMarkt", "Elektrohuis", "Speelgoedland",
    "Koffiebar", "Sportdepot", "Woonwinkel", "Dierenshop", "Parfumerie", "Computerij",
  ]

  /// Generates the next case, received on or after the previous one.
  public mutating func next() -> GeneratedCase {
    produced += 1
    let offset = min(days - 1, (produced - 1) * days / count)
    let received = firstDay.adding(days: offset)
    var attempt = 0
    while true {
      attempt += 1
      if let generated = try? makeCase(received: received) { return generated }
      // A path the decider refused (for example a date past 2200): draw again.
      precondition(attempt < 100, "the generator cannot make a valid case")
    }
  }

  private mutating func makeCase(received: CivilDate) throws -> GeneratedCase {
    // Schemes: WebwinkelKeur slightly larger than BeCommerce.
    let context =
      contexts.count == 1 ? contexts[0] : (random.chance(55) ? contexts.last! : contexts[0])
    let workflow = context.workflow
    // A few shops draw most complaints: pick by the square of a uniform draw.
    let draw = random.unit()
    var shop = shops[min(shops.count - 1, Int(draw * draw * Double(shops.count)))]
    if !workflow.admissibility.shopCountries.contains(shop.country) {
      shop.country = workflow.mediator.calendar.jurisdiction
    }
    let domestic = random.chance(85)
    let consumerCountry: CountryCode =
      domestic
      ? CountryCode(jurisdiction: shop.country)
      : (random.chance(70)
        ? CountryCode(jurisdiction: shop.country == .netherlands ? .belgium : .netherlands)
        : CountryCode("DE")!)
    let sequenceKey = "\(workflow.scheme)-\(received.year)"
    let sequence = (sequences[sequenceKey] ?? 0) + 1
    sequences[sequenceKey] = sequence
    let caseID = CaseID("\(workflow.referencePrefix.lowercased())-\(received.year)-\(sequence)")
    let person = Person(
      id: "person-\(caseID.rawValue)",
      name: Self.names[Int(random.next() % UInt64(Self.names.count))],
      email: "consumer\(produced)@mail.example")
    let subject = workflow.subjects[Int(random.next() % UInt64(workflow.subjects.count))]
    let amount = random.chance(92) ? Money(cents: 500 + Int(random.next() % 200_000)) : nil
    let opening = try CaseDecider.open(
      OpenCase(
        caseID: caseID, sequence: sequence, shop: shop, consumerCountry: consumerCountry,
        consumerID: person.id,
        subject: subject, amount: amount, receivedAt: .day(received)),
      context: context)
    var dispute = try DisputeCase(opening: opening)
    var events = [opening]
    var day = received
    func step(_ command: (Occurrence) -> CaseCommand, after delay: Int) throws {
      day = day.adding(days: delay)
      let produced = try CaseDecider.decide(command(.day(day)), dispute, context: context)
      for event in produced { try dispute.apply(event) }
      events += produced
      // Case handlers note calls, e-mails and documents as the case goes on.
      for _ in 0..<random.int(0...3) where random.chance(65) {
        let text = Self.notes[random.int(0...Self.notes.count - 1)]
        let noted = try CaseDecider.decide(
          .note(at: .day(day), text: text), dispute, context: context)
        for event in noted { try dispute.apply(event) }
        events += noted
      }
    }
    func sweep() throws {
      let now = Instants.endOfDay(day, in: context.mediatorCalendar.timeZone)
      for event in CaseDecider.sweep(dispute, now: now) {
        try dispute.apply(event)
        events.append(event)
      }
    }

    // Direct phase.
    if workflow.options.acknowledgement, random.chance(40) {
      try step({ .acknowledge(at: $0) }, after: random.int(0...2))
    }
    let answer = random.int(1...100)
    if answer <= 80 {
      // In time for most shops, late for some.
      try step(
        { .respond(at: $0, proposal: nil) },
        after: answer <= 70 ? random.int(1...6) : random.int(8...20))
      let reaction = random.int(1...100)
      if reaction <= 45 {
        try step({ .accept(at: $0) }, after: random.int(1...5))
        return GeneratedCase(caseID: caseID, events: events, consumer: person)
      } else if reaction <= 58 {
        try step(
          { .close(at: $0, reason: "the consumer did not pursue the complaint") },
          after: random.int(20...40))
        return GeneratedCase(caseID: caseID, events: events, consumer: person)
      }
      if random.chance(60) { try step({ .reject(at: $0) }, after: random.int(1...4)) }
      try step({ .file(at: $0) }, after: random.int(2...25))
    } else {
      day = day.adding(days: random.int(8...14))
      try sweep()
      let silence = random.int(1...100)
      if silence <= 8 {
        try step({ .withdraw(at: $0, reason: nil) }, after: random.int(0...10))
        return GeneratedCase(caseID: caseID, events: events, consumer: person)
      } else if silence <= 14 {
        try step(
          { .abandon(at: $0, reason: "no reply from the consumer") }, after: random.int(10...30))
        return GeneratedCase(caseID: caseID, events: events, consumer: person)
      }
      try step({ .file(at: $0) }, after: random.int(0...20))
    }
    if random.chance(10) {
      try step({ .note(at: $0, text: "asked the consumer for the order confirmation") }, after: 1)
    }

    // Filing: the decider refuses inadmissible filings itself (scope, age, prior contact).
    if dispute.isClosed { return GeneratedCase(caseID: caseID, events: events, consumer: person) }
    let admission = random.int(1...100)
    if admission <= 8 {
      let ground = [
        RefusalGround.frivolous, .handledElsewhere, .valueThreshold, .impairsOperation,
      ][random.int(0...3)]
      try step(
        { .refuse(at: $0, ground: ground, explanation: "refused on the mediator's assessment") },
        after: random.int(3...20))
      return GeneratedCase(caseID: caseID, events: events, consumer: person)
    } else if admission <= 12 {
      try step({ .withdraw(at: $0, reason: "solved with the shop") }, after: random.int(1...10))
      return GeneratedCase(caseID: caseID, events: events, consumer: person)
    }
    try step({ .completeFile(at: $0) }, after: random.int(1...18))
    try step({ .mediate(at: $0) }, after: random.int(1...5))
    if random.chance(5) {
      try step(
        {
          .extend(
            at: $0, deadline: .mediationOutcome, extension: .by(.weeks(4)),
            reason: "a highly complex dispute")
        },
        after: 2)
    }

    // Mediation.
    let mediation = random.int(1...100)
    if mediation <= 58 {
      let fulfil = workflow.options.settlementFulfilment && random.chance(50)
      let settleDelay = random.int(2...30)
      let fulfilBy = fulfil ? day.adding(days: settleDelay + random.int(7...21)) : nil
      try step(
        { .settle(at: $0, terms: "a refund or replacement", fulfilBy: fulfilBy) },
        after: settleDelay)
      if random.chance(90) {
        try step({ .comply(at: $0) }, after: random.int(2...25))
      } else {
        day = day.adding(days: 25)
        try sweep()
        try step({ .notComply(at: $0, reason: nil) }, after: random.int(1...10))
      }
      return GeneratedCase(caseID: caseID, events: events, consumer: person)
    } else if mediation <= 62 {
      try step({ .withdraw(at: $0, reason: nil) }, after: random.int(1...20))
      return GeneratedCase(caseID: caseID, events: events, consumer: person)
    }
    try step({ .failMediation(at: $0, reason: "no agreement") }, after: random.int(7...60))

    // The committee, for some failed mediations with a large enough claim.
    let minimum = workflow.committee?.minimumClaim ?? Money(cents: 0)
    guard workflow.options.escalation, let amount, amount >= minimum, random.chance(40) else {
      try step({ .close(at: $0, reason: "not escalated") }, after: random.int(20...60))
      return GeneratedCase(caseID: caseID, events: events, consumer: person)
    }
    try step({ .escalate(at: $0) }, after: random.int(1...20))
    guard random.chance(88) else {
      day = day.adding(days: 20)
      try sweep()
      try step({ .abandon(at: $0, reason: "the claim was not filed") }, after: 5)
      return GeneratedCase(caseID: caseID, events: events, consumer: person)
    }
    try step({ .claim(at: $0) }, after: random.int(2...13))
    if random.chance(82) { try step({ .defend(at: $0) }, after: random.int(3...13)) }
    let outcome: DecisionOutcome = [
      .upheld, .upheld, .upheld, .upheld, .partlyUpheld, .partlyUpheld, .rejected, .rejected,
      .rejected, .inadmissible,
    ][random.int(0...9)]
    try step({ .decide(at: $0, outcome: outcome) }, after: random.int(20...80))
    if outcome.requiresCompliance {
      if random.chance(85) {
        try step({ .comply(at: $0) }, after: random.int(2...14))
      } else {
        day = day.adding(days: 16)
        try sweep()
        try step({ .notComply(at: $0, reason: nil) }, after: random.int(1...5))
      }
    }
    return GeneratedCase(caseID: caseID, events: events, consumer: person)
  }

  static let notes = [
    "consumer phoned for an update", "e-mailed the shop for its side",
    "received the order confirmation",
    "consumer sent photos of the damage", "shop sent the track-and-trace",
    "reminded the shop by e-mail",
    "consumer asked how long mediation takes", "shop asked for more time",
  ]

  static let names = [
    "Anna de Vries", "Lucas Peeters", "Sophie Janssens", "Daan Bakker", "Emma Maes", "Noah Visser",
    "Julia Claes", "Milan Smit", "Lotte Wouters", "Sem Mulder", "Fleur Jacobs", "Lars Willems",
  ]
}

/// SplitMix64 with a few conveniences.
struct SeededRandom: Sendable {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.count))
  }

  mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

  mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
