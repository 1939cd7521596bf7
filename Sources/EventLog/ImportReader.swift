import CaseModel
import Foundation

/// The reading side of an import: on a thread of its own it reads the export line by line,
/// parses each event line, checks its position, its link to the previous hash and its own
/// hash, and decodes its payload; the importing thread receives the results in order, in
/// batches, and only inserts and projects. Any fault names its line; lines before it are
/// handed over first, so the importing thread's own faults (which come earlier) win.
final class ImportReader: @unchecked Sendable {
  /// What one line of the export becomes.
  enum Item {
    case event(LogRecord, CaseEvent)
    case person(PersonRecord)
  }

  final class Batch {
    var items: [Item] = []
    var failure: EventLogError?
    var isLast = false
  }

  private static let itemsPerBatch = 2048
  private let input: FileHandle
  private let relay = BlockRelay(blocks: 3)
  private let batches = [Batch(), Batch(), Batch()]

  init(input: FileHandle) { self.input = input }

  /// Reads the whole export, calling `body` for each line's item in order on the calling
  /// thread.
  func run(_ body: (Item) throws -> Void) throws {
    relay.start { [self] in read() }
    defer { relay.stop() }
    var index = 0
    while true {
      relay.ready.wait()
      let batch = batches[index % batches.count]
      index += 1
      for item in batch.items { try body(item) }
      if let failure = batch.failure { throw failure }
      if batch.isLast { return }
      relay.giveBack()
    }
  }

  private func read() {
    var index = 0
    guard relay.acquire() else { return }
    var batch = batches[index % batches.count]
    index += 1
    batch.items.removeAll(keepingCapacity: true)
    func handOver(last: Bool = false, failure: EventLogError? = nil) -> Bool {
      batch.failure = failure
      batch.isLast = last
      relay.handOver()
      if last { return false }
      guard relay.acquire() else { return false }
      batch = batches[index % batches.count]
      index += 1
      batch.items.removeAll(keepingCapacity: true)
      batch.failure = nil
      batch.isLast = false
      return true
    }
    do {
      var lines = LineReader(input)
      guard let first = try lines.next() else {
        _ = handOver(last: true, failure: .badImportLine(line: 1, message: "the file is empty"))
        return
      }
      let header = try LogHeader.parse(first)
      var previous = LogRecord.genesis
      var imported = 0
      var lineNumber = 1
      var people = 0
      while let line = try lines.next() {
        lineNumber += 1
        func bad(_ message: String) -> EventLogError {
          .badImportLine(line: lineNumber, message: message)
        }
        if line.isEmpty { throw bad("empty line") }
        if imported < header.events {
          let record: LogRecord
          do {
            record = try EventStore.parseLine(line)
          } catch {
            throw bad("\(error)")
          }
          guard record.position == imported + 1 else {
            throw bad("position \(record.position) where \(imported + 1) was expected")
          }
          guard record.previousHash == previous else {
            throw bad("the previous hash does not match the line before")
          }
          guard record.computedHash == record.hash else {
            throw bad("the hash does not match the line's contents: the line was altered")
          }
          // Decoded as the projections need it (explanations are checked for JSON syntax and
          // covered by the hash, not turned into strings).
          let event: CaseEvent
          switch Result(catching: { () throws(EventLogError) in
            try record.event(explanations: false)
          }) {
          case .success(let decoded): event = decoded
          case .failure(let error): throw bad(error.description)
          }
          previous = record.hash
          imported += 1
          batch.items.append(.event(record, event))
        } else {
          do {
            batch.items.append(.person(try EventStore.parsePerson(line)))
            people += 1
          } catch {
            throw bad("expected a person line: \(error)")
          }
        }
        if batch.items.count >= Self.itemsPerBatch, !handOver() { return }
      }
      guard imported == header.events else {
        throw EventLogError.badImportLine(
          line: lineNumber + 1,
          message: "the file ends after \(imported) of \(header.events) events: it is truncated")
      }
      guard people == header.people else {
        throw EventLogError.badImportLine(
          line: lineNumber + 1,
          message: "the file ends after \(people) of \(header.people) people: it is truncated")
      }
      guard LogRecord.hex(previous) == header.lastHash.lowercased() else {
        throw EventLogError.badImportLine(
          line: 1, message: "the last hash differs from the header's")
      }
      _ = handOver(last: true)
    } catch let error as EventLogError {
      _ = handOver(last: true, failure: error)
    } catch {
      _ = handOver(last: true, failure: .io("\(error)"))
    }
  }
}
