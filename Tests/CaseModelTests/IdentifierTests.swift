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
