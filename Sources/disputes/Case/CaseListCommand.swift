import ArgumentParser
import DisputeEngine
import Foundation

struct CaseListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List cases, oldest receipt first.")

  @Option(
    help: "Only cases in this state (see docs/lifecycle.md).", transform: choice(StateKind.self))
  var state: StateKind?

  @Option(help: "Only cases of this scheme.")
  var scheme: String?

  @Option(help: "Only cases of shops whose name contains this text.")
  var shop: String?

  @Flag(help: "Only cases with a deadline that has passed (at --now).")
  var overdue = false

  @Option(
    name: .customLong("due-before"),
    help:
      "Only cases with an open deadline expiring before this date (YYYY-MM-DD, end of day) or instant."
  )
  var dueBefore: String?

  @Flag(exclusivity: .exclusive, help: "Only open or only closed cases.")
  var status: Status?

  @Option(help: "At most this many cases.")
  var limit = 1000

  @Flag(help: "Print JSON: an array of case summaries.")
  var json = false

  @OptionGroup var global: GlobalOptions

  enum Status: String, EnumerableFlag {
    case open, closed
  }

  func run() throws {
    let engine = try global.engine()
    var query = CaseQuery(state: state, scheme: scheme, shop: shop, limit: limit)
    if let status { query.open = status == .open }
    if overdue { query.overdueAt = engine.clock.now() }
    if let dueBefore { query.dueBefore = try instant(endOf: dueBefore) }
    let cases = try engineCall { () throws(EngineError) in try engine.cases(query) }
    if json {
      print(try Terminal.json(cases))
      return
    }
    guard !cases.isEmpty else {
      print("No cases.")
      return
    }
    print(CaseTable.render(cases))
    print("\(cases.count) case\(cases.count == 1 ? "" : "s")")
  }
}

/// A date means the end of that day (in UTC, for filtering); a date-time is itself.
func instant(endOf text: String) throws -> Date {
  switch try disputesOccurrence(text, option: "date") {
  case .day(let day): return Instants.endOfDay(day, in: .gmt)
  case .instant(let instant): return instant
  }
}

/// The case table of `case list` and `demo`: fits 80 columns, the shop's name last and cut to fit.
enum CaseTable {
  static func label(_ kind: String?) -> String {
    switch kind.flatMap(DeadlineKind.init(rawValue:)) {
    case .shopAnswer: "shop answer"
    case .admissibilityDecision: "admissibility"
    case .mediationOutcome: "ADR 90 days"
    case .mediationWindow: "mediation"
    case .committeeClaim: "claim"
    case .committeeDefence: "defence"
    case .committeeDecision: "ruling"
    case .settlementFulfilment: "fulfilment"
    case .decisionCompliance: "compliance"
    case nil: "-"
    }
  }

  static func render(_ cases: [CaseSummary], indent: Int = 0) -> String {
    let rows = cases.map {
      [
        $0.reference, $0.state, label($0.nextDeadline),
        String(($0.nextDeadlineExpiresAt ?? "-").prefix(10)), $0.shopName,
      ]
    }
    let table = Table.render(
      header: ["REFERENCE", "STATE", "NEXT", "DUE", "SHOP"], rows: rows, indent: indent)
    return table.split(separator: "\n").map { $0.count > 80 ? $0.prefix(79) + "…" : $0 }.joined(
      separator: "\n")
  }
}
