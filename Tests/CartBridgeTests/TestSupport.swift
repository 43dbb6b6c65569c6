import AsyncHTTPClient
import CartBridgeCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import CartBridgeServer

/// A data folder of its own for each test, removed afterwards.
struct TempDirectory {
    let path: String

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("cartbridge-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

/// A server's services on a fresh data folder, with the real bridge client unless a test passes its own channels.
struct TestServer {
    let directory: TempDirectory
    let configuration: ServerConfiguration
    let services: Services
    let logger: Logger

    /// SQLiteNIO asserts that a connection is closed before it is released, and a test's `defer` cannot await
    /// a close: the tests' registries stay open until the test process ends (each in its own temporary folder).
    static let keepAlive = Mutex<[Services]>([])

    static let httpClient: HTTPClient = {
        var configuration = ServerConfiguration()
        // A refused connection is retried until the connect deadline: keep it short in tests.
        configuration.bridgeConnectTimeout = .seconds(2)
        return CartBridgeApp.makeHTTPClient(configuration: configuration)
    }()

    static func make(
        configure: (inout ServerConfiguration) -> Void = { _ in },
        channels: (any StoreChannelFactory)? = nil,
        logHandler: (@Sendable (String) -> any LogHandler)? = nil
    ) async throws -> TestServer {
        let directory = try TempDirectory()
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory.path
        configure(&configuration)
        var logger = Logger(label: "cartbridge-test", factory: logHandler ?? { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .trace
        var services = try await CartBridgeApp.makeServices(configuration: configuration, httpClient: Self.httpClient, logger: logger)
        if let channels {
            services = Services(
                configuration: configuration,
                registry: services.registry,
                credentials: services.credentials,
                channels: channels,
                metrics: services.metrics
            )
        }
        Self.keepAlive.withLock { $0.append(services) }
        return TestServer(directory: directory, configuration: configuration, services: services, logger: logger)
    }

    /// Runs `body` against the router (no socket), as a client would call it.
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: CartBridgeApp.makeRouter(services: self.services), logger: self.logger)
        return try await app.test(.router, body)
    }

    func newAccount(_ name: String = "vendor") async throws -> String {
        try await Admin(services: self.services).createAccount(name: name).apiKey
    }
}

/// An API answer decoded from the wire.
struct APIAnswer: Sendable {
    let status: HTTPResponse.Status
    let contentType: String?
    let raw: String
    let json: JSONValue

    var returnCode: Int64? { self.json["return_code"]?.intValue }
    var message: String { self.json["return_message"]?.stringValue ?? "" }
    var result: JSONValue { self.json["result"] ?? .null }
}

extension TestClientProtocol {
    /// Calls `/v1.1/<method>.json` the way an SDK does: keys in headers, GET parameters in the query.
    func call(
        _ method: String,
        verb: HTTPRequest.Method = .get,
        apiKey: String? = nil,
        storeKey: String? = nil,
        query: String = "",
        body: String? = nil,
        contentType: String = "application/json"
    ) async throws -> APIAnswer {
        var headers: HTTPFields = [:]
        if let apiKey { headers[HTTPField.Name("x-api-key")!] = apiKey }
        if let storeKey { headers[HTTPField.Name("x-store-key")!] = storeKey }
        if body != nil { headers[.contentType] = contentType }
        let uri = "/v1.1/\(method)" + (query.isEmpty ? "" : "?\(query)")
        let response = try await self.execute(uri: uri, method: verb, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let raw = String(buffer: response.body)
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(raw.utf8))) ?? .null
        return APIAnswer(status: response.status, contentType: response.headers[.contentType], raw: raw, json: json)
    }
}

/// Real stores started by `scripts/testenv/up` (MariaDB with the carts' data, PHP serving the bridge).
struct TestStores {
    struct Entry: Decodable, Sendable {
        let name: String
        let cart_type: String
        let cart_version: String
        let database: String
        let table_prefix: String
        let store_root: String
        let store_url: String
        let bridge_url: String
        let bridge_key: String
        let key_id: String
        let source: String
    }

    struct File: Decodable {
        let stores: [Entry]
    }

    static let all: [Entry] = {
        guard let path = ProcessInfo.processInfo.environment["CARTBRIDGE_TEST_STORES"],
            let data = FileManager.default.contents(atPath: path),
            let file = try? JSONDecoder().decode(File.self, from: data)
        else { return [] }
        return file.stores
    }()

    static var available: Bool { !all.isEmpty }

    static func named(_ name: String) -> Entry? { all.first { $0.name == name } }

    /// Why store tests do not run, printed once so a skip is never silent.
    static let skipReason: String = {
        let reason = "CARTBRIDGE_TEST_STORES is not set: run the suite through scripts/test, which starts MariaDB, PHP and the bridge"
        if !available { print("SKIP store tests: \(reason)") }
        return reason
    }()
}
