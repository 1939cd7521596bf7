import Dispatch
import EventLog
import Foundation

/// The first pass over a database, on both cores: a reading thread steps through the `event`
/// table and copies each row's columns into a block; the calling thread parses the payloads
/// and applies the events. Three blocks of about 2 MB circulate between the two.
final class DatabasePipeline: @unchecked Sendable {
  /// A row's columns, as ranges of its block's bytes.
  struct Row {
    var position: Int
    var caseVersion: Int
    var typeVersion: Int
    var caseID: Range<Int>
    var type: Range<Int>
    var occurredAt: Range<Int>
    var recordedAt: Range<Int>
    var payload: Range<Int>
  }

  final class Block {
    var bytes: [UInt8] = []
    var rows: [Row] = []
    var failure: ReportError?
    var isLast = false
  }

  private struct Cancelled: Error {}

  private static let rowsPerBlock = 4096
  private let store: EventStore
  private let blocks = [Block(), Block(), Block()]
  private let relay = BlockRelay(blocks: 3)

  init(store: EventStore) { self.store = store }

  /// Runs the pass, calling `body` with every stored event in position order on the calling
  /// thread.
  func run(_ body: (StoredEventBytes) throws(ReportError) -> Void) throws(ReportError) {
    relay.start { [self] in read() }
    var index = 0
    var failure: ReportError?
    while true {
      relay.ready.wait()
      let block = blocks[index % blocks.count]
      index += 1
      failure = apply(block, body) ?? block.failure
      if failure != nil || block.isLast { break }
      relay.giveBack()
    }
    relay.stop()
    if let failure { throw failure }
  }

  private func apply(_ block: Block, _ body: (StoredEventBytes) throws(ReportError) -> Void)
    -> ReportError?
  {
    block.bytes.withUnsafeBufferPointer { bytes -> ReportError? in
      func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
      }
      for row in block.rows {
        do throws(ReportError) {
          try body(
            StoredEventBytes(
              position: row.position, caseID: slice(row.caseID), caseVersion: row.caseVersion,
              type: slice(row.type), typeVersion: row.typeVersion,
              occurredAt: slice(row.occurredAt), recordedAt: slice(row.recordedAt),
              payload: slice(row.payload)))
        } catch {
          return error
        }
      }
      return nil
    }
  }

  private func next(_ index: inout Int) -> Block? {
    guard relay.acquire() else { return nil }
    let block = blocks[index % blocks.count]
    index += 1
    block.bytes.removeAll(keepingCapacity: true)
    block.rows.removeAll(keepingCapacity: true)
    block.failure = nil
    block.isLast = false
    return block
  }

  private func read() {
    var index = 0
    guard var current = next(&index) else { return }
    do {
      try store.scanEvents { row in
        func copy(_ column: UnsafeBufferPointer<UInt8>) -> Range<Int> {
          let start = current.bytes.count
          current.bytes.append(contentsOf: column)
          return start..<current.bytes.count
        }
        current.rows.append(
          Row(
            position: row.position, caseVersion: row.caseVersion, typeVersion: row.typeVersion,
            caseID: copy(row.caseID), type: copy(row.type), occurredAt: copy(row.occurredAt),
            recordedAt: copy(row.recordedAt), payload: copy(row.payload)))
        if current.rows.count >= Self.rowsPerBlock {
          relay.handOver()
          guard let block = next(&index) else { throw Cancelled() }
          current = block
        }
      }
      current.isLast = true
      relay.handOver()
    } catch is Cancelled {
      return
    } catch let error as EventLogError {
      current.failure = .database(error)
      current.isLast = true
      relay.handOver()
    } catch {
      current.failure = .io("\(error)")
      current.isLast = true
      relay.handOver()
    }
  }
}
