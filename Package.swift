// swift-tools-version:6.1
import PackageDescription

/// Settings every Harvest target shares: Swift 6 language mode, explicit existentials.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "harvest",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "harvest", targets: ["harvest"]),
        .library(name: "HarvestCore", targets: ["HarvestCore"]),
        .library(name: "HarvestStore", targets: ["HarvestStore"]),
        .library(name: "HarvestSimulator", targets: ["HarvestSimulator"]),
        .library(name: "OxylabsAPI", targets: ["OxylabsAPI"]),
        .library(name: "OctoparseAPI", targets: ["OctoparseAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "HarvestCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HarvestStore",
            dependencies: [
                "HarvestCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Metric names, labels and the small pure helpers behind them; backend-neutral (swift-metrics only).
        .target(
            name: "HarvestMetrics",
            dependencies: [.product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OxylabsAPI",
            dependencies: [
                "HarvestCore", "HarvestMetrics", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OctoparseAPI",
            dependencies: [
                "HarvestCore", "HarvestMetrics", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HarvestEngine",
            dependencies: [
                "HarvestCore", "HarvestStore", "HarvestMetrics", "OxylabsAPI", "OctoparseAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HarvestServer",
            dependencies: [
                "HarvestCore", "HarvestStore", "HarvestEngine", "HarvestMetrics", "OxylabsAPI", "OctoparseAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HarvestSimulator",
            dependencies: [
                "HarvestCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // The chaos runner's pure parts (schedule, checks, report) and its readers of the database and the
        // fakes' ground truth (issue 7); harvest-chaos adds the processes.
        .target(
            name: "HarvestChaos",
            dependencies: [
                "HarvestCore", "HarvestStore", "HarvestSimulator",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // make chaos: two harvest serve processes on one database, killed and restarted under every fault.
        .executableTarget(
            name: "harvest-chaos",
            dependencies: [
                "HarvestChaos", "HarvestCore", "HarvestSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The bulk-insert limit that issue 5's benchmark compares Harvest with (scripts/bench-octoparse.sh).
        .executableTarget(
            name: "harvest-bench",
            dependencies: ["HarvestCore", .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "harvest",
            dependencies: [
                "HarvestCore",
                "HarvestStore",
                "HarvestSimulator", "HarvestEngine", "HarvestServer", "HarvestMetrics", "OxylabsAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestCoreTests",
            dependencies: ["HarvestCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestMetricsTests",
            dependencies: ["HarvestMetrics", .product(name: "MetricsTestKit", package: "swift-metrics")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestEngineTests",
            dependencies: [
                "HarvestEngine", "HarvestCore", "HarvestSimulator", "OxylabsAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestStoreTests",
            dependencies: ["HarvestStore", "HarvestCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestSimulatorTests",
            dependencies: [
                "HarvestSimulator", "HarvestCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OctoparseAPITests",
            dependencies: [
                "OctoparseAPI", "HarvestSimulator", "HarvestStore", "HarvestEngine", "HarvestCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestChaosTests",
            dependencies: ["HarvestChaos", "harvest-chaos", "harvest"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestCLITests",
            dependencies: [
                "harvest", "HarvestStore", "HarvestCore", "HarvestSimulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
