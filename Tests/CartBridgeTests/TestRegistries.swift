import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Registry

/// The registry backends the conformance suite runs against: SQLite always, PostgreSQL when the test
/// environment gives one (`scripts/testenv/up` exports `CARTBRIDGE_TEST_POSTGRES_URL`).
enum RegistryBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { self.rawValue }

    static let postgresURL: String? = {
        let url = ProcessInfo.processInfo.environment["CARTBRIDGE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if url == nil { print("SKIP PostgreSQL registry tests: \(postgresSkipReason)") }
        return url
    }()

    static let postgresSkipReason =
        "CARTBRIDGE_TEST_POSTGRES_URL is not set: run the suite through scripts/test, which starts a private PostgreSQL"

    static var available: [RegistryBackend] { Self.postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// Whether several nodes use one location at once: they share its rows and its concurrency limits.
    ///
    /// SQLite is one process's registry (one connection, whose statements are serialized); a second connection
    /// in the same process is not how it runs, and would not even work reliably: SQLiteNIO runs every connection
    /// on one small shared thread pool, and a connection waiting for the file's lock blocks a thread there while
    /// the lock holder may be waiting for one. So the SQLite runs of the concurrency tests write through one
    /// registry from many tasks, and the PostgreSQL runs through two registries, as two nodes do.
    var servesManyNodes: Bool { self == .postgres }
}

/// An empty registry location of its own for one test: a file in a temporary folder, or a PostgreSQL schema
/// of its own in the test database, so tests run in parallel without seeing each other's rows.
struct TestRegistryLocation: Sendable {
    let backend: RegistryBackend
    let location: RegistryLocation
    let directory: String

    static let logger = Logger(label: "cartbridge-test-registry", factory: { _ in SwiftLogNoOpLogHandler() })

    init(_ backend: RegistryBackend) throws {
        self.backend = backend
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("cartbridge-registry-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            self.location = .sqlite(path: (self.directory as NSString).appendingPathComponent("registry.sqlite"))
        case .postgres:
            let url = try #require(RegistryBackend.postgresURL)
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            self.location = try RegistryLocation(parsing: url + (url.contains("?") ? "&" : "?") + "schema=\(schema)&pool_max=10")
        }
    }

    func open(options: PostgresRegistry.Options = PostgresRegistry.Options()) async throws -> any Registry {
        switch self.location {
        case .sqlite(let path):
            return try await SQLiteRegistry.open(path: path, logger: Self.logger)
        case .postgres(let location):
            return try await PostgresRegistry.open(location, options: options, logger: Self.logger)
        }
    }

    /// Drops the schema (PostgreSQL) and the folder. A client of its own, not a registry: opening a registry
    /// would migrate, and a test may have left the schema at a version no registry opens.
    func remove() async {
        if case .postgres(var location) = self.location, let schema = location.schema {
            location.schema = nil
            let client = PostgresClient(configuration: location.clientConfiguration())
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"))
                group.cancelAll()
            }
        }
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    /// Runs `body` with a registry opened on a fresh location, then closes it and removes the location.
    static func with<T: Sendable>(_ backend: RegistryBackend, _ body: (any Registry, TestRegistryLocation) async throws -> T) async throws -> T {
        let place = try TestRegistryLocation(backend)
        let registry: any Registry
        do {
            registry = try await place.open()
        } catch {
            await place.remove()
            throw error
        }
        do {
            let result = try await body(registry, place)
            try await registry.close()
            await place.remove()
            return result
        } catch {
            try? await registry.close()
            await place.remove()
            throw error
        }
    }
}
