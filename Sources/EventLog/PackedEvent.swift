import CaseModel

/// An event row the import's reading thread has checked, packed for the writing thread into a
/// single allocation: its six texts and its payload side by side, then its previous hash and its
/// hash, 32 bytes each.
///
/// A ``LogRecord`` is five or six allocations (the payload, the longer strings, the hash, and
/// the box around them for the hand-over), each made on the reading thread, read on the writing
/// thread and freed on the reading thread again. This is one, and the writer binds its bytes in
/// place (``EventStore/insert(_:with:)``).
final class PackedEvent: ManagedBuffer<PackedEvent.Header, UInt8> {
  /// The row's integers, and where each of its texts ends in the bytes that follow.
  struct Header {
    var position: Int
    var caseVersion: Int
    var typeVersion: Int
    /// The ends of the case id, type, occurred-at, recorded-at, actor, command id and payload.
    var ends: (Int32, Int32, Int32, Int32, Int32, Int32, Int32)
  }

  /// The seven texts of a row, in their column order.
  typealias Texts = (
    caseID: UnsafeRawBufferPointer, type: UnsafeRawBufferPointer,
    occurredAt: UnsafeRawBufferPointer, recordedAt: UnsafeRawBufferPointer,
    actor: UnsafeRawBufferPointer, commandID: UnsafeRawBufferPointer,
    payload: UnsafeRawBufferPointer
  )

  /// Packs a row from its integers, its texts (together shorter than 2 GiB) and its two hashes
  /// (32 bytes each).
  static func make(
    position: Int, caseVersion: Int, typeVersion: Int, texts: Texts,
    previousHash: UnsafeRawBufferPointer, hash: UnsafeRawBufferPointer
  ) -> PackedEvent {
    precondition(previousHash.count == 32 && hash.count == 32, "a hash is 32 bytes")
    // A homogeneous tuple is laid out as an array of its elements: walked without making one.
    return withUnsafeBytes(of: texts) { raw in
      let parts = raw.bindMemory(to: UnsafeRawBufferPointer.self)
      var ends: (Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0)
      var total = 0
      withUnsafeMutableBytes(of: &ends) { raw in
        let ends = raw.bindMemory(to: Int32.self)
        for (index, part) in parts.enumerated() {
          total += part.count
          ends[index] = Int32(total)
        }
      }
      let buffer = create(minimumCapacity: total + 64) { _ in
        Header(position: position, caseVersion: caseVersion, typeVersion: typeVersion, ends: ends)
      }
      buffer.withUnsafeMutablePointerToElements { base in
        let target = UnsafeMutableRawPointer(base)
        var offset = 0
        for part in parts {
          if let source = part.baseAddress {
            (target + offset).copyMemory(from: source, byteCount: part.count)
          }
          offset += part.count
        }
        (target + offset).copyMemory(from: previousHash.baseAddress!, byteCount: 32)
        (target + offset + 32).copyMemory(from: hash.baseAddress!, byteCount: 32)
      }
      return unsafeDowncast(buffer, to: PackedEvent.self)
    }
  }

  /// Packs a record (the import's general path, for lines not in the export's exact form).
  static func make(_ record: LogRecord) -> PackedEvent {
    var texts: [UInt8] = []
    var ends: [Int] = []
    for text in [
      record.caseID.rawValue, record.type, record.occurredAt, record.recordedAt, record.actor,
      record.commandID,
    ] {
      texts.append(contentsOf: text.utf8)
      ends.append(texts.count)
    }
    texts.append(contentsOf: record.payload)
    return texts.withUnsafeBytes { bytes in
      func part(_ index: Int) -> UnsafeRawBufferPointer {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeRawBufferPointer(
          rebasing: bytes[start..<(index < 6 ? ends[index] : bytes.count)])
      }
      return record.previousHash.withUnsafeBytes { previousHash in
        record.hash.withUnsafeBytes { hash in
          make(
            position: record.position, caseVersion: record.caseVersion,
            typeVersion: record.typeVersion,
            texts: (part(0), part(1), part(2), part(3), part(4), part(5), part(6)),
            previousHash: previousHash, hash: hash)
        }
      }
    }
  }

  /// The global position.
  var position: Int { header.position }

  /// Calls `body` with the row's integers and its bytes: the texts in column order, split at
  /// the header's ends, then the two hashes.
  func withRow<Result>(
    _ body: (Header, UnsafeRawBufferPointer) throws -> Result
  ) rethrows -> Result {
    try withUnsafeMutablePointers { header, elements in
      let count = Int(header.pointee.ends.6) + 64
      return try body(header.pointee, UnsafeRawBufferPointer(start: elements, count: count))
    }
  }
}
