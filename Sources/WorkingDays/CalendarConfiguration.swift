/// Which days a ``WorkingDayCalendar`` treats as non-working: a holiday profile, opted-in
/// Belgian community days, caller-supplied closures and (for `NL`) decree days.
///
/// ```swift
/// // A Belgian mediator whose office is closed between Christmas and New Year.
/// let closures = try HolidayList(
///   parsing: "2026-12-28,Office closed\n2026-12-29,Office closed\n",
///   file: "closures.csv", kind: .closure, defaultSource: "office closure")
/// let calendar = try WorkingDayCalendar(
///   CalendarConfiguration(profile: .belgium, communities: [.flemish], closures: closures))
/// ```
public struct CalendarConfiguration: Sendable, Hashable {
  /// The statutory holiday rules.
  public var profile: HolidayProfile
  /// Belgian community holidays opted into (allowed with any profile, meaningful for `BE`).
  public var communities: Set<BelgianCommunity>
  /// Closure days supplied by the caller.
  public var closures: HolidayList
  /// The decree days in force: the compiled-in list plus any the caller added. Used only by
  /// ``HolidayProfile/netherlands``.
  public var decreeDays: HolidayList

  /// Creates a configuration.
  ///
  /// - Parameters:
  ///   - profile: The statutory holiday rules.
  ///   - communities: Belgian community days to treat as non-working.
  ///   - closures: Extra closure days, for example a mediator's office closures.
  ///   - extraDecreeDays: Decree days added to ``HolidayList/bundledDutchDecreeDays`` (a later
  ///     decree, read from a file), for the `NL` profile.
  public init(
    profile: HolidayProfile, communities: Set<BelgianCommunity> = [],
    closures: HolidayList = .empty, extraDecreeDays: HolidayList = .empty
  ) {
    self.profile = profile
    self.communities = communities
    self.closures = closures
    self.decreeDays = HolidayList.bundledDutchDecreeDays.merging(extraDecreeDays)
  }

  /// The plain calendar of a holiday profile.
  public static func standard(_ profile: HolidayProfile) -> CalendarConfiguration {
    CalendarConfiguration(profile: profile)
  }

  /// `true` when decree days take part (the `NL` profile).
  public var usesDecreeDays: Bool { profile == .netherlands }

  /// A short name, for example `BE+flemish` or `NL+3 closures`.
  public var name: String {
    var parts = [profile.rawValue]
    parts += communities.sorted().map(\.rawValue)
    if !closures.days.isEmpty {
      parts.append("\(closures.days.count) closure\(closures.days.count == 1 ? "" : "s")")
    }
    return parts.joined(separator: "+")
  }
}
