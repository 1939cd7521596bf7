import CanonicalJSON
import EventCoding
public import EventLog
public import Foundation
import SyntheticCases
public import WorkingDays

/// Writes a realistic, hash-chained log of generated cases as an export file (JSON Lines), with
/// the cases' events interleaved in the order they occurred, as a real log would hold them.
///
/// ```swift
/// let handle = try FileHandle(forWritingTo: url)
/// let summary = try SyntheticLog.write(cases: 100_000, seed: 7, to: handle)
/// ```
///
/// Memory stays bounded by the number of cases open at the same time.
public enum SyntheticLog {
  /// What was written.
  public struct Summary: Sendable {
    /// Events written.
    public let events: Int
    /// Cases written.
    public let cases: Int
  }

  /// Writes `cases` generated cases received over `days` days from `firstDay`.
  public static func write(
    cases count: Int, seed: UInt64, firstDay: CivilDate = try! CivilDate(parsing: "2025-01-06"),
    days: Int = 730,
    recordedDelayDays: Int = 1, to output: FileHandle
  ) throws -> Summary {
    var generator = CaseGenerator(seed: seed, firstDay: firstDay, days: days, expectedCount: count)
    // Pending events of open cases, ordered by when they occurred (then by case arrival).
    var heap = EventHeap()
    var generated = 0
    var position = 0
    var previous = LogRecord.genesis
    var lines: [UInt8] = []
    let temporary = FileManager.default.temporaryDirectory.appendingPathComponent(
      "synthetic-\(UUID().uuidString).jsonl")
    _ = FileManager.default.createFile(atPath: temporary.path, contents: nil)
    let body = try FileHandle(forWritingTo: temporary)
    defer {
      try? body.close()
      try? FileManager.default.removeItem(at: temporary)
    }
    var nextCase = count > 0 ? generator.next() : nil
    generated = nextCase == nil ? 0 : 1
    while true {
      // Admit every case received before the earliest pending event.
      while let candidate = nextCase,
        heap.peek.map({ Self.key(candidate.events[0].occurredAt) <= $0.key }) ?? true
      {
        heap.push(.init(case: candidate, index: 0, serial: generated))
        if generated < count {
          nextCase = generator.next()
          generated += 1
        } else {
          nextCase = nil
        }
      }
      guard var item = heap.pop() else { break }
      let event = item.case.events[item.index]
      position += 1
      let occurred = EventCodec.text(event.occurredAt)
      let day = CivilDate(dayNumber: Int(Self.key(event.occurredAt) / 86_400_000))
      let record = LogRecord(
        position: position, caseID: item.case.caseID, caseVersion: item.index + 1,
        type: event.change.typeName,
        typeVersion: EventCodec.currentVersion(of: event.change.typeName)!, occurredAt: occurred,
        recordedAt: Instants.iso8601(
          Instants.startOfDay(day.adding(days: recordedDelayDays), in: .gmt).addingTimeInterval(
            9 * 3600)),
        actor: "generator", commandID: "gen:\(item.case.caseID):\(item.index + 1)",
        payload: EventCodec.payload(event),
        previousHash: previous)
      previous = record.hash
      lines.append(contentsOf: record.exportLine)
      lines.append(0x0A)
      if lines.count > 1 << 20 {
        body.write(Data(lines))
        lines.removeAll(keepingCapacity: true)
      }
      item.index += 1
      if item.index < item.case.events.count { heap.push(item) }
    }
    body.write(Data(lines))
    try body.close()
    let header = LogHeader(events: position, lastHash: LogRecord.hex(previous), people: 0)
    output.write(Data(header.line + [0x0A]))
    let input = try FileHandle(forReadingFrom: temporary)
    defer { try? input.close() }
    while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { output.write(chunk) }
    return Summary(events: position, cases: generated)
  }

  /// Milliseconds since 1970 of an occurrence (a bare date counts as its start, in UTC), for
  /// ordering only.
  static func key(_ occurrence: Occurrence) -> Int {
    switch occurrence {
    case .day(let day): day.dayNumber * 86_400_000
    case .instant(let instant): Int((instant.timeIntervalSince1970 * 1000).rounded())
    }
  }
}

/// A binary min-heap of open cases by the time of their next event.
private struct EventHeap {
  struct Item {
    var `case`: CaseGenerator.GeneratedCase
    var index: Int
    var serial: Int
    var key: Int { SyntheticLog.key(`case`.events[index].occurredAt) }
  }

  private var items: [Item] = []

  var peek: Item? { items.first }

  private static func less(_ a: Item, _ b: Item) -> Bool {
    let (ka, kb) = (a.key, b.key)
    return ka != kb ? ka < kb : a.serial < b.serial
  }

  mutating func push(_ item: Item) {
    items.append(item)
    var child = items.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard Self.less(items[child], items[parent]) else { break }
      items.swapAt(child, parent)
      child = parent
    }
  }

  mutating func pop() -> Item? {
    guard !items.isEmpty else { return nil }
    items.swapAt(0, items.count - 1)
    let top = items.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < items.count, Self.less(items[left], items[smallest]) { smallest = left }
      if right < items.count, Self.less(items[right], items[smallest]) { smallest = right }
      guard smallest != parent else { break }
      items.swapAt(parent, smallest)
      parent = smallest
    }
    return top
  }
}

extension EventStore.CaseBatch {
  /// A generated case as a batch for ``EventStore/appendCases(_:actor:recordedAt:)``, with its
  /// consumer's (fictitious) personal data.
  public init(_ generated: CaseGenerator.GeneratedCase) {
    self.init(
      events: generated.events,
      person: PersonRecord(
        id: generated.consumer.id, name: generated.consumer.name, email: generated.consumer.email))
  }
}
