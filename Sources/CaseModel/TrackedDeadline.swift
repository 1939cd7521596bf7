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

/// How events change a case's deadlines, shared by the two folds of a case (``DisputeCase``
/// and ``CaseProjection``), so that the rules live in one place.
extension [TrackedDeadline] {
  /// Adds the deadlines an event opened.
  mutating func open(_ opens: [OpenedDeadline], byVersion version: Int) {
    for opened in opens {
      append(
        TrackedDeadline(
          opened: opened, openedByVersion: version, status: .open, markedMissed: false,
          closedAt: nil, extensions: 0))
    }
  }

  /// Replaces the latest open deadline of `kind` with its extension from `opens`; `false`
  /// when there is no such deadline or `opens` holds none of that kind.
  mutating func extend(_ kind: DeadlineKind, with opens: [OpenedDeadline]) -> Bool {
    guard let index = latestOpen(kind), let extended = opens.first(where: { $0.kind == kind })
    else { return false }
    self[index].opened = extended
    self[index].extensions += 1
    self[index].markedMissed = false
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
      if self[index].opened.kind == kind, self[index].status == .open { return index }
    }
    return nil
  }

  /// Closes the deadlines a step satisfies or leaves behind, and returns their indexes.
  mutating func close(step: CommandKind, at occurrence: Occurrence, newState: StateKind) -> [Int] {
    var closed: [Int] = []
    // Stored fields only: calling a deadline's own methods here would copy it (retaining each
    // of its strings and arrays) for every open deadline at every step of a bulk replay.
    for index in indices where self[index].status == .open {
      let kind = self[index].opened.kind
      let satisfied = kind.isSatisfied(by: step)
      guard satisfied || !kind.isOpen(in: newState) else { continue }
      let met = TrackedDeadline.isMet(
        lastDay: self[index].opened.deadline.lastDay,
        expiresAt: self[index].opened.deadline.expiresAt, by: occurrence)
      self[index].status = satisfied ? (met ? .met : .late) : (met ? .moot : .missed)
      self[index].closedAt = occurrence
      closed.append(index)
    }
    return closed
  }

  /// Undoes a voided step: the deadlines it opened (from `count` on) go, and those it closed
  /// open again. Extensions and sweep marks made since, on deadlines that stay, are kept.
  mutating func undo(openedFrom count: Int, closed: [Int]) {
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
      if let current = next,
        self[current].opened.deadline.expiresAt <= self[index].opened.deadline.expiresAt
      {
        continue
      }
      next = index
    }
    return next
  }
}
