// swift-tools-version: 6.1
import PackageDescription

/// One set of settings for every target: Swift 6 language mode with strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "contacts-gateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "contacts-gateway", targets: ["contacts-gateway"]),
        .executable(name: "wix-emulator", targets: ["wix-emulator"]),
        .library(name: "WixContacts", targets: ["WixContacts"]),
        .library(name: "ContactStore", targets: ["ContactStore"]),
        .library(name: "JSONRPC", targets: ["JSONRPC"]),
        .plugin(name: "GenerateOpenRPC", targets: ["GenerateOpenRPC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // MARK: - Libraries
        .target(name: "JSONCore", swiftSettings: swiftSettings),
        .target(name: "PhoneNumbers", swiftSettings: swiftSettings),
        .target(
            name: "WixContacts",
            dependencies: [
                "JSONCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FastSQLite",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // C: the process-wide SQLite settings, applied before SQLite initialises, and a
        // connection's trigger switch (both variadic in SQLite's API, so Swift cannot call them),
        // and the kernel writeback of a database file SQLite has open (see their headers).
        .target(name: "SQLiteProcessSettings", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Opening and migrating one SQLite file from many processes at once.
        .target(
            name: "SharedDatabase",
            dependencies: [
                "WixContacts", "SQLiteProcessSettings", "FastSQLite", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // C: Zstandard against a dictionary of contact JSON (see its header).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .target(name: "CompactJSONCodec", dependencies: ["CZstd"]),
        // C: a new embedded-backend database file, packed (see its header).
        .target(name: "FreshDatabaseTemplate", dependencies: ["CZstd"], exclude: ["Template.inc"]),
        // How the store keeps a contact's JSON: packed by CompactJSONCodec.
        .target(name: "CompactJSON", dependencies: ["CompactJSONCodec"], swiftSettings: swiftSettings),
        // C: a VFS that writes a commit's log frames in one call (see its header).
        .target(name: "SQLiteWALBuffer", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "ContactStore",
            dependencies: [
                "WixContacts", "JSONCore", "PhoneNumbers", "FastSQLite", "SQLiteWALBuffer", "SharedDatabase",
                "CompactJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ContactAudit",
            dependencies: [
                "WixContacts", "JSONCore", "FastSQLite", "SharedDatabase", "ContactStore", "CompactJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The audit log in PostgreSQL, shared by gateways on many machines.
        .target(
            name: "PostgresAudit",
            dependencies: [
                "ContactAudit", "WixContacts", "JSONCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A throwaway PostgreSQL cluster on a Unix socket, for tests and benchmarks.
        .target(name: "PostgresCluster", swiftSettings: swiftSettings),
        .target(
            name: "JSONRPC",
            dependencies: ["JSONCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ContactsGateway",
            dependencies: [
                "JSONRPC", "WixContacts", "ContactStore", "ContactAudit", "JSONCore", "FreshDatabaseTemplate",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The same methods as MCP tools and resources, for AI agents; on the JSON-RPC core.
        .target(
            name: "ContactsMCP",
            dependencies: ["ContactsGateway", "JSONRPC", "WixContacts", "JSONCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GatewayCLI",
            dependencies: [
                "ContactsGateway", "ContactsMCP", "ContactStore", "JSONRPC", "PostgresAudit", "ContactAudit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "contacts-gateway", dependencies: ["GatewayCLI"], swiftSettings: swiftSettings,
            // jemalloc on Linux: glibc's malloc contends and consolidates when, as here, one
            // thread frees what another allocated (the mix +9.7 %, updates only +8.8 %).
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        // The emulator is its own product so the gateway binary never links an HTTP server.
        .target(
            name: "WixEmulator",
            dependencies: [
                "ContactStore", "WixContacts", "JSONCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "wix-emulator",
            dependencies: [
                "WixEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Plugins
        .plugin(
            name: "GenerateOpenRPC",
            capability: .command(
                intent: .custom(
                    verb: "generate-openrpc",
                    description: "Writes the gateway's rpc.discover document to docs/openrpc.json"),
                permissions: [.writeToPackageDirectory(reason: "Writes the OpenRPC document to docs/openrpc.json")]
            ),
            dependencies: ["contacts-gateway"]
        ),

        // MARK: - Tests
        .testTarget(
            name: "FastSQLiteTests",
            dependencies: ["FastSQLite", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SharedDatabaseTests",
            dependencies: [
                "FastSQLite", "SharedDatabase", "WixContacts", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "JSONCoreTests", dependencies: ["JSONCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "GatewayCLITests",
            dependencies: ["GatewayCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PhoneNumbersTests", dependencies: ["PhoneNumbers"], exclude: ["Scripts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WixContactsTests", dependencies: ["WixContacts", "JSONCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ContactStoreTests",
            dependencies: [
                "ContactStore", "CompactJSON", "SharedDatabase", "WixContacts", "JSONCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ContactAuditTests",
            dependencies: [
                "ContactAudit", "PostgresAudit", "PostgresCluster", "ContactStore", "CompactJSON", "WixContacts",
                "JSONCore", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresAuditTests",
            dependencies: [
                "PostgresAudit", "PostgresCluster", "ContactAudit", "WixContacts", "JSONCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "JSONRPCTests",
            dependencies: ["JSONRPC", "JSONCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ContactsGatewayTests",
            dependencies: [
                "ContactsGateway", "ContactStore", "ContactAudit", "JSONRPC", "WixContacts", "JSONCore", "CZstd",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ContactsMCPTests",
            dependencies: ["ContactsMCP", "ContactsGateway", "ContactStore", "JSONRPC", "WixContacts", "JSONCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WixEmulatorTests",
            dependencies: [
                "WixEmulator", "ContactStore", "WixContacts", "JSONCore", "wix-emulator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WixClientTests",
            dependencies: [
                "WixContacts", "WixEmulator", "ContactStore", "ContactAudit", "ContactsGateway", "JSONRPC", "JSONCore",
                "contacts-gateway", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "JSONCore", "contacts-gateway", "WixEmulator", "ContactStore", "CompactJSON", "WixContacts",
                "PostgresCluster",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
