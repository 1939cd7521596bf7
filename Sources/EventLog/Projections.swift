import CanonicalJSON
public import CaseModel
import EventCoding
import Foundation
import GRDB
import WorkingDays

/// The case snapshot stored in the projection row, so that a command loads its case without
/// decoding the case's history (`DisputeCase.snapshot()`, canonical JSON written by hand).
enum Snapshot {
  static func decode(_ data: Data) throws -> DisputeCase {
    try data.withUnsafeBytes { raw in try DisputeCase(snapshot: raw.bindMemory(to: UInt8.self)) }
  }
}

extension EventStore {
  /// The shop register's key: the country and registration number when known, otherwise the
  /// country and the trade name folded to lower-case letters and digits, so that spellings of
  /// one shop meet (`domain.md` §6.9).
  public static func shopKey(_ shop: ShopIdentity) -> String {
    if let key = asciiShopKey(shop) { return key }
    if let number = shop.registrationNumber?.filter({ $0.isNumber }), !number.isEmpty {
      return "\(shop.country.rawValue):\(number)"
    }
    let folded = shop.tradeName.lowercased().filter { $0.isLetter || $0.isNumber }
    return "\(shop.country.rawValue):\(folded)"
  }

  /// ``shopKey(_:)`` for a shop whose number and name are ASCII (most are), from their bytes in
  /// one pass: for ASCII, letters and digits are exactly what `Character.isLetter` and
  /// `isNumber` accept. `nil` for anything else.
  private static func asciiShopKey(_ shop: ShopIdentity) -> String? {
    func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    // The country, a colon, and the bytes of `source` that `keep` keeps, lower-cased, with
    // whether any was kept; `nil` when `source` is not ASCII.
    func key(_ source: String, keep: (UInt8) -> Bool) -> (key: String, kept: Bool)? {
      var (country, source) = (shop.country.rawValue, source)
      return country.withUTF8 { prefix in
        source.withUTF8 { bytes -> (key: String, kept: Bool)? in
          var ascii = true
          let key = String(unsafeUninitializedCapacity: prefix.count + 1 + bytes.count) { out in
            _ = out.initialize(from: prefix)
            out[prefix.count] = UInt8(ascii: ":")
            var count = prefix.count + 1
            for byte in bytes {
              guard byte < 0x80 else {
                ascii = false
                return 0
              }
              let lower = byte &- 0x41 < 26 ? byte | 0x20 : byte
              if keep(lower) {
                out[count] = lower
                count += 1
              }
            }
            return count
          }
          return ascii ? (key, key.utf8.count > prefix.count + 1) : nil
        }
      }
    }
    if let number = shop.registrationNumber {
      guard let digits = key(number, keep: isDigit) else { return nil }
      if digits.kept { return digits.key }
    }
    return key(shop.tradeName, keep: { isDigit($0) || $0 &- 0x61 < 26 })?.key
  }

  /// Writes a case's projection rows after a command: its summary with the snapshot, its
  /// deadlines, and its shop in the register. Runs inside the caller's transaction.
  ///
  /// With `previous` (the case before the command), the deadline rows are rewritten only when
  /// the deadlines changed, and the shop register is left alone.
  static func project(
    _ db: Database, _ dispute: DisputeCase, lastPosition: Int, previous: DisputeCase? = nil
  ) throws {
    let snapshot = dispute.snapshot()
    var writer = try ProjectionWriter(db)
    try snapshot.withUnsafeBytes { snapshot in
      try writer.write(
        CaseProjection(dispute), lastPosition: lastPosition, snapshot: snapshot,
        deadlinesChanged: previous.map { $0.deadlines != dispute.deadlines } ?? true,
        registerShop: previous == nil, fresh: false)
    }
  }
}

/// Writes cases' projection rows (summary, deadlines, shop register) through statements
/// prepared once and bound through SQLite's C interface: a bulk replay writes hundreds of
/// thousands of these rows, one writer for all of them.
struct ProjectionWriter {
  private let summary: RawStatement
  private let clearDeadlines: RawStatement
  /// Inserts of 1 to ``maximumRowsPerInsert`` deadline rows at once, prepared when first needed:
  /// one statement per case rather than one per deadline.
  private var deadlineInserts: [RawStatement?]
  private let shop: RawStatement
  private let db: Database
  private static let maximumRowsPerInsert = 16
  /// Shops this writer has registered, so that each is inserted once.
  private var registeredShops: Set<String> = []
  /// The text values of the row being written.
  private var texts = TextArena()

  /// A writer on `db`, for use inside the caller's transaction.
  ///
  /// The inserts say `OR FAIL` rather than SQLite's default `OR ABORT`. A statement that may
  /// abort after changing some rows (a multi-row insert, an upsert) otherwise copies every page
  /// it touches into a statement journal first, to undo just that statement; once a large
  /// statement has pushed that journal out of memory (emptying the tables does), it is a
  /// temporary file, and a rebuild of the million-event log wrote 180 MB to it in 92,000
  /// system calls. Nothing needs undoing one statement at a time here: an error ends the
  /// whole transaction, which is rolled back.
  init(_ db: Database) throws {
    summary = try RawStatement(
      db,
      """
      INSERT OR FAIL INTO case_summary (case_id, reference, scheme, workflow_version, state, phase, closed,
        shop_key, shop_name, shop_country, consumer_country, consumer_id, subject, amount_cents, received_at,
        last_step_at, version, last_position, next_deadline_kind, next_deadline_expires_at, snapshot)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(case_id) DO UPDATE SET state = excluded.state, phase = excluded.phase,
        closed = excluded.closed, last_step_at = excluded.last_step_at, version = excluded.version,
        last_position = excluded.last_position, next_deadline_kind = excluded.next_deadline_kind,
        next_deadline_expires_at = excluded.next_deadline_expires_at, snapshot = excluded.snapshot
      """)
    clearDeadlines = try RawStatement(db, "DELETE FROM deadline WHERE case_id = ?")
    deadlineInserts = Array(repeating: nil, count: Self.maximumRowsPerInsert + 1)
    self.db = db
    shop = try RawStatement(
      db,
      """
      INSERT INTO shop (key, trade_name, country, registration_number, website) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(key) DO NOTHING
      """)
  }

  /// Writes a case's rows: its summary (with `snapshot`, if any; a bulk replay writes none),
  /// its deadlines (when `deadlinesChanged`), and its shop in the register (when
  /// `registerShop`, and this writer has not registered it yet). `fresh` says that the case
  /// has no rows yet (a bulk replay writing each case once), so there are no old deadline rows
  /// to delete.
  mutating func write(
    _ projection: CaseProjection, lastPosition: Int, snapshot: UnsafeRawBufferPointer?,
    deadlinesChanged: Bool = true, registerShop: Bool = true, fresh: Bool
  ) throws {
    let opening = projection.opening
    let shopKey = EventStore.shopKey(opening.shop)
    let deadlines = projection.deadlines
    let next = projection.nextDeadlineIndex
    let caseID = opening.caseID.rawValue
    func text(_ statement: RawStatement, _ index: Int32, _ value: String?) {
      if let value { texts.add(index, value) } else { statement.bindNull(index) }
    }
    // Dates, instants and the reference are written straight into the arena, without a
    // `String` each (`fallback` makes one for what `write` declines, such as a fifth digit of
    // a year).
    func formatted(
      _ index: Int32, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Int?,
      fallback: () -> String
    ) {
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
        if let count = write(buffer) {
          texts.add(index, utf8: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
        } else {
          texts.add(index, fallback())
        }
      }
    }
    func instant(_ index: Int32, _ value: Date) {
      formatted(
        index, { Instants.writeISO8601(value, into: $0) }, fallback: { Instants.iso8601(value) })
    }
    func day(_ index: Int32, _ value: CivilDate) {
      formatted(index, { value.write(into: $0) }, fallback: { value.description })
    }
    func occurrence(_ index: Int32, _ value: Occurrence) {
      switch value {
      case .day(let date): day(index, date)
      case .instant(let moment): instant(index, moment)
      }
    }
    text(summary, 1, caseID)
    formatted(
      2, { opening.reference.write(into: $0) }, fallback: { opening.reference.description })
    text(summary, 3, opening.scheme)
    text(summary, 4, opening.workflowVersion)
    text(summary, 5, projection.state.rawValue)
    text(summary, 6, projection.state.phase)
    summary.bind(7, projection.state.isClosed)
    text(summary, 8, shopKey)
    text(summary, 9, opening.shop.tradeName)
    text(summary, 10, opening.shop.country.rawValue)
    text(summary, 11, opening.consumerCountry.rawValue)
    text(summary, 12, opening.consumerID)
    text(summary, 13, opening.subject)
    summary.bind(14, opening.amount?.cents)
    occurrence(15, projection.receivedAt)
    occurrence(16, projection.lastStepAt)
    summary.bind(17, projection.version)
    summary.bind(18, lastPosition)
    text(summary, 19, next.map { deadlines[$0].opened.kind.rawValue })
    if let next { instant(20, deadlines[next].expiresAt) } else { summary.bindNull(20) }
    if let snapshot { summary.bindBlob(21, snapshot) } else { summary.bindNull(21) }
    try summary.execute(texts: &texts)
    if deadlinesChanged {
      if !fresh {
        clearDeadlines.bind(1, caseID)
        try clearDeadlines.execute()
      }
      var first = 0
      while first < deadlines.count {
        let rows = min(deadlines.count - first, Self.maximumRowsPerInsert)
        let insert = try deadlineInsert(rows: rows)
        for row in 0..<rows {
          let seq = first + row
          let base = Int32(row * 9)
          text(insert, base + 1, caseID)
          insert.bind(base + 2, seq)
          text(insert, base + 3, deadlines[seq].opened.kind.rawValue)
          text(insert, base + 4, deadlines[seq].opened.party.rawValue)
          day(base + 5, deadlines[seq].lastDay)
          instant(base + 6, deadlines[seq].expiresAt)
          text(insert, base + 7, deadlines[seq].status.rawValue)
          insert.bind(base + 8, deadlines[seq].markedMissed)
          insert.bind(base + 9, deadlines[seq].openedByVersion)
        }
        try insert.execute(texts: &texts)
        first += rows
      }
    }
    guard registerShop, registeredShops.insert(shopKey).inserted else { return }
    text(shop, 1, shopKey)
    text(shop, 2, opening.shop.tradeName)
    text(shop, 3, opening.shop.country.rawValue)
    text(shop, 4, opening.shop.registrationNumber)
    text(shop, 5, opening.shop.website)
    try shop.execute(texts: &texts)
  }

  /// The statement inserting `rows` deadline rows.
  private mutating func deadlineInsert(rows: Int) throws -> RawStatement {
    if let prepared = deadlineInserts[rows] { return prepared }
    let tuples = repeatElement("(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    let statement = try RawStatement(
      db,
      """
      INSERT OR FAIL INTO deadline (case_id, seq, kind, party, last_day, expires_at, status, marked_missed,
        opened_by_version)
      VALUES \(tuples)
      """)
    deadlineInserts[rows] = statement
    return statement
  }
}
