public import Foundation
public import WorkingDays

/// A deadline of a case, with its status as the case's events have set it.
public struct TrackedDeadline: Sendable, Hashable, Codable {
  /// The status of a deadline.
  public enum Status: String, Sendable, Hashable, Codable {
    /// Still running (or passed but not yet satisfied: see ``TrackedDeadline/markedMissed``).
    case open
    /// Satisfied in time.
    case met
    /// Satisfied after it expired.
    case late
    /// Closed without being satisfied, after it expired.
    case missed
    /// Closed without being satisfied, before it expired: the case left its phase.
    case moot
  }

  /// The deadline as opened (or last extended).
  public var opened: OpenedDeadline
  /// The version of the event that opened it.
  public var openedByVersion: Int
  /// Its status.
  public var status: Status
  /// Whether a sweep recorded that it passed. A later record of the step that occurred in time
  /// still makes it ``Status/met`` (`domain.md` §6.7).
  public var markedMissed: Bool
  /// When the event that closed it occurred.
  public var closedAt: Occurrence?
  /// How often it was extended.
  public var extensions: Int

  /// Which deadline.
  public var kind: DeadlineKind { opened.kind }
  /// Its last day.
  public var lastDay: CivilDate { opened.deadline.lastDay }
  /// When it expires.
  public var expiresAt: Date { opened.deadline.expiresAt }
  /// Whether it is still open.
  public var isOpen: Bool { status == .open }

  /// Whether an occurrence lies within the deadline: a day on or before the last day, or an
  /// instant on or before the expiry.
  public func isMet(by occurrence: Occurrence) -> Bool {
    Self.isMet(lastDay: lastDay, expiresAt: expiresAt, by: occurrence)
  }

  static func isMet(lastDay: CivilDate, expiresAt: Date, by occurrence: Occurrence) -> Bool {
    switch occurrence {
    case .day(let day): day <= lastDay
    case .instant(let instant): instant <= expiresAt
    }
  }

  /// Whether the deadline has expired at `now`.
  public func hasExpired(at now: Date) -> Bool { now > expiresAt }
}

/// A deadline as one of the two folds of a case tracks it: whole in a ``DisputeCase``
/// (``TrackedDeadline``), in outline in a ``CaseProjection`` (``CaseProjection/Deadline``).
/// The rules for how events change deadlines are written once, over this protocol.
package protocol DeadlineTracking {
  /// What an event's opened deadline is, to this fold.
  associatedtype Opened
  /// A deadline just opened by the event with this version.
  init(opened: Opened, byVersion version: Int)
  /// Which deadline an opened one is.
  static func kind(of opened: Opened) -> DeadlineKind
  /// Which deadline.
  var kind: DeadlineKind { get }
  /// Its last day.
  var lastDay: CivilDate { get }
  /// When it expires.
  var expiresAt: Date { get }
  /// Its status.
  var status: TrackedDeadline.Status { get set }
  /// Whether a sweep recorded that it passed.
  var markedMissed: Bool { get set }
  /// When the event that closed it occurred.
  var closedAt: Occurrence? { get set }
  /// Replaces the deadline with its extension.
  mutating func extend(to extended: Opened)
}

extension TrackedDeadline: DeadlineTracking {
  package init(opened: OpenedDeadline, byVersion version: Int) {
    self.init(
      opened: opened, openedByVersion: version, status: .open, markedMissed: false, closedAt: nil,
      extensions: 0)
  }

  package static func kind(of opened: OpenedDeadline) -> DeadlineKind { opened.kind }

  package mutating func extend(to extended: OpenedDeadline) {
    opened = extended
    extensions += 1
    markedMissed = false
  }
}

/// How events change a case's deadlines, shared by the two folds of a case (``DisputeCase``
/// and ``CaseProjection``), so that the rules live in one place.
extension Array where Element: DeadlineTracking {
  /// Adds the deadlines an event opened.
  mutating func open(_ opens: [Element.Opened], byVersion version: Int) {
    // A case that runs more than one deadline usually runs four to eight: room for four at
    // the first growth spares the copies of growing one at a time (most cases run one).
    if count + opens.count > capacity { reserveCapacity(Swift.max(4, count + opens.count)) }
    for opened in opens { append(Element(opened: opened, byVersion: version)) }
  }

  /// Replaces the latest open deadline of `kind` with its extension from `opens`; `false`
  /// when there is no such deadline or `opens` holds none of that kind.
  mutating func extend(_ kind: DeadlineKind, with opens: [Element.Opened]) -> Bool {
    guard let index = latestOpen(kind),
      let extended = opens.first(where: { Element.kind(of: $0) == kind })
    else { return false }
    self[index].extend(to: extended)
    return true
  }

  /// Marks the latest open deadline of `kind` as passed; `false` when there is none.
  mutating func markMissed(_ kind: DeadlineKind) -> Bool {
    guard let index = latestOpen(kind) else { return false }
    self[index].markedMissed = true
    return true
  }

  /// The index of the latest open deadline of `kind`.
  private func latestOpen(_ kind: DeadlineKind) -> Int? {
    var index = endIndex
    while index > startIndex {
      index -= 1
      if self[index].kind == kind, self[index].status == .open { return index }
    }
    return nil
  }

  /// Closes the deadlines a step satisfies or leaves behind, and passes their indexes, in
  /// order, to `noteClosed`.
  mutating func close(
    step: CommandKind, at occurrence: Occurrence, newState: StateKind,
    noteClosed: (Int) -> Void
  ) {
    // Properties only: calling a deadline's own methods here could copy it (retaining each of
    // a whole deadline's strings and arrays) for every open deadline at every step.
    for index in indices where self[index].status == .open {
      let kind = self[index].kind
      let satisfied = kind.isSatisfied(by: step)
      guard satisfied || !kind.isOpen(in: newState) else { continue }
      let met = TrackedDeadline.isMet(
        lastDay: self[index].lastDay, expiresAt: self[index].expiresAt, by: occurrence)
      self[index].status = satisfied ? (met ? .met : .late) : (met ? .moot : .missed)
      self[index].closedAt = occurrence
      noteClosed(index)
    }
  }

  /// Undoes a voided step: the deadlines it opened (from `count` on) go, and those it closed
  /// open again. Extensions and sweep marks made since, on deadlines that stay, are kept.
  mutating func undo(openedFrom count: Int, closed: some Sequence<Int>) {
    removeSubrange(Swift.min(count, self.count)...)
    for index in closed where index < self.count {
      self[index].status = .open
      self[index].closedAt = nil
    }
  }

  /// The index of the open deadline that expires first (the first opened, among equals).
  package var indexOfNextOpen: Int? {
    var next: Int?
    for index in indices where self[index].status == .open {
      if let current = next, self[current].expiresAt <= self[index].expiresAt { continue }
      next = index
    }
    return next
  }
}
