// A helper the DisputeEngine tests run as separate processes: concurrent writers on one file,
// and processes killed with SIGKILL in the middle of writing. Prints one line per acknowledged
// command, flushed, so the parent knows exactly what was committed.
import DisputeEngine
import Foundation

func say(_ line: String) {
  // Unbuffered: the parent must see every acknowledgement before a kill.
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  say("usage: engine-stress contend|commands|import DB ...")
  exit(64)
}
let mode = arguments[1]
let path = arguments[2]
let engine: Engine
do {
  engine = try Engine(path: path, clock: SystemClock())
} catch {
  say("error \(error)")
  exit(74)
}
let shop = ShopIdentity(
  tradeName: "Stress B.V.", country: .netherlands, registrationNumber: "87654321")

switch mode {
case "contend":
  // contend DB REFERENCE COUNT LABEL: add COUNT notes to one case, each with the version it
  // read; a conflict is typed, and the note is retried on the new version.
  let reference = arguments[3]
  let count = Int(arguments[4])!
  let label = arguments[5]
  var conflicts = 0
  var done = 0
  while done < count {
    do {
      let version = try engine.caseDetail(reference).dispute.version
      let id = "\(label)-\(done)"
      try engine.handle(
        .note(at: .day(try! CivilDate(parsing: "2026-12-24")), text: "\(label) note \(done)"),
        on: reference,
        expectedVersion: version, commandID: id, actor: label)
      say("ack \(id)")
      done += 1
    } catch EngineError.log(.conflict) {
      conflicts += 1
    } catch EngineError.log(.busy) {
      conflicts += 1
    } catch {
      say("error \(error)")
      exit(1)
    }
  }
  say("done conflicts=\(conflicts)")
case "commands":
  // commands DB LABEL: open cases and answer them until killed.
  let label = arguments[3]
  var index = 0
  while true {
    do {
      let openID = "\(label)-open-\(index)"
      let opened = try engine.openCase(
        NewCase(
          scheme: "webwinkelkeur", shop: shop, consumerCountry: .netherlands, consumer: nil,
          subject: "delivery",
          amount: nil, receivedAt: .day(try! CivilDate(parsing: "2026-12-23"))),
        commandID: openID, actor: label)
      say("ack \(openID)")
      let respondID = "\(label)-respond-\(index)"
      try engine.handle(
        .respond(at: .day(try! CivilDate(parsing: "2026-12-28")), proposal: nil),
        on: opened.reference.description,
        commandID: respondID, actor: label)
      say("ack \(respondID)")
      index += 1
    } catch {
      say("error \(error)")
      exit(1)
    }
  }
case "import":
  // import DB FILE
  guard let handle = FileHandle(forReadingAtPath: arguments[3]) else {
    say("error cannot open \(arguments[3])")
    exit(66)
  }
  say("started")
  do {
    let count = try engine.store.importLog(from: handle)
    say("imported \(count)")
  } catch {
    say("error \(error)")
    exit(1)
  }
default:
  say("unknown mode \(mode)")
  exit(64)
}
