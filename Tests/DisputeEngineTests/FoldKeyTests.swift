import TestSupport
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

  @Test("the fold's table finds, adds and lets go of keys as a dictionary does, as it grows")
  func tableAgreesWithDictionary() {
    var random = SplitMix64(seed: 42)
    // Short and long identifiers; a small table, so that runs of occupied slots form, it
    // grows, and removals move later slots back.
    let identifiers =
      (0..<300).map { "bec-2025-\($0)" } + (0..<40).map { "case-with-a-long-identifier-\($0)" }
    var table = FoldTable<Int>(capacity: 2)
    var model: [String: Int] = [:]
    for step in 0..<20_000 {
      let identifier = identifiers[Int(random.next() % UInt64(identifiers.count))]
      let key = FoldKey(identifier)
      #expect(table.find(key) == model[identifier], "step \(step): \(identifier)")
      if model[identifier] == nil {
        if random.next() % 3 != 0 {
          table.insert(step, for: key)
          model[identifier] = step
        }
      } else if random.next() % 2 == 0 {
        #expect(table.remove(key) == model.removeValue(forKey: identifier))
      }
      #expect(table.count == model.count)
    }
    #expect(Set(table.keys.map(\.text)) == Set(model.keys))
    for identifier in model.keys { #expect(table.remove(FoldKey(identifier)) == model[identifier]) }
    #expect(table.count == 0 && table.keys.isEmpty)
    #expect(table.remove(FoldKey("bec-2025-1")) == nil)
  }
}
