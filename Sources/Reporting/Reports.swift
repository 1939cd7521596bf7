import CaseModel
public import EventLog
public import Foundation
public import WorkflowLoading
public import WorkingDays

/// Where a report reads the event log from.
public enum ReportSource: Sendable {
  /// A database's `event` table.
  case database(EventStore)
  /// An exported JSON Lines file (`disputes log export`); its hash chain is checked.
  case jsonLines(path: String)

  var description: String {
    switch self {
    case .database(let store): "database \(store.path ?? "(in memory)")"
    case .jsonLines(let path): "log file \(path)"
    }
  }
}

/// The cut-offs and data of a replay.
public struct ReportOptions: Sendable {
  /// Only what occurred up to this instant counts (a bare date: up to the end of that day in
  /// the scheme's zone). Corrections count whenever they occurred: they say a step never
  /// happened.
  public var asOf: Date?
  /// Only events recorded up to this instant are read: the log as the mediator knew it then.
  public var knownAt: Date?
  /// The workflows whose schemes the log's cases name.
  public var workflows: WorkflowCatalog
  /// Whether to recompute the hash of every line of a JSON Lines log (links, positions and
  /// counts are checked regardless).
  public var verifyHashes: Bool
  /// How many closed cases stay in memory for late notes and corrections (tests lower it to
  /// exercise the second pass).
  var recentlyClosedCapacity: Int

  /// Creates options.
  public init(
    asOf: Date? = nil, knownAt: Date? = nil, workflows: WorkflowCatalog = .bundled,
    verifyHashes: Bool = true
  ) {
    self.asOf = asOf
    self.knownAt = knownAt
    self.workflows = workflows
    self.verifyHashes = verifyHashes
    // Assigned here rather than as a default value: a release build that optimises across
    // modules left the defaulted field uninitialised in a client's copy.
    self.recentlyClosedCapacity = 4096
  }
}

/// The reports, each computed by one streaming replay of the event log (docs/reporting.md).
/// Every report's parameters end with `events read`: the events of the log the replay went
/// through, whatever the cut-offs made of them.
///
/// ```swift
/// let report = try Reports.adr(year: 2026, from: .jsonLines(path: "log.jsonl"))
/// print(ReportRenderer.render(report, as: .table))
/// ```
public enum Reports {
  /// The ADR annual activity report for a calendar year, per scheme, split domestic and
  /// cross-border. Unless `options.asOf` is set, the cut-off is the end of the year.
  ///
  /// - Parameters:
  ///   - scheme: only this scheme's cases.
  ///   - shopThreshold: shops with fewer disputes received are left out of the recurring
  ///     problems table.
  /// - Throws: ``ReportError``; no figures are returned from a log with any fault.
  public static func adr(
    year: Int, scheme: String? = nil, shopThreshold: Int = 5, from source: ReportSource,
    options: ReportOptions = ReportOptions()
  ) throws(ReportError) -> ReportDocument {
    guard (1970...2200).contains(year) else {
      throw .invalidParameter("the year \(year) is outside 1970–2200")
    }
    guard shopThreshold >= 1 else {
      throw .invalidParameter("the shop threshold must be at least 1")
    }
    try check(scheme, options)
    var options = options
    if options.asOf == nil {
      // The end of the year in Central European Time, the zone of both bundled mediators.
      options.asOf = Instants.endOfDay(
        try! CivilDate(year: year, month: 12, day: 31), in: TimeZone(identifier: "Europe/Brussels")!
      )
    }
    let (sink, context) = try replay(
      ADRSink(year: year, scheme: scheme), source: source, options: options)
    return sink.document(
      context: context, shopThreshold: shopThreshold,
      parameters: parameters(
        [
          ("year", String(year)), ("scheme", scheme ?? "all"),
          ("shop threshold", String(shopThreshold)),
        ],
        source, options, context))
  }

  /// Service levels for complaints the shops received from `from` to `to` (both included),
  /// by month, scheme, shop and complaint type. The cut-off is `options.asOf`, else now.
  public static func sla(
    from: CivilDate, to: CivilDate, scheme: String? = nil, source: ReportSource,
    options: ReportOptions = ReportOptions()
  ) throws(ReportError) -> ReportDocument {
    guard from <= to else { throw .invalidParameter("--from \(from) is after --to \(to)") }
    try check(scheme, options)
    var options = options
    if options.asOf == nil { options.asOf = Date() }
    let (sink, context) = try replay(
      SLASink(fromDay: Int32(from.dayNumber), toDay: Int32(to.dayNumber), scheme: scheme),
      source: source, options: options)
    return sink.document(
      context: context,
      parameters: parameters(
        [("from", from.description), ("to", to.description), ("scheme", scheme ?? "all")], source,
        options, context))
  }

  /// Open cases by state and overdue deadlines as of an instant.
  public static func snapshot(
    asOf: Date, scheme: String? = nil, source: ReportSource,
    options: ReportOptions = ReportOptions()
  ) throws(ReportError) -> ReportDocument {
    try check(scheme, options)
    var options = options
    options.asOf = asOf
    let (sink, context) = try replay(SnapshotSink(scheme: scheme), source: source, options: options)
    return sink.document(
      context: context, asOfDay: { context.schemes[$0].asOfDay ?? 0 },
      parameters: parameters([("scheme", scheme ?? "all")], source, options, context))
  }

  private static func check(_ scheme: String?, _ options: ReportOptions) throws(ReportError) {
    if let scheme, !options.workflows.workflows.contains(where: { $0.scheme == scheme }) {
      throw .unknownScheme(scheme, known: options.workflows.workflows.map(\.scheme))
    }
  }

  private static func parameters(
    _ own: [(String, String)], _ source: ReportSource, _ options: ReportOptions,
    _ context: ReplayContext
  ) -> [ReportDocument.Parameter] {
    var all = own.map { ReportDocument.Parameter(name: $0.0, value: $0.1) }
    if let asOf = options.asOf {
      all.append(.init(name: "as of", value: Instants.iso8601(asOf)))
    }
    all.append(
      .init(
        name: "as known at", value: options.knownAt.map(Instants.iso8601) ?? "everything recorded"))
    all.append(.init(name: "source", value: source.description))
    all.append(.init(name: "events read", value: String(context.eventsRead)))
    return all
  }

  /// Replays the whole log into a sink: one pass, then a second one for cases that a late
  /// correction reopened after they had left memory.
  static func replay<Sink: ReplaySink>(
    _ sink: Sink, source: ReportSource, options: ReportOptions
  ) throws(ReportError) -> (Sink, ReplayContext) {
    let context = ReplayContext(
      catalog: options.workflows, asOf: options.asOf, knownAt: options.knownAt)
    var replayer = Replayer(sink: sink, context: context)
    replayer.recentlyClosedCapacity = options.recentlyClosedCapacity
    var parser = RecordParser()
    parser.readsRecordedAt = options.knownAt != nil
    var event = ScannedEvent()
    switch source {
    case .jsonLines(let path):
      let pipeline = PipelinedReader(
        path: path, verifyHashes: options.verifyHashes, parser: parser)
      try pipeline.run { (event) throws(ReportError) in
        try replayer.handle(event)
      }
      parser = pipeline.parser
      replayer.finish()
      let only = Set(replayer.revisits.keys)
      try replayer.revisit { (body) throws(ReportError) in
        let second = PipelinedReader(path: path, verifyHashes: false, parser: parser, only: only)
        try second.run(body)
      }
    case .database(let store):
      let pipeline = DatabasePipeline(store: store)
      try pipeline.run { (row) throws(ReportError) in
        try convert(row, parser: &parser, into: &event)
        try replayer.handle(event)
      }
      replayer.finish()
      let identifiers = replayer.revisits.keys.map { parser.identifier($0) }
      try replayer.revisit { (body) throws(ReportError) in
        try scan(store, parser: &parser, caseIDs: identifiers, body)
      }
    }
    return (replayer.sink, context)
  }

  /// Reads one stored row into `event`.
  static func convert(
    _ row: StoredEventBytes, parser: inout RecordParser, into event: inout ScannedEvent
  ) throws(ReportError) {
    func fail(_ message: String) -> ReportError {
      .corruptEvent(position: row.position, message: message)
    }
    event.position = row.position
    event.caseKey = parser.key(row.caseID)
    event.caseVersion = row.caseVersion
    guard let type = EventType.named(row.type) else {
      throw fail("unknown event type \(String(decoding: row.type, as: UTF8.self))")
    }
    guard row.typeVersion >= 1, row.typeVersion <= type.latestVersion else {
      throw fail("unknown version \(row.typeVersion) of \(type.name)")
    }
    event.type = type
    guard let occurred = Dates.moment(row.occurredAt) else { throw fail("bad occurred_at") }
    guard let recorded = Dates.moment(row.recordedAt), !recorded.isDay else {
      throw fail("bad recorded_at")
    }
    event.occurred = occurred
    event.recordedMs = recorded.value
    do throws(ScanError) {
      try parser.parsePayload(row.payload, type: type, into: &event)
    } catch {
      throw fail("payload: \(error.message) at byte \(error.offset)")
    }
  }

  /// Reads the stored events of some cases, in position order, on the calling thread.
  private static func scan(
    _ store: EventStore, parser: inout RecordParser, caseIDs: [String]?,
    _ body: (ScannedEvent) throws(ReportError) -> Void
  ) throws(ReportError) {
    var event = ScannedEvent()
    do {
      try store.scanEvents(caseIDs: caseIDs) { row in
        try convert(row, parser: &parser, into: &event)
        try body(event)
      }
    } catch let error as ReportError {
      throw error
    } catch let error as EventLogError {
      throw .database(error)
    } catch {
      throw .io("\(error)")
    }
  }
}
