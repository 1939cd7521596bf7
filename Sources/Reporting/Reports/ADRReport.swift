import CaseModel
import WorkflowLoading
import WorkingDays

/// The ADR annual activity report's tallies (Directive 2013/11/EU art. 7(2) and 19(3);
/// `domain.md` §5, §6.10): per scheme, split domestic and cross-border.
struct ADRSink: ReplaySink {
  let year: Int
  let scheme: String?

  /// The tallies of one scheme and one split.
  struct Tally {
    var received = 0
    var receivedByMonth = [Int](repeating: 0, count: 12)
    var bySubject: [Int32: Int] = [:]
    var byShop: [Int32: Int] = [:]
    var concluded = 0
    var conclusions: [Conclusion: Int] = [:]
    var daysFromReceipt = Distribution()
    var daysFromComplete = Distribution()
    var complied = 0
    var notComplied = 0
    var pendingAtYearEnd = 0

    mutating func merge(_ other: Tally) {
      received += other.received
      for month in 0..<12 { receivedByMonth[month] += other.receivedByMonth[month] }
      bySubject.merge(other.bySubject, uniquingKeysWith: +)
      byShop.merge(other.byShop, uniquingKeysWith: +)
      concluded += other.concluded
      conclusions.merge(other.conclusions, uniquingKeysWith: +)
      daysFromReceipt.merge(other.daysFromReceipt)
      daysFromComplete.merge(other.daysFromComplete)
      complied += other.complied
      notComplied += other.notComplied
      pendingAtYearEnd += other.pendingAtYearEnd
    }
  }

  /// Tallies by scheme index, then [domestic, cross-border].
  var tallies: [Int: [Tally]] = [:]

  mutating func add(_ track: CaseTrack, _ context: ReplayContext, sign: Int) {
    if let scheme, context.schemes[track.scheme].scheme != scheme { return }
    guard let filing = track.filing else { return }
    // Mutated in place: a copy of the tally would copy its dictionaries for every case.
    tallies[track.scheme, default: [Tally(), Tally()]][track.domestic ? 0 : 1].add(
      track, filing: filing, year: year, sign: sign)
  }
}

extension ADRSink.Tally {
  fileprivate mutating func add(
    _ track: CaseTrack, filing: CaseTrack.Step, year: Int, sign: Int
  ) {
    let lastDay = Int32(Dates.dayNumber(year: year, month: 12, day: 31))
    if DayNumbers.year(filing.day) == year {
      received += sign
      receivedByMonth[DayNumbers.month(filing.day) - 1] += sign
      bySubject[track.subject, default: 0] += sign
      byShop[track.shop, default: 0] += sign
    }
    let conclusion = track.conclusion
    if let (kind, step) = conclusion, DayNumbers.year(step.day) == year {
      concluded += sign
      conclusions[kind, default: 0] += sign
      daysFromReceipt.add(Int(step.day - filing.day), sign: sign)
      if let complete = track.first(.fileCompleted), complete.version < step.version {
        daysFromComplete.add(Int(step.day - complete.day), sign: sign)
      }
    }
    if filing.day <= lastDay, conclusion.map({ $0.1.day > lastDay }) ?? true {
      pendingAtYearEnd += sign
    }
    for step in track.steps where DayNumbers.year(step.day) == year {
      if step.type == .complied { complied += sign }
      if step.type == .notComplied { notComplied += sign }
    }
  }
}

extension ADRSink {
  /// Builds the document: one set of tables per scheme, then all schemes together when there
  /// are several.
  func document(context: ReplayContext, shopThreshold: Int, parameters: [ReportDocument.Parameter])
    -> ReportDocument
  {
    let order = tallies.keys.sorted { context.schemes[$0].scheme < context.schemes[$1].scheme }
    var groups: [(id: String, name: String, splits: [Tally])] = order.map {
      (context.schemes[$0].scheme, context.schemes[$0].name, tallies[$0]!)
    }
    if groups.isEmpty, let scheme {
      groups = [
        (scheme, (try? context.catalog.workflow(named: scheme).name) ?? scheme, [Tally(), Tally()])
      ]
    }
    if groups.count > 1 {
      var all = [Tally(), Tally()]
      for group in groups {
        all[0].merge(group.splits[0])
        all[1].merge(group.splits[1])
      }
      groups.append(("all", "All schemes", all))
    }
    var sections: [ReportDocument.Section] = []
    var charts: [ReportDocument.Chart] = []
    for group in groups {
      var total = group.splits[0]
      total.merge(group.splits[1])
      let splits = [total, group.splits[0], group.splits[1]]
      sections += tables(group.id, group.name, splits, context: context, threshold: shopThreshold)
      charts += self.charts(group.id, group.name, splits)
    }
    return ReportDocument(
      kind: "adr", title: "ADR annual activity report \(year)", parameters: parameters,
      sections: sections, charts: charts)
  }

  private static let columns = ["", "All", "Domestic", "Cross-border"]

  private func tables(
    _ id: String, _ name: String, _ splits: [Tally], context: ReplayContext, threshold: Int
  ) -> [ReportDocument.Section] {
    typealias Cell = ReportDocument.Cell
    func row(_ label: String, _ value: (Tally) -> Cell) -> [Cell] {
      [.text(label)] + splits.map(value)
    }
    func count(_ tally: Tally, _ matches: (Conclusion) -> Bool) -> Int {
      tally.conclusions.filter { matches($0.key) }.values.reduce(0, +)
    }
    let refused: (Conclusion) -> Bool = {
      if case .refused = $0 { return true }
      return false
    }
    let forConsumer: (Conclusion) -> Bool = {
      $0 == .decided(.upheld) || $0 == .decided(.partlyUpheld)
    }
    let receipt = splits.map { Summary($0.daysFromReceipt.sorted()) }
    let complete = splits.map { Summary($0.daysFromComplete.sorted()) }
    var summaryRows: [[Cell]] = [
      row("Disputes received") { .count($0.received) },
      row("Disputes concluded") { .count($0.concluded) },
      row("Refused") { .count(count($0, refused)) },
      row("Refused, share of concluded") { .share(count($0, refused), of: $0.concluded) },
      row("Discontinued") { .count(count($0, \.isDiscontinued)) },
      row("Discontinued, share of concluded") {
        .share(count($0, \.isDiscontinued), of: $0.concluded)
      },
      row("Outcome for the consumer") { .count(count($0, forConsumer)) },
      row("  of which partly upheld") { .count($0.conclusions[.decided(.partlyUpheld)] ?? 0) },
      row("Outcome for the shop") { .count($0.conclusions[.decided(.rejected)] ?? 0) },
      row("Amicable (settled in mediation)") { .count($0.conclusions[.settled] ?? 0) },
      row("No agreement (mediation failed, not escalated)") {
        .count($0.conclusions[.noAgreement] ?? 0)
      },
      row("Declared inadmissible by the committee") {
        .count($0.conclusions[.decided(.inadmissible)] ?? 0)
      },
    ]
    summaryRows += [
      [.text("Average days to outcome, from receipt")] + receipt.map { .days($0.average) },
      [.text("Median days to outcome, from receipt")] + receipt.map { .days($0.median) },
      [.text("Average days to outcome, from the complete file")]
        + complete.map { .days($0.average) },
      [.text("Median days to outcome, from the complete file")] + complete.map { .days($0.median) },
      row("Outcomes complied with") { .count($0.complied) },
      row("Outcomes not complied with") { .count($0.notComplied) },
      row("Compliance rate") { .share($0.complied, of: $0.complied + $0.notComplied) },
      row("Pending at year end") { .count($0.pendingAtYearEnd) },
    ]
    var sections = [
      ReportDocument.Section(
        id: "\(id).summary", title: "\(name): disputes \(year)", columns: Self.columns,
        rows: summaryRows,
        note:
          "Received: filed with the mediator in \(year). Concluded, outcomes and times: disputes whose outcome occurred in \(year). Days are calendar days."
      )
    ]

    let subjects = Set(splits[0].bySubject.filter { $0.value != 0 }.keys).sorted {
      context.subjects[Int($0)] < context.subjects[Int($1)]
    }
    sections.append(
      ReportDocument.Section(
        id: "\(id).complaint-types", title: "\(name): disputes received by complaint type",
        columns: Self.columns + ["Share"],
        rows: subjects.map { subject in
          [.text(context.subjects[Int(subject)])]
            + splits.map { .count($0.bySubject[subject] ?? 0) }
            + [.share(splits[0].bySubject[subject] ?? 0, of: splits[0].received)]
        }))

    let refusals = count(splits[0], refused)
    sections.append(
      ReportDocument.Section(
        id: "\(id).refusal-grounds", title: "\(name): refusals by ground",
        columns: Self.columns + ["Share of refusals"],
        rows: RefusalGround.allCases.compactMap { ground in
          let all = splits[0].conclusions[.refused(ground)] ?? 0
          guard all != 0 else { return nil }
          return [.text(ground.rawValue)]
            + splits.map { .count($0.conclusions[.refused(ground)] ?? 0) }
            + [.share(all, of: refusals)]
        }))

    let reasons = splits[0].conclusions.compactMap { entry -> Int32? in
      if case .discontinued(let reason) = entry.key, entry.value != 0 { return reason }
      return nil
    }
    func reasonText(_ reason: Int32) -> String {
      reason >= 0 ? context.reasons[Int(reason)] : "closed without a reason given"
    }
    let discontinued = count(splits[0], \.isDiscontinued)
    sections.append(
      ReportDocument.Section(
        id: "\(id).discontinued", title: "\(name): discontinued disputes by reason",
        columns: Self.columns + ["Share of discontinued"],
        rows: reasons.sorted { reasonText($0) < reasonText($1) }.map { reason in
          let key = Conclusion.discontinued(reason: reason)
          return [.text(reasonText(reason))] + splits.map { .count($0.conclusions[key] ?? 0) }
            + [.share(splits[0].conclusions[key] ?? 0, of: discontinued)]
        }))

    let recurring = splits[0].byShop.filter { $0.value >= threshold }.sorted {
      $0.value != $1.value
        ? $0.value > $1.value : context.shops[Int($0.key)].name < context.shops[Int($1.key)].name
    }
    sections.append(
      ReportDocument.Section(
        id: "\(id).recurring", title: "\(name): shops with \(threshold) or more disputes",
        columns: ["Shop", "Country", "All", "Domestic", "Cross-border", "Share of disputes"],
        rows: recurring.map { shop, disputes in
          let info = context.shops[Int(shop)]
          return [
            .text(info.name), .text(info.country.rawValue), .count(disputes),
            .count(splits[1].byShop[shop] ?? 0), .count(splits[2].byShop[shop] ?? 0),
            .share(disputes, of: splits[0].received),
          ]
        },
        note: "Shops with fewer than \(threshold) disputes received in \(year) are left out."))
    return sections
  }

  private func charts(_ id: String, _ name: String, _ splits: [Tally]) -> [ReportDocument.Chart] {
    let months = [
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    let total = splits[0]
    var buckets = [Double](repeating: 0, count: 7)
    let labels = ["0–14", "15–30", "31–45", "46–60", "61–90", "91–120", "> 120"]
    for days in total.daysFromReceipt.sorted() {
      let index: Int
      switch days {
      case ..<15: index = 0
      case 15...30: index = 1
      case 31...45: index = 2
      case 46...60: index = 3
      case 61...90: index = 4
      case 91...120: index = 5
      default: index = 6
      }
      buckets[index] += 1
    }
    let outcomes: [(String, Int)] = [
      (
        "For the consumer",
        (total.conclusions[.decided(.upheld)] ?? 0)
          + (total.conclusions[.decided(.partlyUpheld)] ?? 0)
      ),
      ("For the shop", total.conclusions[.decided(.rejected)] ?? 0),
      ("Amicable", total.conclusions[.settled] ?? 0),
      ("No agreement", total.conclusions[.noAgreement] ?? 0),
      (
        "Refused",
        total.conclusions.filter { if case .refused = $0.key { true } else { false } }.values
          .reduce(0, +)
      ),
      ("Discontinued", total.conclusions.filter { $0.key.isDiscontinued }.values.reduce(0, +)),
    ]
    return [
      ReportDocument.Chart(
        id: "\(id).monthly", title: "\(name): disputes received per month", unit: "disputes",
        labels: months,
        series: [
          .init(name: "Domestic", values: splits[1].receivedByMonth.map(Double.init)),
          .init(name: "Cross-border", values: splits[2].receivedByMonth.map(Double.init)),
        ]),
      ReportDocument.Chart(
        id: "\(id).time-to-outcome", title: "\(name): days from receipt to outcome",
        unit: "disputes", labels: labels, series: [.init(name: "Disputes", values: buckets)]),
      ReportDocument.Chart(
        id: "\(id).outcomes", title: "\(name): outcomes", unit: "disputes",
        labels: outcomes.map(\.0),
        series: [.init(name: "Disputes", values: outcomes.map { Double($0.1) })]),
    ]
  }
}
