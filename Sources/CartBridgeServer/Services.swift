import CartBridgeCore
import Installer
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
    /// Uploads bridges over FTP, FTPS and SFTP (curl).
    let uploader: BridgeUploader
    /// Cached configurations already decoded, by store (see `DecodedConfigs`).
    let decodedConfigs = DecodedConfigs()

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
        self.uploader = BridgeUploader(runner: CurlRunner(
            executable: configuration.curlPath,
            connectTimeout: configuration.ftpConnectTimeout,
            maxTime: configuration.ftpTimeout,
            caFile: configuration.ftpsCAFile
        ))
    }

    /// A channel to the store's bridge, signed with its key from the vault. When the bridge does not know the key
    /// (a rotation switched keys since `store` was read), the channel reads the store again and retries once.
    func channel(for store: Store) async throws -> any StoreChannel {
        guard let key = try await self.credentials.bridgeKey(for: store) else {
            throw CartBridgeError(.storeError, "This store has no bridge key: set one with account.config.update.")
        }
        let inner = try await self.channel(for: store, keyID: store.keyID, key: key)
        return RotationAwareChannel(inner: inner, store: store, key: key, services: self)
    }

    /// A channel signed with a given key version, for the steps of a rotation.
    func channel(for store: Store, keyID: String, key: [UInt8]) async throws -> any StoreChannel {
        var signing = store
        signing.keyID = keyID
        let offset = try await self.registry.clockOffset(storeID: store.id)
        return self.channels.channel(for: signing, bridgeKey: key, clockOffset: offset, services: self)
    }
}
