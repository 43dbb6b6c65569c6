import AsyncHTTPClient
import BridgeClient
import BridgeProtocol
import CartBridgeCore
import Logging
import NIOCore
import Registry

/// Opens signed channels to stores' bridges with one shared `BridgeClient`.
struct BridgeChannelFactory: StoreChannelFactory {
    let client: BridgeClient

    init(httpClient: HTTPClient, configuration: ServerConfiguration, logger: Logger) {
        self.client = BridgeClient(httpClient: httpClient, logger: logger, configuration: Self.clientConfiguration(configuration))
    }

    /// The bridge client's limits, from the server's configuration.
    static func clientConfiguration(_ configuration: ServerConfiguration) -> BridgeClient.Configuration {
        BridgeClient.Configuration(
            connectTimeout: .nanoseconds(Int64(configuration.bridgeConnectTimeout.components.seconds) * 1_000_000_000),
            requestTimeout: .nanoseconds(Int64(configuration.bridgeTimeout.components.seconds) * 1_000_000_000),
            maxResponseBytes: configuration.maxBridgeReplyBytes
        )
    }

    func channel(for store: Store, bridgeKey: [UInt8], clockOffset: Int, services: Services) -> any StoreChannel {
        BridgeChannel(client: self.client, store: store, bridgeKey: bridgeKey, clockOffset: clockOffset, services: services)
    }
}

/// One store's bridge: the endpoint is built per call from the store's record and key, and a clock offset
/// the store reveals is kept in the registry, so every node signs with the corrected clock.
struct BridgeChannel: StoreChannel {
    let client: BridgeClient
    let store: Store
    let bridgeKey: [UInt8]
    let clockOffset: Int
    let services: Services

    func call(_ op: String, args: JSONValue) async throws -> JSONValue {
        let endpoint: BridgeEndpoint
        do {
            endpoint = try BridgeEndpoint(
                url: self.store.bridgeURL,
                keyID: self.store.keyID,
                key: try BridgeKey(bytes: self.bridgeKey),
                encrypt: self.store.forceEncryption,
                clockOffset: Int64(self.clockOffset)
            )
        } catch let error as CartBridgeError {
            throw error
        } catch {
            throw CartBridgeError(.internalError, "Stored credentials of this store could not be used.", detail: "bridge key is not 32 bytes")
        }
        let storeID = self.store.id
        let registry = self.services.registry
        do {
            let reply = try await self.client.call(op, args: args, endpoint: endpoint) { offset in
                try? await registry.setClockOffset(storeID: storeID, seconds: Int(offset))
            }
            self.services.metrics.storeCall(op: op, outcome: "ok")
            return reply.result
        } catch {
            self.services.metrics.storeCall(op: op, outcome: error.code == .storeURLNotReachable ? "unreachable" : "error")
            throw error
        }
    }
}
