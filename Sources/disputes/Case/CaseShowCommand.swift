import ArgumentParser
import DisputeEngine
import Foundation

struct CaseShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show a case: state, parties, timeline, and every deadline with how it was counted.")

  @Argument(help: "The case's reference or id.")
  var caseReference: String

  @Flag(help: "Print JSON (see docs/cli.md).")
  var json = false

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let engine = try global.engine()
    let detail = try engineCall { () throws(EngineError) in try engine.caseDetail(caseReference) }
    let view = CaseView(
      detail, workflow: try? engine.context(detail.dispute.opening.scheme).workflow)
    if json {
      print(try Terminal.json(view))
    } else {
      print(view.text)
    }
  }
}

/// A case as `case show` prints it; the JSON field names are part of the CLI's contract.
struct CaseView: Encodable {
  struct Event: Encodable {
    let version: Int
    let position: Int
    let type: String
    let occurredAt: String
    let recordedAt: String
    let actor: String
    let summary: String
  }
  struct Deadline: Encodable {
    let kind: String
    let party: String
    let status: String
    let markedMissed: Bool
    let lastDay: String
    let expiresAt: String
    let source: String
    let explanation: [String]
  }

  let id: String
  let reference: String
  let scheme: String
  let workflowVersion: String
  let state: String
  let phase: String
  let version: Int
  let shop: String
  let shopCountry: String
  let shopRegistration: String?
  let consumer: String?
  let consumerEmail: String?
  let consumerCountry: String
  let personalDataErased: Bool
  let crossBorder: Bool
  let subject: String
  let amount: String?
  let receivedAt: String
  let referral: String?
  let timeline: [Event]
  let deadlines: [Deadline]
  let allowedSteps: [String]

  init(_ detail: Engine.CaseDetail, workflow: Workflow?) {
    let dispute = detail.dispute
    let opening = dispute.opening
    id = dispute.id.rawValue
    reference = dispute.reference.description
    scheme = opening.scheme
    workflowVersion = opening.workflowVersion
    state = dispute.state.kind.rawValue
    phase = dispute.state.kind.phase
    version = dispute.version
    shop = opening.shop.tradeName
    shopCountry = opening.shop.country.rawValue
    shopRegistration = opening.shop.registrationNumber
    consumer = detail.consumer?.name
    consumerEmail = detail.consumer?.email
    consumerCountry = opening.consumerCountry.rawValue
    personalDataErased = dispute.personalDataErased
    crossBorder = dispute.isCrossBorder
    subject = opening.subject
    amount = opening.amount?.description
    receivedAt = CanonicalForms.text(dispute.receivedAt)
    referral = dispute.referral.map {
      "referred to \($0.trustmark)'s sanctions process: \($0.reason)"
    }
    timeline = detail.timeline.map {
      Event(
        version: $0.record.caseVersion, position: $0.record.position, type: $0.record.type,
        occurredAt: $0.record.occurredAt, recordedAt: $0.record.recordedAt, actor: $0.record.actor,
        summary: Self.summary($0.event.change))
    }
    deadlines = dispute.deadlines.map {
      Deadline(
        kind: $0.kind.rawValue, party: $0.opened.party.rawValue, status: $0.status.rawValue,
        markedMissed: $0.markedMissed, lastDay: $0.lastDay.description,
        expiresAt: Instants.iso8601($0.expiresAt), source: $0.opened.source,
        explanation: $0.opened.deadline.steps + $0.opened.deadline.warnings.map { "Warning: \($0)" }
      )
    }
    allowedSteps =
      workflow.map {
        Transitions.allowedCommands(in: dispute.state.kind, workflow: $0).map(\.rawValue)
      } ?? []
  }

  static func summary(_ change: CaseEvent.Change) -> String {
    switch change {
    case .opened(let o): "received: \(o.subject)\(o.amount.map { ", \($0)" } ?? "")"
    case .responded(let proposal): proposal.map { "proposal: \($0)" } ?? ""
    case .filed(let checks):
      checks.allSatisfy(\.passed)
        ? "admissibility checks passed"
        : "failed: " + checks.filter { !$0.passed }.map(\.detail).joined(separator: "; ")
    case .refused(let ground, let explanation): "\(ground.rawValue): \(explanation)"
    case .settled(let terms, let fulfilBy):
      [terms, fulfilBy.map { "fulfil by \($0)" }].compactMap { $0 }.joined(separator: ", ")
    case .mediationFailed(let reason), .withdrawn(let reason), .closed(let reason): reason ?? ""
    case .escalated(let committee): "to \(committee)"
    case .decisionIssued(let outcome): outcome.rawValue
    case .notComplied(let referral): "referred to \(referral.trustmark): \(referral.reason)"
    case .abandoned(let reason): reason
    case .deadlineExtended(let kind, let reason): "\(kind.rawValue): \(reason)"
    case .deadlineMissed(let kind): "\(kind.rawValue) passed"
    case .noted(let text): text
    case .corrected(let version, let reason): "voids v\(version): \(reason)"
    case .personalDataErased: "the consumer's personal data was erased"
    default: ""
    }
  }

  var text: String {
    var lines = [
      "\(reference)  (id \(id))",
      "Scheme:    \(scheme), workflow \(workflowVersion)",
      "State:     \(state) (\(phase)), version \(version)",
      "Shop:      \(shop), \(shopCountry)\(shopRegistration.map { " \($0)" } ?? "")",
      "Consumer:  "
        + (personalDataErased
          ? "personal data erased"
          : [consumer, consumerEmail.map { "<\($0)>" }].compactMap { $0 }.joined(separator: " "))
        + ", \(consumerCountry)\(crossBorder ? " (cross-border)" : "")",
      "Subject:   \(subject)\(amount.map { ", \($0) in dispute" } ?? "")",
      "Received:  \(receivedAt)",
    ]
    if let referral { lines.append("Sanctions: \(referral)") }
    if !allowedSteps.isEmpty {
      lines.append(
        TextWrap.wrap("Next:      " + allowedSteps.joined(separator: ", "), indent: "           "))
    }
    lines.append("")
    lines.append("Timeline:")
    lines.append(
      Table.render(
        header: ["V", "OCCURRED", "RECORDED (UTC)", "BY", "EVENT"],
        rows: timeline.map {
          [
            String($0.version),
            $0.occurredAt.count > 10
              ? String($0.occurredAt.prefix(16)).replacingOccurrences(of: "T", with: " ")
              : $0.occurredAt,
            String($0.recordedAt.prefix(16)).replacingOccurrences(of: "T", with: " "), $0.actor,
            $0.type,
          ]
        }, indent: 2))
    for event in timeline where !event.summary.isEmpty {
      lines.append(TextWrap.wrap("    v\(event.version): \(event.summary)", indent: "        "))
    }
    lines.append("")
    lines.append("Deadlines:")
    if deadlines.isEmpty { lines.append("  none") }
    for deadline in deadlines {
      let status =
        deadline.status == "open" && deadline.markedMissed ? "open, passed" : deadline.status
      lines.append("  \(deadline.kind) (\(deadline.party)): due \(deadline.lastDay), \(status)")
      lines.append("    expires \(deadline.expiresAt)")
      lines.append(TextWrap.wrap("    source: \(deadline.source)", indent: "      "))
      for step in deadline.explanation {
        lines.append(TextWrap.wrap("    \(step)", indent: "      "))
      }
    }
    return lines.joined(separator: "\n")
  }
}
