public import CaseModel
public import Foundation
import GRDB
import WorkingDays

/// A case as listed: its projection row without the snapshot.
public struct CaseSummary: Sendable, Hashable, Codable {
  /// The case's id.
  public var caseID: String
  /// Its readable reference.
  public var reference: String
  /// Its scheme.
  public var scheme: String
  /// The workflow version it was opened under.
  public var workflowVersion: String
  /// Its state.
  public var state: String
  /// The state's phase: direct, filing, mediation, committee or closed.
  public var phase: String
  /// Whether it is closed.
  public var closed: Bool
  /// The shop's register key.
  public var shopKey: String
  /// The shop's trade name.
  public var shopName: String
  /// The shop's country.
  public var shopCountry: String
  /// The consumer's country.
  public var consumerCountry: String
  /// The complaint subject.
  public var subject: String
  /// The amount in dispute in cents.
  public var amountCents: Int?
  /// When the shop received the complaint.
  public var receivedAt: String
  /// When the latest step occurred.
  public var lastStepAt: String
  /// The case's version.
  public var version: Int
  /// The soonest open deadline, if any.
  public var nextDeadline: String?
  /// When it expires, in UTC.
  public var nextDeadlineExpiresAt: String?

  init(row: Row) {
    caseID = row["case_id"]
    reference = row["reference"]
    scheme = row["scheme"]
    workflowVersion = row["workflow_version"]
    state = row["state"]
    phase = row["phase"]
    closed = row["closed"]
    shopKey = row["shop_key"]
    shopName = row["shop_name"]
    shopCountry = row["shop_country"]
    consumerCountry = row["consumer_country"]
    subject = row["subject"]
    amountCents = row["amount_cents"]
    receivedAt = row["received_at"]
    lastStepAt = row["last_step_at"]
    version = row["version"]
    nextDeadline = row["next_deadline_kind"]
    nextDeadlineExpiresAt = row["next_deadline_expires_at"]
  }
}

/// Which cases to list.
public struct CaseQuery: Sendable, Hashable {
  /// Only cases in this state.
  public var state: StateKind?
  /// Only cases of this scheme.
  public var scheme: String?
  /// Only cases whose shop's trade name contains this text (case-insensitive) or whose shop key
  /// is this.
  public var shop: String?
  /// Only open (`true`) or closed (`false`) cases.
  public var open: Bool?
  /// Only cases with an open deadline that expired before this instant.
  public var overdueAt: Date?
  /// Only cases with an open deadline expiring before this instant.
  public var dueBefore: Date?
  /// At most this many, oldest receipt first.
  public var limit: Int

  /// Creates a query; with no arguments, every case (up to `limit`).
  public init(
    state: StateKind? = nil, scheme: String? = nil, shop: String? = nil, open: Bool? = nil,
    overdueAt: Date? = nil,
    dueBefore: Date? = nil, limit: Int = 1000
  ) {
    self.state = state
    self.scheme = scheme
    self.shop = shop
    self.open = open
    self.overdueAt = overdueAt
    self.dueBefore = dueBefore
    self.limit = limit
  }
}

/// An open deadline as listed.
public struct DeadlineSummary: Sendable, Hashable, Codable {
  /// The case's id.
  public var caseID: String
  /// The case's reference.
  public var reference: String
  /// The deadline.
  public var kind: String
  /// Who must act.
  public var party: String
  /// The last day.
  public var lastDay: String
  /// When it expires, in UTC.
  public var expiresAt: String
  /// Whether a sweep recorded that it passed.
  public var markedMissed: Bool
}

extension EventStore {
  /// Lists cases from the projection, using its indexes.
  public func cases(_ query: CaseQuery) throws(EventLogError) -> [CaseSummary] {
    var conditions: [String] = []
    var arguments: StatementArguments = []
    if let state = query.state {
      conditions.append("c.state = ?")
      _ = arguments.append(contentsOf: [state.rawValue])
    }
    if let scheme = query.scheme {
      conditions.append("c.scheme = ?")
      _ = arguments.append(contentsOf: [scheme.lowercased()])
    }
    if let shop = query.shop {
      conditions.append("(c.shop_key = ? OR c.shop_name LIKE ? ESCAPE '\\')")
      let escaped = shop.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
        of: "%", with: "\\%"
      )
      .replacingOccurrences(of: "_", with: "\\_")
      _ = arguments.append(contentsOf: [shop, "%\(escaped)%"])
    }
    if let open = query.open {
      conditions.append("c.closed = ?")
      _ = arguments.append(contentsOf: [!open])
    }
    if let overdue = query.overdueAt {
      conditions.append(
        "EXISTS (SELECT 1 FROM deadline d WHERE d.case_id = c.case_id AND d.status = 'open' AND d.expires_at < ?)"
      )
      _ = arguments.append(contentsOf: [Instants.iso8601(overdue)])
    }
    if let due = query.dueBefore {
      conditions.append(
        "EXISTS (SELECT 1 FROM deadline d WHERE d.case_id = c.case_id AND d.status = 'open' AND d.expires_at < ?)"
      )
      _ = arguments.append(contentsOf: [Instants.iso8601(due)])
    }
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    _ = arguments.append(contentsOf: [query.limit])
    let sql = """
      SELECT case_id, reference, scheme, workflow_version, state, phase, closed, shop_key, shop_name, shop_country,
        consumer_country, subject, amount_cents, received_at, last_step_at, version, next_deadline_kind,
        next_deadline_expires_at
      FROM case_summary c \(filter) ORDER BY c.received_at, c.reference LIMIT ?
      """
    do {
      return try writer.read { db in
        try Row.fetchAll(db, sql: sql, arguments: arguments).map(CaseSummary.init(row:))
      }
    } catch {
      throw Self.translate(error, context: "listing cases")
    }
  }

  /// Open deadlines expiring before `before` (and not before `notBefore`, when given), soonest
  /// first: "what is due before X" and, with `before` = now, "what is overdue".
  public func openDeadlines(
    expiringBefore before: Date, notBefore: Date? = nil, limit: Int = 10_000
  )
    throws(EventLogError) -> [DeadlineSummary]
  {
    var sql = """
      SELECT d.case_id, c.reference, d.kind, d.party, d.last_day, d.expires_at, d.marked_missed
      FROM deadline d JOIN case_summary c ON c.case_id = d.case_id
      WHERE d.status = 'open' AND d.expires_at < ?
      """
    var arguments: StatementArguments = [Instants.iso8601(before)]
    if let notBefore {
      sql += " AND d.expires_at >= ?"
      _ = arguments.append(contentsOf: [Instants.iso8601(notBefore)])
    }
    sql += " ORDER BY d.expires_at, c.reference LIMIT ?"
    _ = arguments.append(contentsOf: [limit])
    do {
      return try writer.read { db in
        try Row.fetchAll(db, sql: sql, arguments: arguments).map {
          DeadlineSummary(
            caseID: $0["case_id"], reference: $0["reference"], kind: $0["kind"], party: $0["party"],
            lastDay: $0["last_day"], expiresAt: $0["expires_at"], markedMissed: $0["marked_missed"])
        }
      }
    } catch {
      throw Self.translate(error, context: "listing deadlines")
    }
  }

  /// The personal data kept for a person, if any.
  public func person(_ id: String) throws(EventLogError) -> PersonRecord? {
    do {
      return try writer.read { db in try PersonRecord.fetch(db, id: id) }
    } catch {
      throw Self.translate(error, context: "person \(id)")
    }
  }

  /// The number of events and cases.
  public func counts() throws(EventLogError) -> (events: Int, cases: Int) {
    do {
      return try writer.read { db in
        (
          try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0,
          try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_summary") ?? 0
        )
      }
    } catch {
      throw Self.translate(error, context: "counting")
    }
  }
}
