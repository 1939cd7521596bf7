import Benchmark
import Foundation
import WorkingDays

/// One million random queries: start dates 1995–2080, n = 1…30, from a fixed seed.
struct Queries {
  let days: [Int]
  let dates: [CivilDate]
  let counts: [Int]

  init(count: Int = 1_000_000, seed: UInt64) {
    var generator = SplitMix64(seed: seed)
    let low = Self.date(1995, 1, 1).dayNumber
    let high = Self.date(2080, 12, 31).dayNumber
    var days: [Int] = []
    var counts: [Int] = []
    days.reserveCapacity(count)
    counts.reserveCapacity(count)
    for _ in 0..<count {
      days.append(low + Int(generator.next() % UInt64(high - low + 1)))
      counts.append(1 + Int(generator.next() % 30))
    }
    self.days = days
    self.counts = counts
    self.dates = days.map { CivilDate(dayNumber: $0) }
  }

  static func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate {
    // The benchmark's own constants; a failure here is a typo in this file.
    try! CivilDate(year: year, month: month, day: day)
  }
}

struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

let metrics: [BenchmarkMetric] = [
  .wallClock, .throughput, .cpuTotal, .mallocCountTotal, .peakMemoryResident,
]

let benchmarks: @Sendable () -> Void = {
  let queries = Queries(seed: 7)

  for (name, calendar) in [
    ("NL", WorkingDayCalendar.netherlands), ("BE", WorkingDayCalendar.belgium),
  ] {
    // Build the tables before measuring: the precomputation is measured separately below.
    _ = try? calendar.addingWorkingDays(1, toDayNumber: 20_000)

    // Each inner iteration is one query; the reported figures are per million queries.
    Benchmark(
      "\(name) n-th working day, day numbers (1M random queries)",
      configuration: .init(metrics: metrics, scalingFactor: .mega, maxDuration: .seconds(5))
    ) { benchmark in
      var checksum = 0
      for index in benchmark.scaledIterations {
        checksum &+=
          (try? calendar.addingWorkingDays(queries.counts[index], toDayNumber: queries.days[index]))
          ?? 0
      }
      blackHole(checksum)
    }

    Benchmark(
      "\(name) n-th working day, CivilDate (1M random queries)",
      configuration: .init(metrics: metrics, scalingFactor: .mega, maxDuration: .seconds(5))
    ) { benchmark in
      var checksum = 0
      for index in benchmark.scaledIterations {
        checksum &+=
          (try? calendar.addingWorkingDays(queries.counts[index], to: queries.dates[index]))?.day
          ?? 0
      }
      blackHole(checksum)
    }
  }

  Benchmark(
    "Build NL calendar (precompute 1970–2200)",
    configuration: .init(metrics: metrics, maxDuration: .seconds(5))
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(WorkingDayCalendar(.standard(.netherlands)))
    }
  }

  Benchmark(
    "NL deadline with explanation (5 working days)",
    configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(5))
  ) { benchmark in
    let calendar = WorkingDayCalendar.netherlands
    for index in benchmark.scaledIterations {
      blackHole(
        try? calendar.deadline(.workingDays(5), from: .day(queries.dates[index]), regime: .eu))
    }
  }
}
