// swift-tools-version:6.1
import Foundation
import PackageDescription

// libFuzzer targets for HarvestCore, the pure code that reads untrusted bytes. A package of its own so
// that fuzz builds hold HarvestCore and swift-crypto only (no HTTP or server library): `make fuzz`.
//
// The main package is a path dependency, whose identity is the name of its directory (a worktree may be
// named anything), hence the computed name.
let harvest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// One executable per target; built with `swift build --sanitize=fuzzer --sanitize=address`, which links
/// libFuzzer's `main` instead of Swift's.
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "HarvestCore", package: harvest)],
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "HarvestFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "HarvestCore", package: harvest)],
            swiftSettings: swiftSettings
        ),
        fuzzTarget("FuzzJSON"),
        fuzzTarget("FuzzOctoparse"),
        fuzzTarget("FuzzOxylabs"),
        fuzzTarget("FuzzJobLines"),
        fuzzTarget("FuzzValidators"),
        fuzzTarget("FuzzColumnNames"),
        fuzzTarget("FuzzConfigFile"),
    ]
)
