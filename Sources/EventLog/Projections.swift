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
///
/// A bulk replay ``add(_:)``s the cases it has finished with: fresh ones are queued and written
/// several at a time, in multi-row inserts, and ``flush()`` writes what is left. Each run of a
/// statement costs SQLite about 3,000 instructions of its own, whatever it inserts (this
/// build of SQLite has no lookaside memory, so the statement's cursors and record buffers are
/// allocated and freed with `malloc` every time), which was about a tenth of the writing
/// thread's work with two statements per case.
struct ProjectionWriter {
  private let summary: RawStatement
  private let clearDeadlines: RawStatement
  /// Inserts of 1 to ``casesPerInsert`` fresh summary rows at once, prepared when first needed.
  private var summaryInserts: [RawStatement?]
  /// Inserts of 1 to ``deadlinesPerInsert`` deadline rows at once, prepared when first needed.
  private var deadlineInserts: [RawStatement?]
  private let shop: RawStatement
  private let db: Database
  private static let casesPerInsert = 16
  private static let deadlinesPerInsert = 64
  /// The summary's columns, in the order of the inserts' parameters.
  private static let summaryColumns = """
    case_id, reference, scheme, workflow_version, state, phase, closed, shop_key, shop_name, \
    shop_country, consumer_country, consumer_id, subject, amount_cents, received_at, \
    last_step_at, version, last_position, next_deadline_kind, next_deadline_expires_at, snapshot
    """
  private static let summaryParameters: Int32 = 21
  /// The upsert of one summary row (made once: a command's writer prepares it every time, and
  /// GRDB's statement cache finds it by its text).
  private static let summaryUpsert = """
    INSERT OR FAIL INTO case_summary (\(summaryColumns))
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(case_id) DO UPDATE SET state = excluded.state, phase = excluded.phase,
      closed = excluded.closed, last_step_at = excluded.last_step_at, version = excluded.version,
      last_position = excluded.last_position, next_deadline_kind = excluded.next_deadline_kind,
      next_deadline_expires_at = excluded.next_deadline_expires_at, snapshot = excluded.snapshot
    """
  /// Shops this writer has registered, so that each is inserted once.
  private var registeredShops: Set<String> = []
  /// The text values of the row being written.
  private var texts = TextArena()
  /// Fresh cases queued by ``add(_:)``, not yet written.
  private var queued: [FoldedCase] = []
  /// The deadline lists of the cases being written (kept to reuse its storage).
  private var deadlineLists: [(caseID: String, deadlines: [CaseProjection.Deadline])] = []

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
    summary = try RawStatement(db, Self.summaryUpsert)
    clearDeadlines = try RawStatement(db, "DELETE FROM deadline WHERE case_id = ?")
    summaryInserts = Array(repeating: nil, count: Self.casesPerInsert + 1)
    deadlineInserts = Array(repeating: nil, count: Self.deadlinesPerInsert + 1)
    self.db = db
    shop = try RawStatement(
      db,
      """
      INSERT OR FAIL INTO shop (key, trade_name, country, registration_number, website)
      VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(key) DO NOTHING
      """)
  }

  /// Writes a case that a bulk replay has finished with: a fresh one (no rows yet) is queued,
  /// and written with others once ``casesPerInsert`` are; any other is written at once, after
  /// those queued.
  mutating func add(_ folded: FoldedCase) throws {
    guard folded.fresh else {
      try write(folded.projection, lastPosition: folded.lastPosition, snapshot: nil, fresh: false)
      return
    }
    queued.append(folded)
    if queued.count == Self.casesPerInsert { try flush() }
  }

  /// Writes the cases ``add(_:)`` has queued: their summaries in one insert, their deadlines
  /// in as few as ``deadlinesPerInsert`` rows allow, and their shops.
  mutating func flush() throws {
    guard !queued.isEmpty else { return }
    let insert = try summaryInsert(rows: queued.count)
    var shopKeys: [String] = []
    shopKeys.reserveCapacity(queued.count)
    deadlineLists.removeAll(keepingCapacity: true)
    for (row, folded) in queued.enumerated() {
      let shopKey = EventStore.shopKey(folded.projection.opening.shop)
      bindSummary(
        insert, base: Int32(row) * Self.summaryParameters, folded.projection, shopKey: shopKey,
        lastPosition: folded.lastPosition, snapshot: nil)
      shopKeys.append(shopKey)
      deadlineLists.append(
        (folded.projection.opening.caseID.rawValue, folded.projection.deadlines))
    }
    try insert.execute(texts: &texts)
    var lists = deadlineLists
    deadlineLists = []
    try insertDeadlines(lists)
    lists.removeAll(keepingCapacity: true)
    deadlineLists = lists
    for (folded, key) in zip(queued, shopKeys) { try register(folded.projection.opening.shop, key) }
    queued.removeAll(keepingCapacity: true)
  }

  /// Writes a case's rows: its summary (with `snapshot`, if any; a bulk replay writes none),
  /// its deadlines (when `deadlinesChanged`), and its shop in the register (when
  /// `registerShop`, and this writer has not registered it yet). `fresh` says that the case
  /// has no rows yet, so there are no old deadline rows to delete. Cases queued by ``add(_:)``
  /// are written first.
  mutating func write(
    _ projection: CaseProjection, lastPosition: Int, snapshot: UnsafeRawBufferPointer?,
    deadlinesChanged: Bool = true, registerShop: Bool = true, fresh: Bool
  ) throws {
    try flush()
    let shopKey = EventStore.shopKey(projection.opening.shop)
    bindSummary(
      summary, base: 0, projection, shopKey: shopKey, lastPosition: lastPosition,
      snapshot: snapshot)
    try summary.execute(texts: &texts)
    if deadlinesChanged {
      let caseID = projection.opening.caseID.rawValue
      if !fresh {
        clearDeadlines.bind(1, caseID)
        try clearDeadlines.execute()
      }
      try insertDeadlines([(caseID, projection.deadlines)])
    }
    if registerShop { try register(projection.opening.shop, shopKey) }
  }

  /// Binds a summary row's values to `statement`'s parameters from `base + 1` on.
  private mutating func bindSummary(
    _ statement: RawStatement, base: Int32, _ projection: CaseProjection, shopKey: String,
    lastPosition: Int, snapshot: UnsafeRawBufferPointer?
  ) {
    let opening = projection.opening
    let deadlines = projection.deadlines
    let next = projection.nextDeadlineIndex
    text(statement, base + 1, opening.caseID.rawValue)
    formatted(
      base + 2, { opening.reference.write(into: $0) },
      fallback: { opening.reference.description })
    text(statement, base + 3, opening.scheme)
    text(statement, base + 4, opening.workflowVersion)
    text(statement, base + 5, projection.state.rawValue)
    text(statement, base + 6, projection.state.phase)
    statement.bind(base + 7, projection.state.isClosed)
    text(statement, base + 8, shopKey)
    text(statement, base + 9, opening.shop.tradeName)
    text(statement, base + 10, opening.shop.country.rawValue)
    text(statement, base + 11, opening.consumerCountry.rawValue)
    text(statement, base + 12, opening.consumerID)
    text(statement, base + 13, opening.subject)
    statement.bind(base + 14, opening.amount?.cents)
    occurrence(base + 15, projection.receivedAt)
    occurrence(base + 16, projection.lastStepAt)
    statement.bind(base + 17, projection.version)
    statement.bind(base + 18, lastPosition)
    text(statement, base + 19, next.map { deadlines[$0].opened.kind.rawValue })
    if let next {
      instant(base + 20, deadlines[next].expiresAt)
    } else {
      statement.bindNull(base + 20)
    }
    if let snapshot {
      texts.add(base + 21, blob: snapshot)
    } else {
      statement.bindNull(base + 21)
    }
  }

  /// Inserts the deadline rows of these cases, up to ``deadlinesPerInsert`` rows a statement.
  private mutating func insertDeadlines(
    _ lists: [(caseID: String, deadlines: [CaseProjection.Deadline])]
  ) throws {
    var remaining = lists.reduce(0) { $0 + $1.deadlines.count }
    var (list, seq) = (0, 0)
    while remaining > 0 {
      let rows = min(remaining, Self.deadlinesPerInsert)
      let insert = try deadlineInsert(rows: rows)
      for row in 0..<rows {
        while seq == lists[list].deadlines.count { (list, seq) = (list + 1, 0) }
        let deadline = lists[list].deadlines[seq]
        let base = Int32(row * 9)
        text(insert, base + 1, lists[list].caseID)
        insert.bind(base + 2, seq)
        text(insert, base + 3, deadline.opened.kind.rawValue)
        text(insert, base + 4, deadline.opened.party.rawValue)
        day(base + 5, deadline.lastDay)
        instant(base + 6, deadline.expiresAt)
        text(insert, base + 7, deadline.status.rawValue)
        insert.bind(base + 8, deadline.markedMissed)
        insert.bind(base + 9, deadline.openedByVersion)
        seq += 1
      }
      try insert.execute(texts: &texts)
      remaining -= rows
    }
  }

  /// Registers a shop, unless this writer has already.
  private mutating func register(_ identity: ShopIdentity, _ key: String) throws {
    guard registeredShops.insert(key).inserted else { return }
    text(shop, 1, key)
    text(shop, 2, identity.tradeName)
    text(shop, 3, identity.country.rawValue)
    text(shop, 4, identity.registrationNumber)
    text(shop, 5, identity.website)
    try shop.execute(texts: &texts)
  }

  // MARK: - Values

  private mutating func text(_ statement: RawStatement, _ index: Int32, _ value: String?) {
    if let value { texts.add(index, value) } else { statement.bindNull(index) }
  }

  /// Dates, instants and the reference are written straight into the arena, without a
  /// `String` each (`fallback` makes one for what `write` declines, such as a fifth digit of a
  /// year).
  private mutating func formatted(
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

  private mutating func instant(_ index: Int32, _ value: Date) {
    formatted(
      index, { Instants.writeISO8601(value, into: $0) }, fallback: { Instants.iso8601(value) })
  }

  private mutating func day(_ index: Int32, _ value: CivilDate) {
    formatted(index, { value.write(into: $0) }, fallback: { value.description })
  }

  private mutating func occurrence(_ index: Int32, _ value: Occurrence) {
    switch value {
    case .day(let date): day(index, date)
    case .instant(let moment): instant(index, moment)
    }
  }

  // MARK: - Statements

  /// The statement inserting `rows` fresh summary rows.
  private mutating func summaryInsert(rows: Int) throws -> RawStatement {
    if let prepared = summaryInserts[rows] { return prepared }
    let tuple =
      "(" + repeatElement("?", count: Int(Self.summaryParameters)).joined(separator: ", ") + ")"
    let statement = try RawStatement(
      db,
      """
      INSERT OR FAIL INTO case_summary (\(Self.summaryColumns))
      VALUES \(repeatElement(tuple, count: rows).joined(separator: ", "))
      """)
    summaryInserts[rows] = statement
    return statement
  }

  /// The statement inserting `rows` deadline rows.
  private mutating func deadlineInsert(rows: Int) throws -> RawStatement {
    if let prepared = deadlineInserts[rows] { return prepared }
    let tuples = repeatElement("(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    let statement = try RawStatement(
      db,
      """
      INSERT OR FAIL INTO deadline (case_id, seq, kind, party, last_day, expires_at, status,
        marked_missed, opened_by_version)
      VALUES \(tuples)
      """)
    deadlineInserts[rows] = statement
    return statement
  }
}
