import Foundation
import Synchronization
import Testing

@testable import EventLog

/// The two-thread pipeline under the import and the rebuild: every item arrives once and in
/// order whatever the batch and ring sizes, a producer's failure arrives after the items before
/// it, and a consumer's failure stops the producer.
@Suite("Batch pipeline")
struct BatchPipelineTests {
  struct Stop: Error, Equatable { let at: Int }

  /// What the producer thread reports back.
  final class Progress: Sendable {
    let returned = Atomic<Bool>(false)
    let produced = Atomic<Int>(0)
  }

  /// Sizes around the edges: a ring of two, batches of one, counts that fill the last batch
  /// exactly or leave it partial, and none at all.
  @Test(
    "Every item arrives once, in order",
    arguments: [
      (batch: 1, ring: 2, count: 0), (batch: 1, ring: 2, count: 1), (batch: 1, ring: 2, count: 257),
      (batch: 3, ring: 2, count: 9), (batch: 3, ring: 2, count: 10),
      (batch: 64, ring: 32, count: 5_000),
      (batch: 7, ring: 5, count: 1_000), (batch: 256, ring: 4, count: 255),
    ])
  func inOrder(batch: Int, ring: Int, count: Int) throws {
    var received: [Int] = []
    try BatchPipeline<Int>(batchSize: batch, ringSize: ring).run(
      produce: { emitter in
        for item in 0..<count { guard emitter.add(item) else { return } }
      },
      consume: { received.append($0) })
    #expect(received == Array(0..<count))
  }

  @Test("The consumer may let go of each batch, with the same result")
  func consumerReleases() throws {
    var received: [String] = []
    try BatchPipeline<String>(batchSize: 5, ringSize: 3, consumerReleases: true).run(
      produce: { emitter in
        for item in 0..<103 { guard emitter.add("item \(item)") else { return } }
      },
      consume: { received.append($0) })
    #expect(received == (0..<103).map { "item \($0)" })
  }

  @Test("A producer's failure arrives after every item it produced before it")
  func producerFailure() {
    var received: [Int] = []
    #expect(throws: Stop(at: 77)) {
      try BatchPipeline<Int>(batchSize: 8, ringSize: 4).run(
        produce: { emitter in
          for item in 0..<77 { guard emitter.add(item) else { return } }
          throw Stop(at: 77)
        },
        consume: { received.append($0) })
    }
    #expect(received == Array(0..<77))
  }

  /// The producer would run forever; the consumer's failure must stop it (its `add` answers
  /// `false`), and `run` returns only once the producer has.
  @Test("A consumer's failure stops the producer", arguments: [2, 4, 16])
  func consumerFailure(ring: Int) {
    let progress = Progress()
    var received = 0
    #expect(throws: Stop(at: 500)) {
      try BatchPipeline<Int>(batchSize: 10, ringSize: ring).run(
        produce: { emitter in
          var item = 0
          while emitter.add(item) {
            item += 1
            progress.produced.store(item, ordering: .relaxed)
          }
          progress.returned.store(true, ordering: .releasing)
        },
        consume: { item in
          if item == 500 { throw Stop(at: 500) }
          received += 1
        })
    }
    #expect(received == 500)
    let returned = progress.returned.load(ordering: .acquiring)
    #expect(returned)
    // It ran at most a ring's worth of batches ahead of the item that failed.
    let produced = progress.produced.load(ordering: .relaxed)
    #expect(produced <= 510 + ring * 10)
  }

  /// `first` runs on the consumer's thread while the producer is already producing, before
  /// anything is consumed; its failure stops the producer and nothing is consumed.
  @Test("The consumer's first work runs while the producer runs, and its failure stops both")
  func firstWork() throws {
    let progress = Progress()
    var order: [String] = []
    try BatchPipeline<Int>(batchSize: 4, ringSize: 2).run(
      produce: { emitter in
        for item in 0..<20 {
          guard emitter.add(item) else { return }
          progress.produced.store(item + 1, ordering: .releasing)
        }
      },
      first: {
        // The producer fills the ring (two batches of four) while this waits for it: it then
        // waits in adding the eighth item, the one that completes the second batch.
        while progress.produced.load(ordering: .acquiring) < 7 {
          Thread.sleep(forTimeInterval: 0.001)
        }
        order.append("first")
      },
      consume: { order.append("\($0)") })
    #expect(order == ["first"] + (0..<20).map { "\($0)" })

    let stopped = Progress()
    var consumed = 0
    #expect(throws: Stop(at: -1)) {
      try BatchPipeline<Int>(batchSize: 4, ringSize: 2).run(
        produce: { emitter in
          var item = 0
          while emitter.add(item) { item += 1 }
          stopped.returned.store(true, ordering: .releasing)
        },
        first: { throw Stop(at: -1) },
        consume: { _ in consumed += 1 })
    }
    #expect(consumed == 0)
    let returned = stopped.returned.load(ordering: .acquiring)
    #expect(returned)
  }
}
