import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the `engine-stress` helper as a separate process, its output going to a file that the
/// test can read while it runs.
final class StressProcess {
  let process = Process()
  let output: URL

  static let executable: URL = {
    var directory = Bundle.main.bundleURL
    for _ in 0..<3 {
      let candidate = directory.appendingPathComponent("engine-stress")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory.deleteLastPathComponent()
    }
    return Bundle.main.bundleURL.appendingPathComponent("engine-stress")
  }()

  init(_ arguments: [String], in directory: URL) throws {
    output = directory.appendingPathComponent("stress-\(UUID().uuidString).out")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    process.executableURL = Self.executable
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    try process.run()
  }

  var lines: [String] {
    ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n").map(
      String.init)
  }

  /// Waits until a line satisfies `condition`, or the process ends, or `timeout` passes.
  func waitFor(timeout: TimeInterval = 120, _ condition: ([String]) -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition(lines) { return true }
      if !process.isRunning { return condition(lines) }
      usleep(5_000)
    }
    return false
  }

  func kill() {
    Glibc.kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  func wait() -> Int32 {
    process.waitUntilExit()
    return process.terminationStatus
  }
}
