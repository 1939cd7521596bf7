public import CaseModel
import Foundation
public import WorkingDays
import Yams

/// Reads scheme workflows from YAML and validates every value against the typed model.
///
/// Yams' `Codable` decoding reports no line numbers, so the loader walks Yams' `Node` tree
/// instead: every error names the file, the line and column, and what is wrong.
///
/// ```swift
/// let workflow = try WorkflowLoader.load(yaml: text, file: "Workflows/webwinkelkeur.yaml")
/// ```
public enum WorkflowLoader {
  /// Parses and validates one workflow.
  ///
  /// - Throws: ``WorkflowError`` with the file, line, column and the problem: invalid YAML, an
  ///   unknown or missing key, a value of the wrong kind, a negative period, an unknown
  ///   jurisdiction or regime, a duplicate subject, escalation without a committee.
  public static func load(yaml: String, file: String) throws(WorkflowError) -> Workflow {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: yaml) else {
        throw WorkflowError(file: file, line: 1, column: 1, message: "the file is empty")
      }
      root = node
    } catch let error as WorkflowError {
      throw error
    } catch let error as YamlError {
      throw WorkflowError(yaml: error, file: file)
    } catch {
      throw WorkflowError(file: file, line: 1, column: 1, message: "cannot read YAML: \(error)")
    }
    return try Reader(file: file).workflow(root)
  }

  /// Loads every `*.yaml` file of a directory, sorted by name.
  ///
  /// - Throws: ``WorkflowError`` for the first file that is wrong, or when two files define the
  ///   same scheme.
  public static func loadDirectory(_ path: String) throws(WorkflowError) -> [Workflow] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: path)
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    } catch {
      throw WorkflowError(file: path, line: 0, column: 0, message: "cannot read the directory")
    }
    guard !names.isEmpty else {
      throw WorkflowError(file: path, line: 0, column: 0, message: "no .yaml workflow files")
    }
    var workflows: [Workflow] = []
    var seen: [String: String] = [:]
    for name in names {
      let file = (path as NSString).appendingPathComponent(name)
      guard let data = FileManager.default.contents(atPath: file),
        let text = String(data: data, encoding: .utf8)
      else {
        throw WorkflowError(
          file: file, line: 0, column: 0, message: "cannot read the file as UTF-8")
      }
      let workflow = try load(yaml: text, file: file)
      if let other = seen[workflow.scheme] {
        throw WorkflowError(
          file: file, line: 1, column: 1,
          message: "scheme '\(workflow.scheme)' is already defined in \(other)")
      }
      seen[workflow.scheme] = file
      workflows.append(workflow)
    }
    return workflows
  }

  /// Parses a period such as `5 working days`, `7 calendar days`, `3 weeks`, `12 months` or
  /// `48 hours`; `nil` when the text is not one.
  public static func period(_ text: String) -> Period? {
    let words = text.lowercased().split(separator: " ").map(String.init)
    guard words.count >= 2, let count = Int(words[0]) else { return nil }
    let unitText = words.dropFirst().joined(separator: " ")
    let units: [String: Period.Unit] = [
      "working day": .workingDays, "working days": .workingDays,
      "calendar day": .calendarDays, "calendar days": .calendarDays,
      "day": .calendarDays, "days": .calendarDays,
      "week": .weeks, "weeks": .weeks, "month": .months, "months": .months,
      "hour": .hours, "hours": .hours,
    ]
    guard let unit = units[unitText] else { return nil }
    return Period(count, unit)
  }
}

/// A workflow file that could not be loaded: where, and what is wrong.
public struct WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file.
  public let file: String
  /// The 1-based line (0 when the problem is not in the file's text).
  public let line: Int
  /// The 1-based column.
  public let column: Int
  /// What is wrong.
  public let message: String

  /// Creates an error.
  public init(file: String, line: Int, column: Int, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  init(yaml error: YamlError, file: String) {
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let prefix = context.map { "\($0.text) " } ?? ""
      self.init(
        file: file, line: mark.line, column: mark.column,
        message: "invalid YAML: \(prefix)\(problem)")
    default:
      self.init(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
    }
  }

  public var description: String {
    line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
  }
}

/// Walks a workflow's node tree.
private struct Reader {
  let file: String

  func fail(_ node: Node?, _ message: String) -> WorkflowError {
    WorkflowError(
      file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message)
  }

  /// The pairs of a mapping, refusing unknown and duplicate keys and reporting missing ones.
  func mapping(
    _ node: Node, _ what: String, required: [String], optional: [String] = []
  ) throws(WorkflowError) -> [String: Node] {
    guard let mapping = node.mapping else {
      throw fail(node, "\(what) must be a mapping of keys to values")
    }
    var values: [String: Node] = [:]
    let known = required + optional
    for (key, value) in mapping {
      guard let name = key.scalar?.string else {
        throw fail(key, "\(what) has a key that is not text")
      }
      guard known.contains(name) else {
        throw fail(
          key, "unknown key '\(name)' in \(what); known keys: \(known.joined(separator: ", "))")
      }
      guard values[name] == nil else { throw fail(key, "key '\(name)' appears twice in \(what)") }
      values[name] = value
    }
    for name in required where values[name] == nil {
      throw fail(node, "\(what) is missing the key '\(name)'")
    }
    return values
  }

  func string(_ node: Node, _ what: String) throws(WorkflowError) -> String {
    guard let scalar = node.scalar else { throw fail(node, "\(what) must be text") }
    let text = scalar.string.trimmingCharacters(in: .whitespaces)
    guard !text.isEmpty else { throw fail(node, "\(what) must not be empty") }
    return text
  }

  func bool(_ node: Node, _ what: String) throws(WorkflowError) -> Bool {
    switch node.scalar?.string.lowercased() {
    case "true": return true
    case "false": return false
    default: throw fail(node, "\(what) must be true or false")
    }
  }

  func money(_ node: Node, _ what: String) throws(WorkflowError) -> Money {
    let text = try string(node, what)
    guard let money = Money(parsing: text) else {
      throw fail(node, "\(what) must be an amount in euros such as \"25.00\", not '\(text)'")
    }
    return money
  }

  func profile(_ node: Node, _ what: String) throws(WorkflowError) -> HolidayProfile {
    let text = try string(node, what)
    do {
      return try HolidayProfile(parsing: text)
    } catch {
      throw fail(node, "\(what): \(error)")
    }
  }

  func jurisdiction(_ node: Node, _ what: String) throws(WorkflowError) -> Jurisdiction {
    let text = try string(node, what)
    guard let jurisdiction = Jurisdiction(rawValue: text.uppercased()) else {
      throw fail(node, "\(what): unknown jurisdiction '\(text)'; use NL or BE")
    }
    return jurisdiction
  }

  func period(_ node: Node, _ what: String) throws(WorkflowError) -> Period {
    let text = try string(node, what)
    guard let period = WorkflowLoader.period(text) else {
      throw fail(
        node,
        "\(what) must be a period such as '5 working days', '7 calendar days', '3 weeks', "
          + "'12 months' or '48 hours', not '\(text)'")
    }
    guard period.length >= 0 else { throw fail(node, "\(what) must not be negative ('\(text)')") }
    return period
  }

  func sequence(_ node: Node, _ what: String) throws(WorkflowError) -> [Node] {
    guard let sequence = node.sequence else { throw fail(node, "\(what) must be a list") }
    return Array(sequence)
  }

  func workflow(_ root: Node) throws(WorkflowError) -> Workflow {
    let keys = try mapping(
      root, "the workflow",
      required: [
        "scheme", "name", "version", "referencePrefix", "mediator", "deadlines", "admissibility",
        "options", "subjects",
      ],
      optional: ["committee"])
    let scheme = try string(keys["scheme"]!, "scheme")
    guard scheme.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
      throw fail(
        keys["scheme"], "scheme must be lower-case letters, digits and hyphens, not '\(scheme)'")
    }
    let prefix = try string(keys["referencePrefix"]!, "referencePrefix")
    guard (2...5).contains(prefix.count), prefix.allSatisfy({ $0.isUppercase && $0.isLetter })
    else {
      throw fail(
        keys["referencePrefix"], "referencePrefix must be 2 to 5 capital letters, not '\(prefix)'")
    }
    let options = try self.options(keys["options"]!)
    let committee = try keys["committee"].map { node throws(WorkflowError) in
      try self.committee(node)
    }
    if options.escalation && committee == nil {
      throw fail(keys["options"], "options.escalation is true but the workflow has no committee")
    }
    return Workflow(
      scheme: scheme, name: try string(keys["name"]!, "name"),
      version: try string(keys["version"]!, "version"), referencePrefix: prefix,
      mediator: try mediator(keys["mediator"]!), committee: committee,
      deadlines: try deadlines(keys["deadlines"]!, escalation: options.escalation),
      admissibility: try admissibility(keys["admissibility"]!), options: options,
      subjects: try subjects(keys["subjects"]!))
  }

  func mediator(_ node: Node) throws(WorkflowError) -> Workflow.Mediator {
    let keys = try mapping(
      node, "mediator", required: ["name", "calendar"], optional: ["closures"])
    var closures: [Holiday] = []
    var seen: Set<CivilDate> = []
    if let list = keys["closures"] {
      for item in try sequence(list, "mediator.closures") {
        let entry = try mapping(
          item, "a closure", required: ["date", "name"], optional: ["source"])
        let dateNode = entry["date"]!
        let text = try string(dateNode, "a closure's date")
        let date: CivilDate
        do {
          date = try CivilDate(parsing: text)
        } catch {
          throw fail(dateNode, error.description)
        }
        guard seen.insert(date).inserted else {
          throw fail(dateNode, "closure \(date) is listed twice")
        }
        let source = try entry["source"].map { node throws(WorkflowError) in
          try string(node, "source")
        }
        closures.append(
          Holiday(
            date: date, name: try string(entry["name"]!, "a closure's name"),
            source: source ?? "mediator's office closure", kind: .closure))
      }
    }
    return Workflow.Mediator(
      name: try string(keys["name"]!, "mediator.name"),
      calendar: try profile(keys["calendar"]!, "mediator.calendar"),
      closures: HolidayList(days: closures))
  }

  func committee(_ node: Node) throws(WorkflowError) -> Workflow.Committee {
    let keys = try mapping(
      node, "committee", required: ["name", "calendar", "minimumClaim", "fee"],
      optional: ["alternative"])
    return Workflow.Committee(
      name: try string(keys["name"]!, "committee.name"),
      calendar: try profile(keys["calendar"]!, "committee.calendar"),
      minimumClaim: try money(keys["minimumClaim"]!, "committee.minimumClaim"),
      fee: try money(keys["fee"]!, "committee.fee"),
      alternative: try keys["alternative"].map { node throws(WorkflowError) in
        try string(node, "committee.alternative")
      })
  }

  func deadlines(_ node: Node, escalation: Bool) throws(WorkflowError) -> [DeadlineKind: Workflow
    .DeadlineRule]
  {
    let required = Workflow.requiredDeadlines(escalation: escalation).map(\.rawValue)
    let optional = DeadlineKind.allCases.map(\.rawValue).filter {
      !required.contains($0) && $0 != DeadlineKind.settlementFulfilment.rawValue
    }
    let keys = try mapping(node, "deadlines", required: required, optional: optional)
    var rules: [DeadlineKind: Workflow.DeadlineRule] = [:]
    for (name, value) in keys {
      let kind = DeadlineKind(rawValue: name)!
      let entry = try mapping(
        value, "deadlines.\(name)", required: ["period", "regime", "source"],
        optional: ["extendable"])
      let regimeNode = entry["regime"]!
      let regimeText = try string(regimeNode, "deadlines.\(name).regime")
      guard let regime = Regime(rawValue: regimeText) else {
        throw fail(
          regimeNode,
          "deadlines.\(name).regime: unknown regime '\(regimeText)'; use "
            + Regime.allCases.map(\.rawValue).joined(separator: ", "))
      }
      rules[kind] = Workflow.DeadlineRule(
        period: try period(entry["period"]!, "deadlines.\(name).period"), regime: regime,
        source: try string(entry["source"]!, "deadlines.\(name).source"),
        extendable: try entry["extendable"].map { node throws(WorkflowError) in
          try bool(node, "deadlines.\(name).extendable")
        } ?? false)
    }
    return rules
  }

  func admissibility(_ node: Node) throws(WorkflowError) -> Workflow.Admissibility {
    let keys = try mapping(
      node, "admissibility", required: ["requirePriorContact", "shopCountries", "membersOnly"],
      optional: ["maximumComplaintAge"])
    var countries: Set<Jurisdiction> = []
    let list = try sequence(keys["shopCountries"]!, "admissibility.shopCountries")
    guard !list.isEmpty else {
      throw fail(keys["shopCountries"], "admissibility.shopCountries must not be empty")
    }
    for item in list {
      countries.insert(try jurisdiction(item, "admissibility.shopCountries"))
    }
    return Workflow.Admissibility(
      requirePriorContact: try bool(
        keys["requirePriorContact"]!, "admissibility.requirePriorContact"),
      maximumComplaintAge: try keys["maximumComplaintAge"].map { node throws(WorkflowError) in
        try period(node, "admissibility.maximumComplaintAge")
      },
      shopCountries: countries,
      membersOnly: try bool(keys["membersOnly"]!, "admissibility.membersOnly"))
  }

  func options(_ node: Node) throws(WorkflowError) -> Workflow.Options {
    let keys = try mapping(
      node, "options", required: ["acknowledgement", "escalation", "settlementFulfilment"])
    return Workflow.Options(
      acknowledgement: try bool(keys["acknowledgement"]!, "options.acknowledgement"),
      escalation: try bool(keys["escalation"]!, "options.escalation"),
      settlementFulfilment: try bool(keys["settlementFulfilment"]!, "options.settlementFulfilment"))
  }

  func subjects(_ node: Node) throws(WorkflowError) -> [String] {
    var subjects: [String] = []
    let list = try sequence(node, "subjects")
    guard !list.isEmpty else { throw fail(node, "subjects must not be empty") }
    for item in list {
      let subject = try string(item, "a subject")
      guard subject.allSatisfy({ $0.isLowercase || $0 == "-" }) else {
        throw fail(item, "subject '\(subject)' must be lower-case words joined by hyphens")
      }
      guard !subjects.contains(subject) else {
        throw fail(item, "subject '\(subject)' is listed twice")
      }
      subjects.append(subject)
    }
    return subjects
  }
}
