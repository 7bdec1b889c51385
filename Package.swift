// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Start-up's code and data, in the order start-up first touches them (scripts/startup-order
/// writes it): the release link places them first and together, so an idle server maps a few
/// 64 KB windows of the binary rather than most of its 32 MB of text. It orders single
/// functions only in a build that gives each its own section (the Makefile's RELEASE flags).
let startupOrder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("scripts/startup-order.txt").path

/// Where Debian puts the headers of Pango, Cairo and what they include (`pkg-config --cflags
/// pangocairo`), for both architectures a kiosk runs on.
let printLibraryHeaders = [
    "/usr/include/pango-1.0", "/usr/include/glib-2.0", "/usr/lib/x86_64-linux-gnu/glib-2.0/include",
    "/usr/lib/aarch64-linux-gnu/glib-2.0/include", "/usr/include/harfbuzz", "/usr/include/freetype2", "/usr/include/libpng16",
    "/usr/include/fribidi", "/usr/include/cairo", "/usr/include/pixman-1",
]
/// The same, for Swift compiling against the C module that includes them.
let printLibraryHeaderFlags = printLibraryHeaders.flatMap { ["-Xcc", "-I", "-Xcc", $0] }

let package = Package(
    name: "motcua",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "motcua", targets: ["motcua"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // The domain: catalog, calendar, scheduling, queue. Pure Swift, no I/O.
        .target(name: "MotcuaCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // What the YAML file loaders share: where in the file a YAML problem is.
        .target(name: "MotcuaYAML", dependencies: [.product(name: "Yams", package: "Yams")]),
        // SQLite persistence: migrations, records, transactions, outbox.
        .target(
            name: "MotcuaStore",
            dependencies: [
                "MotcuaCore",
                "MotcuaYAML",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Demo/procedures.yaml")]
        ),
        // libqrencode, from Debian's libqrencode-dev.
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // Pango and Cairo (text shaping, PDF and PNG surfaces) and libcups, from Debian's
        // libpango1.0-dev, libcairo2-dev and libcups2-dev, opened on first use rather than
        // linked: see include/CPrintLibraries.h. Not linked, so SwiftPM's pkg-config lookup
        // (which links too) is not used; the header directories are Debian's.
        .target(
            name: "CPrintLibraries",
            cSettings: [.unsafeFlags(printLibraryHeaders.flatMap { ["-I", $0] })],
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]
        ),
        // What leaves the building on paper or screen: QR codes, layouts rendered to PDF/PNG,
        // CUPS jobs, device profiles.
        .target(
            name: "MotcuaPrint",
            dependencies: ["CQRencode", "CPrintLibraries", "MotcuaYAML", .product(name: "Yams", package: "Yams")],
            swiftSettings: [.unsafeFlags(printLibraryHeaderFlags)]
        ),
        // Printing figures for `make bench` (QR, layouts, CUPS hand-off) and the example PNGs
        // in docs/examples.
        .executableTarget(name: "motcua-print-bench", dependencies: ["MotcuaCore", "MotcuaPrint"]),
        // The HTTP application: configuration, controllers, auth, middleware.
        // Site ↔ centre: the outbox pushed upwards over HTTP, with backoff and resumption.
        .target(
            name: "MotcuaSync",
            dependencies: [
                "MotcuaCore",
                "MotcuaStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "MotcuaServer",
            dependencies: [
                "MotcuaCore",
                "MotcuaStore",
                "MotcuaPrint",
                "MotcuaSync",
                "MotcuaYAML",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The executable: argument parsing only.
        .executableTarget(
            name: "motcua",
            dependencies: [
                "MotcuaServer",
                "MotcuaStore",
                "MotcuaPrint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release only, for the idle resident set (issue 2): the Swift runtime and Foundation
            // linked in, so only what they use is loaded rather than whole shared libraries;
            // compiled with the flag too, so this module names their static dependencies. lld
            // packs the relocations (RELR: the loader rewrites far fewer pages at start) and
            // exports no symbols (nothing dlopens this binary; a dynamic symbol table the size of
            // the program's was paged in at every start).
            // The release build checks the print libraries' C module again when compiling this
            // target, so it needs their headers too.
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release)), .unsafeFlags(printLibraryHeaderFlags)],
            linkerSettings: [
                .unsafeFlags(
                    ["-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
                     "-Xlinker", "--symbol-ordering-file=\(startupOrder)", "-Xlinker", "--no-warn-symbol-ordering"],
                    .when(configuration: .release)
                ),
            ]
        ),
        // In-process store benchmarks for `make bench`.
        .executableTarget(
            name: "motcua-bench",
            dependencies: ["MotcuaCore", "MotcuaStore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Catalog search timing on a synthetic 2,000-procedure catalog (release build).
        .executableTarget(name: "motcua-catalog-bench", dependencies: ["MotcuaCore"]),
        // For the tests: a seeded generator, and the inputs and bookkeeping of the parsers'
        // fuzz tests (`swift test --filter Fuzz`, longer in `make fuzz`).
        .target(name: "FuzzSupport", path: "Tests/FuzzSupport"),
        .testTarget(name: "MotcuaCoreTests", dependencies: ["MotcuaCore", "FuzzSupport", .product(name: "Crypto", package: "swift-crypto")]),
        // For the tests that print: a private cupsd with capture queues, and readers of
        // printed PDFs and QR codes.
        .target(name: "PrintTestSupport", dependencies: ["MotcuaPrint"], path: "Tests/PrintTestSupport"),
        .testTarget(name: "MotcuaPrintTests", dependencies: ["MotcuaPrint", "PrintTestSupport", "FuzzSupport"]),
        .testTarget(
            name: "MotcuaStoreTests",
            dependencies: [
                "MotcuaStore", "FuzzSupport", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "MotcuaSyncTests", dependencies: ["MotcuaSync", "MotcuaStore"]),
        .testTarget(
            name: "MotcuaServerTests",
            dependencies: [
                "MotcuaServer",
                "MotcuaStore",
                "PrintTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)
