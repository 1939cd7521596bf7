import GRDB
import GRDBSQLite

/// Binds and runs a cached GRDB statement through SQLite's C interface, for the bulk paths
/// (import, rebuild) where building `StatementArguments` — boxed values, strings copied into
/// `Data` — cost more than the insert itself. Every value is copied by SQLite when bound
/// (`SQLITE_TRANSIENT`), so nothing needs to outlive a call.
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
