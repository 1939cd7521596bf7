import Dispatch

/// Runs a producer on a thread of its own and hands what it produces to the calling thread in
/// order, in batches (the import reads and decodes lines, the rebuild reads and decodes rows,
/// while the calling thread writes). Three batches circulate, so the producer runs at most two
/// batches ahead and memory stays bounded.
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

    /// Adds an item; `false` when the caller has stopped and the producer should return.
    func add(_ item: Item) -> Bool {
      batch.items.append(item)
      guard batch.items.count >= pipeline.batchSize else { return true }
      return handOver(last: false, failure: nil)
    }

    fileprivate func handOver(last: Bool, failure: (any Error)?) -> Bool {
      batch.failure = failure
      batch.isLast = last
      pipeline.relay.handOver()
      if last { return false }
      guard pipeline.relay.acquire() else { return false }
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

  fileprivate let relay = BlockRelay(blocks: 3)
  fileprivate let batches = [Batch(), Batch(), Batch()]
  fileprivate let batchSize: Int
  private let consumerReleases: Bool

  /// A pipeline handing over `batchSize` items at a time.
  ///
  /// - Parameter consumerReleases: Whether the consuming thread lets go of a batch's items once
  ///   it has consumed them, rather than the producer when it reuses the batch: right when the
  ///   producer is the busier thread and items own much memory (a rebuild's cases).
  init(batchSize: Int = 2048, consumerReleases: Bool = false) {
    self.batchSize = batchSize
    self.consumerReleases = consumerReleases
  }

  /// Runs `produce` on a new thread and `consume` on this one, for every item in order; throws
  /// the first failure of either (the producer's only after the items before it).
  func run(
    produce: @escaping @Sendable (Emitter) throws -> Void, consume: (Item) throws -> Void
  ) throws {
    relay.start { [self] in
      guard relay.acquire() else { return }
      let emitter = Emitter(self)
      emitter.batch.items.removeAll(keepingCapacity: true)
      do {
        try produce(emitter)
        _ = emitter.handOver(last: true, failure: nil)
      } catch {
        _ = emitter.handOver(last: true, failure: error)
      }
    }
    defer { relay.stop() }
    var index = 0
    while true {
      relay.ready.wait()
      let batch = batches[index % batches.count]
      index += 1
      for item in batch.items { try consume(item) }
      if let failure = batch.failure { throw failure }
      if batch.isLast { return }
      if consumerReleases { batch.items.removeAll(keepingCapacity: true) }
      relay.giveBack()
    }
  }
}
