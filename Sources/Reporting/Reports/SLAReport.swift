import CaseModel
import WorkingDays

/// Operational figures on complaints the shops received in a period (`domain.md` §5): the
/// direct phase included.
struct SLASink: ReplaySink {
  let fromDay: Int32
  let toDay: Int32
  let scheme: String?

  /// The figures of one group of cases.
  struct Group {
    var received = 0
    var onTime = 0
    var late = 0
    /// Closed unanswered after the deadline, or still unanswered past it at the cut-off.
    var unanswered = 0
    /// Left the direct phase before the deadline passed, unanswered.
    var moot = 0
    /// Unanswered, deadline not yet passed at the cut-off.
    var pending = 0
    var firstAnswer = Distribution()
    var filed = 0
    var escalated = 0

    var decided: Int { onTime + late + unanswered }

    mutating func add(
      sign: Int, deadline: CaseTrack.Deadline?, asOf: Int64?, answerDays: Int?, filed: Bool,
      escalated: Bool
    ) {
      received += sign
      switch deadline?.status {
      case .met?: onTime += sign
      case .late?: late += sign
      case .missed?: unanswered += sign
      case .moot?: moot += sign
      case .open?:
        if let asOf, deadline!.expiresMs < asOf {
          unanswered += sign
        } else {
          pending += sign
        }
      case nil: break
      }
      if let answerDays { firstAnswer.add(answerDays, sign: sign) }
      if filed { self.filed += sign }
      if escalated { self.escalated += sign }
    }
  }

  enum Key: Hashable {
    case all
    case month(Int)
    case scheme(Int)
    case shop(Int32)
    case subject(Int32)
  }

  var groups: [Key: Group] = [:]
  var phases: [String: Distribution] = [:]
  static let phaseOrder = ["direct", "filing", "mediation", "committee"]

  mutating func add(_ track: CaseTrack, _ context: ReplayContext, sign: Int) {
    if let scheme, context.schemes[track.scheme].scheme != scheme { return }
    guard track.receivedDay >= fromDay, track.receivedDay <= toDay else { return }
    let date = CivilDate(dayNumber: Int(track.receivedDay))
    let keys: [Key] = [
      .all, .month(date.year * 100 + date.month), .scheme(track.scheme), .shop(track.shop),
      .subject(track.subject),
    ]
    var answerDays: Int?
    if let answer = track.firstAnswer,
      let calendar = context.shopCalendars[track.shopCountry],
      let days = try? calendar.workingDays(
        from: CivilDate(dayNumber: Int(track.receivedDay)),
        to: CivilDate(dayNumber: Int(answer.day)))
    {
      answerDays = days
    }
    let deadline = track.deadlines.first { $0.kind == .shopAnswer }
    let filed = track.filing != nil
    let escalated = track.first(.escalated) != nil
    for key in keys {
      // Mutated in place: a copy would copy the group's distribution for every case.
      groups[key, default: Group()].add(
        sign: sign, deadline: deadline, asOf: context.asOfMs, answerDays: answerDays, filed: filed,
        escalated: escalated)
    }
    // Time in each phase: from the step that entered it to the step that left it.
    var phase = "direct"
    var entered = track.receivedDay
    for step in track.steps {
      let next = step.after.phase
      guard next != phase else { continue }
      phases[phase, default: Distribution()].add(Int(step.day - entered), sign: sign)
      phase = next
      entered = step.day
    }
  }
}

extension SLASink {
  func document(context: ReplayContext, parameters: [ReportDocument.Parameter]) -> ReportDocument {
    typealias Cell = ReportDocument.Cell
    let all = groups[.all] ?? Group()
    let answer = Summary(all.firstAnswer.sorted())
    var shopsDecided = 0
    var shopsOnTime = 0
    for (key, group) in groups {
      guard case .shop = key, group.decided > 0 else { continue }
      shopsDecided += 1
      if group.onTime == group.decided { shopsOnTime += 1 }
    }
    let summary = ReportDocument.Section(
      id: "summary", title: "Complaints received by shops", columns: ["", "Value"],
      rows: [
        [.text("Complaints received"), .count(all.received)],
        [.text("Answered within the deadline"), .count(all.onTime)],
        [.text("Answered after the deadline"), .count(all.late)],
        [.text("Not answered by the deadline"), .count(all.unanswered)],
        [.text("Deadline still running, unanswered"), .count(all.pending)],
        [.text("Left the direct phase before the deadline, unanswered"), .count(all.moot)],
        [.text("Share answered within the deadline"), .share(all.onTime, of: all.decided)],
        [.text("Shops with a decided deadline"), .count(shopsDecided)],
        [.text("Shops answering every complaint within the deadline"), .count(shopsOnTime)],
        [
          .text("Share of shops answering within the deadline"),
          .share(shopsOnTime, of: shopsDecided),
        ],
        [.text("Answers counted for time to first answer"), .count(answer.count)],
        [.text("Median working days to first answer"), .days(answer.median)],
        [.text("90th percentile working days to first answer"), .days(answer.p90)],
        [.text("Filed with the mediator"), .count(all.filed)],
        [.text("Escalation rate to the mediator"), .share(all.filed, of: all.received)],
        [.text("Escalated to the committee"), .count(all.escalated)],
        [
          .text("Escalation rate to the committee, of filed"), .share(all.escalated, of: all.filed),
        ],
      ],
      note:
        "Within the deadline: the shop's first answer (an acknowledgement is not one) occurred by the expiry of its answer deadline. Shares are of the complaints whose deadline was decided."
    )

    let phaseRows: [[Cell]] = Self.phaseOrder.map { phase in
      let values = Summary(phases[phase]?.sorted() ?? [])
      return [
        .text(phase), .count(values.count), .days(values.average), .days(values.median),
        .days(values.p90),
      ]
    }
    let phaseSection = ReportDocument.Section(
      id: "phases", title: "Time in each phase (calendar days)",
      columns: ["Phase", "Cases that left it", "Average", "Median", "90th percentile"],
      rows: phaseRows,
      note: "Counted for phases that the case entered and left by the cut-off.")

    func breakdown(_ id: String, _ title: String, _ heading: String, _ label: (Key) -> String?)
      -> ReportDocument.Section
    {
      let rows = groups.compactMap { key, group -> (String, Group)? in
        guard group.received != 0, let text = label(key) else { return nil }
        return (text, group)
      }.sorted { $0.0 < $1.0 }
      return ReportDocument.Section(
        id: id, title: title,
        columns: [
          heading, "Received", "On time", "Share on time", "Median working days",
          "P90 working days",
          "Filed", "Share filed", "Escalated", "Share escalated",
        ],
        rows: rows.map { text, group in
          let answer = Summary(group.firstAnswer.sorted())
          return [
            .text(text), .count(group.received), .count(group.onTime),
            .share(group.onTime, of: group.decided), .days(answer.median), .days(answer.p90),
            .count(group.filed), .share(group.filed, of: group.received), .count(group.escalated),
            .share(group.escalated, of: group.filed),
          ]
        })
    }
    let sections = [
      summary, phaseSection,
      breakdown("by-month", "By month of receipt", "Month") {
        if case .month(let value) = $0 {
          return "\(value / 100)-\(value % 100 < 10 ? "0" : "")\(value % 100)"
        }
        return nil
      },
      breakdown("by-scheme", "By scheme", "Scheme") {
        if case .scheme(let index) = $0 { return context.schemes[index].scheme }
        return nil
      },
      breakdown("by-shop", "By shop", "Shop") {
        if case .shop(let index) = $0 {
          let shop = context.shops[Int(index)]
          return "\(shop.name) (\(shop.country.rawValue))"
        }
        return nil
      },
      breakdown("by-subject", "By complaint type", "Complaint type") {
        if case .subject(let index) = $0 { return context.subjects[Int(index)] }
        return nil
      },
    ]
    let months = sections[2].rows
    var histogram = [Double](repeating: 0, count: 12)
    for value in all.firstAnswer.sorted() { histogram[min(max(Int(value), 0), 11)] += 1 }
    let charts = [
      ReportDocument.Chart(
        id: "monthly", title: "Complaints received per month", unit: "complaints",
        labels: months.map { $0[0].description },
        series: [
          .init(
            name: "Received",
            values: months.map { if case .count(let n) = $0[1] { Double(n) } else { 0 } }),
          .init(
            name: "On time",
            values: months.map { if case .count(let n) = $0[2] { Double(n) } else { 0 } }),
        ]),
      ReportDocument.Chart(
        id: "first-answer", title: "Working days to the shop's first answer", unit: "complaints",
        labels: (0..<11).map(String.init) + ["11+"],
        series: [.init(name: "Answers", values: histogram)]),
      ReportDocument.Chart(
        id: "answers", title: "Answer deadlines", unit: "complaints",
        labels: ["On time", "Late", "Not answered", "Running", "Moot"],
        series: [
          .init(
            name: "Complaints",
            values: [all.onTime, all.late, all.unanswered, all.pending, all.moot].map(Double.init))
        ]),
    ]
    return ReportDocument(
      kind: "sla", title: "Service levels", parameters: parameters, sections: sections,
      charts: charts)
  }
}
