import CanonicalJSON
public import CaseModel
import EventCoding
import Foundation
import GRDB
import WorkingDays

/// The case snapshot stored in the projection row, so that a command loads its case without
/// decoding the case's history (`DisputeCase.snapshot()`, canonical JSON written by hand).
enum Snapshot {
  static func encode(_ dispute: DisputeCase) -> Data { Data(dispute.snapshot()) }

  static func decode(_ data: Data) throws -> DisputeCase {
    try data.withUnsafeBytes { raw in try DisputeCase(snapshot: raw.bindMemory(to: UInt8.self)) }
  }
}

extension EventStore {
  /// The shop register's key: the country and registration number when known, otherwise the
  /// country and the trade name folded to lower-case letters and digits, so that spellings of
  /// one shop meet (`domain.md` §6.9).
  public static func shopKey(_ shop: ShopIdentity) -> String {
    if let number = shop.registrationNumber?.filter({ $0.isNumber }), !number.isEmpty {
      return "\(shop.country.rawValue):\(number)"
    }
    let folded = shop.tradeName.lowercased().filter { $0.isLetter || $0.isNumber }
    return "\(shop.country.rawValue):\(folded)"
  }

  /// Writes a case's projection rows: its summary (with the snapshot, unless `snapshot` is
  /// false, as in bulk replay where the case was decoded without explanations), its deadlines,
  /// and its shop in the register. Runs inside the caller's transaction.
  ///
  /// With `previous` (the case before the command), the deadline rows are rewritten only when
  /// the deadlines changed, and the shop register is left alone.
  static func project(
    _ db: Database, _ dispute: DisputeCase, lastPosition: Int, snapshot: Bool = true,
    previous: DisputeCase? = nil
  ) throws {
    let opening = dispute.opening
    let shopKey = shopKey(opening.shop)
    let next = dispute.openDeadlines.first
    let summary = try db.cachedStatement(
      sql: """
        INSERT INTO case_summary (case_id, reference, scheme, workflow_version, state, phase, closed,
          shop_key, shop_name, shop_country, consumer_country, consumer_id, subject, amount_cents, received_at,
          last_step_at, version, last_position, next_deadline_kind, next_deadline_expires_at, snapshot)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(case_id) DO UPDATE SET state = excluded.state, phase = excluded.phase,
          closed = excluded.closed, last_step_at = excluded.last_step_at, version = excluded.version,
          last_position = excluded.last_position, next_deadline_kind = excluded.next_deadline_kind,
          next_deadline_expires_at = excluded.next_deadline_expires_at, snapshot = excluded.snapshot
        """)
    try summary.execute(arguments: [
      opening.caseID.rawValue, opening.reference.description, opening.scheme,
      opening.workflowVersion,
      dispute.state.kind.rawValue, dispute.state.kind.phase, dispute.isClosed, shopKey,
      opening.shop.tradeName,
      opening.shop.country.rawValue, opening.consumerCountry.rawValue, opening.consumerID,
      opening.subject,
      opening.amount?.cents, EventCodec.text(dispute.receivedAt),
      EventCodec.text(dispute.lastStepAt),
      dispute.version, lastPosition, next?.kind.rawValue,
      next.map { Instants.iso8601($0.expiresAt) },
      snapshot ? Snapshot.encode(dispute) : nil,
    ])
    if let previous, previous.deadlines == dispute.deadlines { return }
    try db.cachedStatement(sql: "DELETE FROM deadline WHERE case_id = ?")
      .execute(arguments: [opening.caseID.rawValue])
    let deadline = try db.cachedStatement(
      sql: """
        INSERT INTO deadline (case_id, seq, kind, party, last_day, expires_at, status, marked_missed,
          opened_by_version)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for (seq, tracked) in dispute.deadlines.enumerated() {
      try deadline.execute(arguments: [
        opening.caseID.rawValue, seq, tracked.kind.rawValue, tracked.opened.party.rawValue,
        tracked.lastDay.description, Instants.iso8601(tracked.expiresAt), tracked.status.rawValue,
        tracked.markedMissed, tracked.openedByVersion,
      ])
    }
    guard previous == nil else { return }
    let shop = try db.cachedStatement(
      sql: """
        INSERT INTO shop (key, trade_name, country, registration_number, website) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(key) DO NOTHING
        """)
    try shop.execute(arguments: [
      shopKey, opening.shop.tradeName, opening.shop.country.rawValue,
      opening.shop.registrationNumber,
      opening.shop.website,
    ])
  }
}
