import Foundation
import Testing

@Suite("disputes workflow (end to end)")
struct WorkflowCommandTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test(
    "docs/lifecycle.md shows exactly the diagrams the code draws",
    arguments: ["webwinkelkeur", "becommerce"])
  func lifecycleDocumentation(_ scheme: String) throws {
    let result = try CLIRunner.run(["workflow", "diagram", scheme])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("stateDiagram-v2\n"))
    let doc = try String(
      contentsOf: Self.root.appendingPathComponent("docs/lifecycle.md"), encoding: .utf8)
    #expect(
      doc.contains("```mermaid\n" + result.stdout + "```"),
      "regenerate docs/lifecycle.md's \(scheme) diagram")
  }

  @Test("list and show")
  func listAndShow() throws {
    let list = try CLIRunner.run(["workflow", "list"])
    #expect(list.status == 0)
    #expect(list.stdout.contains("webwinkelkeur  WebwinkelKeur  2026.1   WWK     DigiDispuut"))
    let show = try CLIRunner.run(["workflow", "show", "webwinkelkeur"])
    #expect(
      show.stdout.contains("shopAnswer             shop       5 working days    contract  no"))
    #expect(show.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    let json = try CLIRunner.run(["workflow", "show", "becommerce", "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect(object?["referencePrefix"] as? String == "BEC")
    let deadlines = object?["deadlines"] as? [[String: Any]] ?? []
    #expect(
      deadlines.first { $0["kind"] as? String == "mediationWindow" }?["regime"] as? String == "eu")
  }

  @Test("validate accepts a good file and names the line of a bad one")
  func validate() throws {
    let good = try CLIRunner.run([
      "workflow", "validate", Self.root.appendingPathComponent("Workflows/becommerce.yaml").path,
    ])
    #expect(good.status == 0)
    #expect(good.stdout.contains("valid (scheme becommerce, version 2026.1)"))
    let text = try String(
      contentsOf: Self.root.appendingPathComponent("Workflows/becommerce.yaml"), encoding: .utf8)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bad-\(UUID().uuidString).yaml")
    try text.replacingOccurrences(of: "    period: 3 weeks", with: "    period: -3 weeks")
      .write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let line = text.components(separatedBy: "\n").firstIndex(of: "    period: 3 weeks")! + 1
    let bad = try CLIRunner.run(["workflow", "validate", file.path])
    #expect(bad.status == 65)
    #expect(
      bad.stderr
        == "error: \(file.path):\(line):13: deadlines.admissibilityDecision.period must not be negative ('-3 weeks')\n"
    )
    let missing = try CLIRunner.run(["workflow", "validate", "/nonexistent.yaml"])
    #expect(missing.status == 66)
  }

  @Test("an unknown scheme is a usage error listing the schemes")
  func unknownScheme() throws {
    let result = try CLIRunner.run(["workflow", "diagram", "trustpilot"])
    #expect(result.status == 64)
    #expect(
      result.stderr == "error: unknown scheme 'trustpilot'; known: becommerce, webwinkelkeur\n")
  }

  @Test("--workflows loads a directory instead of the bundled workflows")
  func workflowDirectory() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = try String(
      contentsOf: Self.root.appendingPathComponent("Workflows/webwinkelkeur.yaml"), encoding: .utf8
    )
    .replacingOccurrences(of: "  escalation: true", with: "  escalation: false")
    try text.write(
      to: directory.appendingPathComponent("wwk.yaml"), atomically: true, encoding: .utf8)
    let list = try CLIRunner.run(["workflow", "list", "--workflows", directory.path])
    #expect(list.stdout.contains("webwinkelkeur") && !list.stdout.contains("becommerce"))
    let diagram = try CLIRunner.run([
      "workflow", "diagram", "webwinkelkeur", "--workflows", directory.path,
    ])
    #expect(!diagram.stdout.contains("escalate"))
  }
}
