import Foundation

/// Runs a producer on a thread of its own and hands what it produces to the calling thread in
/// order, in batches (the import reads and decodes lines, the rebuild reads and decodes rows,
/// while the calling thread writes). A fixed ring of batches circulates, so the producer runs at
/// most a ring's worth ahead and memory stays bounded.
///
/// Waking a sleeping thread costs a system call on one side and a context switch on the other;
/// on a virtual machine it costs an interrupt between virtual CPUs too, which the host may be
/// slow to deliver. So a thread that ran out of work sleeps until the other has made half the
/// ring ready for it (or has finished), not just the next batch: one wake-up per half ring
/// instead of one per batch.
///
/// A failure of the producer reaches the caller after the items produced before it, so faults
/// are reported in the order of the input; a failure of the caller stops the producer.
final class BatchPipeline<Item>: @unchecked Sendable {
  /// The producer's side: ``add(_:)`` each item in order.
  final class Emitter {
    fileprivate let pipeline: BatchPipeline
    fileprivate var batch: Batch
    fileprivate var index = 0

    fileprivate init(_ pipeline: BatchPipeline) {
      self.pipeline = pipeline
      batch = pipeline.batches[0]
    }

    /// Whether the caller has stopped, so that the producer should return: once it is, items
    /// added are dropped.
    private(set) var stopped = false

    /// Adds an item; `false` when the caller has stopped and the producer should return.
    func add(_ item: Item) -> Bool {
      guard !stopped else { return false }
      batch.items.append(item)
      guard batch.items.count >= pipeline.batchSize else { return true }
      return handOver(last: false, failure: nil)
    }

    fileprivate func handOver(last: Bool, failure: (any Error)?) -> Bool {
      batch.failure = failure
      batch.isLast = last
      guard pipeline.publish(last: last) else {
        stopped = true
        return false
      }
      index += 1
      batch = pipeline.batches[index % pipeline.batches.count]
      batch.items.removeAll(keepingCapacity: true)
      batch.failure = nil
      batch.isLast = false
      return true
    }
  }

  fileprivate final class Batch {
    var items: [Item] = []
    var failure: (any Error)?
    var isLast = false
  }

  fileprivate let batches: [Batch]
  fileprivate let batchSize: Int
  private let consumerReleases: Bool
  /// How many batches a sleeping thread waits for before it is woken.
  private let wakeAfter: Int

  /// Guards the counters below, and is where either thread sleeps.
  private let condition = NSCondition()
  /// Batches handed over and not yet consumed (the one being consumed included).
  private var filled = 0
  private var producerFinished = false
  private var consumerStopped = false
  private var consumerSleeps = false
  private var producerSleeps = false
  private let finished = DispatchGroup()

  /// A pipeline handing over `batchSize` items at a time, through a ring of `ringSize` batches.
  ///
  /// - Parameter consumerReleases: Whether the consuming thread lets go of a batch's items once
  ///   it has consumed them, rather than the producer when it reuses the batch: right when the
  ///   producer is the busier thread and items own much memory (a rebuild's cases).
  init(batchSize: Int = 2048, ringSize: Int = 16, consumerReleases: Bool = false) {
    precondition(ringSize >= 2, "a ring needs at least two batches")
    self.batchSize = batchSize
    self.consumerReleases = consumerReleases
    batches = (0..<ringSize).map { _ in Batch() }
    wakeAfter = ringSize / 2
  }

  /// For the producer: the current batch is ready. Waits, if the ring is full, until the
  /// consumer has freed half of it; `false` when the consumer has stopped (or this was the last).
  fileprivate func publish(last: Bool) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    filled += 1
    if last { producerFinished = true }
    if consumerSleeps, last || filled >= wakeAfter {
      consumerSleeps = false
      condition.signal()
    }
    if last { return false }
    while filled == batches.count, !consumerStopped {
      producerSleeps = true
      condition.wait()
    }
    producerSleeps = false
    return !consumerStopped
  }

  /// For the consumer: waits until the next batch is ready (sleeping, when none is, until half
  /// the ring is or the producer has finished).
  private func awaitBatch() {
    condition.lock()
    defer { condition.unlock() }
    guard filled == 0 else { return }
    while !(filled >= wakeAfter || (producerFinished && filled > 0)) {
      consumerSleeps = true
      condition.wait()
    }
    consumerSleeps = false
  }

  /// For the consumer: it is done with a batch, which the producer may reuse.
  private func release() {
    condition.lock()
    defer { condition.unlock() }
    filled -= 1
    if producerSleeps, batches.count - filled >= wakeAfter {
      producerSleeps = false
      condition.signal()
    }
  }

  /// For the consumer: stops the producer wherever it is and waits until it has returned.
  private func stop() {
    condition.lock()
    consumerStopped = true
    if producerSleeps {
      producerSleeps = false
      condition.signal()
    }
    condition.unlock()
    finished.wait()
  }

  /// Runs `produce` on a new thread and `consume` on this one, for every item in order; throws
  /// the first failure of either (the producer's only after the items before it).
  ///
  /// - Parameter first: Work for this thread once the producer has started, before the first
  ///   batch arrives (a rebuild empties the tables it then fills, while the producer reads).
  ///   If it throws, the producer is stopped and nothing is consumed.
  func run(
    produce: @escaping @Sendable (Emitter) throws -> Void, first: () throws -> Void = {},
    consume: (Item) throws -> Void
  ) throws {
    finished.enter()
    let thread = Thread { [self, finished] in
      let emitter = Emitter(self)
      do {
        try produce(emitter)
        _ = emitter.handOver(last: true, failure: nil)
      } catch {
        _ = emitter.handOver(last: true, failure: error)
      }
      finished.leave()
    }
    thread.stackSize = 1 << 22  // the parsers recurse
    thread.start()
    defer { stop() }
    try first()
    var index = 0
    while true {
      awaitBatch()
      let batch = batches[index % batches.count]
      index += 1
      for item in batch.items { try consume(item) }
      if let failure = batch.failure { throw failure }
      if batch.isLast { return }
      if consumerReleases { batch.items.removeAll(keepingCapacity: true) }
      release()
    }
  }
}
