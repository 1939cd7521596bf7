import ArgumentParser
import DisputeEngine
import Foundation

struct DeadlinesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deadlines", abstract: "What is due, and recording what has passed.",
    subcommands: [DeadlinesDueCommand.self, DeadlinesSweepCommand.self])
}

struct DeadlinesDueCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "due",
    abstract:
      "Open deadlines expiring before a date, soonest first; those already passed are marked overdue."
  )

  @Option(help: "YYYY-MM-DD (end of that day) or a date-time (default: 7 days after now).")
  var before: String?

  @Flag(
    help:
      "Print JSON: an array of {caseId, reference, kind, party, lastDay, expiresAt, overdue, markedMissed}."
  )
  var json = false

  @OptionGroup var global: GlobalOptions

  struct Row: Encodable {
    let caseId: String
    let reference: String
    let kind: String
    let party: String
    let lastDay: String
    let expiresAt: String
    let overdue: Bool
    let markedMissed: Bool
  }

  func run() throws {
    let engine = try global.engine()
    let now = engine.clock.now()
    let limit = try before.map { try instant(endOf: $0) } ?? now.addingTimeInterval(7 * 86_400)
    let due = try engineCall { () throws(EngineError) in try engine.deadlines(dueBefore: limit) }
    let rows = due.map {
      Row(
        caseId: $0.caseID, reference: $0.reference, kind: $0.kind, party: $0.party,
        lastDay: $0.lastDay,
        expiresAt: $0.expiresAt, overdue: $0.expiresAt < Instants.iso8601(now),
        markedMissed: $0.markedMissed)
    }
    if json {
      print(try Terminal.json(rows))
      return
    }
    guard !rows.isEmpty else {
      print("Nothing due before \(Instants.iso8601(limit)).")
      return
    }
    print(
      Table.render(
        header: ["REFERENCE", "DEADLINE", "PARTY", "DUE", "STATUS"],
        rows: rows.map {
          [$0.reference, $0.kind, $0.party, $0.lastDay, $0.overdue ? "OVERDUE" : "due"]
        }))
    print(
      "\(rows.filter(\.overdue).count) overdue, \(rows.filter { !$0.overdue }.count) due before \(Instants.iso8601(limit).prefix(10))"
    )
  }
}

struct DeadlinesSweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract:
      "Record every deadline that passed without the step that satisfies it (once; safe to repeat).",
    discussion: "Uses --now (or $DISPUTES_NOW) when given, the system clock otherwise.")

  @Flag(help: "Print JSON: an array of {reference, deadline}.")
  var json = false

  @OptionGroup var global: GlobalOptions

  struct Marked: Encodable {
    let reference: String
    let deadline: String
  }

  func run() throws {
    let engine = try global.engine()
    let marked = try engineCall { () throws(EngineError) in
      try engine.sweep(actor: global.actorName)
    }
    let rows = marked.map { Marked(reference: $0.reference, deadline: $0.kind.rawValue) }
    if json {
      print(try Terminal.json(rows))
      return
    }
    print(
      "Marked \(rows.count) passed deadline\(rows.count == 1 ? "" : "s") at \(Instants.iso8601(engine.clock.now()))"
    )
    for row in rows { print("  \(row.reference)  \(row.deadline)") }
  }
}
