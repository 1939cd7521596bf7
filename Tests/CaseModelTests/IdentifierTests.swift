import CaseModel
import Testing

@Suite("Identifiers")
struct IdentifierTests {
  @Test(
    "case references parse into prefix, year and sequence, and refuse other forms",
    arguments: [
      ("WWK-2026-00123", "WWK", 2026, 123),
      ("wwk-2026-1", "WWK", 2026, 1),
      ("BeC-2025-000000000000000042", "BEC", 2025, 42),
      ("Bé-2026-7", "BÉ", 2026, 7),
    ])
  func references(_ text: String, prefix: String, year: Int, sequence: Int) throws {
    let reference = try #require(CaseReference(parsing: text))
    #expect(reference.prefix == prefix)
    #expect(reference.year == year)
    #expect(reference.sequence == sequence)
  }

  @Test(
    "malformed references are refused",
    arguments: [
      "WWK-2026-0", "WWK-26-1", "WWK-2026-", "WWK-2026-1-2", "-2026-1", "WWK-20a6-1",
      "WWK2026-1", "W1K-2026-1", "", "WWK-2026-1x", "WWK-2026-99999999999999999999",
    ])
  func badReferences(_ text: String) {
    #expect(CaseReference(parsing: text) == nil)
  }

  @Test(
    "a reference written into a buffer is its description, or nil where that has no fixed form",
    arguments: [
      (CaseReference(prefix: "WWK", year: 2026, sequence: 123), 32, "WWK-2026-00123"),
      (CaseReference(prefix: "BEC", year: 2025, sequence: 1_234_567), 32, "BEC-2025-1234567"),
      (CaseReference(prefix: "BÉ", year: 2026, sequence: 7), 32, "BÉ-2026-00007"),
      (CaseReference(prefix: "WWK", year: 2026, sequence: 99_999), 14, "WWK-2026-99999"),
      (CaseReference(prefix: "WWK", year: 2026, sequence: 100_000), 14, nil),
      (CaseReference(prefix: "WWK", year: 999, sequence: 1), 32, nil),
      (CaseReference(prefix: "WWK", year: 10_000, sequence: 1), 32, nil),
    ] as [(CaseReference, Int, String?)])
  func writtenReference(reference: CaseReference, capacity: Int, expected: String?) {
    let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
      reference.write(into: buffer).map {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[..<$0]), as: UTF8.self)
      }
    }
    #expect(written == expected)
    if let written { #expect(written == reference.description) }
  }

  @Test("country codes are two letters, upper-cased")
  func countries() {
    #expect(CountryCode("nl")?.rawValue == "NL")
    #expect(CountryCode("Be")?.rawValue == "BE")
    #expect(CountryCode("DE")?.rawValue == "DE")
    for bad in ["N", "NLD", "N1", "1L", "", "N@", "[L", "ñl"] {
      #expect(CountryCode(bad) == nil, "\(bad)")
    }
  }
}
