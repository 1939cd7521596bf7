import CanonicalJSON
import Crypto
import EventLog
import Foundation

/// The header of a JSON Lines log, as the report replay checks it.
struct JSONLinesHeader {
  var events: Int
  var lastHash: [UInt8]
  var people: Int

  /// Reads the header line (line 1) with the event log's own reader.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ReportError) -> JSONLinesHeader {
    do {
      let header = try LogHeader.parse(Array(bytes))
      guard header.lastHash.utf8.count == 64 else {
        throw ReportError.corruptLine(
          line: 1, message: "the header's lastHash is not 64 hex digits")
      }
      return JSONLinesHeader(
        events: header.events, lastHash: Array(header.lastHash.utf8), people: header.people)
    } catch let error as ReportError {
      throw error
    } catch let error as EventLogError {
      if case .badImportLine(_, let message) = error {
        throw .corruptLine(line: 1, message: "not a dispute-engine log header: \(message)")
      }
      throw .corruptLine(line: 1, message: "not a dispute-engine log header: \(error)")
    } catch {
      throw .corruptLine(line: 1, message: "not a dispute-engine log header: \(error)")
    }
  }
}

/// Recomputes the SHA-256 of each line's canonical form and compares it with the line's
/// `hash`, remembering the first line that differs (or that is not UTF-8: such a line could
/// carry a hash over its bytes, yet no export writes it and an import refuses it).
final class HashCheck: @unchecked Sendable {
  let base: UnsafePointer<UInt8>
  let lines: [Range<Int>]
  var firstFailure: Int?
  var failureMessage = "the hash does not match the record"

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
      guard JSONReader.isValidUTF8(UnsafeBufferPointer(start: line, count: count)) else {
        firstFailure = offset
        failureMessage = "the line is not valid UTF-8"
        return
      }
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
