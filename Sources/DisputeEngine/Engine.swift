public import CaseModel
@_exported public import EventLog
public import Foundation
public import WorkflowLoading
public import WorkingDays

/// Where the engine's "now" comes from. Injected, so demos, tests and re-runs can pin it.
public protocol EngineClock: Sendable {
  /// The current instant.
  func now() -> Date
}

/// The system clock, to the millisecond.
public struct SystemClock: EngineClock {
  /// Creates the clock.
  public init() {}
  public func now() -> Date {
    Instants.milliseconds(Int((Date().timeIntervalSince1970 * 1000).rounded()))
  }
}

/// A clock that always says the same instant.
public struct FixedClock: EngineClock {
  /// The instant.
  public let instant: Date
  /// Creates the clock.
  public init(_ instant: Date) { self.instant = instant }
  public func now() -> Date { instant }
}

/// Why the engine refused or failed a request.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The event log refused or failed (conflict, not found, a decision refused, busy, I/O…).
  case log(EventLogError)
  /// No workflow has this scheme.
  case unknownScheme(UnknownSchemeError)
  /// The request is invalid.
  case invalidRequest(String)

  public var description: String {
    switch self {
    case .log(let error): error.description
    case .unknownScheme(let error): error.description
    case .invalidRequest(let message): message
    }
  }
}

/// The dispute engine: the one API that the `disputes` tool and embedding services share.
///
/// It loads a case from its projection row, asks the pure decider for the events, and appends
/// them with the projections in one transaction. It is a `Sendable` value: share it between
/// tasks; several processes may use the same database file.
///
/// ```swift
/// let engine = try Engine(path: "disputes.sqlite")
/// let opened = try engine.openCase(
///   NewCase(scheme: "webwinkelkeur", shop: shop, consumerCountry: .netherlands,
///           consumer: .init(name: "Anna de Vries", email: "anna@example.org"),
///           subject: "delivery", amount: Money(cents: 12_000), receivedAt: .day(received)),
///   actor: "anna.handler")
/// try engine.handle(.respond(at: .day(answered), proposal: nil), on: opened.reference.description, actor: "anna.handler")
/// ```
public struct Engine: Sendable {
  /// The event log.
  public let store: EventStore
  /// The workflows.
  public let catalog: WorkflowCatalog
  /// Where "now" comes from.
  public let clock: any EngineClock
  private let contexts: [String: DecisionContext]

  /// An engine over a store.
  public init(
    store: EventStore, catalog: WorkflowCatalog = .bundled, clock: any EngineClock = SystemClock()
  ) {
    self.store = store
    self.catalog = catalog
    self.clock = clock
    contexts = Dictionary(
      uniqueKeysWithValues: catalog.workflows.map { ($0.scheme, DecisionContext(workflow: $0)) })
  }

  /// An engine over a database file, created if needed.
  ///
  /// - Throws: ``EngineError/log(_:)`` when the file cannot be opened as a dispute-engine
  ///   database.
  public init(
    path: String, options: EventStore.Options = .init(), catalog: WorkflowCatalog = .bundled,
    clock: any EngineClock = SystemClock()
  ) throws(EngineError) {
    do {
      self.init(store: try EventStore(path: path, options: options), catalog: catalog, clock: clock)
    } catch {
      throw .log(error)
    }
  }

  /// The decision context of a scheme.
  public func context(_ scheme: String) throws(EngineError) -> DecisionContext {
    guard let context = contexts[scheme.lowercased()] else {
      throw .unknownScheme(
        UnknownSchemeError(scheme: scheme, known: catalog.workflows.map(\.scheme)))
    }
    return context
  }

  // MARK: - Commands

  /// The result of a command.
  public struct Outcome: Sendable {
    /// The case after the command.
    public let dispute: DisputeCase
    /// The records written (for a retried command id: those of the first attempt).
    public let records: [LogRecord]
    /// Whether the command id was seen before, so nothing new was written.
    public let duplicate: Bool

    /// The case's reference.
    public var reference: CaseReference { dispute.reference }
  }

  /// Opens a case: the shop received a consumer's complaint. Assigns the next reference of
  /// the scheme and year, keeps the consumer's personal data outside the events, and opens the
  /// shop's deadline.
  ///
  /// - Parameters:
  ///   - commandID: Retrying with the same id returns the first result and writes nothing.
  /// - Throws: ``EngineError`` — an unknown scheme or subject, a refused decision.
  @discardableResult
  public func openCase(_ request: NewCase, commandID: String = UUID().uuidString, actor: String)
    throws(EngineError) -> Outcome
  {
    let context = try context(request.scheme)
    let caseID = CaseID(UUID().uuidString.lowercased())
    let personID = request.consumer.map { _ in "person-\(UUID().uuidString.lowercased())" }
    let shopZone = WorkingDayCalendar.standard(request.shop.country.defaultProfile).timeZone
    let year = CaseDecider.civilDay(request.receivedAt, in: shopZone).year
    let person = request.consumer.map {
      PersonRecord(id: personID!, name: $0.name, email: $0.email, phone: $0.phone)
    }
    do {
      let recorded = try store.record(
        caseID: nil, commandID: commandID, actor: actor, recordedAt: clock.now(), person: person,
        sequenceFor: (context.workflow.referencePrefix, year)
      ) { _, sequence throws(CaseError) in
        [
          try CaseDecider.open(
            OpenCase(
              caseID: caseID, sequence: sequence, shop: request.shop,
              consumerCountry: request.consumerCountry,
              consumerID: personID, subject: request.subject, amount: request.amount,
              receivedAt: request.receivedAt),
            context: context)
        ]
      }
      return Outcome(
        dispute: recorded.dispute, records: recorded.records, duplicate: recorded.duplicate)
    } catch {
      throw .log(error)
    }
  }

  /// Handles a command on a case: loads it, decides, appends and projects, atomically.
  ///
  /// - Parameters:
  ///   - reference: The case's id or readable reference.
  ///   - expectedVersion: The version the caller last saw; when the case has changed since,
  ///     the command is refused with a conflict instead of being decided on the new state.
  ///   - commandID: Retrying with the same id returns the first result and writes nothing.
  /// - Throws: ``EngineError/log(_:)`` with `caseNotFound`, `conflict`, `rejected` (the
  ///   decider's `CaseError`: an illegal step, with the steps possible), `busy`.
  @discardableResult
  public func handle(
    _ command: CaseCommand, on reference: String, expectedVersion: Int? = nil,
    commandID: String = UUID().uuidString, actor: String
  ) throws(EngineError) -> Outcome {
    do {
      let contexts = self.contexts
      let recorded = try store.record(
        caseID: CaseID(reference), expectedVersion: expectedVersion, commandID: commandID,
        actor: actor,
        recordedAt: clock.now()
      ) { dispute, _ throws(CaseError) in
        let dispute = dispute!
        guard let context = contexts[dispute.opening.scheme] else {
          throw CaseError(
            reference: dispute.reference, state: dispute.state.kind, command: command.kind,
            reason: .invalid("no workflow for scheme '\(dispute.opening.scheme)' is loaded"))
        }
        return try CaseDecider.decide(command, dispute, context: context)
      }
      return Outcome(
        dispute: recorded.dispute, records: recorded.records, duplicate: recorded.duplicate)
    } catch {
      throw .log(error)
    }
  }

  /// Records every open deadline that expired before `now` (the clock's now by default), once.
  /// Running it again, here or in another process, adds nothing for the same deadlines.
  ///
  /// - Returns: The deadlines marked, as (case reference, deadline) pairs.
  @discardableResult
  public func sweep(now: Date? = nil, actor: String = "sweep") throws(EngineError) -> [(
    reference: String, kind: DeadlineKind
  )] {
    let instant = now ?? clock.now()
    var marked: [(String, DeadlineKind)] = []
    do {
      let due = try store.openDeadlines(expiringBefore: instant).filter { !$0.markedMissed }
      var seen: Set<String> = []
      for deadline in due where seen.insert(deadline.caseID).inserted {
        let caseID = CaseID(deadline.caseID)
        let version = try store.dispute(caseID).version
        let recorded = try store.record(
          caseID: caseID, commandID: "sweep:\(deadline.caseID):\(version)", actor: actor,
          recordedAt: clock.now()
        ) { dispute, _ throws(CaseError) in
          CaseDecider.sweep(dispute!, now: instant)
        }
        if !recorded.duplicate {
          for record in recorded.records {
            if case .deadlineMissed(let kind) = try record.event().change {
              marked.append((recorded.dispute.reference.description, kind))
            }
          }
        }
      }
    } catch {
      throw .log(error)
    }
    return marked
  }

  // MARK: - Reading

  /// A case with its timeline and personal data.
  public struct CaseDetail: Sendable {
    /// The case.
    public let dispute: DisputeCase
    /// Its events with when they were recorded and by whom, in order.
    public let timeline: [TimelineEntry]
    /// The consumer's personal data, unless erased or never given.
    public let consumer: PersonRecord?
  }

  /// One event of a case's timeline.
  public struct TimelineEntry: Sendable {
    /// The stored record (position, recorded-at, actor, hashes).
    public let record: LogRecord
    /// The decoded event.
    public let event: CaseEvent
  }

  /// A case by id or reference, with its timeline.
  ///
  /// - Throws: ``EngineError/log(_:)`` with `caseNotFound`, or `corruptEvent` naming the
  ///   position of an event that does not decode.
  public func caseDetail(_ reference: String) throws(EngineError) -> CaseDetail {
    do {
      guard let caseID = try store.resolve(reference) else {
        throw EventLogError.caseNotFound(reference)
      }
      let dispute = try store.dispute(caseID)
      var timeline: [TimelineEntry] = []
      for record in try store.records(of: caseID) {
        timeline.append(TimelineEntry(record: record, event: try record.event()))
      }
      var consumer: PersonRecord?
      if let id = dispute.opening.consumerID { consumer = try store.person(id) }
      return CaseDetail(dispute: dispute, timeline: timeline, consumer: consumer)
    } catch let error as EventLogError {
      throw .log(error)
    } catch {
      throw .invalidRequest("\(error)")
    }
  }

  /// Lists cases from the projection.
  public func cases(_ query: CaseQuery = CaseQuery()) throws(EngineError) -> [CaseSummary] {
    do { return try store.cases(query) } catch { throw .log(error) }
  }

  /// Open deadlines expiring before `before`: what is due. Those already expired are overdue.
  public func deadlines(dueBefore before: Date) throws(EngineError) -> [DeadlineSummary] {
    do { return try store.openDeadlines(expiringBefore: before) } catch { throw .log(error) }
  }

  /// The log from `position` on, as an asynchronous sequence that keeps following new events,
  /// including those appended by other processes (it polls the last position every
  /// `pollInterval`). Cancel the consuming task to stop.
  public func follow(from position: Int = 1, pollInterval: Duration = .milliseconds(200))
    -> AsyncThrowingStream<LogRecord, any Error>
  {
    let store = self.store
    return AsyncThrowingStream { continuation in
      let task = Task {
        var next = max(1, position)
        while !Task.isCancelled {
          do {
            let batch = try store.records(from: next, limit: 1000)
            for record in batch { continuation.yield(record) }
            if let last = batch.last {
              next = last.position + 1
              if batch.count == 1000 { continue }
            }
            try await Task.sleep(for: pollInterval)
          } catch is CancellationError {
            break
          } catch {
            continuation.finish(throwing: error)
            return
          }
        }
        continuation.finish()
      }
      continuation.onTermination = { _ in task.cancel() }
    }
  }
}

/// A new complaint, as received by the shop.
public struct NewCase: Sendable {
  /// The scheme, for example `webwinkelkeur`.
  public var scheme: String
  /// The shop.
  public var shop: ShopIdentity
  /// The consumer's country.
  public var consumerCountry: CountryCode
  /// The consumer's personal data, kept outside the events.
  public var consumer: Consumer?
  /// The complaint subject, one of the scheme's.
  public var subject: String
  /// The amount in dispute.
  public var amount: Money?
  /// When the shop received the complaint.
  public var receivedAt: Occurrence

  /// A consumer's personal data.
  public struct Consumer: Sendable {
    /// Name.
    public var name: String
    /// E-mail address.
    public var email: String?
    /// Phone number.
    public var phone: String?

    /// Creates the data.
    public init(name: String, email: String? = nil, phone: String? = nil) {
      self.name = name
      self.email = email
      self.phone = phone
    }
  }

  /// Creates a request.
  public init(
    scheme: String, shop: ShopIdentity, consumerCountry: CountryCode, consumer: Consumer?,
    subject: String,
    amount: Money?, receivedAt: Occurrence
  ) {
    self.scheme = scheme
    self.shop = shop
    self.consumerCountry = consumerCountry
    self.consumer = consumer
    self.subject = subject
    self.amount = amount
    self.receivedAt = receivedAt
  }
}
