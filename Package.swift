// swift-tools-version:6.1
import PackageDescription

// Layers point downward only: stressd → StressAgent → LinuxHost → StressCore.
// See ../shared/DESIGN.md for what each target owns.
let package = Package(
    name: "stressd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stressd", targets: ["stressd"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
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
        // libsystemd through pkg-config (Debian: libsystemd-dev).
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .target(name: "Systemd", dependencies: ["CSystemd"]),
        .target(
            name: "StressAgent",
            dependencies: ["StressCore", "LinuxHost"]
        ),
        .executableTarget(
            name: "stressd",
            dependencies: [
                "StressCore", "LinuxHost", "StressAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "StressCoreTests", dependencies: ["StressCore"]),
        // Fixture trees live in Tests/Fixtures and are found through #filePath.
        .testTarget(name: "LinuxHostTests", dependencies: ["LinuxHost"]),
        .testTarget(name: "StressAgentTests", dependencies: ["StressAgent"]),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd"]),
        .testTarget(
            name: "StressdEndToEndTests",
            dependencies: ["StressCore", "LinuxHost"]
        ),
    ]
)
