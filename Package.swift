// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Tests import what they use, but not every module an extension member comes from.
let testSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "cartbridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cartbridge", targets: ["cartbridge"]),
        .executable(name: "cartbridge-bench", targets: ["cartbridge-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // Unified models, return codes, errors, the query model and the connector protocol.
        .target(
            name: "CartBridgeCore",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // cartbridge/1: RFC 9421 signature bases, HKDF key derivation, signing, verifying, the encrypted mode.
        .target(
            name: "BridgeProtocol",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The service side of the bridge: signs each request, verifies each response, learns clock offsets.
        .target(
            name: "BridgeClient",
            dependencies: [
                "CartBridgeCore",
                "BridgeProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // What each cart knows: the SQL it needs and the mapping into the unified model.
        .target(
            name: "Connectors",
            dependencies: ["CartBridgeCore"],
            swiftSettings: swiftSettings
        ),
        // AES-256-GCM envelope encryption of store credentials under the operator's master key.
        .target(
            name: "CredentialVault",
            dependencies: ["CartBridgeCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Accounts, stores, sealed credentials, the store config cache, clock offsets, idempotency records.
        .target(
            name: "Registry",
            dependencies: [
                "CartBridgeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The PHP bridge itself (bridge/cartbridge), carried as resources of the service.
        .target(
            name: "BridgeFiles",
            path: "bridge",
            exclude: ["tests", "README.md"],
            sources: ["BridgeFiles.swift"],
            resources: [.copy("cartbridge")],
            swiftSettings: swiftSettings
        ),
        // The cartbridge/ folder with its config: as a zip (bridge.download), or uploaded over FTP, FTPS or SFTP with curl.
        .target(
            name: "Installer",
            dependencies: [
                "BridgeFiles",
                "CartBridgeCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP API: routes, auth, limits, metrics, redacted request logs.
        .target(
            name: "CartBridgeServer",
            dependencies: [
                "CartBridgeCore",
                "BridgeClient",
                "Connectors",
                "CredentialVault",
                "Registry",
                "Installer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "cartbridge",
            dependencies: [
                "CartBridgeCore",
                "CartBridgeServer",
                "CredentialVault",
                "Registry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // scripts/bench: CartBridge against the direct bridge call, the trivial route, the raw rows and itself on two nodes.
        .executableTarget(
            name: "cartbridge-bench",
            dependencies: [
                "BridgeClient",
                "BridgeProtocol",
                "CartBridgeCore",
                "Connectors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Bench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgeProtocolTests",
            dependencies: ["BridgeProtocol", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "BridgeClientTests",
            dependencies: [
                "BridgeClient",
                "BridgeProtocol",
                "CartBridgeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "CartBridgeTests",
            dependencies: [
                "BridgeProtocol",
                "CartBridgeCore",
                "Connectors",
                "CredentialVault",
                "Registry",
                "BridgeClient",
                "Installer",
                "CartBridgeServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: testSettings
        ),
    ]
)
