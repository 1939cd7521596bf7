import CaseModel
import Foundation
import Testing
import WorkingDays

@testable import WorkflowLoading

@Suite("Workflow files")
struct WorkflowLoaderTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func file(_ name: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent("Workflows/\(name)"), encoding: .utf8)
  }

  @Test("the compiled-in workflows equal Workflows/*.yaml")
  func compiledInWorkflowsEqualTheFiles() throws {
    let names = try FileManager.default.contentsOfDirectory(
      atPath: Self.root.appendingPathComponent("Workflows").path
    )
    .filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(WorkflowCatalog.bundledFiles.map(\.name) == names)
    for bundled in WorkflowCatalog.bundledFiles {
      #expect(
        bundled.text == (try Self.file(bundled.name)),
        "\(bundled.name) differs: run Scripts/embed-data.py")
    }
  }

  @Test("the bundled workflows carry the figures of domain.md")
  func bundledValues() throws {
    let wwk = try WorkflowCatalog.bundled.workflow(named: "webwinkelkeur")
    #expect(wwk.referencePrefix == "WWK")
    #expect(wwk.mediator.calendar == .netherlands)
    #expect(wwk.deadlines[.shopAnswer]?.period == .workingDays(5))
    #expect(wwk.deadlines[.shopAnswer]?.regime == .contract)
    #expect(wwk.deadlines[.admissibilityDecision]?.period == .weeks(3))
    #expect(wwk.deadlines[.mediationWindow]?.period == .calendarDays(7))
    #expect(wwk.deadlines[.mediationOutcome]?.period == .calendarDays(90))
    #expect(wwk.deadlines[.mediationOutcome]?.extendable == true)
    #expect(wwk.committee?.name == "DigiDispuut")
    #expect(wwk.committee?.minimumClaim == Money(cents: 2_500))
    #expect(wwk.admissibility.maximumComplaintAge == .months(12))
    #expect(wwk.admissibility.membersOnly)
    let bec = try WorkflowCatalog.bundled.workflow(named: "becommerce")
    #expect(bec.mediator.calendar == .belgium)
    #expect(bec.deadlines[.mediationWindow]?.period == .workingDays(5))
    #expect(bec.committee?.alternative?.contains("Consumentenombudsdienst") == true)
    #expect(bec.subjects.contains("unsolicited-advertising"))
    #expect(!bec.admissibility.membersOnly)
    #expect(bec.admissibility.maximumComplaintAge == nil)
    #expect(throws: UnknownSchemeError.self) {
      try WorkflowCatalog.bundled.workflow(named: "trustpilot")
    }
  }

  /// The webwinkelkeur file with one line replaced; the error must point at that line.
  static func broken(_ original: String, _ replacement: String) throws -> (text: String, line: Int)
  {
    let text = try file("webwinkelkeur.yaml")
    var lines = text.components(separatedBy: "\n")
    let index = try #require(lines.firstIndex(of: original), "no line '\(original)'")
    lines[index] = replacement
    return (lines.joined(separator: "\n"), index + 1)
  }

  @Test(
    "each kind of mistake gives its own precise error",
    arguments: [
      (
        "  calendar: NL", "  calendar: FR",
        "mediator.calendar: unknown jurisdiction 'FR': use one of NL, NL-public, BE"
      ),
      (
        "    period: 3 weeks", "    period: -3 weeks",
        "deadlines.admissibilityDecision.period must not be negative ('-3 weeks')"
      ),
      (
        "    period: 3 weeks", "    period: three weeks",
        "deadlines.admissibilityDecision.period must be a period such as '5 working days', '7 calendar days', '3 weeks', '12 months' or '48 hours', not 'three weeks'"
      ),
      (
        "    regime: contract      # a member's promise under the code of conduct, not a statutory term",
        "    regime: belgian",
        "deadlines.shopAnswer.regime: unknown regime 'belgian'; use eu, be, nl, contract"
      ),
      (
        "  closures: []", "  colour: blue",
        "unknown key 'colour' in mediator; known keys: name, calendar, closures"
      ),
      (
        "  minimumClaim: \"25.00\"   # DigiDispuut FAQ (to verify)", "  minimumClaim: \"25,00\"",
        "committee.minimumClaim must be an amount in euros such as \"25.00\", not '25,00'"
      ),
      ("  - refund", "  - delivery", "subject 'delivery' is listed twice"),
      ("  - refund", "  - Refund", "subject 'Refund' must be lower-case words joined by hyphens"),
      (
        "  acknowledgement: true", "  acknowledgement: yes please",
        "options.acknowledgement must be true or false"
      ),
      (
        "  closures: []", "  closures: [{date: 2026-02-30, name: Closed}]",
        "'2026-02-30' is not a date: February 2026 has 28 days, not 30"
      ),
      (
        "referencePrefix: WWK", "referencePrefix: wwk",
        "referencePrefix must be 2 to 5 capital letters, not 'wwk'"
      ),
    ])
  func mistakes(_ original: String, _ replacement: String, _ message: String) throws {
    let (text, line) = try Self.broken(original, replacement)
    do {
      _ = try WorkflowLoader.load(yaml: text, file: "custom.yaml")
      Issue.record("accepted: \(replacement)")
    } catch {
      #expect(error.file == "custom.yaml")
      #expect(error.line == line)
      #expect(error.message == message)
      #expect(error.description.hasPrefix("custom.yaml:\(line):"))
    }
  }

  @Test("a missing key is reported on the mapping that lacks it")
  func missingKey() throws {
    let (text, _) = try Self.broken("referencePrefix: WWK", "")
    let schemeLine = text.components(separatedBy: "\n").firstIndex(of: "scheme: webwinkelkeur")! + 1
    #expect(
      throws: WorkflowError(
        file: "x.yaml", line: schemeLine, column: 1,
        message: "the workflow is missing the key 'referencePrefix'")
    ) {
      try WorkflowLoader.load(yaml: text, file: "x.yaml")
    }
  }

  @Test("a deadline the model does not know is an unknown key")
  func unknownDeadline() throws {
    let (text, line) = try Self.broken("  shopAnswer:", "  settlementFulfilment:")
    do {
      _ = try WorkflowLoader.load(yaml: text, file: "x.yaml")
      Issue.record("accepted")
    } catch {
      #expect(error.line == line)
      #expect(error.message.hasPrefix("unknown key 'settlementFulfilment' in deadlines"))
    }
  }

  @Test("escalation needs a committee")
  func escalationWithoutCommittee() throws {
    var lines = try Self.file("webwinkelkeur.yaml").components(separatedBy: "\n")
    let start = lines.firstIndex(of: "committee:")!
    lines.removeSubrange(start...(start + 4))
    // Reported on the options block itself, whose first key follows "options:".
    let optionsLine = lines.firstIndex(of: "options:")! + 2
    #expect(
      throws: WorkflowError(
        file: "x.yaml", line: optionsLine, column: 3,
        message: "options.escalation is true but the workflow has no committee")
    ) {
      try WorkflowLoader.load(yaml: lines.joined(separator: "\n"), file: "x.yaml")
    }
  }

  @Test("invalid YAML is reported with its line")
  func invalidYAML() throws {
    let (text, line) = try Self.broken("name: WebwinkelKeur", "name: [unclosed")
    do {
      _ = try WorkflowLoader.load(yaml: text, file: "x.yaml")
      Issue.record("accepted")
    } catch {
      #expect(error.message.hasPrefix("invalid YAML"))
      #expect(error.line >= line)
    }
    #expect(
      throws: WorkflowError(file: "empty.yaml", line: 1, column: 1, message: "the file is empty")
    ) {
      try WorkflowLoader.load(yaml: "", file: "empty.yaml")
    }
  }

  @Test("a directory of workflows loads instead of the bundled ones; duplicates are refused")
  func directories() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "workflows-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(throws: WorkflowError.self) { try WorkflowCatalog(directory: directory.path) }
    let text = try Self.file("webwinkelkeur.yaml").replacingOccurrences(
      of: "version: \"2026.1\"", with: "version: \"local-7\"")
    try text.write(
      to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    let catalog = try WorkflowCatalog(directory: directory.path)
    #expect(try catalog.workflow(named: "webwinkelkeur").version == "local-7")
    try text.write(
      to: directory.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
    do {
      _ = try WorkflowCatalog(directory: directory.path)
      Issue.record("accepted a duplicate scheme")
    } catch {
      #expect(error.message.contains("already defined"))
    }
  }

  @Test(
    "periods are read in words",
    arguments: [
      ("5 working days", Period.workingDays(5)), ("1 working day", .workingDays(1)),
      ("7 calendar days", .calendarDays(7)),
      ("90 days", .calendarDays(90)), ("3 weeks", .weeks(3)), ("12 months", .months(12)),
      ("48 hours", .hours(48)),
    ])
  func periods(_ text: String, _ period: Period) {
    #expect(WorkflowLoader.period(text) == period)
  }
}
