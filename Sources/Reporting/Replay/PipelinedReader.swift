import Crypto
import Dispatch
import EventLog
import Foundation

/// The first pass over a JSON Lines log, on both cores.
///
/// A reading thread reads the file in blocks of whole lines (about 1 MB), parses each line and
/// checks positions and hash links; the calling thread recomputes the lines' SHA-256 hashes and
/// applies the events. The reading thread also hashes a share of each block, adjusted as the
/// pass goes so that neither thread waits for the other. Three blocks circulate between the
/// two, so memory stays at a few megabytes whatever the size of the log. (Mapping the file
/// instead measured slower and less steady here: page faults on first touch, and releasing
/// pages interrupts the other core.)
final class PipelinedReader: @unchecked Sendable {
  /// One block of the file: its lines and the events parsed from them.
  final class Block {
    /// The block's bytes: whole lines read from the file.
    private(set) var storage = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
    private(set) var capacity = 1 << 20
    var base: UnsafePointer<UInt8>? { UnsafePointer(storage) }
    var lines: [Range<Int>] = []
    /// The line number of `lines[0]` (the header is line 1).
    var firstLine = 0
    /// How many of `lines` are event lines (the rest are person lines).
    var eventLines = 0
    /// Parsed events; only the first `eventCount` belong to this block (the others are
    /// slots kept for reuse).
    var events: [ScannedEvent] = []
    var eventCount = 0
    /// Event lines below this index were hashed by the reading thread.
    var hashedByReader = 0
    /// The first event line (index) whose hash did not match, among those the reader hashed.
    var readerHashFailure: (index: Int, message: String)?
    /// A fault the reading thread found (it stops there).
    var failure: ReportError?
    var isLast = false

    deinit { storage.deallocate() }

    func reserve(_ count: Int) {
      guard count > capacity else { return }
      storage.deallocate()
      storage = .allocate(capacity: count)
      capacity = count
    }
  }

  private static let blockSize = 1 << 20
  private let path: String
  private let verifyHashes: Bool
  /// For a second pass: only these cases' events, without the checks the first pass made.
  private let only: Set<CaseKey>?
  private(set) var parser: RecordParser
  private let blocks = [Block(), Block(), Block()]
  private let relay = BlockRelay(blocks: 3)
  private let lock = NSLock()
  /// The share of each block's lines the reading thread hashes itself, in 1/16ths.
  private var sharedReaderShare = 6

  private var readerShare: Int {
    get {
      lock.lock()
      defer { lock.unlock() }
      return sharedReaderShare
    }
    set {
      lock.lock()
      sharedReaderShare = min(16, max(0, newValue))
      lock.unlock()
    }
  }

  init(path: String, verifyHashes: Bool, parser: RecordParser, only: Set<CaseKey>? = nil) {
    self.path = path
    self.verifyHashes = only == nil && verifyHashes
    self.only = only
    self.parser = parser
  }

  /// Runs the pass, calling `body` for every event in order on the calling thread.
  func run(_ body: (ScannedEvent) throws(ReportError) -> Void) throws(ReportError) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw .io("cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw .io("cannot read \(path): \(String(cString: strerror(errno)))")
    }
    let size = Int(status.st_size)
    guard size > 0 else { throw .corruptLine(line: 1, message: "the file is empty") }

    relay.start { [self] in read(descriptor, size: size) }
    var index = 0
    var failure: ReportError?
    while true {
      if relay.ready.wait(timeout: .now()) == .success {
        // The reader is ahead: it can take more of the hashing.
        if verifyHashes { readerShare += 1 }
      } else {
        if verifyHashes { readerShare -= 1 }
        relay.ready.wait()
      }
      let block = blocks[index % blocks.count]
      index += 1
      failure = apply(block, body)
      if failure != nil || block.isLast { break }
      relay.giveBack()
    }
    relay.stop()
    if let failure { throw failure }
  }

  /// Hashes the lines the reader left, applies the events, and returns the block's first
  /// fault, if any.
  private func apply(_ block: Block, _ body: (ScannedEvent) throws(ReportError) -> Void)
    -> ReportError?
  {
    var hashFailure = block.readerHashFailure
    if verifyHashes, hashFailure == nil, let base = block.base {
      hashFailure = Self.firstHashFailure(
        base, block.lines, from: block.hashedByReader, to: block.eventLines)
    }
    if let hashFailure {
      let line = block.firstLine + hashFailure.index
      if case .corruptLine(let earlier, _)? = block.failure, earlier < line { return block.failure }
      return .corruptLine(line: line, message: hashFailure.message)
    }
    do {
      try block.events.withUnsafeBufferPointer { (events) throws(ReportError) in
        for index in 0..<block.eventCount { try body(events[index]) }
      }
    } catch {
      return error
    }
    return block.failure
  }

  // MARK: - The reading thread

  private func read(_ descriptor: Int32, size: Int) {
    var offset = 0
    var lineNumber = 0
    var header: JSONLinesHeader?
    var eventsSeen = 0
    var personLines = 0
    var previousHash = [UInt8](repeating: 0x30, count: 64)
    var index = 0
    while true {
      guard relay.acquire() else { return }
      let block = blocks[index % blocks.count]
      index += 1
      // The slots keep their storage from block to block, so parsing allocates little.
      var events = block.events
      block.events = []
      block.eventCount = 0
      block.lines.removeAll(keepingCapacity: true)
      block.eventLines = 0
      block.hashedByReader = 0
      block.readerHashFailure = nil
      block.failure = nil
      block.firstLine = lineNumber + 1

      // Whole lines only: a block reads about 1 MB from `offset` and ends after its last line
      // end (the partial line after it is read again by the next block); a line longer than
      // a block makes the block larger.
      var want = min(size - offset, Self.blockSize)
      var end = offset
      while true {
        block.reserve(want)
        var got = 0
        while got < want {
          let count = pread(descriptor, block.storage + got, want - got, off_t(offset + got))
          if count <= 0 { break }
          got += count
        }
        guard got == want else {
          block.events = events
          block.failure = .io("cannot read \(path): \(String(cString: strerror(errno)))")
          block.isLast = true
          relay.handOver()
          return
        }
        if offset + got >= size {
          end = size
          break
        }
        var back = got - 1
        while back >= 0, block.storage[back] != 0x0A { back -= 1 }
        if back >= 0 {
          end = offset + back + 1
          break
        }
        want = min(size - offset, want * 2)
      }
      let base = UnsafePointer(block.storage)
      var cursor = 0
      let length = end - offset
      while cursor < length {
        let lineEnd: Int
        let next: Int
        if let newline = memchr(base + cursor, 0x0A, length - cursor) {
          lineEnd = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
          next = lineEnd + 1
        } else {
          lineEnd = length
          next = length
        }
        var trimmed = lineEnd
        if trimmed > cursor, base[trimmed - 1] == 0x0D { trimmed -= 1 }
        block.lines.append(cursor..<trimmed)
        cursor = next
      }
      offset = end
      let atEnd = offset >= size

      var failure: ReportError?
      if header == nil, !block.lines.isEmpty {
        lineNumber += 1
        let range = block.lines.removeFirst()
        do {
          header = try JSONLinesHeader.parse(
            UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
        } catch {
          failure = error
        }
        block.firstLine = 2
      }
      if failure == nil, let header {
        let wanted = max(0, header.events - eventsSeen)
        let eventEnd = min(block.lines.count, wanted)
        var parsed = 0
        var kept = 0
        while parsed < eventEnd {
          let range = block.lines[parsed]
          let line = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
          let number = lineNumber + 1 + parsed
          do throws(ScanError) {
            if let only, !only.contains(try parser.caseKey(ofLine: line)) {
              // A second pass reads only the cases it revisits; the first checked the rest.
              parsed += 1
              continue
            }
            if events.count == kept { events.append(ScannedEvent()) }
            let chain = try parser.parseLine(line, into: &events[kept])
            if only == nil {
              let expected = eventsSeen + parsed + 1
              guard events[kept].position == expected else {
                failure = .corruptLine(
                  line: number,
                  message: "position \(events[kept].position) where \(expected) was expected")
                break
              }
              guard memcmp(line.baseAddress! + chain.previousHash, previousHash, 64) == 0 else {
                failure = .corruptLine(
                  line: number, message: "previousHash does not link to the previous event")
                break
              }
              previousHash.withUnsafeMutableBufferPointer {
                $0.baseAddress!.update(from: line.baseAddress! + chain.hash, count: 64)
              }
            }
          } catch {
            failure = .corruptLine(line: number, message: error.message)
            break
          }
          kept += 1
          parsed += 1
        }
        // The lines before a fault still count: a hash mismatch among them is reported first.
        block.eventLines = parsed
        block.eventCount = kept
        eventsSeen += parsed
        lineNumber += parsed
        if failure == nil {
          // Person lines after the events.
          for range in block.lines[parsed...] {
            lineNumber += 1
            let line = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
            if line.isEmpty, atEnd { continue }
            guard line.count >= 10, memcmp(line.baseAddress!, "{\"person\":", 10) == 0 else {
              failure = .corruptLine(
                line: lineNumber,
                message: "expected a person record after the \(header.events) events of the header")
              break
            }
            personLines += 1
          }
        }
        if verifyHashes {
          let share = parsed * readerShare / 16
          block.hashedByReader = share
          block.readerHashFailure = Self.firstHashFailure(base, block.lines, from: 0, to: share)
        }
      }
      if failure == nil, atEnd {
        if only != nil {
          // Checked by the first pass.
        } else if let header {
          if eventsSeen != header.events {
            failure = .corruptLine(
              line: lineNumber + 1,
              message:
                "the file ends after \(eventsSeen) events; its header announces \(header.events) (truncated?)"
            )
          } else if previousHash != header.lastHash {
            failure = .incompleteLog("the last event's hash differs from the header's lastHash")
          } else if personLines != header.people {
            failure = .incompleteLog(
              "the header announces \(header.people) person records, the file has \(personLines)")
          }
        } else {
          failure = .corruptLine(line: 1, message: "the file is empty")
        }
      }
      let last = failure != nil || atEnd
      block.events = events
      block.failure = failure
      block.isLast = last
      relay.handOver()
      if last { return }
    }
  }

  /// Recomputes the SHA-256 of lines `from..<to`; the index of the first that differs from
  /// its `hash` (or is not UTF-8), and what is wrong with it.
  static func firstHashFailure(
    _ base: UnsafePointer<UInt8>, _ lines: [Range<Int>], from: Int, to: Int
  ) -> (index: Int, message: String)? {
    guard from < to else { return nil }
    let check = HashCheck(base: base, lines: Array(lines[from..<to]))
    check.run()
    return check.firstFailure.map { ($0 + from, check.failureMessage) }
  }
}
