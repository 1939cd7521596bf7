import CaseModel
import EventCoding
import GRDB

/// A case that a bulk replay folds, and hands over once finished with, ready for its projection
/// rows.
///
/// A class: applying an event mutates it in place, with one dictionary lookup and no copy, and
/// handing it to the writing thread moves a reference. Once handed over, the folding thread no
/// longer touches it, and the one thread that then has it lets it go: the fields of a case are
/// a dozen strings and arrays, and releasing them one by one on the folding thread cost it a
/// twentieth of its time.
final class FoldedCase {
  // One thread at a time uses a case: the runtime's exclusivity check on every access (a tenth
  // of the fold's own cost) guards nothing here.
  /// What the tables hold of the case (its deadlines without their explanations).
  @exclusivity(unchecked) var projection: CaseProjection
  /// The position of its latest event.
  var lastPosition: Int
  /// Whether the case has no rows in the tables yet (nothing to delete before writing).
  let fresh: Bool
  /// Whether the case has already been queued as closed.
  var queuedAsClosed = false

  init(projection: CaseProjection, lastPosition: Int, fresh: Bool) {
    self.projection = projection
    self.lastPosition = lastPosition
    self.fresh = fresh
  }

  /// Writes the case's projection rows (no snapshot: it is a cache that the case's next
  /// command refills).
  func write(with writer: inout ProjectionWriter) throws {
    try writer.write(projection, lastPosition: lastPosition, snapshot: nil, fresh: fresh)
  }
}

/// Folds events in position order into their cases for a bulk replay (a rebuild or an import),
/// with memory bounded by the number of open cases plus a fixed number of recently closed ones.
///
/// A closed case stays in memory for a while, because notes and corrections often follow the
/// closing step; once more than `recentlyClosedCapacity` cases have closed since, it is let
/// go (handed to the caller to write out) and read back from the log should yet another event
/// arrive — or, with `deferRevisits`, replayed whole at the end.
///
/// The folder does no writing itself, so it can run on a thread other than the writer's.
struct CaseFolder {
  private let recentlyClosedCapacity: Int
  private let deferRevisits: Bool
  private var cases = FoldTable<FoldedCase>()
  private var closedQueue: [FoldKey] = []
  private var closedHead = 0
  /// Cases with events after they were let go, when revisits are deferred.
  private(set) var deferred: Set<String> = []
  /// How many times a case was read back after it was let go.
  private(set) var rereads = 0

  /// A folder.
  ///
  /// - Parameters:
  ///   - recentlyClosedCapacity: How many closed cases stay in memory.
  ///   - deferRevisits: Whether an event for a case already let go only marks the case as
  ///     ``deferred`` (to be replayed whole once every event is stored), instead of reading the
  ///     case back at once. An import does this: it loads events with the event table's case
  ///     index dropped.
  init(recentlyClosedCapacity: Int = 4096, deferRevisits: Bool = false) {
    self.recentlyClosedCapacity = recentlyClosedCapacity
    self.deferRevisits = deferRevisits
  }

  /// Applies one event (its outline), the `caseVersion`th of its case, handing any case let go
  /// to `release`.
  ///
  /// - Parameter reread: Reads back a case that was let go, from its events before the given
  ///   position.
  /// - Throws: ``EventLogError/corruptEvent(position:message:)`` when the event does not fit
  ///   its case or its version is not the next one.
  mutating func add(
    position: Int, caseID: FoldKey, caseVersion: Int, event: EventOutline,
    reread: (CaseID, Int) throws -> CaseProjection, release: (FoldedCase) throws -> Void
  ) throws {
    let folded: FoldedCase
    do {
      if let existing = cases.find(caseID) {
        folded = existing
        try Self.checkVersion(
          caseVersion, after: folded.projection.version, position: position)
        try folded.projection.apply(event.change, at: event.occurredAt, opens: event.opens)
      } else if case .opened(let opening) = event.change.effect {
        try Self.checkVersion(caseVersion, after: 0, position: position)
        let projection = CaseProjection(opening: opening, at: event.occurredAt, opens: event.opens)
        folded = FoldedCase(projection: projection, lastPosition: position, fresh: true)
        cases.insert(folded, for: caseID)
      } else if deferRevisits {
        deferred.insert(caseID.text)
        return
      } else {
        var projection = try reread(CaseID(caseID.text), position)
        rereads += 1
        try Self.checkVersion(caseVersion, after: projection.version, position: position)
        try projection.apply(event.change, at: event.occurredAt, opens: event.opens)
        folded = FoldedCase(projection: projection, lastPosition: position, fresh: false)
        cases.insert(folded, for: caseID)
      }
    } catch let error as CaseError {
      throw EventLogError.corruptEvent(position: position, message: error.description)
    }
    folded.lastPosition = position
    // `state.isClosed` rather than the projection's own `isClosed`: calling a method of the
    // projection from this module would copy it (a retain of each of its fields) every event.
    guard folded.projection.state.isClosed, !folded.queuedAsClosed else { return }
    folded.queuedAsClosed = true
    closedQueue.append(caseID)
    guard closedQueue.count - closedHead > recentlyClosedCapacity else { return }
    let oldest = closedQueue[closedHead]
    closedHead += 1
    if let released = cases.remove(oldest) { try release(released) }
    if closedHead > 65_536 {
      closedQueue.removeFirst(closedHead)
      closedHead = 0
    }
  }

  private static func checkVersion(_ version: Int, after current: Int, position: Int) throws {
    guard version == current + 1 else {
      throw EventLogError.corruptEvent(
        position: position,
        message: "case version \(version) follows version \(current); expected \(current + 1)")
    }
  }

  /// Hands every case still in memory to `release`, and forgets them.
  mutating func finish(release: (FoldedCase) throws -> Void) throws {
    // Each case is taken out before it is handed over, so that the folder holds no reference
    // to it: the writing thread, which lets go of it last, frees it, not this one.
    for key in cases.keys {
      if let folded = cases.remove(key) { try release(folded) }
    }
    closedQueue.removeAll()
    closedHead = 0
  }
}

/// What a bulk replay (a rebuild or an import) did, for tests and benchmarks.
struct BulkReplay: Equatable {
  /// The events replayed.
  var events: Int
  /// The cases read back (rebuild) or replayed at the end (import) after they were let go.
  var revisits: Int
  /// Whether an import ran with a rollback journal rather than in WAL mode.
  var outsideWAL = false
}

extension EventStore {
  /// Runs bulk work with a larger page cache on the writer connection (64 MB by default,
  /// bounded), then restores the default.
  ///
  /// - Parameter kibibytes: The cache's size. A rebuild uses 16 MB: a smaller cache spills the
  ///   new rows into the WAL during the fold, which leaves less to write at the commit, though
  ///   it writes and reads back more pages on the way; for the million-event log, 16, 32 and
  ///   64 MB measured the same within the noise, and 16 MB keeps the peak lowest.
  static func withBulkCache<T>(_ db: Database, kibibytes: Int = 65_536, _ body: () throws -> T)
    throws -> T
  {
    let previous = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
    try db.execute(sql: "PRAGMA cache_size = -\(kibibytes)")
    defer { try? db.execute(sql: "PRAGMA cache_size = \(previous)") }
    return try body()
  }
}

extension EventStore {
  /// Runs `body` (a rebuild emptying the read tables) with `PRAGMA secure_delete = FAST` on
  /// the writer connection, then restores the setting.
  ///
  /// The system's SQLite is built to overwrite deleted content with zeros, which is right for
  /// people's data (an erasure leaves no copy of it in the file's free space). Emptying the
  /// read tables would write every one of their pages back as zeros first: for the
  /// million-event log, 0.18–0.29 s in `sqlite3` instead of 0.045–0.06 s, and 57 MB more for
  /// the WAL, only for the rows rebuilt into them moments later. Those tables hold no personal
  /// data (it is in `person`, which a rebuild leaves alone), and in `FAST` mode SQLite still
  /// zeroes what it can without more I/O.
  static func withFastDeletes<T>(_ db: Database, _ body: () throws -> T) throws -> T {
    let previous = try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? 0
    try db.execute(sql: "PRAGMA secure_delete = FAST")
    defer { try? db.execute(sql: "PRAGMA secure_delete = \(previous)") }
    return try body()
  }
}

extension EventStore {
  /// Runs `body` (building indexes over hundreds of thousands of rows) with SQLite's sorter
  /// given a helper thread and 4 MB runs: with the 64 MB bulk cache a whole index sorts as one
  /// run on one core, while in runs the helper sorts and merges on the other, idle at the end
  /// of an import. The event table's two indexes built in 1.45–1.6 s instead of 2.2–2.4 s this
  /// way; the deadline table's former expiry index over every deadline (270,000 rows) in 0.28 s
  /// instead of 0.44 s. Restores both settings after.
  static func withSortingThread<T>(_ db: Database, _ body: () throws -> T) throws -> T {
    let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
    let threads = try Int.fetchOne(db, sql: "PRAGMA threads") ?? 0
    try db.execute(sql: "PRAGMA threads = 1; PRAGMA cache_size = -4096")
    defer { try? db.execute(sql: "PRAGMA threads = \(threads); PRAGMA cache_size = \(cache)") }
    return try body()
  }
}

/// The cases a ``CaseFolder`` holds (or any values), by key: an open-addressing table, probed
/// linearly, with a cheap mix of a short key's two words for its hash.
///
/// A bulk replay looks a case up for every event. `Dictionary` hashes each key with SipHash
/// and keeps keys, values and occupancy apart, and its lookups, removals and hashing took
/// about 6 % of the reading thread's time (perf samples, million-event rebuild). Here a slot
/// holds its key, its hash and its value together. Keys come from the log, not from an
/// adversary, so a keyed hash buys nothing; a log made to collide would only make the fold
/// slower.
struct FoldTable<Value> {
  private struct Slot {
    var key: FoldKey
    var hash: Int
    /// `nil` for an empty slot.
    var value: Value?
  }

  private var slots: [Slot]
  private var mask: Int
  /// The number of values held.
  private(set) var count = 0

  /// An empty table with room for `capacity` values before it grows.
  init(capacity: Int = 4096) {
    var size = 16
    while size < capacity * 2 { size *= 2 }
    slots = Array(repeating: Slot(key: FoldKey.empty, hash: 0, value: nil), count: size)
    mask = size - 1
  }

  /// The slot holding `key`, or the empty slot where it would go.
  private func slot(of key: FoldKey, hash: Int) -> Int {
    var index = hash & mask
    while slots[index].value != nil {
      if slots[index].hash == hash, slots[index].key == key { return index }
      index = (index + 1) & mask
    }
    return index
  }

  /// The value held under `key`.
  func find(_ key: FoldKey) -> Value? {
    slots[slot(of: key, hash: key.mixedHash)].value
  }

  /// Holds `value` under `key`, which must not be held yet.
  mutating func insert(_ value: Value, for key: FoldKey) {
    if (count + 1) * 2 > slots.count { grow() }
    let hash = key.mixedHash
    let index = slot(of: key, hash: hash)
    precondition(slots[index].value == nil, "the key is already held")
    slots[index] = Slot(key: key, hash: hash, value: value)
    count += 1
  }

  /// Lets go of the value held under `key`, and returns it.
  mutating func remove(_ key: FoldKey) -> Value? {
    var hole = slot(of: key, hash: key.mixedHash)
    guard let value = slots[hole].value else { return nil }
    slots[hole].value = nil
    count -= 1
    // Moves back any later slot of the same run that the hole now separates from its home,
    // so that lookups never need to pass over a removed slot.
    var index = hole
    while true {
      index = (index + 1) & mask
      guard slots[index].value != nil else { break }
      let home = slots[index].hash & mask
      // Whether `home` lies cyclically in (hole, index]: then the slot stays reachable.
      let reachable =
        hole <= index ? (hole < home && home <= index) : (hole < home || home <= index)
      if !reachable {
        slots[hole] = slots[index]
        slots[index].value = nil
        hole = index
      }
    }
    return value
  }

  /// The keys held, in no particular order.
  var keys: [FoldKey] {
    slots.compactMap { $0.value == nil ? nil : $0.key }
  }

  private mutating func grow() {
    let old = slots
    slots = Array(repeating: Slot(key: FoldKey.empty, hash: 0, value: nil), count: old.count * 2)
    mask = slots.count - 1
    for slot in old where slot.value != nil {
      var index = slot.hash & mask
      while slots[index].value != nil { index = (index + 1) & mask }
      slots[index] = slot
    }
  }
}

/// A case identifier as a ``CaseFolder`` key: up to 15 bytes packed into two words with their
/// count, so that a bulk replay makes no `String` and hashes two words for each event; longer
/// identifiers keep their text.
struct FoldKey: Hashable {
  private let first: UInt64
  private let second: UInt64
  private let long: String?

  /// The key of the identifier with these UTF-8 bytes.
  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard bytes.count <= 15 else {
      first = 0
      second = 0
      long = String(decoding: bytes, as: UTF8.self)
      return
    }
    // The bytes in order from the low end of the first word (as `text` reads them back), the
    // count in the top byte of the second.
    var words: (UInt64, UInt64) = (0, 0)
    withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
    first = UInt64(littleEndian: words.0)
    second = UInt64(littleEndian: words.1) | UInt64(bytes.count) << 56
    long = nil
  }

  /// One word for a short identifier, where the synthesized hashing would feed the hasher both
  /// words and the absent text (it runs once per event of a bulk replay).
  func hash(into hasher: inout Hasher) {
    if let long {
      hasher.combine(long)
    } else {
      hasher.combine(first &* 0x9E37_79B9_7F4A_7C15 ^ second)
    }
  }

  /// The key of the empty identifier, for empty slots.
  static let empty = FoldKey(String())

  /// A hash for ``FoldTable``: the two words mixed (SplitMix64's finalizer), so that every bit
  /// of the identifier reaches the low bits the table uses.
  var mixedHash: Int {
    if let long { return long.hashValue }
    var z = first ^ (second &* 0x9E37_79B9_7F4A_7C15)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int(truncatingIfNeeded: z ^ (z >> 31))
  }

  /// The key of an identifier.
  init(_ text: String) {
    var text = text
    self = text.withUTF8 { FoldKey($0) }
  }

  /// The identifier.
  var text: String {
    if let long { return long }
    let count = Int(second >> 56)
    var bytes: [UInt8] = []
    for index in 0..<count {
      let word: UInt64 = index < 8 ? first : second
      let shift = UInt64((index % 8) * 8)
      bytes.append(UInt8(truncatingIfNeeded: word >> shift))
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
