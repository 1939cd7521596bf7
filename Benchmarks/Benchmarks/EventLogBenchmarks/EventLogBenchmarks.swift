import Benchmark
import DisputeEngine
import Foundation

// Shared inputs, built once per process and only when a benchmark needs them.

/// A directory that outlives single benchmarks, so the big log is generated once per run.
let workDirectory: URL = {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("dispute-engine-bench")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}()

/// The big log: 100,000 cases (about 1,000,000 events with notes and deadlines), seed 7.
let bigLog: (url: URL, events: Int) = {
  let url = workDirectory.appendingPathComponent("log-100k-seed7.jsonl")
  if let handle = FileHandle(forReadingAtPath: url.path) {
    var reader = LineReader(handle)
    if let header = try? reader.next(), let parsed = try? LogHeader.parse(header) { return (url, parsed.events) }
  }
  FileManager.default.createFile(atPath: url.path, contents: nil)
  let handle = try! FileHandle(forWritingTo: url)
  let summary = try! SyntheticLog.write(cases: 100_000, seed: 7, to: handle)
  try! handle.close()
  return (url, summary.events)
}()

/// Twice the big log at the same density: 200,000 cases over four years instead of two (about
/// 2,000,000 events), so that the cases open at any moment are as many as in the big log.
let doubleLog: (url: URL, events: Int) = {
  let url = workDirectory.appendingPathComponent("log-200k-4y-seed7.jsonl")
  if let handle = FileHandle(forReadingAtPath: url.path) {
    var reader = LineReader(handle)
    if let header = try? reader.next(), let parsed = try? LogHeader.parse(header) { return (url, parsed.events) }
  }
  FileManager.default.createFile(atPath: url.path, contents: nil)
  let handle = try! FileHandle(forWritingTo: url)
  let summary = try! SyntheticLog.write(cases: 200_000, seed: 7, days: 1460, to: handle)
  try! handle.close()
  return (url, summary.events)
}()

/// 20,000 generated events with their payloads, for the decoding comparison.
let samples: [(type: String, occurred: String, payload: [UInt8], json: Data)] = {
  var generator = CaseGenerator(seed: 3, firstDay: try! CivilDate(parsing: "2026-01-05"), days: 365, expectedCount: 4000)
  var out: [(String, String, [UInt8], Data)] = []
  let encoder = JSONEncoder()
  while out.count < 20_000 {
    for event in generator.next().events {
      out.append(
        (event.change.typeName, EventCodec.text(event.occurredAt), EventCodec.payload(event), try! encoder.encode(event)))
    }
  }
  return out
}()

func freshDatabase(_ name: String) -> String {
  let path = workDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path
  return path
}

func remove(_ path: String) {
  for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

let benchmarks: @Sendable () -> Void = {
  let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .cpuTotal, .mallocCountTotal, .peakMemoryResident]

  // Decoding: the options for the stored encoding, per event payload.
  Benchmark(
    "Decode payload: EventCodec (hand-written reader)",
    configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(3))
  ) { benchmark in
    let inputs = samples
    for index in benchmark.scaledIterations {
      let sample = inputs[index % inputs.count]
      blackHole(try EventCodec.decode(type: sample.type, version: EventCodec.currentVersion(of: sample.type)!, occurredAt: sample.occurred, payload: sample.payload))
    }
  }
  Benchmark(
    "Decode payload: JSONDecoder (Codable CaseEvent)",
    configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(3))
  ) { benchmark in
    let inputs = samples
    let decoder = JSONDecoder()
    for index in benchmark.scaledIterations {
      blackHole(try decoder.decode(CaseEvent.self, from: inputs[index % inputs.count].json))
    }
  }
  Benchmark(
    "Decode payload: JSONSerialization (untyped)",
    configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(3))
  ) { benchmark in
    let inputs = samples
    for index in benchmark.scaledIterations {
      blackHole(try JSONSerialization.jsonObject(with: Data(inputs[index % inputs.count].payload)))
    }
  }

  // Bulk import of the big log: hash chain checked, payloads decoded, projections rebuilt. The
  // figures are per event (scaling factor mega ≈ 1,000,000 events per iteration).
  Benchmark(
    "Import JSON Lines log (100k cases, ~1M events), per event",
    configuration: .init(metrics: metrics, scalingFactor: .mega, maxDuration: .seconds(600), maxIterations: 1)
  ) { benchmark in
    let log = bigLog
    let path = freshDatabase("import")
    defer { remove(path) }
    let store = try EventStore(path: path)
    let handle = try FileHandle(forReadingFrom: log.url)
    benchmark.startMeasurement()
    let count = try store.importLog(from: handle)
    benchmark.stopMeasurement()
    precondition(count == log.events)
  }

  // Replay of the whole log into the projections.
  Benchmark(
    "Rebuild projections from the log (~1M events), per event",
    configuration: .init(metrics: metrics + [.peakMemoryResidentDelta], scalingFactor: .mega, maxDuration: .seconds(600), maxIterations: 1)
  ) { benchmark in
    let log = bigLog
    let path = freshDatabase("rebuild")
    defer { remove(path) }
    let store = try EventStore(path: path)
    _ = try store.importLog(from: try FileHandle(forReadingFrom: log.url))
    benchmark.startMeasurement()
    let replayed = try store.rebuildProjections()
    benchmark.stopMeasurement()
    precondition(replayed == log.events)
  }

  // The same replay over twice the log at the same density: memory must not grow with it.
  Benchmark(
    "Rebuild projections, twice the log at the same density (~2M events), per event",
    configuration: .init(metrics: metrics + [.peakMemoryResidentDelta], scalingFactor: .mega, maxDuration: .seconds(900), maxIterations: 1)
  ) { benchmark in
    let log = doubleLog
    let path = freshDatabase("rebuild2")
    defer { remove(path) }
    let store = try EventStore(path: path)
    _ = try store.importLog(from: try FileHandle(forReadingFrom: log.url))
    benchmark.startMeasurement()
    let replayed = try store.rebuildProjections()
    benchmark.stopMeasurement()
    precondition(replayed == log.events)
  }

  // Single commands through the full API: load the case from its projection row, decide,
  // append with the hash chain, project, commit with synchronous=FULL.
  Benchmark(
    "Single command through the engine, synchronous=FULL",
    configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(30), maxIterations: 5)
  ) { benchmark in
    let path = freshDatabase("commands")
    defer { remove(path) }
    let engine = try Engine(path: path, clock: FixedClock(try Instants.parse("2027-01-15T09:00:00Z")))
    let shop = ShopIdentity(tradeName: "Bench B.V.", country: .netherlands, registrationNumber: "11112222")
    var references: [String] = []
    for _ in 0..<100 {
      references.append(
        try engine.openCase(
          NewCase(
            scheme: "webwinkelkeur", shop: shop, consumerCountry: .netherlands, consumer: nil, subject: "delivery",
            amount: nil, receivedAt: .day(try CivilDate(parsing: "2026-12-23"))),
          actor: "bench"
        ).reference.description)
    }
    let day = Occurrence.day(try CivilDate(parsing: "2026-12-24"))
    benchmark.startMeasurement()
    for index in benchmark.scaledIterations {
      try engine.handle(.note(at: day, text: "call \(index)"), on: references[index % 100], actor: "bench")
    }
    benchmark.stopMeasurement()
  }
}
