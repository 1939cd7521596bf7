import ArgumentParser
import DisputeEngine
import Foundation

struct CaseOpenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "open",
    abstract: "Open a case: the shop received a consumer's complaint.",
    discussion:
      "Prints the new case's id and reference. The shop's 5 working days start from --received.")

  @Option(help: "webwinkelkeur or becommerce.")
  var scheme: String

  @Option(help: "The shop's trade name.")
  var shop: String

  @Option(name: .customLong("shop-country"), help: "NL or BE: where the shop is seated.")
  var shopCountry: String

  @Option(name: .customLong("shop-id"), help: "The shop's KvK (NL) or KBO (BE) number.")
  var shopID: String?

  @Option(name: .customLong("shop-website"), help: "The shop's website.")
  var shopWebsite: String?

  @Flag(name: .customLong("not-member"), help: "The shop is not a member of the trustmark.")
  var notMember = false

  @Option(help: "The consumer's name (kept outside the event log, erasable).")
  var consumer: String

  @Option(name: .customLong("consumer-email"), help: "The consumer's e-mail address.")
  var consumerEmail: String?

  @Option(name: .customLong("consumer-phone"), help: "The consumer's phone number.")
  var consumerPhone: String?

  @Option(
    name: .customLong("consumer-country"),
    help: "The consumer's country, ISO code (default: the shop's).")
  var consumerCountry: String?

  @Option(help: "The complaint subject, one of the scheme's (see 'disputes workflow show').")
  var subject = "other"

  @Option(help: "The amount in dispute in euros, for example 120 or 89.95.")
  var amount: String?

  @Option(help: "When the shop received the complaint: YYYY-MM-DD or a date-time with offset.")
  var received: String

  @Option(
    name: .customLong("command-id"),
    help: "An id for this command: repeating it records nothing new.")
  var commandID: String?

  @Flag(help: "Print JSON: {id, reference, ...}.")
  var json = false

  @OptionGroup var global: GlobalOptions

  func run() throws {
    guard let country = Jurisdiction(rawValue: shopCountry.uppercased()) else {
      throw CLIFailure("--shop-country must be NL or BE, not '\(shopCountry)'", status: .usage)
    }
    let consumerCode =
      try consumerCountry.map { text -> CountryCode in
        guard let code = CountryCode(text) else {
          throw CLIFailure(
            "--consumer-country must be a two-letter country code, not '\(text)'", status: .usage)
        }
        return code
      } ?? CountryCode(jurisdiction: country)
    let money = try amount.map { text -> Money in
      guard let money = Money(parsing: text) else {
        throw CLIFailure(
          "--amount must be euros such as 120 or 89.95, not '\(text)'", status: .dataError)
      }
      return money
    }
    let engine = try global.engine()
    let request = NewCase(
      scheme: scheme,
      shop: ShopIdentity(
        tradeName: shop, country: country, registrationNumber: shopID, website: shopWebsite,
        isMember: !notMember),
      consumerCountry: consumerCode,
      consumer: .init(name: consumer, email: consumerEmail, phone: consumerPhone), subject: subject,
      amount: money,
      receivedAt: try disputesOccurrence(received, option: "--received"))
    let outcome = try engineCall { () throws(EngineError) in
      try engine.openCase(
        request, commandID: commandID ?? UUID().uuidString, actor: global.actorName)
    }
    if json {
      try StepReport(outcome: outcome, zone: engine).print(json: true)
    } else {
      print("Opened \(outcome.reference) (id \(outcome.dispute.id))")
      try StepReport(outcome: outcome, zone: engine).print(json: false)
    }
  }
}
