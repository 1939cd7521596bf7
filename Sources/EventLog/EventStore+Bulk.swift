public import CaseModel
public import Foundation
import GRDB

extension EventStore {
  /// A whole case to append in bulk: its events (the first opens it) and its person.
  public struct CaseBatch: Sendable {
    /// The case's events, in order.
    public var events: [CaseEvent]
    /// The consumer's personal data, if any.
    public var person: PersonRecord?

    /// Creates a batch.
    public init(events: [CaseEvent], person: PersonRecord? = nil) {
      self.events = events
      self.person = person
    }
  }

  /// Appends whole new cases in one transaction, with their hash-chain links and projections:
  /// for loading demo data, generated logs and benchmarks. Each case's events are checked by
  /// replaying them; a case whose id or reference is already in the log, or whose events do
  /// not fit, refuses the whole batch.
  ///
  /// - Returns: The number of events appended.
  @discardableResult
  public func appendCases(_ cases: [CaseBatch], actor: String, recordedAt: Date)
    throws(EventLogError) -> Int
  {
    do {
      return try writer.write { db in
        var appended = 0
        for batch in cases {
          guard let first = batch.events.first else { continue }
          var dispute = try DisputeCase(opening: first)
          let clash = try String.fetchOne(
            db, sql: "SELECT reference FROM case_summary WHERE case_id = ? OR reference = ?",
            arguments: [dispute.id.rawValue, dispute.reference.description])
          if let clash {
            throw EventLogError.importRefused(
              "case \(clash) is already in the log; nothing was appended")
          }
          for event in batch.events.dropFirst() { try dispute.apply(event) }
          let records = try Self.append(
            db, caseID: dispute.id, firstVersion: 1, events: batch.events,
            commandID: "bulk:\(dispute.id)",
            actor: actor, recordedAt: recordedAt)
          if let person = batch.person { try person.save(db) }
          try Self.project(db, dispute, lastPosition: records.last!.position)
          appended += records.count
        }
        return appended
      }
    } catch {
      throw Self.translate(error, context: "bulk append")
    }
  }
}
