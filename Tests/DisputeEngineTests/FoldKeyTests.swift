import Testing

@testable import EventLog

/// The bulk fold keys cases by their identifier packed into two words (up to 15 bytes) or by
/// its text: keys must be equal exactly when identifiers are, and give the identifier back.
@Suite("Fold keys")
struct FoldKeyTests {
  static let identifiers = [
    "", "a", "b", "ab", "ba", "bec-2025-1", "bec-2025-10", "wwk-2026-123456",  // 15 bytes
    "wwk-2026-1234567",  // 16 bytes: kept as text
    "3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c", "café-2026-1", "a\u{0}", "a\u{0}\u{0}",
  ]

  @Test("each identifier has its own key, which gives it back")
  func distinctAndReversible() {
    for (index, identifier) in Self.identifiers.enumerated() {
      let key = FoldKey(identifier)
      #expect(key.text == identifier)
      #expect(key == FoldKey(String(identifier)))
      for other in Self.identifiers[(index + 1)...] {
        #expect(
          key != FoldKey(other), "\(identifier.debugDescription) vs \(other.debugDescription)")
      }
    }
    #expect(Set(Self.identifiers.map(FoldKey.init)).count == Self.identifiers.count)
  }
}
