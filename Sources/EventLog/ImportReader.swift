import CanonicalJSON
import CaseModel
import EventCoding
import Foundation

/// The reading side of an import: on a thread of its own it reads the export line by line,
/// parses each event line, checks its position, its link to the previous hash and its own
/// hash, decodes its payload and folds it into its case; the importing thread receives the
/// results in order, in batches, and only writes rows: each event, and each case the fold lets
/// go of. Any fault names its line; lines before it are handed over first, so the importing
/// thread's own faults (which come earlier) win.
struct ImportReader {
  /// What the reader hands over, in order.
  enum Item {
    /// An event line, checked and decoded, to insert.
    case event(PackedEvent)
    /// A case the fold let go of, or every case at the end, to write.
    case write(FoldedCase)
    /// A person line.
    case person(PersonRecord)
    /// The end: the cases with events after the fold let them go, to replay whole once every
    /// event is stored.
    case finished(deferred: Set<String>)
  }

  private let input: FileHandle
  private let recentlyClosedCapacity: Int

  /// A reader of `input`, whose fold keeps `recentlyClosedCapacity` closed cases (see
  /// ``CaseFolder``).
  init(input: FileHandle, recentlyClosedCapacity: Int) {
    self.input = input
    self.recentlyClosedCapacity = recentlyClosedCapacity
  }

  /// Reads the whole export, calling `body` for each item in order on the calling thread.
  func run(_ body: (Item) throws -> Void) throws {
    let input = input
    let capacity = recentlyClosedCapacity
    // Small batches: a batch's items are freed together when the reader reuses it, and 64
    // events' worth stays in the allocator's per-thread caches and the CPU's; with 2,048 the
    // import took about a tenth more CPU time. A ring of 32 lets the writer sleep until 1,024
    // events are ready, instead of being woken for each batch (docs/performance.md).
    try BatchPipeline<Item>(batchSize: 64, ringSize: 32).run(
      produce: { emitter in try Self.read(input, recentlyClosedCapacity: capacity, into: emitter) },
      consume: body)
  }

  private static func read(
    _ input: FileHandle, recentlyClosedCapacity: Int, into emitter: BatchPipeline<Item>.Emitter
  ) throws {
    do {
      var folder = CaseFolder(
        recentlyClosedCapacity: recentlyClosedCapacity, deferRevisits: true)
      func release(_ folded: FoldedCase) { _ = emitter.add(.write(folded)) }
      var lines = LineReader(input)
      guard let first = try lines.next() else {
        throw EventLogError.badImportLine(line: 1, message: "the file is empty")
      }
      let header = try LogHeader.parse(first)
      // The hash of the line before, and the current line's, swapped after each line.
      var previous = LogRecord.genesis
      var current = LogRecord.genesis
      var imported = 0
      var lineNumber = 1
      var people = 0
      // Each line is read in place; `false` when the importing thread has stopped.
      func take(_ line: UnsafeBufferPointer<UInt8>) throws -> Bool {
        lineNumber += 1
        func bad(_ message: String) -> EventLogError {
          .badImportLine(line: lineNumber, message: message)
        }
        if line.isEmpty { throw bad("empty line") }
        // A row's texts are packed with 32-bit offsets (`PackedEvent`).
        guard line.count < Int(Int32.max) else { throw bad("the line is longer than 2 GiB") }
        // JSON is UTF-8: a line that is not would be stored with its text repaired and then
        // fail `verify`, so it is refused here.
        guard JSONReader.isValidUTF8(line) else { throw bad("the line is not valid UTF-8") }
        guard imported < header.events else {
          do {
            let person = try EventStore.parsePerson(Array(line))
            people += 1
            return emitter.add(.person(person))
          } catch {
            throw bad("expected a person line: \(error)")
          }
        }
        func check(position: Int, linksToPrevious: Bool, hashMatches: Bool) throws {
          guard position == imported + 1 else {
            throw bad("position \(position) where \(imported + 1) was expected")
          }
          guard linksToPrevious else {
            throw bad("the previous hash does not match the line before")
          }
          guard hashMatches else {
            throw bad("the hash does not match the line's contents: the line was altered")
          }
        }
        // Outlined strictly: every field is checked as the full decoder checks it, so that
        // every payload the import accepts reads back, but only what the tables need is made
        // (explanations are checked for JSON syntax and covered by the hash).
        func outline(
          position: Int, type: UnsafeBufferPointer<UInt8>, version: Int,
          occurredAt: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>
        ) throws -> EventOutline {
          do {
            return try EventCodec.decodeOutline(
              type: type, version: version, occurredAt: occurredAt, payload: payload,
              strict: true)
          } catch {
            throw bad(
              EventLogError.corruptEvent(position: position, message: error.description)
                .description)
          }
        }
        // Lines as the export writes them take the fast path, read in place; any other shape
        // is read by the general parser, which names what is wrong.
        let packed: PackedEvent
        let event: EventOutline
        let caseKey: FoldKey
        let canonical = previous.withUnsafeBytes { previous in
          current.withUnsafeMutableBytes { hash in
            CanonicalLine.parse(line, previous: previous, hash: hash)
          }
        }
        if let fields = canonical {
          try check(
            position: fields.position, linksToPrevious: fields.linksToPrevious,
            hashMatches: fields.hashMatches)
          let bytes = UnsafeRawBufferPointer(line)
          func text(_ range: Range<Int>) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: bytes[range])
          }
          func part(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: line[range])
          }
          event = try outline(
            position: fields.position, type: part(fields.type), version: fields.typeVersion,
            occurredAt: part(fields.occurredAt), payload: part(fields.payload))
          caseKey = FoldKey(UnsafeBufferPointer(rebasing: line[fields.caseID]))
          packed = previous.withUnsafeBytes { previous in
            current.withUnsafeBytes { hash in
              PackedEvent.make(
                position: fields.position, caseVersion: fields.caseVersion,
                typeVersion: fields.typeVersion,
                texts: (
                  text(fields.caseID), text(fields.type), text(fields.occurredAt),
                  text(fields.recordedAt), text(fields.actor), text(fields.commandID),
                  text(fields.payload)
                ), previousHash: previous, hash: hash)
            }
          }
          swap(&previous, &current)
        } else {
          let record: LogRecord
          do {
            record = try EventStore.parseLine(Array(line))
          } catch {
            throw bad("\(error)")
          }
          try check(
            position: record.position, linksToPrevious: record.previousHash == previous,
            hashMatches: record.computedHash == record.hash)
          var type = record.type
          var occurredAt = record.occurredAt
          event = try type.withUTF8 { type in
            try occurredAt.withUTF8 { occurredAt in
              try record.payload.withUnsafeBufferPointer { payload in
                try outline(
                  position: record.position, type: type, version: record.typeVersion,
                  occurredAt: occurredAt, payload: payload)
              }
            }
          }
          caseKey = FoldKey(record.caseID.rawValue)
          packed = PackedEvent.make(record)
          previous = record.hash
        }
        imported += 1
        guard emitter.add(.event(packed)) else { return false }
        do {
          try folder.add(
            position: packed.position, caseID: caseKey,
            caseVersion: packed.header.caseVersion, event: event,
            reread: { caseID, _ in throw EventLogError.caseNotFound(caseID.rawValue) },
            release: release)
        } catch EventLogError.corruptEvent(_, let message) {
          throw bad(message)
        }
        return !emitter.stopped
      }
      while let more = try lines.withNextLine(take) {
        guard more else { return }
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
      try folder.finish(release: release)
      guard !emitter.stopped else { return }
      _ = emitter.add(.finished(deferred: folder.deferred))
    } catch let error as EventLogError {
      throw error
    } catch {
      throw EventLogError.io("\(error)")
    }
  }
}
