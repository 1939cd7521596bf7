import Benchmark
import DisputeEngine
import Foundation

// The report replay over a generated log. The target: 10,000,000 events into the ADR
// report at 1,000,000 events per second or more, peak memory under 200 MB. The number of
// generated cases is REPORT_BENCH_CASES (default 1,000,000 cases, about 10,000,000 events and
// 7 GB of JSON Lines, generated once into $TMPDIR/dispute-engine-bench).

let workDirectory: URL = {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("dispute-engine-bench")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}()

let caseCount = Int(ProcessInfo.processInfo.environment["REPORT_BENCH_CASES"] ?? "") ?? 1_000_000

/// The generated log and its number of events.
let log: (path: String, events: Int) = {
  let url = workDirectory.appendingPathComponent("log-\(caseCount)-cases-seed7.jsonl")
  if let handle = FileHandle(forReadingAtPath: url.path) {
    var reader = LineReader(handle)
    if let header = try? reader.next(), let parsed = try? LogHeader.parse(header) {
      return (url.path, parsed.events)
    }
  }
  FileManager.default.createFile(atPath: url.path, contents: nil)
  let handle = try! FileHandle(forWritingTo: url)
  let summary = try! SyntheticLog.write(cases: caseCount, seed: 7, to: handle)
  try! handle.close()
  return (url.path, summary.events)
}()

/// A database of 100,000 generated cases (about 1,000,000 events), imported once.
let database: String = {
  let path = workDirectory.appendingPathComponent("report-100k-cases.sqlite").path
  if FileManager.default.fileExists(atPath: path) { return path }
  let source = workDirectory.appendingPathComponent("log-100k-seed7.jsonl")
  if !FileManager.default.fileExists(atPath: source.path) {
    FileManager.default.createFile(atPath: source.path, contents: nil)
    let handle = try! FileHandle(forWritingTo: source)
    _ = try! SyntheticLog.write(cases: 100_000, seed: 7, to: handle)
    try! handle.close()
  }
  let store = try! EventStore(path: path)
  _ = try! store.importLog(from: FileHandle(forReadingAtPath: source.path)!)
  return path
}()

let benchmarks: @Sendable () -> Void = {
  let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .cpuTotal, .peakMemoryResident]
  let configuration = Benchmark.Configuration(
    metrics: metrics, warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(120),
    maxIterations: 3)

  Benchmark("ADR report from JSON Lines, hashes checked (events/s = throughput × events)", configuration: configuration) { benchmark in
    let source = log
    benchmark.startMeasurement()
    let report = try Reports.adr(year: 2025, from: .jsonLines(path: source.path))
    blackHole(report)
  }

  Benchmark("ADR report from JSON Lines, links and counts only", configuration: configuration) { benchmark in
    let source = log
    benchmark.startMeasurement()
    let report = try Reports.adr(
      year: 2025, from: .jsonLines(path: source.path), options: ReportOptions(verifyHashes: false))
    blackHole(report)
  }

  Benchmark("ADR report from a database of 100,000 cases (~1M events)", configuration: configuration) { benchmark in
    let store = try EventStore(path: database)
    benchmark.startMeasurement()
    let report = try Reports.adr(year: 2025, from: .database(store))
    blackHole(report)
  }
}
