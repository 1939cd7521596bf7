import CaseModel
import Foundation
import WorkingDays

/// One case as the report replay follows it: the opening facts reports group by, the surviving
/// lifecycle steps with their times, and the deadlines with their lifetimes. It applies events
/// by the rules of `DisputeCase.apply` (the same transitions, the same deadline lifetimes, the
/// same corrections), on a compact form that carries nothing a report does not read.
final class CaseTrack {
  /// A surviving lifecycle step.
  struct Step {
    var version: Int32
    var type: EventType
    var before: StateKind
    var after: StateKind
    var at: Moment
    var day: Int32
    var ground: RefusalGround?
    var outcome: DecisionOutcome?
    var reason: Int32
    /// Deadlines that existed before the step (those it opened come after).
    var deadlinesBefore: Int32
    /// The deadlines the step closed, one bit per index (a case has far fewer than 64).
    var closed: UInt64
  }

  /// A deadline and its lifetime.
  struct Deadline {
    var kind: DeadlineKind
    var party: Party
    var lastDay: Int32
    var expiresMs: Int64
    var status: TrackedDeadline.Status
    var closedAt: Moment?
  }

  let key: CaseKey
  let reference: String
  let scheme: Int
  let shop: Int32
  let subject: Int32
  let domestic: Bool
  let shopCountry: Jurisdiction
  let received: Moment
  let receivedDay: Int32
  private(set) var state: StateKind = .awaitingShopAnswer
  private(set) var version: Int = 1
  private(set) var steps: [Step] = []
  private(set) var deadlines: [Deadline] = []
  /// Steps skipped because they occurred after the as-of instant (corrections may still name
  /// them).
  private var skipped: [Int32] = []
  /// Set once an event was recorded after the as-known-at instant: the case is frozen there.
  var frozen = false

  init(
    key: CaseKey, opening: OpeningFacts, scheme: Int, shop: Int32, subject: Int32,
    received: Moment, receivedDay: Int32, opens: [OpenedSummary]
  ) {
    self.key = key
    self.reference = opening.reference
    self.scheme = scheme
    self.shop = shop
    self.subject = subject
    self.shopCountry = opening.shop.country
    self.domestic = opening.consumerCountry == opening.shop.country.rawValue
    self.received = received
    self.receivedDay = receivedDay
    for opened in opens { append(opened) }
  }

  var isClosed: Bool { state.isClosed }

  /// The surviving step of a type, the first one.
  func first(_ type: EventType) -> Step? { steps.first { $0.type == type } }

  /// Applies the next event of the case.
  ///
  /// - Parameters:
  ///   - day: the civil day of the event in the case's zone.
  ///   - include: false when the event occurred after the as-of instant: a step is then only
  ///     remembered (a correction may void it), an extension ignored.
  ///   - reason: the interned reason of a closing step, or -1.
  func apply(_ event: ScannedEvent, day: Int32, include: Bool, reason: Int32) throws(TrackError) {
    guard event.caseVersion == version + 1 else {
      throw TrackError("case version \(event.caseVersion) follows version \(version)")
    }
    version += 1
    switch event.type {
    case .opened:
      throw TrackError("the case is already open")
    case .noted, .personalDataErased, .deadlineMissed:
      return
    case .deadlineExtended:
      guard include else { return }
      guard let kind = event.deadlineKind,
        let index = deadlines.lastIndex(where: { $0.kind == kind && $0.status == .open }),
        let extended = event.opens.first(where: { $0.kind == kind })
      else { throw TrackError("no open deadline to extend") }
      deadlines[index].lastDay = extended.lastDay
      deadlines[index].expiresMs = extended.expiresMs
    case .corrected:
      let voided = Int32(event.correctedVersion)
      if skipped.last == voided {
        skipped.removeLast()
      } else if let undo = steps.last, undo.version == voided {
        steps.removeLast()
        state = undo.before
        deadlines.removeSubrange(min(Int(undo.deadlinesBefore), deadlines.count)...)
        for index in 0..<min(64, deadlines.count) where undo.closed & (1 << UInt64(index)) != 0 {
          deadlines[index].status = .open
          deadlines[index].closedAt = nil
        }
      } else {
        throw TrackError("event \(voided) is not the latest step")
      }
    default:
      guard let command = event.type.step else { return }
      guard include, skipped.isEmpty else {
        skipped.append(Int32(event.caseVersion))
        return
      }
      guard let next = Self.transition(from: state, command, outcome: event.outcome) else {
        throw TrackError("\(event.type.name) is not possible in state \(state.rawValue)")
      }
      let before = Int32(deadlines.count)
      var closed: UInt64 = 0
      for index in deadlines.indices where deadlines[index].status == .open {
        let deadline = deadlines[index]
        let met = Self.isMet(deadline, by: event.occurred)
        if Self.satisfiedBy[deadline.kind]!.contains(command) {
          deadlines[index].status = met ? .met : .late
        } else if !Self.openIn[deadline.kind]!.contains(next) {
          deadlines[index].status = met ? .moot : .missed
        } else {
          continue
        }
        deadlines[index].closedAt = event.occurred
        guard index < 64 else { throw TrackError("more than 64 deadlines in one case") }
        closed |= 1 << UInt64(index)
      }
      steps.append(
        Step(
          version: Int32(event.caseVersion), type: event.type, before: state, after: next,
          at: event.occurred, day: day, ground: event.ground, outcome: event.outcome,
          reason: reason, deadlinesBefore: before, closed: closed))
      state = next
      for opened in event.opens { append(opened) }
    }
  }

  private func append(_ opened: OpenedSummary) {
    deadlines.append(
      Deadline(
        kind: opened.kind, party: opened.party, lastDay: opened.lastDay,
        expiresMs: opened.expiresMs, status: .open, closedAt: nil))
  }

  /// `TrackedDeadline.isMet(by:)`: a day meets a deadline up to its last day, an instant up to
  /// its expiry.
  static func isMet(_ deadline: Deadline, by moment: Moment) -> Bool {
    moment.isDay ? moment.value <= Int64(deadline.lastDay) : moment.value <= deadline.expiresMs
  }

  private static let satisfiedBy = Dictionary(
    uniqueKeysWithValues: DeadlineKind.allCases.map { ($0, $0.satisfiedBy) })
  private static let openIn = Dictionary(
    uniqueKeysWithValues: DeadlineKind.allCases.map { ($0, $0.openIn) })

  /// The lifecycle graph of `Transitions.edges`, as a lookup table.
  private static let table: [StateKind: [CommandKind: [StateKind]]] = {
    var table: [StateKind: [CommandKind: [StateKind]]] = [:]
    for edge in Transitions.edges {
      guard let from = edge.from else { continue }
      table[from, default: [:]][edge.command, default: []].append(edge.to)
    }
    return table
  }()

  /// The state a step leads to. A decision leads to `decided` when the shop must comply, and
  /// closes the case otherwise, as in `Transitions`.
  static func transition(from state: StateKind, _ command: CommandKind, outcome: DecisionOutcome?)
    -> StateKind?
  {
    guard let targets = table[state]?[command] else { return nil }
    if command == .decide, let outcome {
      return outcome.requiresCompliance ? .decided : .closed
    }
    return targets.first
  }
}

/// An event that does not fit its case: only a corrupt or foreign log causes it.
struct TrackError: Error {
  let message: String
  init(_ message: String) { self.message = message }
}
