import ArgumentParser

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs `disputes`, printing every failure as one line on stderr with its sysexits code.
@main
enum Main {
  static func main() async {
    let arguments = Array(CommandLine.arguments.dropFirst())
    do {
      var command = try Disputes.parseAsRoot(arguments)
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let failure as CLIFailure {
      Terminal.standardError.writeLine("error: \(failure.message)")
      exit(failure.status.rawValue)
    } catch let exitCode as ExitCode {
      exit(exitCode.rawValue)
    } catch {
      let code = Disputes.exitCode(for: error)
      if code == .success {
        // --help, --version and the like print their own text.
        Disputes.exit(withError: error)
      }
      let path = commandPath(arguments)
      let message = Disputes.message(for: error)
        .split(whereSeparator: \.isNewline).joined(separator: " ")
      Terminal.standardError.writeLine("error: \(message) (see '\(path) --help')")
      exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
    }
  }

  /// `disputes calendar deadline`: the subcommands named at the start of the arguments.
  static func commandPath(_ arguments: [String]) -> String {
    var path = ["disputes"]
    var current: any ParsableCommand.Type = Disputes.self
    for argument in arguments {
      guard
        let next = current.configuration.subcommands.first(where: {
          $0._commandName == argument || $0.configuration.aliases.contains(argument)
        })
      else { break }
      path.append(argument)
      current = next
    }
    return path.joined(separator: " ")
  }
}
