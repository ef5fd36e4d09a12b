// swift-tools-version:6.1
import PackageDescription

/// Settings every Harvest target shares: Swift 6 language mode, explicit existentials.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "harvest",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "harvest", targets: ["harvest"]),
        .library(name: "HarvestCore", targets: ["HarvestCore"]),
        .library(name: "HarvestStore", targets: ["HarvestStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
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
        .executableTarget(
            name: "harvest",
            dependencies: [
                "HarvestCore",
                "HarvestStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestCoreTests",
            dependencies: ["HarvestCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestStoreTests",
            dependencies: ["HarvestStore", "HarvestCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HarvestCLITests",
            dependencies: ["harvest", "HarvestStore", "HarvestCore"],
            swiftSettings: swiftSettings
        ),
    ]
)
