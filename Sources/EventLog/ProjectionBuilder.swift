import CaseModel
import GRDB

/// Builds the projections from events in position order (a rebuild or an import), with memory
/// bounded by the number of open cases plus a fixed number of recently closed ones.
///
/// Events are decoded without their deadlines' explanations, which projections do not show,
/// and the case snapshots are left empty (a cache that the next command on a case refills), so
/// a replay touches only what the read tables hold.
///
/// A closed case stays in memory for a while, because notes and corrections often follow the
/// closing step; once more than ``recentlyClosedCapacity`` cases have closed since, it is
/// written out and dropped, and read back from its row should yet another event arrive.
struct ProjectionBuilder {
  static let recentlyClosedCapacity = 4096

  private var cases: [String: (dispute: DisputeCase, position: Int)] = [:]
  private var closedQueue: [String] = []
  private var closedHead = 0
  private var queued: Set<String> = []

  /// Applies one event.
  mutating func add(_ db: Database, position: Int, caseID: String, event: CaseEvent) throws {
    var entry: (dispute: DisputeCase, position: Int)
    do {
      if let existing = cases.removeValue(forKey: caseID) {
        entry = existing
        try entry.dispute.apply(event)
      } else if case .opened = event.change {
        entry = (try DisputeCase(opening: event), position)
      } else {
        // A case written out earlier: replay it without explanations, as the builder does.
        var dispute = try EventStore.replayCase(db, CaseID(caseID), explanations: false)
        try dispute.apply(event)
        entry = (dispute, position)
      }
    } catch let error as CaseError {
      throw EventLogError.corruptEvent(position: position, message: error.description)
    }
    entry.position = position
    let closed = entry.dispute.isClosed
    cases[caseID] = entry
    if closed, queued.insert(caseID).inserted {
      closedQueue.append(caseID)
      if closedQueue.count - closedHead > Self.recentlyClosedCapacity {
        let oldest = closedQueue[closedHead]
        closedHead += 1
        queued.remove(oldest)
        if let evicted = cases.removeValue(forKey: oldest) {
          try EventStore.project(
            db, evicted.dispute, lastPosition: evicted.position, snapshot: false)
        }
        if closedHead > 65_536 {
          closedQueue.removeFirst(closedHead)
          closedHead = 0
        }
      }
    }
  }

  /// Writes out every case still in memory.
  mutating func finish(_ db: Database) throws {
    for entry in cases.values {
      try EventStore.project(db, entry.dispute, lastPosition: entry.position, snapshot: false)
    }
    cases.removeAll()
    closedQueue.removeAll()
    closedHead = 0
    queued.removeAll()
  }
}

extension EventStore {
  /// Runs bulk work with a larger page cache on the writer connection (64 MB, bounded), then
  /// restores the default.
  static func withBulkCache<T>(_ db: Database, _ body: () throws -> T) throws -> T {
    let previous = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
    try db.execute(sql: "PRAGMA cache_size = -65536")
    defer { try? db.execute(sql: "PRAGMA cache_size = \(previous)") }
    return try body()
  }
}
