import GRDB
import GRDBSQLite

/// Binds and runs a cached GRDB statement through SQLite's C interface, for the bulk paths
/// (import, rebuild) where building `StatementArguments` — boxed values, strings copied into
/// `Data` — cost more than the insert itself. Values bound one by one are copied by SQLite
/// (`SQLITE_TRANSIENT`), so nothing needs to outlive a call; texts and blobs gathered in a
/// ``TextArena`` are read in place by ``execute(texts:)``.
struct RawStatement {
  private let statement: Statement
  private let connection: OpaquePointer?
  private var handle: OpaquePointer { statement.sqliteStatement }
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  /// A cached statement of `db` for `sql`, reset and ready to bind.
  init(_ db: Database, _ sql: String) throws {
    statement = try db.cachedStatement(sql: sql)
    connection = db.sqliteConnection
    sqlite3_reset(statement.sqliteStatement)
    sqlite3_clear_bindings(statement.sqliteStatement)
  }

  func bind(_ index: Int32, _ value: Int) {
    sqlite3_bind_int64(handle, index, Int64(value))
  }

  func bind(_ index: Int32, _ value: Int?) {
    if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
  }

  func bind(_ index: Int32, _ value: Bool) {
    sqlite3_bind_int64(handle, index, value ? 1 : 0)
  }

  func bind(_ index: Int32, _ value: String) {
    var value = value
    value.withUTF8 { bytes in bindText(index, UnsafeRawBufferPointer(bytes)) }
  }

  func bind(_ index: Int32, _ value: String?) {
    if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
  }

  func bindNull(_ index: Int32) {
    sqlite3_bind_null(handle, index)
  }

  /// Binds UTF-8 bytes as text.
  func bindText(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
    // A non-null pointer even for the empty string, which SQLite would otherwise bind as NULL.
    let pointer = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
    sqlite3_bind_text(
      handle, index, pointer.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
      Self.transient)
  }

  /// Binds bytes as a blob.
  func bindBlob(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
    let pointer = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
    sqlite3_bind_blob(handle, index, pointer, Int32(bytes.count), Self.transient)
  }

  /// Binds `row`'s texts and hashes without copying them, runs the statement and clears the
  /// bindings, all while `row` holds its bytes in place.
  func execute(_ row: PackedEvent) throws {
    try row.withRow { header, bytes in
      bind(1, header.position)
      bind(3, header.caseVersion)
      bind(5, header.typeVersion)
      let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
      var start: Int32 = 0
      // SQLITE_STATIC (no destructor), as in `execute(texts:)`.
      func text(_ column: Int32, endingAt end: Int32) {
        sqlite3_bind_text(
          handle, column, (base + Int(start)).assumingMemoryBound(to: CChar.self), end - start,
          nil)
        start = end
      }
      let ends = header.ends
      text(2, endingAt: ends.0)  // case id
      text(4, endingAt: ends.1)  // type
      text(6, endingAt: ends.2)  // occurred-at
      text(7, endingAt: ends.3)  // recorded-at
      text(8, endingAt: ends.4)  // actor
      text(9, endingAt: ends.5)  // command id
      text(10, endingAt: ends.6)  // payload
      sqlite3_bind_blob(handle, 11, base + Int(start), 32, nil)
      sqlite3_bind_blob(handle, 12, base + Int(start) + 32, 32, nil)
      defer { sqlite3_clear_bindings(handle) }
      try execute()
    }
  }

  /// Binds the texts gathered in `texts` without copying them, runs the statement (which must
  /// return no rows), resets it and empties `texts`. Binding a text with `SQLITE_TRANSIENT` has
  /// SQLite allocate and copy it, and free the copy on the next bind: about 800 instructions a
  /// value, more than the insert of a small row costs.
  func execute(texts: inout TextArena) throws {
    defer { texts.removeAll() }
    try texts.bytes.withUnsafeBytes { bytes in
      let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
      for value in texts.pending {
        // SQLITE_STATIC (no destructor): the bytes stay put until the statement has run, and
        // the bindings are cleared below before they are touched again.
        if value.isBlob {
          sqlite3_bind_blob(handle, value.index, base + value.start, Int32(value.count), nil)
        } else {
          sqlite3_bind_text(
            handle, value.index, (base + value.start).assumingMemoryBound(to: CChar.self),
            Int32(value.count), nil)
        }
      }
      defer { sqlite3_clear_bindings(handle) }
      try execute()
    }
  }

  /// Runs the statement (which must return no rows) and resets it for the next use.
  func execute() throws {
    let code = sqlite3_step(handle)
    guard code == SQLITE_DONE else {
      let message = String(cString: sqlite3_errmsg(connection))
      sqlite3_reset(handle)
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
    sqlite3_reset(handle)
  }
}

/// Texts (and blobs) for one run of a ``RawStatement``, gathered into one buffer so that SQLite
/// can read them in place (see ``RawStatement/execute(texts:)``). Reused from row to row.
struct TextArena {
  fileprivate var bytes: [UInt8] = []
  fileprivate var pending: [(index: Int32, start: Int, count: Int, isBlob: Bool)] = []

  /// Adds `text` as the value of parameter `index`.
  mutating func add(_ index: Int32, _ text: String) {
    var text = text
    text.withUTF8 { add(index, utf8: UnsafeRawBufferPointer($0)) }
  }

  /// Adds UTF-8 bytes as the text value of parameter `index`.
  mutating func add(_ index: Int32, utf8 text: UnsafeRawBufferPointer) {
    let start = bytes.count
    bytes.append(contentsOf: text)
    pending.append((index, start, bytes.count - start, false))
  }

  /// Adds bytes as the blob value of parameter `index`.
  mutating func add(_ index: Int32, blob: UnsafeRawBufferPointer) {
    let start = bytes.count
    bytes.append(contentsOf: blob)
    pending.append((index, start, bytes.count - start, true))
  }

  fileprivate mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    pending.removeAll(keepingCapacity: true)
  }
}
