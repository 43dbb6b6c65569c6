import CartBridgeCore
import Logging
import Registry

/// Opens a signed channel to a store's bridge; the concrete one signs with the store's bridge key.
public protocol StoreChannelFactory: Sendable {
    func channel(for store: Store, bridgeKey: [UInt8], clockOffset: Int, services: Services) -> any StoreChannel
}

/// What every API method may use. Built once per server.
public final class Services: Sendable {
    public let configuration: ServerConfiguration
    public let registry: any Registry
    let credentials: StoreCredentials
    let channels: any StoreChannelFactory
    let metrics: ServiceMetrics
    /// From the registry: in memory for the embedded one, in the database for a shared one (so the limits
    /// hold across nodes).
    let storeLimiter: any ConcurrencyLimiter
    let accountLimiter: any ConcurrencyLimiter

    init(
        configuration: ServerConfiguration,
        registry: any Registry,
        credentials: StoreCredentials,
        channels: any StoreChannelFactory,
        metrics: ServiceMetrics
    ) {
        self.configuration = configuration
        self.registry = registry
        self.credentials = credentials
        self.channels = channels
        self.metrics = metrics
        self.storeLimiter = registry.makeConcurrencyLimiter(scope: "store", limit: configuration.perStoreConcurrency)
        self.accountLimiter = registry.makeConcurrencyLimiter(scope: "account", limit: configuration.perAccountConcurrency)
    }

    /// A channel to the store's bridge, signed with its key from the vault.
    func channel(for store: Store) async throws -> any StoreChannel {
        guard let key = try await self.credentials.get(storeID: store.id, name: StoreCredentials.bridgeKey) else {
            throw CartBridgeError(.storeError, "This store has no bridge key: set one with account.config.update.")
        }
        let offset = try await self.registry.clockOffset(storeID: store.id)
        return self.channels.channel(for: store, bridgeKey: key, clockOffset: offset, services: self)
    }
}
