import AsyncHTTPClient
import BridgeClient
import BridgeProtocol
import CartBridgeCore
import Connectors
import Logging
import NIOCore

/// The minimal signed client: `BridgeClient` and one store's endpoint, nothing of the service around it (no API
/// keys, registry, vault, config cache, limits, mapping or envelope).
struct DirectBridge: Sendable {
    let client: BridgeClient
    let endpoint: BridgeEndpoint

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The same limits as a node's (`serve` defaults: 10 s to connect, 30 s per call, 32 MiB per reply).
    static let configuration = BridgeClient.Configuration(connectTimeout: .seconds(10), requestTimeout: .seconds(30))

    static func makeHTTPClient() -> HTTPClient {
        HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration.makeHTTPClientConfiguration())
    }

    init(store: BenchConfig.Store, http: HTTPClient) throws {
        let key: BridgeKey
        do {
            key = try BridgeKey(base64URL: store.bridge_key)
        } catch {
            throw Failure(description: "\(store.name): the bridge key is not 43 characters of base64url")
        }
        var logger = Logger(label: "bench.bridge")
        logger.logLevel = .warning
        self.client = BridgeClient(httpClient: http, logger: logger, configuration: Self.configuration)
        self.endpoint = try BridgeEndpoint(url: store.bridge_url, keyID: store.key_id, key: key)
    }

    /// One signed request, its reply verified (and decrypted) and decoded.
    func call(_ op: String, args: JSONValue) async throws -> JSONValue {
        try await self.client.call(op, args: args, endpoint: self.endpoint).result
    }

    /// The store's configuration read the way a node reads it on a cache miss: ping, detect, then the cart's
    /// connector loads its settings.
    func storeConfig() async throws -> StoreConfig {
        let ping = try await self.call("ping", args: [:])
        let detect = try await self.call("detect", args: [:])
        let detected = try DetectedStore(detect: detect, ping: ping)
        return try await Connectors.connector(for: detected.cartType).loadConfig(channel: RecordingChannel(bridge: self, recorder: nil), detected: detected)
    }
}
