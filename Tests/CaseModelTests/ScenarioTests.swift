import CaseModel
import Foundation
import Testing
import WorkingDays

/// Whole cases per scheme, with due dates computed by hand across holidays.
@Suite("Scenarios")
struct ScenarioTests {
  typealias F = Fixture

  func deadline(_ dispute: DisputeCase, _ kind: DeadlineKind) -> TrackedDeadline? {
    dispute.deadlines.last { $0.kind == kind }
  }

  @Test("WebwinkelKeur: a Dutch case from the shop to a DigiDispuut decision")
  func webwinkelkeurToDecision() throws {
    var dispute = try F.open(F.wwk, received: "2026-12-23")
    #expect(dispute.reference.description == "WWK-2026-00001")
    #expect(dispute.opening.workflowVersion == "2026.1")
    // 24 Dec (1), 25–27 skipped, 28–31 Dec (2–5).
    #expect(deadline(dispute, .shopAnswer)?.lastDay == F.day("2026-12-31"))
    #expect(deadline(dispute, .shopAnswer)?.opened.party == .shop)

    try F.run(.respond(at: F.on("2027-01-04"), proposal: "store credit"), on: &dispute, F.wwk)
    #expect(deadline(dispute, .shopAnswer)?.status == .late)
    try F.run(.reject(at: F.on("2027-01-04")), on: &dispute, F.wwk)
    let filing = try F.run(.file(at: F.on("2027-01-05")), on: &dispute, F.wwk)
    #expect(filing.count == 1)
    guard case .filed(let checks) = filing[0].change else { throw TestFailure("not a filing") }
    #expect(checks.allSatisfy { $0.passed })
    // Tue 5 Jan + 3 weeks = Tue 26 Jan 2027, on the mediator's calendar.
    #expect(deadline(dispute, .admissibilityDecision)?.lastDay == F.day("2027-01-26"))
    #expect(deadline(dispute, .admissibilityDecision)?.opened.party == .mediator)

    try F.run(.completeFile(at: F.on("2027-01-08")), on: &dispute, F.wwk)
    #expect(deadline(dispute, .admissibilityDecision)?.status == .met)
    // 8 Jan + 90 days: 23 left in January, 28 in February, 31 in March, 8 April (a Thursday).
    #expect(deadline(dispute, .mediationOutcome)?.lastDay == F.day("2027-04-08"))

    try F.run(.mediate(at: F.on("2027-01-11")), on: &dispute, F.wwk)
    // Mon 11 Jan + 7 days = Mon 18 Jan.
    #expect(deadline(dispute, .mediationWindow)?.lastDay == F.day("2027-01-18"))
    try F.run(.failMediation(at: F.on("2027-01-20"), reason: "no reply"), on: &dispute, F.wwk)
    #expect(deadline(dispute, .mediationWindow)?.status == .missed)
    #expect(deadline(dispute, .mediationOutcome)?.status == .met)

    try F.run(.escalate(at: F.on("2027-01-21")), on: &dispute, F.wwk)
    // Thu 21 Jan + 2 weeks = Thu 4 Feb (the consumer's NL calendar); + 90 days = Wed 21 April.
    #expect(deadline(dispute, .committeeClaim)?.lastDay == F.day("2027-02-04"))
    #expect(deadline(dispute, .committeeClaim)?.opened.party == .consumer)
    #expect(deadline(dispute, .committeeDecision)?.lastDay == F.day("2027-04-21"))
    try F.run(.claim(at: F.on("2027-02-01")), on: &dispute, F.wwk)
    // Mon 1 Feb + 2 weeks = Mon 15 Feb.
    #expect(deadline(dispute, .committeeDefence)?.lastDay == F.day("2027-02-15"))
    try F.run(.defend(at: F.on("2027-02-10")), on: &dispute, F.wwk)
    #expect(dispute.state.kind == .committeeDeliberating)

    try F.run(.decide(at: F.on("2027-03-15"), outcome: .upheld), on: &dispute, F.wwk)
    #expect(dispute.state.kind == .decided)
    // Mon 15 March + 14 days = Mon 29 March, Easter Monday 2027: rolled over to Tue 30 March.
    let compliance = deadline(dispute, .decisionCompliance)
    #expect(compliance?.opened.deadline.nominalLastDay == F.day("2027-03-29"))
    #expect(compliance?.lastDay == F.day("2027-03-30"))
    try F.run(.comply(at: F.on("2027-03-25")), on: &dispute, F.wwk)
    guard case .closed(let closed) = dispute.state else { throw TestFailure("not closed") }
    #expect(closed.closedAt == F.on("2027-03-25"))
    #expect(closed.outcome == .decisionComplied(.upheld))
    #expect(dispute.deadlines.allSatisfy { !$0.isOpen })
    #expect(!dispute.isCrossBorder)
  }

  @Test(
    "BeCommerce: a Belgian shop receiving a complaint on Friday 16 July 2027, settled in mediation")
  func becommerceSettled() throws {
    var dispute = try F.open(F.bec, shop: F.belgianShop, consumer: .belgium, received: "2027-07-16")
    #expect(dispute.reference.description == "BEC-2027-00001")
    // 19, 20 July (1–2), 21 July National Day, 22, 23, 26 July (3–5).
    #expect(deadline(dispute, .shopAnswer)?.lastDay == F.day("2027-07-26"))
    #expect(deadline(dispute, .shopAnswer)?.opened.deadline.timeZone == "Europe/Brussels")
    try F.run(.respond(at: F.on("2027-07-20"), proposal: nil), on: &dispute, F.bec)
    #expect(deadline(dispute, .shopAnswer)?.status == .met)
    try F.run(.reject(at: F.on("2027-07-21")), on: &dispute, F.bec)
    try F.run(.file(at: F.on("2027-07-22")), on: &dispute, F.bec)
    #expect(deadline(dispute, .admissibilityDecision)?.lastDay == F.day("2027-08-12"))
    try F.run(.completeFile(at: F.on("2027-07-26")), on: &dispute, F.bec)
    // 26 July + 90 days = Sunday 24 October: rolled over to Monday 25 October.
    #expect(deadline(dispute, .mediationOutcome)?.lastDay == F.day("2027-10-25"))
    try F.run(.mediate(at: F.on("2027-07-27")), on: &dispute, F.bec)
    // Becom's 5 working days: 28, 29, 30 July, 2, 3 August.
    #expect(deadline(dispute, .mediationWindow)?.lastDay == F.day("2027-08-03"))
    try F.run(
      .settle(at: F.on("2027-08-02"), terms: "replacement", fulfilBy: F.day("2027-08-16")),
      on: &dispute, F.bec)
    #expect(deadline(dispute, .mediationWindow)?.status == .met)
    #expect(deadline(dispute, .settlementFulfilment)?.lastDay == F.day("2027-08-16"))
    try F.run(.comply(at: F.on("2027-08-10")), on: &dispute, F.bec)
    #expect(dispute.state.kind == .closed)
    #expect(deadline(dispute, .settlementFulfilment)?.status == .met)
  }

  @Test("cross-border: each deadline on its party's calendar")
  func crossBorder() throws {
    // A Dutch consumer, a Belgian shop, on WebwinkelKeur.
    var dispute = try F.open(
      F.wwk, shop: F.belgianShop, consumer: .netherlands, received: "2026-07-16")
    #expect(dispute.isCrossBorder)
    // The shop's Belgian calendar skips National Day, Tue 21 July: Fri 24 July (NL: Thu 23).
    #expect(deadline(dispute, .shopAnswer)?.lastDay == F.day("2026-07-24"))
    for (command, date) in [
      (CommandKind.respond, "2026-07-20"), (.file, "2026-07-21"), (.completeFile, "2026-07-22"),
      (.mediate, "2026-07-23"), (.failMediation, "2026-08-03"), (.escalate, "2026-10-28"),
    ] {
      try F.run(F.sample(command, at: F.on(date))!, on: &dispute, F.wwk)
    }
    // The consumer's claim: Wed 28 Oct + 2 weeks = Wed 11 Nov, a working day in NL.
    #expect(deadline(dispute, .committeeClaim)?.lastDay == F.day("2026-11-11"))
    // A Belgian consumer's claim from the same day ends a day later: 11 Nov is Armistice Day.
    var belgian = try F.open(F.bec, shop: F.belgianShop, consumer: .belgium, received: "2026-07-16")
    for (command, date) in [
      (CommandKind.respond, "2026-07-20"), (.file, "2026-07-21"), (.completeFile, "2026-07-22"),
      (.mediate, "2026-07-23"), (.failMediation, "2026-08-03"), (.escalate, "2026-10-28"),
    ] {
      try F.run(F.sample(command, at: F.on(date))!, on: &belgian, F.bec)
    }
    #expect(deadline(belgian, .committeeClaim)?.lastDay == F.day("2026-11-12"))
  }

  @Test("filing while the shop's time still runs is refused for no prior contact")
  func prematureFiling() throws {
    var dispute = try F.open(F.wwk, received: "2026-12-23")
    let events = try F.run(.file(at: F.on("2026-12-28")), on: &dispute, F.wwk)
    #expect(events.map(\.change.typeName) == ["ComplaintFiled", "FilingRefused"])
    guard case .refused(let refusal) = dispute.state else { throw TestFailure("not refused") }
    #expect(refusal.ground == .noPriorContact)
    #expect(refusal.explanation.contains("2026-12-31"))
    #expect(deadline(dispute, .shopAnswer)?.status == .moot)
    #expect(deadline(dispute, .admissibilityDecision)?.status == .met)
  }

  @Test("filing after the shop let its deadline pass is admissible; the shop's deadline is missed")
  func filingAfterSilence() throws {
    var dispute = try F.open(F.wwk, received: "2026-12-23")
    try F.run(.file(at: F.on("2027-01-04")), on: &dispute, F.wwk)
    #expect(dispute.state.kind == .filedWithMediator)
    #expect(deadline(dispute, .shopAnswer)?.status == .missed)
  }

  @Test("a complaint filed more than 12 months after receipt is refused as too late")
  func tooOld() throws {
    var dispute = try F.open(F.wwk, received: "2026-01-05")
    try F.run(.respond(at: F.on("2026-01-06"), proposal: nil), on: &dispute, F.wwk)
    try F.run(.file(at: F.on("2027-01-06")), on: &dispute, F.wwk)
    guard case .refused(let refusal) = dispute.state else { throw TestFailure("not refused") }
    #expect(refusal.ground == .filedTooLate)
    #expect(refusal.explanation.contains("2027-01-05"))
    // On the last day it is still in time.
    var inTime = try F.open(F.wwk, received: "2026-01-05")
    try F.run(.respond(at: F.on("2026-01-06"), proposal: nil), on: &inTime, F.wwk)
    try F.run(.file(at: F.on("2027-01-05")), on: &inTime, F.wwk)
    #expect(inTime.state.kind == .filedWithMediator)
  }

  @Test("scope: a non-member shop is outside WebwinkelKeur's scope, not BeCommerce's")
  func scope() throws {
    var outsider = F.dutchShop
    outsider.isMember = false
    var dispute = try F.open(F.wwk, shop: outsider, received: "2026-03-02")
    try F.run(.respond(at: F.on("2026-03-03"), proposal: nil), on: &dispute, F.wwk)
    try F.run(.file(at: F.on("2026-03-04")), on: &dispute, F.wwk)
    guard case .refused(let refusal) = dispute.state else { throw TestFailure("not refused") }
    #expect(refusal.ground == .outsideScope)
    var belgian = try F.open(F.bec, shop: outsider, received: "2026-03-02")
    try F.run(.respond(at: F.on("2026-03-03"), proposal: nil), on: &belgian, F.bec)
    try F.run(.file(at: F.on("2026-03-04")), on: &belgian, F.bec)
    #expect(belgian.state.kind == .filedWithMediator)
  }

  @Test("sweep marks a passed deadline once; a late record of a timely answer still meets it")
  func sweepAndLateRecord() throws {
    var dispute = try F.open(F.wwk, received: "2026-12-23")
    let now = try Instants.parse("2027-01-02T12:00:00Z")
    #expect(CaseDecider.sweep(dispute, now: try Instants.parse("2026-12-31T22:59:59Z")).isEmpty)
    let swept = CaseDecider.sweep(dispute, now: now)
    #expect(swept.map(\.change) == [.deadlineMissed(.shopAnswer)])
    #expect(swept.first?.occurredAt == .instant(try Instants.parse("2026-12-31T22:59:59.999Z")))
    for event in swept { try dispute.apply(event) }
    #expect(CaseDecider.sweep(dispute, now: now).isEmpty)
    #expect(CaseDecider.sweep(dispute, now: now.addingTimeInterval(86_400 * 30)).isEmpty)
    #expect(deadline(dispute, .shopAnswer)?.markedMissed == true)
    // Recorded on 2 January, the answer occurred on 30 December: the deadline was met.
    try F.run(.respond(at: F.on("2026-12-30"), proposal: nil), on: &dispute, F.wwk)
    #expect(deadline(dispute, .shopAnswer)?.status == .met)
    #expect(dispute.deadlines.count == 1)
  }

  @Test("a step cannot have occurred before the step it follows")
  func occurrenceOrder() throws {
    let dispute = try F.open(F.wwk, received: "2026-12-23")
    guard
      case .failure(let error) = F.attempt(.respond(at: F.on("2026-12-22"), proposal: nil), dispute)
    else {
      throw TestFailure("accepted")
    }
    #expect(error.reason == .occurredBeforePreviousStep(previous: F.on("2026-12-23")))
    // The same day is fine, and an instant on that day too.
    let sameDay = try Instants.parse("2026-12-23T16:00:00+01:00")
    #expect(throws: Never.self) {
      try CaseDecider.decide(
        .respond(at: .instant(sameDay), proposal: nil), dispute, context: F.wwk)
    }
  }

  @Test("an acknowledgement is not an answer and is recorded once")
  func acknowledgement() throws {
    var dispute = try F.open(F.wwk, received: "2026-12-23")
    try F.run(.acknowledge(at: F.on("2026-12-24")), on: &dispute, F.wwk)
    #expect(dispute.state.kind == .awaitingShopAnswer)
    #expect(deadline(dispute, .shopAnswer)?.isOpen == true)
    #expect(throws: CaseError.self) {
      try CaseDecider.decide(.acknowledge(at: F.on("2026-12-28")), dispute, context: F.wwk)
    }
  }

  @Test("escalation needs the committee's minimum claim")
  func minimumClaim() throws {
    for amount in [Money(cents: 2_000), nil] {
      var dispute = try F.open(F.wwk, received: "2026-03-02", amount: amount)
      for (index, kind) in [CommandKind.respond, .file, .completeFile, .mediate, .failMediation]
        .enumerated()
      {
        try F.run(F.sample(kind, at: .day(F.start.adding(days: index + 1)))!, on: &dispute, F.wwk)
      }
      guard case .failure(let error) = F.attempt(.escalate(at: F.on("2026-03-20")), dispute) else {
        throw TestFailure("accepted")
      }
      #expect(error.reason == .claimBelowMinimum(amount: amount, minimum: Money(cents: 2_500)))
    }
  }

  @Test("extensions: by a period, to a date, only when the workflow allows and only later")
  func extensions() throws {
    var dispute = try Fixture.dispute(in: .committeeAwaitingClaim)
    let claim = try #require(deadline(dispute, .committeeClaim))
    // Escalated Sat 7 March 2026 (day 6 of the path): + 2 weeks = Sat 21 March, rolled to Mon 23.
    #expect(claim.lastDay == F.day("2026-03-23"))
    try F.run(
      .extend(
        at: F.on("2026-03-10"), deadline: .committeeClaim, extension: .by(.weeks(1)), reason: "ill"),
      on: &dispute, F.wwk)
    // Mon 23 March + 1 week = Mon 30 March.
    #expect(deadline(dispute, .committeeClaim)?.lastDay == F.day("2026-03-30"))
    #expect(deadline(dispute, .committeeClaim)?.extensions == 1)
    let earlier = CaseCommand.extend(
      at: F.on("2026-03-10"), deadline: .committeeClaim, extension: .to(F.day("2026-03-25")),
      reason: "x")
    guard case .failure(let error) = F.attempt(earlier, dispute) else {
      throw TestFailure("accepted")
    }
    #expect(
      error.reason == .extensionNotLater(.committeeClaim, currentLastDay: F.day("2026-03-30")))
    let open = try F.open(F.wwk, received: "2026-12-23")
    let answer = CaseCommand.extend(
      at: F.on("2026-12-24"), deadline: .shopAnswer, extension: .by(.workingDays(2)), reason: "x")
    guard case .failure(let refusal) = F.attempt(answer, open) else {
      throw TestFailure("accepted")
    }
    #expect(refusal.reason == .deadlineNotExtendable(.shopAnswer))
  }

  @Test("a correction voids the latest step and restores the state before it")
  func corrections() throws {
    var dispute = try F.open(F.wwk, received: "2026-12-23")
    try F.run(.respond(at: F.on("2026-12-28"), proposal: nil), on: &dispute, F.wwk)
    try F.run(.note(at: F.on("2026-12-28"), text: "answer by phone"), on: &dispute, F.wwk)
    #expect(dispute.correctableVersion == 2)
    guard
      case .failure(let error) = F.attempt(
        .correct(at: F.on("2026-12-29"), eventVersion: 1, reason: "x"), dispute)
    else { throw TestFailure("accepted") }
    if case .cannotCorrect = error.reason {} else { Issue.record("unexpected \(error.reason)") }
    try F.run(
      .correct(at: F.on("2026-12-29"), eventVersion: 2, reason: "recorded on the wrong case"),
      on: &dispute, F.wwk)
    #expect(dispute.state.kind == .awaitingShopAnswer)
    #expect(deadline(dispute, .shopAnswer)?.isOpen == true)
    #expect(dispute.corrections.map(\.voidedStep) == [.respond])
    #expect(dispute.notes.count == 1)
    #expect(dispute.version == 4)
  }

  @Test("not complying with a settlement refers the shop to the sanctions process")
  func sanctions() throws {
    var dispute = try Fixture.dispute(in: .settled)
    try F.run(.notComply(at: F.on("2026-04-01"), reason: nil), on: &dispute, F.wwk)
    guard case .closed(let closed) = dispute.state,
      case .settlementNotFulfilled(let referral) = closed.outcome
    else {
      throw TestFailure("not closed as unfulfilled")
    }
    #expect(referral.trustmark == "WebwinkelKeur")
    #expect(dispute.referral == referral)
  }

  @Test("a rejected claim closes the case without a compliance deadline")
  func rejectedDecision() throws {
    var dispute = try Fixture.dispute(in: .committeeDeliberating)
    let events = try F.run(.decide(at: F.on("2026-04-01"), outcome: .rejected), on: &dispute, F.wwk)
    #expect(events.first?.opens.isEmpty == true)
    #expect(dispute.state.kind == .closed)
    #expect(deadline(dispute, .committeeDecision)?.status == .met)
  }

  @Test("opening refuses an unknown subject")
  func unknownSubject() {
    let command = OpenCase(
      caseID: CaseID("x"), sequence: 1, shop: F.dutchShop, consumerCountry: .netherlands,
      subject: "spam",
      receivedAt: F.on("2026-03-02"))
    #expect(throws: CaseError.self) { try CaseDecider.open(command, context: F.wwk) }
    // BeCommerce handles unsolicited advertising.
    var belgian = command
    belgian.subject = "unsolicited-advertising"
    #expect(throws: Never.self) { try CaseDecider.open(belgian, context: F.bec) }
  }
}

struct TestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
