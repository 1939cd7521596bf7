import CaseModel
import WorkingDays

/// Open cases by state and overdue deadlines at the as-of instant.
struct SnapshotSink: ReplaySink {
  let scheme: String?

  struct Overdue {
    var reference: String
    var scheme: Int
    var shop: Int32
    var kind: DeadlineKind
    var party: Party
    var lastDay: Int32
    var expiresMs: Int64
  }

  var open: [StateKind: [Int: Int]] = [:]
  var overdue: [CaseKey: [Overdue]] = [:]

  mutating func add(_ track: CaseTrack, _ context: ReplayContext, sign: Int) {
    if let scheme, context.schemes[track.scheme].scheme != scheme { return }
    guard !track.isClosed else { return }
    open[track.state, default: [:]][track.scheme, default: 0] += sign
    guard let asOf = context.asOfMs else { return }
    let late = track.deadlines.filter { $0.status == .open && $0.expiresMs < asOf }
    guard !late.isEmpty else { return }
    if sign < 0 {
      overdue[track.key] = nil
      return
    }
    overdue[track.key] = late.map {
      Overdue(
        reference: track.reference, scheme: track.scheme, shop: track.shop, kind: $0.kind,
        party: $0.party, lastDay: $0.lastDay, expiresMs: $0.expiresMs)
    }
  }

  func document(
    context: ReplayContext, asOfDay: (Int) -> Int64, parameters: [ReportDocument.Parameter]
  )
    -> ReportDocument
  {
    typealias Cell = ReportDocument.Cell
    let schemes = Set(open.values.flatMap(\.keys)).sorted {
      context.schemes[$0].scheme < context.schemes[$1].scheme
    }
    var stateRows: [[Cell]] = []
    var totals = [Int](repeating: 0, count: schemes.count)
    for state in StateKind.allCases where !state.isClosed {
      let counts = schemes.map { open[state]?[$0] ?? 0 }
      guard counts.contains(where: { $0 != 0 }) else { continue }
      for (index, count) in counts.enumerated() { totals[index] += count }
      stateRows.append(
        [.text(state.rawValue), .text(state.phase)] + counts.map(Cell.count)
          + [.count(counts.reduce(0, +))])
    }
    stateRows.append(
      [.text("total"), .text("")] + totals.map(Cell.count) + [.count(totals.reduce(0, +))])
    let states = ReportDocument.Section(
      id: "open-cases", title: "Open cases by state",
      columns: ["State", "Phase"] + schemes.map { context.schemes[$0].scheme } + ["Total"],
      rows: stateRows)

    let rows = overdue.values.flatMap { $0 }.sorted {
      ($0.expiresMs, $0.reference, $0.kind.rawValue) < (
        $1.expiresMs, $1.reference, $1.kind.rawValue
      )
    }
    let list = ReportDocument.Section(
      id: "overdue", title: "Overdue deadlines",
      columns: ["Case", "Scheme", "Shop", "Deadline", "Party", "Last day", "Days overdue"],
      rows: rows.map { item in
        [
          .text(item.reference), .text(context.schemes[item.scheme].scheme),
          .text(context.shops[Int(item.shop)].name), .text(item.kind.rawValue),
          .text(item.party.rawValue), .text(DayNumbers.text(Int64(item.lastDay))),
          .count(Int(asOfDay(item.scheme) - Int64(item.lastDay))),
        ]
      },
      note:
        "Open deadlines whose expiry is before the as-of instant; days overdue are calendar days after the last day."
    )
    var byKind: [DeadlineKind: Int] = [:]
    for item in rows { byKind[item.kind, default: 0] += 1 }
    let kinds = ReportDocument.Section(
      id: "overdue-by-deadline", title: "Overdue deadlines by kind",
      columns: ["Deadline", "Overdue"],
      rows: DeadlineKind.allCases.compactMap { kind in
        byKind[kind].map { [.text(kind.rawValue), .count($0)] }
      })
    let chart = ReportDocument.Chart(
      id: "open-cases", title: "Open cases by state", unit: "cases",
      labels: stateRows.dropLast().map { $0[0].description },
      series: schemes.enumerated().map { index, scheme in
        .init(
          name: context.schemes[scheme].scheme,
          values: stateRows.dropLast().map {
            if case .count(let n) = $0[2 + index] { Double(n) } else { 0 }
          })
      })
    return ReportDocument(
      kind: "snapshot", title: "Open cases and overdue deadlines", parameters: parameters,
      sections: [states, kinds, list], charts: [chart])
  }
}
