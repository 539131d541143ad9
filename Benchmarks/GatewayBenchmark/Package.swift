// swift-tools-version: 6.1
import PackageDescription

/// A stand-alone load generator for `contacts-gateway`. It is its own package so that it
/// never slows down or changes the product's build; it drives the release binary over pipes.
let package = Package(
    name: "GatewayBenchmark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gateway-benchmark", targets: ["gateway-benchmark"]),
    ],
    targets: [
        .executableTarget(
            name: "gateway-benchmark",
            path: "Sources/GatewayBenchmark",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
