import WorkingDays

/// A multiset of whole numbers (days, working days) from which values can be taken away
/// again, for averages, medians and 90th percentiles that stay exact when a late correction
/// revises a case.
struct Distribution {
  private var values: [Int32] = []
  private var removed: [Int32] = []

  mutating func add(_ value: Int, sign: Int) {
    if sign > 0 { values.append(Int32(value)) } else { removed.append(Int32(value)) }
  }

  mutating func merge(_ other: Distribution) {
    values += other.values
    removed += other.removed
  }

  /// The values, sorted, with the removed ones taken out.
  func sorted() -> [Int32] {
    let all = values.sorted()
    guard !removed.isEmpty else { return all }
    var out: [Int32] = []
    out.reserveCapacity(all.count)
    let gone = removed.sorted()
    var index = 0
    for value in all {
      while index < gone.count, gone[index] < value { index += 1 }
      if index < gone.count, gone[index] == value {
        index += 1
      } else {
        out.append(value)
      }
    }
    return out
  }
}

/// Summary statistics of sorted values, as defined in docs/reporting.md.
struct Summary {
  let count: Int
  let average: Double?
  /// The middle value; the mean of the two middle values for an even count.
  let median: Double?
  /// Nearest rank: the smallest value with at least 90% of the values at or below it.
  let p90: Double?

  init(_ sorted: [Int32]) {
    count = sorted.count
    guard !sorted.isEmpty else {
      average = nil
      median = nil
      p90 = nil
      return
    }
    average = Double(sorted.reduce(0) { $0 + Int($1) }) / Double(sorted.count)
    let middle = sorted.count / 2
    median =
      sorted.count % 2 == 1
      ? Double(sorted[middle]) : Double(Int(sorted[middle - 1]) + Int(sorted[middle])) / 2
    let rank = (sorted.count * 9 + 9) / 10  // ceil(0.9 n)
    p90 = Double(sorted[rank - 1])
  }
}

extension ReportDocument.Cell {
  static func days(_ value: Double?) -> Self { value.map { .number($0, decimals: 1) } ?? .none }
  static func share(_ part: Int, of whole: Int) -> Self {
    whole > 0 ? .share(Double(part) / Double(whole)) : .none
  }
}

enum DayNumbers {
  static func year(_ day: Int32) -> Int { CivilDate(dayNumber: Int(day)).year }
  static func month(_ day: Int32) -> Int { CivilDate(dayNumber: Int(day)).month }
  static func text(_ day: Int64) -> String { CivilDate(dayNumber: Int(day)).description }
}
