import WorkingDays

extension Transitions {
  /// The lifecycle graph as a Mermaid state diagram, drawn from ``edges(for:)``: the typed graph
  /// with the workflow's options applied and each edge labelled with the deadlines it opens.
  ///
  /// Extending a deadline, notes and corrections are possible in every open state and are
  /// listed in a note rather than drawn as edges.
  public static func mermaid(for workflow: Workflow) -> String {
    var lines = ["stateDiagram-v2"]
    for edge in edges(for: workflow) {
      let from = edge.from?.rawValue ?? "[*]"
      var label = edge.command.rawValue
      let opened = edge.opens.compactMap { kind -> String? in
        if kind == .settlementFulfilment {
          return workflow.options.settlementFulfilment ? "\(kind.rawValue) (agreed date)" : nil
        }
        guard let rule = workflow.deadlines[kind] else { return nil }
        return "\(kind.rawValue) \(rule.period) \(rule.regime.rawValue)"
      }
      if !opened.isEmpty { label += " / opens " + opened.joined(separator: ", ") }
      lines.append("    \(from) --> \(edge.to.rawValue) : \(label)")
    }
    let reachable = Set(edges(for: workflow).map(\.to))
    for state in StateKind.allCases where state.isClosed && reachable.contains(state) {
      lines.append("    \(state.rawValue) --> [*]")
    }
    lines.append("    note right of awaitingShopAnswer")
    lines.append("        In every open state: extend a deadline, note, correct the latest step.")
    lines.append("    end note")
    return lines.joined(separator: "\n") + "\n"
  }
}
