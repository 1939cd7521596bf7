import DisputeEngine
import Testing

/// The shop register's key (`domain.md` §6.9): country and registration number's digits, else
/// country and the trade name's letters and digits in lower case.
@Suite("Shop register key")
struct ShopKeyTests {
  @Test(
    "spellings of one shop meet on one key, in ASCII and beyond",
    arguments: [
      ("Parfumerie 11 BV", Jurisdiction.belgium, "0710.110.170", "BE:0710110170"),
      ("parfumerie 11 bv", .belgium, "BE 0710 110 170", "BE:0710110170"),
      ("Bol.com B.V.", .netherlands, nil, "NL:bolcombv"),
      ("BOL COM BV", .netherlands, nil, "NL:bolcombv"),
      ("Bol.com B.V.", .netherlands, "n/a", "NL:bolcombv"),
      ("Café Ñandú", .belgium, nil, "BE:caféñandú"),
      ("Winkel", .netherlands, "١٢٣", "NL:١٢٣"),
      ("Winkel", .netherlands, "", "NL:winkel"),
      ("-- & --", .netherlands, nil, "NL:"),
      ("!!!", .belgium, "n/a", "BE:"),
    ] as [(String, Jurisdiction, String?, String)])
  func keys(_ name: String, _ country: Jurisdiction, _ number: String?, _ key: String) {
    let shop = ShopIdentity(tradeName: name, country: country, registrationNumber: number)
    #expect(EventStore.shopKey(shop) == key)
  }
}
