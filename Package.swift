// swift-tools-version: 6.1
import PackageDescription

let upcomingFeatures: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "dispute-engine",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "DisputeEngine", targets: ["DisputeEngine"]),
    .library(name: "WorkingDays", targets: ["WorkingDays"]),
    .executable(name: "disputes", targets: ["disputes"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2")
  ],
  targets: [
    // Civil dates, holiday rules and deadline regimes. Foundation only, usable on its own.
    .target(
      name: "WorkingDays",
      swiftSettings: upcomingFeatures
    ),
    // The one API that the CLI and embedding services share.
    .target(
      name: "DisputeEngine",
      dependencies: ["WorkingDays"],
      swiftSettings: upcomingFeatures
    ),
    // The mediators' command-line tool: thin commands over DisputeEngine.
    .executableTarget(
      name: "disputes",
      dependencies: [
        "DisputeEngine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: upcomingFeatures
    ),
    .testTarget(
      name: "WorkingDaysTests",
      dependencies: ["WorkingDays"],
      swiftSettings: upcomingFeatures
    ),
    // End-to-end tests that run the built `disputes` binary.
    .testTarget(
      name: "DisputesCLITests",
      dependencies: ["disputes"],
      swiftSettings: upcomingFeatures
    ),
  ],
  swiftLanguageModes: [.v6]
)
