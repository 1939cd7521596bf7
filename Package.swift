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
    .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
  ],
  targets: [
    // Civil dates, holiday rules and deadline regimes. Foundation only, usable on its own.
    .target(
      name: "WorkingDays",
      swiftSettings: upcomingFeatures
    ),
    // A canonical JSON writer and a byte-level reader: the same value always gives the same
    // bytes (which the hash chain needs), and reading avoids Foundation's JSONDecoder.
    .target(
      name: "CanonicalJSON",
      swiftSettings: upcomingFeatures
    ),
    // The case lifecycle as a pure decider: states, commands, events, deadlines. No I/O.
    .target(
      name: "CaseModel",
      dependencies: ["WorkingDays", "CanonicalJSON"],
      swiftSettings: upcomingFeatures
    ),
    // The canonical encoding of events (hand-written JSON writer and reader), shared by the
    // event log and reporting.
    .target(
      name: "EventCoding",
      dependencies: ["CaseModel", "CanonicalJSON"],
      swiftSettings: upcomingFeatures
    ),
    // The append-only, hash-chained event log in SQLite (GRDB), with its projections.
    .target(
      name: "EventLog",
      dependencies: [
        "CaseModel", "EventCoding",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: upcomingFeatures
    ),
    // A seeded generator of realistic synthetic cases, for demos, tests and benchmarks.
    .target(
      name: "SyntheticCases",
      dependencies: ["CaseModel", "WorkflowLoading"],
      swiftSettings: upcomingFeatures
    ),
    // Scheme workflows: YAML (with line-numbered errors) to the typed `Workflow`; the bundled
    // workflows are compiled in.
    .target(
      name: "WorkflowLoading",
      dependencies: ["CaseModel", .product(name: "Yams", package: "Yams")],
      swiftSettings: upcomingFeatures
    ),
    // Reports replayed from the event log (a database or an exported JSON Lines file): the
    // ADR annual report, SLA figures and open-case snapshots, as table, CSV, JSON or HTML.
    .target(
      name: "Reporting",
      dependencies: [
        "CaseModel", "WorkingDays", "CanonicalJSON", "EventLog", "WorkflowLoading",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: upcomingFeatures
    ),
    // The one API that the CLI and embedding services share.
    .target(
      name: "DisputeEngine",
      dependencies: [
        "WorkingDays", "CaseModel", "WorkflowLoading", "EventLog", "EventCoding", "SyntheticCases",
        "Reporting",
      ],
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
    // Helpers shared by the test targets.
    .target(
      name: "TestSupport",
      path: "Tests/TestSupport",
      swiftSettings: upcomingFeatures
    ),
    .testTarget(
      name: "WorkingDaysTests",
      dependencies: ["WorkingDays", "TestSupport"],
      swiftSettings: upcomingFeatures
    ),
    .testTarget(
      name: "CaseModelTests",
      dependencies: ["CaseModel", "WorkflowLoading", "TestSupport"],
      swiftSettings: upcomingFeatures
    ),
    .testTarget(
      name: "EventCodingTests",
      dependencies: ["EventCoding", "SyntheticCases", "TestSupport"],
      swiftSettings: upcomingFeatures
    ),
    .testTarget(
      name: "DisputeEngineTests",
      dependencies: ["DisputeEngine", "TestSupport", "engine-stress"],
      swiftSettings: upcomingFeatures
    ),
    // A helper executable the engine tests run as separate processes (concurrent writers,
    // a process killed in the middle of a write).
    .executableTarget(
      name: "engine-stress",
      dependencies: ["DisputeEngine"],
      path: "Tests/EngineStress",
      swiftSettings: upcomingFeatures
    ),
    .testTarget(
      name: "ReportingTests",
      dependencies: ["DisputeEngine", "Reporting"],
      swiftSettings: upcomingFeatures
    ),
    .testTarget(
      name: "WorkflowLoadingTests",
      dependencies: ["WorkflowLoading"],
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
