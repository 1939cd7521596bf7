import DisputeEngine
import Foundation
import GRDB
import Testing

@testable import Reporting

/// The report replay follows cases with its own compact fold (`CaseTrack`); the engine's
/// projections come from `DisputeCase`. On the same log they must agree on every case's state
/// and on every deadline's kind and status.
@Suite("Report fold agrees with the engine's")
struct FoldAgreementTests {
  /// Collects the final state of every case.
  struct Collector: ReplaySink {
    var cases: [String: (state: String, deadlines: [String])] = [:]
    mutating func add(_ track: CaseTrack, _ context: ReplayContext, sign: Int) {
      cases[track.reference] = (
        track.state.rawValue, track.deadlines.map { "\($0.kind.rawValue):\($0.status.rawValue)" }
      )
    }
  }

  static func compare(_ store: EventStore, path: String) throws {
    var options = ReportOptions()
    options.recentlyClosedCapacity = 16
    let (collector, _) = try Reports.replay(
      Collector(), source: .database(store), options: options)
    let fromFile = try Reports.replay(Collector(), source: .jsonLines(path: path), options: options)
      .0
    let queue = try DatabaseQueue(path: store.path!)
    let projected = try queue.read { db in
      var cases: [String: (state: String, deadlines: [String])] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT case_id, reference, state FROM case_summary") {
        let deadlines = try String.fetchAll(
          db,
          sql: "SELECT kind || ':' || status FROM deadline WHERE case_id = ? ORDER BY seq",
          arguments: [row["case_id"] as String])
        cases[row["reference"]] = (row["state"], deadlines)
      }
      return cases
    }
    #expect(collector.cases.count == projected.count)
    #expect(fromFile.cases.count == projected.count)
    var differences = 0
    for (reference, engine) in projected {
      let replayed = collector.cases[reference]
      if replayed?.state != engine.state || replayed?.deadlines != engine.deadlines
        || fromFile.cases[reference]?.deadlines != engine.deadlines
      {
        differences += 1
        if differences <= 3 {
          Issue.record("\(reference): engine \(engine), replay \(String(describing: replayed))")
        }
      }
    }
    #expect(differences == 0)
  }

  @Test("on the hand-built log (a correction of a closed case, late records)")
  func handBuilt() throws {
    let logs = try ReportFigureTests.Logs()
    defer { logs.remove() }
    try Self.compare(logs.store, path: logs.export)
  }

  @Test("on 600 generated cases (extensions, sweeps, notes, every outcome)")
  func generated() throws {
    let generated = try LargeLogTests.Generated()
    defer { generated.remove() }
    try Self.compare(generated.store, path: generated.log)
  }
}
