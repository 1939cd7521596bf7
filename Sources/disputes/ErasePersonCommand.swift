import ArgumentParser
import DisputeEngine

struct ErasePersonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "erase-person",
    abstract: "Erase a consumer's personal data (GDPR art. 17); the log records that it happened.",
    discussion:
      "Give the person's id (as 'case show --json' lists it) or a case reference to erase that case's consumer."
  )

  @Argument(help: "A person id, or a case reference whose consumer to erase.")
  var person: String

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let engine = try global.engine()
    var id = person
    if let detail = try? engine.caseDetail(person), let consumer = detail.dispute.opening.consumerID
    {
      id = consumer
    }
    let cases = try logCall { () throws(EventLogError) in
      return try engine.store.erasePerson(
        id, actor: global.actorName, recordedAt: engine.clock.now())
    }
    print(
      "Erased \(id)'s personal data; recorded in \(cases.count) case\(cases.count == 1 ? "" : "s")."
    )
  }
}
