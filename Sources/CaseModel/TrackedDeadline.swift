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
    switch occurrence {
    case .day(let day): day <= lastDay
    case .instant(let instant): instant <= expiresAt
    }
  }

  /// Whether the deadline has expired at `now`.
  public func hasExpired(at now: Date) -> Bool { now > expiresAt }
}
