import CaseModel
import EventLog
import Foundation
import WorkflowLoading
import WorkingDays

/// What a report accumulates: each case's track is added once it is settled (closed and
/// out of the recently-closed window, or at the end of the log), and taken away again
/// (`sign` -1) if a late correction reopens it.
protocol ReplaySink {
  mutating func add(_ track: CaseTrack, _ context: ReplayContext, sign: Int)
}

/// A scheme as reports need it.
struct SchemeInfo {
  let scheme: String
  let name: String
  let zone: DayMapper
  /// The civil day of the as-of instant in the scheme's zone.
  let asOfDay: Int64?
}

/// A shop in the replay's register.
struct ShopInfo {
  let key: String
  let name: String
  let country: Jurisdiction
}

/// The interned names of a replay, shared by its sinks.
final class ReplayContext {
  let catalog: WorkflowCatalog
  let asOfMs: Int64?
  let knownAtMs: Int64?
  private(set) var schemes: [SchemeInfo] = []
  private(set) var shops: [ShopInfo] = []
  private(set) var subjects: [String] = []
  private(set) var reasons: [String] = []
  private var schemeIndex: [String: Int] = [:]
  private var shopIndex: [String: Int32] = [:]
  private var subjectIndex: [String: Int32] = [:]
  private var reasonIndex: [String: Int32] = [:]
  let shopCalendars: [Jurisdiction: WorkingDayCalendar]
  /// Every event the first pass read, whatever the cut-offs made of it.
  var eventsRead = 0

  init(catalog: WorkflowCatalog, asOf: Date?, knownAt: Date?) {
    self.catalog = catalog
    asOfMs = asOf.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) }
    knownAtMs = knownAt.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) }
    var calendars: [Jurisdiction: WorkingDayCalendar] = [:]
    for country in Jurisdiction.allCases {
      calendars[country] = .standard(country.defaultProfile)
    }
    shopCalendars = calendars
  }

  func scheme(_ name: String) throws(ReportError) -> Int {
    if let index = schemeIndex[name] { return index }
    let workflow: Workflow
    do {
      workflow = try catalog.workflow(named: name)
    } catch {
      throw .unknownScheme(name, known: catalog.workflows.map(\.scheme))
    }
    let zone = DayMapper(WorkingDayCalendar.standard(workflow.mediator.calendar).timeZone)
    let info = SchemeInfo(
      scheme: name, name: workflow.name, zone: zone,
      asOfDay: asOfMs.map { Int64(zone.day(ofMilliseconds: $0)) })
    schemes.append(info)
    schemeIndex[name] = schemes.count - 1
    return schemes.count - 1
  }

  func shop(_ identity: ShopIdentity) -> Int32 {
    let key = EventStore.shopKey(identity)
    if let index = shopIndex[key] { return index }
    shops.append(ShopInfo(key: key, name: identity.tradeName, country: identity.country))
    shopIndex[key] = Int32(shops.count - 1)
    return Int32(shops.count - 1)
  }

  func subject(_ name: String) -> Int32 {
    if let index = subjectIndex[name] { return index }
    subjects.append(name)
    subjectIndex[name] = Int32(subjects.count - 1)
    return Int32(subjects.count - 1)
  }

  func reason(_ text: String) -> Int32 {
    if let index = reasonIndex[text] { return index }
    reasons.append(text)
    reasonIndex[text] = Int32(reasons.count - 1)
    return Int32(reasons.count - 1)
  }

  /// Whether a moment is on or before the as-of cut-off: an instant by its time, a day by its
  /// date in the scheme's zone.
  @inline(__always) func isIncluded(_ moment: Moment, scheme: Int) -> Bool {
    guard let asOfMs else { return true }
    if moment.isDay { return moment.value <= schemes[scheme].asOfDay! }
    return moment.value <= asOfMs
  }

  /// The civil day of a moment in a scheme's zone.
  @inline(__always) func day(_ moment: Moment, scheme: Int) -> Int32 {
    moment.isDay ? Int32(moment.value) : schemes[scheme].zone.day(ofMilliseconds: moment.value)
  }
}

/// Replays events in position order into a sink, with memory bounded by the open cases.
///
/// A case leaves memory once it has closed and some 4,096 other cases have closed since
/// (notes and corrections often follow a closing step). A correction that reaches a case
/// already gone is remembered with its position, and the case is replayed again afterwards
/// from the source (``revisit(_:)``): its earlier contribution is taken away and its final one
/// added, so the figures are exact whatever the order of the log.
struct Replayer<Sink: ReplaySink> {
  var recentlyClosedCapacity = 4096

  var sink: Sink
  let context: ReplayContext
  private var live: [CaseKey: CaseTrack] = [:]
  private var closedQueue: [CaseKey] = []
  private var closedHead = 0
  private var settled = BloomFilter(bits: 1 << 24)
  /// Cases to replay again, with the position of the event that found them gone.
  private(set) var revisits: [CaseKey: Int] = [:]

  init(sink: Sink, context: ReplayContext) {
    self.sink = sink
    self.context = context
  }

  /// Applies one event.
  mutating func handle(_ event: ScannedEvent) throws(ReportError) {
    context.eventsRead += 1
    try handle(event, evicting: true)
  }

  /// Applies one event; a closed case leaves memory later only when `evicting`.
  private mutating func handle(_ event: ScannedEvent, evicting: Bool) throws(ReportError) {
    if let knownAt = context.knownAtMs, event.recordedMs > knownAt {
      // Recorded after the cut-off: unknown then, and so is everything after it in its case.
      live[event.caseKey]?.frozen = true
      return
    }
    guard let track = live[event.caseKey] else {
      if event.type == .opened {
        try open(event)
      } else if evicting, event.type == .corrected, settled.contains(event.caseKey),
        revisits[event.caseKey] == nil
      {
        revisits[event.caseKey] = event.position
      }
      return
    }
    guard !track.frozen else { return }
    let included = context.isIncluded(event.occurred, scheme: track.scheme)
    var reason: Int32 = -1
    switch event.type {
    case .withdrawn: reason = context.reason("withdrawn by the consumer")
    case .abandoned, .closed, .mediationFailed:
      if let text = event.reason { reason = context.reason(text) }
    default: break
    }
    let day: Int32 = event.type.step != nil ? context.day(event.occurred, scheme: track.scheme) : 0
    do {
      try track.apply(event, day: day, include: included, reason: reason)
    } catch {
      throw .corruptEvent(position: event.position, message: error.message)
    }
    if evicting, track.isClosed { close(track) }
  }

  private mutating func open(_ event: ScannedEvent) throws(ReportError) {
    guard let opening = event.opening else {
      throw .corruptEvent(position: event.position, message: "CaseOpened without its facts")
    }
    guard event.caseVersion == 1 else {
      throw .corruptEvent(position: event.position, message: "CaseOpened is not version 1")
    }
    let scheme = try context.scheme(opening.scheme)
    guard context.isIncluded(event.occurred, scheme: scheme) else { return }
    let track = CaseTrack(
      key: event.caseKey, opening: opening, scheme: scheme, shop: context.shop(opening.shop),
      subject: context.subject(opening.subject), received: event.occurred,
      receivedDay: context.day(event.occurred, scheme: scheme), opens: event.opens)
    live[event.caseKey] = track
  }

  private mutating func close(_ track: CaseTrack) {
    closedQueue.append(track.key)
    guard closedQueue.count - closedHead > recentlyClosedCapacity else { return }
    let oldest = closedQueue[closedHead]
    closedHead += 1
    if let evicted = live[oldest], evicted.isClosed {
      live[oldest] = nil
      settled.insert(oldest)
      sink.add(evicted, context, sign: 1)
    }
    if closedHead > 65_536 {
      closedQueue.removeFirst(closedHead)
      closedHead = 0
    }
  }

  /// Adds every case still in memory.
  mutating func finish() {
    for track in live.values { sink.add(track, context, sign: 1) }
    live.removeAll()
    closedQueue.removeAll()
    closedHead = 0
  }

  /// Replays the remembered cases again from their events (in position order): what each
  /// contributed before the late event is taken away, its final state added.
  mutating func revisit(
    _ events: (_ body: (ScannedEvent) throws(ReportError) -> Void) throws(ReportError) -> Void
  )
    throws(ReportError)
  {
    guard !revisits.isEmpty else { return }
    var inner = Replayer<RevisitSink>(sink: RevisitSink(), context: context)
    let triggers = revisits
    var withdrawn: Set<CaseKey> = []
    try events { (event) throws(ReportError) in
      guard let trigger = triggers[event.caseKey] else { return }
      if event.position >= trigger, !withdrawn.contains(event.caseKey) {
        withdrawn.insert(event.caseKey)
        if let track = inner.live[event.caseKey] { sink.add(track, context, sign: -1) }
      }
      try inner.handle(event, evicting: false)
    }
    for track in inner.live.values { sink.add(track, context, sign: 1) }
  }

}

/// The inner replay of a revisit adds nothing by itself.
struct RevisitSink: ReplaySink {
  mutating func add(_ track: CaseTrack, _ context: ReplayContext, sign: Int) {}
}

/// A fixed-size Bloom filter over case keys: "maybe settled" or "certainly not". A false
/// "maybe" costs only a needless revisit.
struct BloomFilter {
  private var words: [UInt64]
  private let mask: UInt64

  init(bits: Int) {
    words = Array(repeating: 0, count: bits / 64)
    mask = UInt64(bits - 1)
  }

  private func hashes(_ key: CaseKey) -> (UInt64, UInt64, UInt64) {
    let a = (key.high ^ (UInt64(key.other) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
    let b = (key.low ^ (a >> 31)) &* 0x94D0_49BB_1331_11EB
    return (a >> 17, b >> 11, (a ^ b) >> 23)
  }

  @inline(__always) private mutating func set(_ bit: UInt64) {
    words[Int(bit >> 6)] |= 1 << (bit & 63)
  }

  @inline(__always) private func isSet(_ bit: UInt64) -> Bool {
    words[Int(bit >> 6)] & (1 << (bit & 63)) != 0
  }

  mutating func insert(_ key: CaseKey) {
    let (x, y, z) = hashes(key)
    set(x & mask)
    set(y & mask)
    set(z & mask)
  }

  func contains(_ key: CaseKey) -> Bool {
    let (x, y, z) = hashes(key)
    return isSet(x & mask) && isSet(y & mask) && isSet(z & mask)
  }
}
