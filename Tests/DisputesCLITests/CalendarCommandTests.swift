import Foundation
import Testing

@Suite("disputes calendar (end to end)")
struct CalendarCommandTests {
  @Test("deadline --json gives the deadline, the UTC expiry and the skipped days")
  func deadlineJSON() throws {
    let result = try CLIRunner.run([
      "calendar", "deadline", "--jurisdiction", "NL", "--from", "2026-12-23", "--working-days", "5",
      "--json",
    ])
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["deadline"] as? String == "2026-12-31")
    #expect(object?["expiresAt"] as? String == "2026-12-31T22:59:59.999Z")
    let skipped = object?["skipped"] as? [[String: Any]] ?? []
    #expect(
      skipped.compactMap { $0["date"] as? String } == ["2026-12-25", "2026-12-26", "2026-12-27"])
    #expect(skipped.first?["reason"] as? String == "Christmas Day — NL Atw art. 3(1)")
  }

  @Test("deadline --explain reads out every step")
  func deadlineExplain() throws {
    let result = try CLIRunner.run([
      "calendar", "deadline", "--jurisdiction", "BE", "--from", "2026-02-28", "--months", "1",
      "--regime", "be", "--explain",
    ])
    #expect(result.status == 0)
    #expect(
      result.stdout.hasPrefix(
        "Deadline  Tue 2026-03-31\nExpires   2026-03-31 23:59:59.999 +02:00 (Europe/Brussels)\n"))
    #expect(result.stdout.contains("art. 54"))
    #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
  }

  @Test("holidays lists the year with sources; --json is machine-readable")
  func holidays() throws {
    let table = try CLIRunner.run(["calendar", "holidays", "BE", "2008"])
    #expect(table.status == 0)
    #expect(table.stdout.contains("2008-05-02 Fri  Ascension Day replacement"))
    #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    let json = try CLIRunner.run(["calendar", "holidays", "NL", "2025", "--json"])
    let rows =
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
    #expect(
      rows.contains {
        $0["date"] as? String == "2025-04-26"
          && ($0["name"] as? String)?.hasPrefix("King's Day") == true
      })
    #expect(rows.count == 10)
  }

  @Test("is-working-day answers with the reason")
  func isWorkingDay() throws {
    let holiday = try CLIRunner.run(["calendar", "is-working-day", "NL", "2026-05-15"])
    #expect(holiday.status == 0)
    #expect(holiday.stdout.contains("is not a working day in NL: Friday after Ascension Day"))
    let belgian = try CLIRunner.run(["calendar", "is-working-day", "BE", "2026-05-15", "--json"])
    #expect(belgian.stdout.contains("\"workingDay\" : true"))
    #expect(belgian.stdout.contains("\"reason\" : null"))
  }

  @Test(
    "bad input gets one line on stderr and the sysexits code",
    arguments: [
      (["calendar", "is-working-day", "NL", "2026-02-30"], Int32(65), "February 2026 has 28 days"),
      (["calendar", "holidays", "FR", "2026"], 64, "unknown jurisdiction 'FR'"),
      (["calendar", "holidays", "NL", "2201"], 65, "outside the supported years 1970–2200"),
      (
        [
          "calendar", "deadline", "--jurisdiction", "NL", "--from", "2026-12-23", "--working-days",
          "-5",
        ],
        64, "a period cannot be negative"
      ),
      (
        ["calendar", "deadline", "--jurisdiction", "NL", "--from", "2026-12-23"], 64,
        "give exactly one period"
      ),
      (
        ["calendar", "deadline", "--jurisdiction", "NL", "--from", "2026-12-23", "--hours", "4"],
        64,
        "needs a trigger with a time of day"
      ),
      (
        ["calendar", "holidays", "NL", "2026", "--closures", "/nonexistent/closures.csv"], 66,
        "no such file"
      ),
    ])
  func errors(_ arguments: [String], _ status: Int32, _ message: String) throws {
    let result = try CLIRunner.run(arguments)
    #expect(result.status == status)
    #expect(result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(result.stderr.hasPrefix("error: "))
    #expect(result.stderr.contains(message))
  }

  @Test("--batch streams every line in order; bad lines get an empty field and exit 65")
  func batch() throws {
    let input =
      "jurisdiction,from,workingDays\r\nNL,2026-12-23,5\r\nBE,2027-07-16,5\nXX,2026-01-01,5\nNL,2026-12-23,2\n"
    let result = try CLIRunner.run(["calendar", "deadline", "--batch"], stdin: input)
    #expect(result.status == 65)
    #expect(
      result.stdout == """
        jurisdiction,from,workingDays,deadline
        NL,2026-12-23,5,2026-12-31
        BE,2027-07-16,5,2027-07-26
        XX,2026-01-01,5,
        NL,2026-12-23,2,2026-12-28

        """)
    #expect(result.stderr.contains("stdin line 4: unknown jurisdiction 'XX'"))
  }

  @Test("--batch without a header and without errors exits 0")
  func batchClean() throws {
    let lines = (0..<2000).map { "BE,2027-07-16,\($0 % 30 + 1)" }.joined(separator: "\n") + "\n"
    let result = try CLIRunner.run(
      ["calendar", "deadline", "--batch", "--regime", "be"], stdin: lines)
    #expect(result.status == 0)
    let output = result.stdout.split(separator: "\n")
    #expect(output.count == 2000)
    #expect(output[4] == "BE,2027-07-16,5,2027-07-26")
    #expect(result.stderr.isEmpty)
  }

  @Test("closure files from the command line extend the calendar")
  func closureFile() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "closures-\(UUID().uuidString).csv")
    try "2026-12-28,Office closed\n2026-12-29,Office closed\n".write(
      to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try CLIRunner.run([
      "calendar", "deadline", "--jurisdiction", "NL", "--from", "2026-12-23", "--working-days", "5",
      "--closures", file.path, "--json",
    ])
    #expect(result.stdout.contains("\"deadline\" : \"2027-01-05\""))
    try "2026-12-32,Bad\n".write(to: file, atomically: true, encoding: .utf8)
    let bad = try CLIRunner.run(["calendar", "holidays", "NL", "2026", "--closures", file.path])
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("\(file.path):1: '2026-12-32' is not a date"))
  }
}
