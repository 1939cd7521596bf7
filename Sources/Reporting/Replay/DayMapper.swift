import Foundation

/// The civil day of an instant in one time zone, fast: the zone's offset is looked up once
/// per UTC day (and the instant of a change within that day remembered), not per instant.
final class DayMapper {
  private struct Entry {
    var offsetBefore: Int64
    /// The first millisecond with `offsetAfter`, or `Int64.max` when the offset does not change
    /// during the UTC day.
    var change: Int64
    var offsetAfter: Int64
  }

  private let zone: TimeZone
  private var entries: [Int: Entry] = [:]
  private var lastDay = Int.min
  private var last = Entry(offsetBefore: 0, change: .max, offsetAfter: 0)

  init(_ zone: TimeZone) { self.zone = zone }

  /// The day number (days since 1970-01-01) of the local day on which the instant falls.
  func day(ofMilliseconds ms: Int64) -> Int32 {
    let utcDay = Int(ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000)
    let entry: Entry
    if utcDay == lastDay {
      entry = last
    } else {
      entry = entries[utcDay] ?? compute(utcDay)
      lastDay = utcDay
      last = entry
    }
    let offset = ms < entry.change ? entry.offsetBefore : entry.offsetAfter
    let local = ms + offset * 1000
    return Int32(local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000)
  }

  private func compute(_ utcDay: Int) -> Entry {
    let start = Date(timeIntervalSince1970: Double(utcDay) * 86_400)
    let end = Date(timeIntervalSince1970: Double(utcDay + 1) * 86_400 - 0.001)
    let before = Int64(zone.secondsFromGMT(for: start))
    let after = Int64(zone.secondsFromGMT(for: end))
    var entry = Entry(offsetBefore: before, change: .max, offsetAfter: before)
    if before != after, let change = zone.nextDaylightSavingTimeTransition(after: start) {
      entry.change = Int64((change.timeIntervalSince1970 * 1000).rounded())
      entry.offsetAfter = after
    }
    entries[utcDay] = entry
    return entry
  }
}
