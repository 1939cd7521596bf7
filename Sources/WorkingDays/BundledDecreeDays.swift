// This text must equal Workflows/calendars/nl-decree-days.csv byte for byte; the test
// `compiledInDecreeDaysEqualTheFile` checks it. Edit both together.

extension HolidayList {
  static let bundledDutchDecreeDaysText = """
    # Days equated with the Netherlands' legal holidays by royal decree (Algemene termijnenwet,
    # art. 3(3)). Decrees are issued for about three years at a time; the list is complete for the
    # years named by `coverage`. A deadline reaching a later year carries a warning.
    # Format: DATE,NAME[,SOURCE] or coverage,FIRST-LAST. See docs/deadlines.md.
    coverage,2023-2028
    2023-04-28,Friday after King's Day,NL Atw art. 3(3); royal decree for 2023-2025
    2023-05-19,Friday after Ascension Day,NL Atw art. 3(3); royal decree for 2023-2025
    2024-05-10,Friday after Ascension Day,NL Atw art. 3(3); royal decree for 2023-2025
    2024-12-27,Friday after Christmas,NL Atw art. 3(3); royal decree for 2023-2025
    2025-05-30,Friday after Ascension Day,NL Atw art. 3(3); royal decree for 2023-2025
    2026-01-02,Friday after New Year's Day,NL Atw art. 3(3); royal decree for 2026-2028
    2026-05-15,Friday after Ascension Day,NL Atw art. 3(3); royal decree for 2026-2028
    2027-05-07,Friday after Ascension Day,NL Atw art. 3(3); royal decree for 2026-2028
    2028-04-28,Friday after King's Day,NL Atw art. 3(3); royal decree for 2026-2028
    2028-05-26,Friday after Ascension Day,NL Atw art. 3(3); royal decree for 2026-2028

    """
}
