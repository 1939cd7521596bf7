import Foundation
import GRDB

/// A person's personal data, kept outside the hashed events so that erasing it (GDPR art. 17)
/// leaves the hash chain intact. Events refer to people by ``id`` only.
public struct PersonRecord: Sendable, Hashable, Codable {
  /// The reference the events use.
  public var id: String
  /// The person's name.
  public var name: String?
  /// An e-mail address.
  public var email: String?
  /// A phone number.
  public var phone: String?
  /// When the data was erased, if it was.
  public var erasedAt: String?

  /// Creates a record.
  public init(
    id: String, name: String?, email: String? = nil, phone: String? = nil, erasedAt: String? = nil
  ) {
    self.id = id
    self.name = name
    self.email = email
    self.phone = phone
    self.erasedAt = erasedAt
  }

  func save(_ db: Database) throws {
    try db.execute(
      sql:
        "INSERT OR REPLACE INTO person (id, name, email, phone, erased_at) VALUES (?, ?, ?, ?, ?)",
      arguments: [id, name, email, phone, erasedAt])
  }

  static func fetch(_ db: Database, id: String) throws -> PersonRecord? {
    try Row.fetchOne(db, sql: "SELECT * FROM person WHERE id = ?", arguments: [id]).map {
      PersonRecord(
        id: $0["id"], name: $0["name"], email: $0["email"], phone: $0["phone"],
        erasedAt: $0["erased_at"])
    }
  }
}
