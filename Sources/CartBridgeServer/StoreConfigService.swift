import CartBridgeCore
import Connectors
import Foundation
import Logging
import Registry

/// The per-store configuration cache: read from the store once, then served from the registry until
/// its TTL ends (shared by every node that uses the same registry).
struct StoreConfigService: Sendable {
    let services: Services

    static let decoder = JSONDecoder()
    static let encoder = JSONEncoder()

    /// The cached configuration, or a fresh one read from the store when there is none or it is stale.
    func config(for store: Store, logger: Logger) async throws -> StoreConfig {
        if let cached = try await self.services.registry.cachedConfig(storeID: store.id), cached.isFresh() {
            if let config = self.services.decodedConfigs.config(storeID: store.id, payload: cached.payload) {
                self.services.metrics.configCache(hit: true)
                return config
            }
            if let config = try? Self.decoder.decode(StoreConfig.self, from: Data(cached.payload.utf8)) {
                self.services.decodedConfigs.remember(storeID: store.id, payload: cached.payload, config: config)
                self.services.metrics.configCache(hit: true)
                return config
            }
        }
        self.services.metrics.configCache(hit: false)
        return try await self.refresh(store, logger: logger).config
    }

    struct Refreshed: Sendable {
        var config: StoreConfig
        var detected: DetectedStore
    }

    /// Reads the store's configuration now (ping, detect, then one batch of the cart's settings) and caches it.
    func refresh(_ store: Store, logger: Logger) async throws -> Refreshed {
        let channel = try await self.services.channel(for: store)
        let ping = try await channel.call("ping", args: [:])
        var detectArgs: [String: JSONValue] = [:]
        if let prefix = store.tablePrefix { detectArgs["table_prefix"] = .string(prefix) }
        let detect = try await channel.call("detect", args: .object(detectArgs))
        let detected = try DetectedStore(detect: detect, ping: ping)
        let config = try await Connectors.connector(for: detected.cartType).loadConfig(channel: channel, detected: detected)
        let now = Date()
        let payload = String(decoding: try Self.encoder.encode(config), as: UTF8.self)
        try await self.services.registry.putConfig(
            storeID: store.id,
            CachedConfig(payload: payload, fetchedAt: now, expiresAt: now.addingTimeInterval(Self.seconds(self.services.configuration.configCacheTTL)))
        )
        if store.bridgeVersion != detected.bridgeVersion {
            var updated = store
            updated.bridgeVersion = detected.bridgeVersion
            try await self.services.registry.updateStore(updated)
        }
        logger.debug("store config refreshed", metadata: ["store_id": "\(store.id)", "cart": "\(detected.cartType.rawValue)"])
        return Refreshed(config: config, detected: detected)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
