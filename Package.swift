// swift-tools-version:6.1
import PackageDescription

// Layers point downward only: stressd → StressAgent → LinuxHost → StressCore.
// See ../shared/DESIGN.md for what each target owns.
let package = Package(
    name: "stressd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stressd", targets: ["stressd"]),
        // `make fuzz` builds it with libFuzzer; see Fuzz/README.md.
        .executable(name: "stressd-fuzz", targets: ["stressd-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // No default traits: "FullFoundation" links all of swift-corelibs-foundation
        // and ICU (about 50 MB, a millisecond more start-up for every command
        // and worker) for form-encoded dates we never use; "ConfigurationSupport"
        // builds swift-configuration, which stressd's own TOML config replaces.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Already in the graph through Hummingbird; the client uses it directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Already in the graph through Hummingbird; TLS for the API and the client.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // Already in the graph through Hummingbird (its metrics middleware);
        // the agent counts what it does through it.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // /metrics in the Prometheus text format; needs only swift-metrics and
        // swift-atomics, both already in the graph.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "StressCore"),
        // Fixed-arity C wrappers for what Swift cannot call (prctl, pidfd).
        .target(name: "CLinux"),
        .target(
            name: "LinuxHost",
            dependencies: [
                "StressCore", "CLinux",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // libsystemd's headers (Debian: libsystemd-dev); the library itself is
        // loaded with dlopen when `serve` first needs it, not linked.
        .target(name: "CSystemd"),
        .target(
            name: "Systemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "StressAgent",
            dependencies: [
                "StressCore", "LinuxHost", "OneShotNetwork", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // logfmt lines on stderr: `stressd serve`'s log outside the journal.
        .target(name: "Logfmt", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .target(
            name: "StressServer",
            dependencies: [
                "StressCore", "LinuxHost", "StressAgent",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // Already in the graph through Hummingbird: graceful close of inherited sockets.
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                // Also in the graph already: the HTTP parts the connection table watches.
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // Compiled into the binary as bytes: the agent serves its own
            // OpenAPI document with no file to install beside it.
            resources: [.embedInCode("openapi.yaml")]
        ),
        // One HTTP request or TCP connection over a fresh connection, on NIO:
        // the client's calls to an agent and the agent's abort conditions.
        .target(
            name: "OneShotNetwork",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The API from the other side, for `--agent URL`: a few lines of NIO.
        // Its wire types are StressCore's (API/): a client links no engine.
        .target(
            name: "StressClient",
            dependencies: [
                "StressCore", "OneShotNetwork",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "stressd",
            dependencies: [
                "StressCore", "LinuxHost", "StressAgent", "StressServer", "StressClient", "OneShotNetwork", "Systemd", "Logfmt",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            // The static Swift runtime's link arguments export every symbol:
            // 29,000 dynamic symbols in a binary nothing links against, which
            // the loader and dladdr(3) at start-up pay for (~0.4 ms).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])]
        ),
        // Every parser that takes input from outside, as libFuzzer targets.
        .target(name: "StressFuzzing", dependencies: ["StressCore", "LinuxHost", "StressAgent"]),
        .executableTarget(name: "stressd-fuzz", dependencies: ["StressFuzzing"]),
        // What several test targets share: temp directories and mounts, the
        // fixture trees, and the one in-process agent and API harness (issue
        // 15), which is why it links the agent, the server and Hummingbird's
        // test client rather than each suite building its own.
        .target(
            name: "TestSupport",
            dependencies: [
                "LinuxHost", "StressAgent", "StressServer",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "StressCoreTests", dependencies: ["StressCore"]),
        // Replays the committed fuzz corpora (Fuzz/corpus) through every target.
        .testTarget(name: "StressFuzzingTests", dependencies: ["StressFuzzing"]),
        // Fixture trees live in Tests/Fixtures; TestSupport's `Fixture` finds them.
        .testTarget(name: "LinuxHostTests", dependencies: ["LinuxHost", "StressCore", "TestSupport"]),
        .testTarget(
            name: "StressAgentTests",
            dependencies: ["StressAgent", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "LogfmtTests", dependencies: ["Logfmt", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "StressServerTests",
            dependencies: [
                "StressServer", "StressAgent", "StressCore", "LinuxHost", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // Channels without sockets, for the connection table.
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StressClientTests",
            dependencies: [
                "StressClient", "OneShotNetwork", "StressServer", "StressAgent", "StressCore", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "StressdEndToEndTests",
            dependencies: ["StressCore", "LinuxHost", "OneShotNetwork", "TestSupport"]
        ),
    ]
)
