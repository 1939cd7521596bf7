package import Dispatch
import Foundation

/// Passes a fixed number of blocks between a reading thread and the calling thread (the event
/// log's import and the report replay): the reader
/// waits for a free block (``acquire()``), fills it and hands it over (``handOver()``); the
/// caller waits for it (``ready``), uses it and gives it back (``giveBack()``). ``stop()``
/// cancels the reader wherever it is and waits for it to end.
package final class BlockRelay: @unchecked Sendable {
  /// Signalled once per filled block.
  package let ready = DispatchSemaphore(value: 0)
  /// Created at 0 and signalled once per block: libdispatch traps when a semaphore is freed with
  /// a value below the one it was created with.
  private let free = DispatchSemaphore(value: 0)
  private let blocks: Int
  private let lock = NSLock()
  private var cancelledFlag = false
  private let finished = DispatchGroup()

  package init(blocks: Int) { self.blocks = blocks }

  /// Whether ``stop()`` was called.
  package var cancelled: Bool {
    lock.lock()
    defer { lock.unlock() }
    return cancelledFlag
  }

  /// Starts the reading thread (with a stack large enough for the parsers).
  package func start(_ reader: @escaping @Sendable () -> Void) {
    finished.enter()
    let thread = Thread { [finished] in
      reader()
      finished.leave()
    }
    thread.stackSize = 1 << 22
    for _ in 0..<blocks { free.signal() }
    thread.start()
  }

  /// For the reader: waits for a free block; false once the relay is stopped.
  package func acquire() -> Bool {
    free.wait()
    return !cancelled
  }

  /// For the reader: the block it filled is ready.
  package func handOver() { ready.signal() }

  /// For the caller: the block it used is free again.
  package func giveBack() { free.signal() }

  /// Cancels the reader and waits until it has ended.
  package func stop() {
    lock.lock()
    cancelledFlag = true
    lock.unlock()
    free.signal()
    finished.wait()
  }
}
