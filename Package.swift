// swift-tools-version:6.0
import PackageDescription

// Concrete generic types (`[String: Value]`, `_ContiguousArrayStorage<Expression>`, …) are made by metadata
// accessor calls instead of by demangling their mangled names at first use: about 145 such types are made
// when the rules load, and demangling them was 11 % of `recommend`'s instructions (#15, #20: start-up).
let fastMetadata: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]

let package = Package(
    name: "async-advisor",
    products: [
        .executable(name: "async-advisor", targets: ["async-advisor"]),
        .library(name: "AdvisorCore", targets: ["AdvisorCore"]),
        .library(name: "YAML", targets: ["YAML"]),
    ],
    targets: [
        // Packs rules/ into the library at build time, so the binary runs from any folder.
        .executableTarget(name: "rules-embedder", path: "Sources/rules-embedder"),
        .plugin(name: "EmbedRules", capability: .buildTool(), dependencies: ["rules-embedder"]),

        // A YAML reader of its own, with no AWS knowledge: located nodes for SAM and CloudFormation templates.
        .target(name: "YAML", swiftSettings: fastMetadata),
        .target(name: "AdvisorCore", dependencies: ["YAML"], swiftSettings: fastMetadata, plugins: ["EmbedRules"]),
        .target(name: "AdvisorCLI", dependencies: ["AdvisorCore"], swiftSettings: fastMetadata),
        .executableTarget(name: "async-advisor", dependencies: ["AdvisorCLI"], swiftSettings: fastMetadata),
        // Random and mutated inputs for every parser: `advisor-fuzz` runs the long campaign, the tests a short one.
        .target(name: "AdvisorFuzz", dependencies: ["AdvisorCore"]),
        .executableTarget(name: "advisor-fuzz", dependencies: ["AdvisorFuzz"]),
        // Writes Sources/AdvisorCore/Rules/BuiltInSnapshot.swift (scripts/update-snapshot).
        .executableTarget(name: "rules-snapshot", dependencies: ["AdvisorCore"]),

        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "AdvisorCoreTests", dependencies: ["AdvisorCore", "AdvisorFuzz", "YAML"]),
        .testTarget(name: "CLITests", dependencies: ["AdvisorCLI", "AdvisorCore", "YAML"]),
    ]
)
