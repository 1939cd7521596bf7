import CanonicalJSON
import Crypto
import Dispatch
import EventLog
import Foundation

/// Reads events for a replay from an exported JSON Lines file, in one streaming pass.
///
/// The file is read in blocks of 1 MB (a longer line grows the block); lines are split at
/// LF (a CR before it is dropped). Each block's lines are parsed and applied on one core while
/// the other recomputes their SHA-256 hashes; positions, links to the previous hash, the
/// header's count and last hash are all checked. Any fault names its line, and the caller
/// returns no figures.
struct JSONLinesReader {
  let path: String
  /// Whether to recompute each record's hash (links and counts are always checked).
  var verifyHashes = true

  // Small enough that the hashing core reads lines while the parsing core has them in cache.
  private static let blockSize = 1 << 20

  struct Header {
    var events: Int
    var lastHash: [UInt8]
    var people: Int
  }

  /// Streams the events; with `only`, parses only the lines of these cases (a revisit) and
  /// skips the checks the first pass made.
  func forEachEvent(
    parser: inout RecordParser, only: Set<CaseKey>? = nil,
    _ body: (ScannedEvent) throws(ReportError) -> Void
  ) throws(ReportError) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw .io("cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var capacity = Self.blockSize
    var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    var filled = 0
    var start = 0
    var atEnd = false
    var lineNumber = 0
    var header: Header?
    var eventsSeen = 0
    var personLines = 0
    var previousHash = [UInt8](repeating: 0x30, count: 64)
    var event = ScannedEvent()
    var lines: [Range<Int>] = []

    func refill() throws(ReportError) {
      if start > 0 {
        memmove(buffer, buffer + start, filled - start)
        filled -= start
        start = 0
      }
      if filled == capacity {
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        larger.update(from: buffer, count: filled)
        buffer.deallocate()
        buffer = larger
        capacity *= 2
      }
      while filled < capacity {
        let count = read(descriptor, buffer + filled, capacity - filled)
        if count < 0 {
          throw .io("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if count == 0 {
          atEnd = true
          break
        }
        filled += count
      }
    }

    while true {
      // Collect the complete lines in the buffer.
      lines.removeAll(keepingCapacity: true)
      var cursor = start
      while cursor < filled {
        guard let newline = memchr(buffer + cursor, 0x0A, filled - cursor) else { break }
        let end = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
        var lineEnd = end
        if lineEnd > cursor, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        lines.append(cursor..<lineEnd)
        cursor = end + 1
      }
      if atEnd, cursor < filled {
        // A last line without a line end.
        lines.append(cursor..<filled)
        cursor = filled
      }
      if lines.isEmpty {
        if atEnd { break }
        try refill()
        continue
      }
      start = cursor

      var index = 0
      if header == nil {
        lineNumber += 1
        header = try Self.header(buffer, lines[0], line: lineNumber)
        index = 1
      }
      let expected = header!.events
      let eventLines = lines[index..<min(lines.count, index + max(0, expected - eventsSeen))]
      if !eventLines.isEmpty {
        let firstLine = lineNumber + 1
        if let only {
          for (offset, range) in eventLines.enumerated() {
            let line = UnsafeBufferPointer(start: buffer + range.lowerBound, count: range.count)
            let key: CaseKey
            do {
              key = try parser.caseKey(ofLine: line)
            } catch {
              throw .corruptLine(line: firstLine + offset, message: error.message)
            }
            guard only.contains(key) else { continue }
            do {
              _ = try parser.parseLine(line, into: &event)
            } catch {
              throw .corruptLine(line: firstLine + offset, message: error.message)
            }
            try body(event)
          }
        } else {
          try processBlock(
            buffer, Array(eventLines), firstLine: firstLine, firstPosition: eventsSeen + 1,
            previousHash: &previousHash, parser: &parser, event: &event, body)
        }
        eventsSeen += eventLines.count
        lineNumber += eventLines.count
        index += eventLines.count
      }
      for range in lines[index...] {
        lineNumber += 1
        let line = UnsafeBufferPointer(start: buffer + range.lowerBound, count: range.count)
        guard line.count >= 10, memcmp(line.baseAddress!, "{\"person\":", 10) == 0 else {
          if line.isEmpty, atEnd, start >= filled { continue }
          throw .corruptLine(
            line: lineNumber,
            message: "expected a person record after the \(expected) events of the header")
        }
        personLines += 1
      }
      if atEnd, start >= filled { break }
      try refill()
    }

    guard let header else { throw .corruptLine(line: 1, message: "the file is empty") }
    guard eventsSeen == header.events else {
      throw .corruptLine(
        line: lineNumber + 1,
        message:
          "the file ends after \(eventsSeen) events; its header announces \(header.events) (truncated?)"
      )
    }
    if only == nil {
      guard previousHash == header.lastHash else {
        throw .incompleteLog("the last event's hash differs from the header's lastHash")
      }
      guard personLines == header.people else {
        throw .incompleteLog(
          "the header announces \(header.people) person records, the file has \(personLines)")
      }
    }
  }

  private static func header(_ buffer: UnsafeMutablePointer<UInt8>, _ range: Range<Int>, line: Int)
    throws(ReportError) -> Header
  {
    try parseHeader(
      UnsafeBufferPointer(start: buffer + range.lowerBound, count: range.count), line: line)
  }

  /// Reads the header line.
  static func parseHeader(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(ReportError)
    -> Header
  {
    var reader = JSONReader(bytes)
    var format: String?
    var version: Int?
    var events: Int?
    var lastHash: String?
    var people = 0
    do {
      try reader.beginObject()
      while let key = try reader.nextKey() {
        switch key {
        case "format": format = try reader.string()
        case "formatVersion": version = try reader.int()
        case "events": events = try reader.int()
        case "lastHash": lastHash = try reader.string()
        case "people": people = try reader.int()
        default: try reader.skipValue()
        }
      }
    } catch {
      throw .corruptLine(line: line, message: "not a log header: \(error)")
    }
    guard format == "dispute-engine-log" else {
      throw .corruptLine(line: line, message: "not a dispute-engine log (no format header)")
    }
    guard version == 1 else {
      throw .corruptLine(
        line: line, message: "log format version \(version.map(String.init) ?? "?") is not known")
    }
    guard let events, events >= 0, let lastHash, lastHash.utf8.count == 64 else {
      throw .corruptLine(line: line, message: "the header lacks events or lastHash")
    }
    return Header(events: events, lastHash: Array(lastHash.utf8), people: people)
  }

  /// Parses and applies a block of event lines, checking each hash on the other core.
  private func processBlock(
    _ buffer: UnsafeMutablePointer<UInt8>, _ lines: [Range<Int>], firstLine: Int,
    firstPosition: Int, previousHash: inout [UInt8], parser: inout RecordParser,
    event: inout ScannedEvent, _ body: (ScannedEvent) throws(ReportError) -> Void
  ) throws(ReportError) {
    let base = UnsafePointer(buffer)
    var parseFailure: ReportError?
    func parse() {
      for (offset, range) in lines.enumerated() {
        let line = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
        let lineNumber = firstLine + offset
        do {
          let chain = try parser.parseLine(line, into: &event)
          guard event.position == firstPosition + offset else {
            parseFailure = .corruptLine(
              line: lineNumber,
              message: "position \(event.position) where \(firstPosition + offset) was expected")
            return
          }
          guard
            memcmp(base + range.lowerBound + chain.previousHash, previousHash, 64) == 0
          else {
            parseFailure = .corruptLine(
              line: lineNumber, message: "previousHash does not link to the previous event")
            return
          }
          previousHash.withUnsafeMutableBufferPointer { target in
            target.baseAddress!.update(from: base + range.lowerBound + chain.hash, count: 64)
          }
        } catch {
          parseFailure = .corruptLine(line: lineNumber, message: error.message)
          return
        }
        do {
          try body(event)
        } catch {
          parseFailure = error
          return
        }
      }
    }
    guard verifyHashes else {
      parse()
      if let parseFailure { throw parseFailure }
      return
    }
    let mismatch = HashCheck(base: base, lines: lines)
    let done = DispatchGroup()
    done.enter()
    DispatchQueue.global().async {
      mismatch.run()
      done.leave()
    }
    parse()
    done.wait()
    if let hashLine = mismatch.firstFailure.map({ firstLine + $0 }) {
      var parsedFurther = true
      if case .corruptLine(let line, _)? = parseFailure, line < hashLine { parsedFurther = false }
      if parsedFurther {
        throw .corruptLine(line: hashLine, message: "the hash does not match the record")
      }
    }
    if let parseFailure { throw parseFailure }
  }
}

/// Recomputes the SHA-256 of each line's canonical form and compares it with the line's
/// `hash`, remembering the first line that differs.
final class HashCheck: @unchecked Sendable {
  let base: UnsafePointer<UInt8>
  let lines: [Range<Int>]
  var firstFailure: Int?

  init(base: UnsafePointer<UInt8>, lines: [Range<Int>]) {
    self.base = base
    self.lines = lines
  }

  func run() {
    var scratch = [UInt8](repeating: 0, count: 4096)
    for (offset, range) in lines.enumerated() {
      let count = range.count
      // A line too short to hold a record: the parser reports it.
      guard count > RecordParser.suffixLength + 20 else { continue }
      let line = base + range.lowerBound
      let canonical = count - 75
      if scratch.count <= canonical { scratch = [UInt8](repeating: 0, count: canonical * 2) }
      let matches = scratch.withUnsafeMutableBufferPointer { buffer -> Bool in
        // The canonical form is the line up to the previous hash, closed with `}`.
        buffer.baseAddress!.update(from: line, count: canonical)
        buffer[canonical] = 0x7D
        let digest = SHA256.hash(
          data: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: canonical + 1))
        let expected = line + (count - 66)
        return digest.withUnsafeBytes { bytes in
          for index in 0..<32 {
            let high = Self.hex[Int(expected[2 * index])]
            let low = Self.hex[Int(expected[2 * index + 1])]
            guard high < 16, low < 16, high << 4 | low == bytes[index] else { return false }
          }
          return true
        }
      }
      if !matches {
        firstFailure = offset
        return
      }
    }
  }

  /// Lower-case hexadecimal digits' values; 0xFF for any other byte.
  private static let hex: [UInt8] = (0..<256).map { byte in
    switch byte {
    case 0x30...0x39: UInt8(byte - 0x30)
    case 0x61...0x66: UInt8(byte - 0x61 + 10)
    default: 0xFF
    }
  }
}
