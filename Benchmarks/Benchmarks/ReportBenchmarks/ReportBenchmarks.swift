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

let benchmarks: @Sendable () -> Void = {
  let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .cpuTotal, .peakMemoryResident]
  let configuration = Benchmark.Configuration(
    metrics: metrics, scalingFactor: .one, maxDuration: .seconds(1), maxIterations: 3)

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
}
