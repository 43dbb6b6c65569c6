import CartBridgeCore
import Foundation
import Logging
import Registry

/// Rotates a store's bridge key without downtime: every request, before, during and after, finds a key the bridge
/// accepts.
///
/// 1. The vault holds the current and the next key (`BridgeKeySet`); requests still sign with the current one.
/// 2. The bridge adds the next key (`keys_update`, signed with the current key): it accepts both.
/// 3. A `ping` signed with the next key proves the bridge has it.
/// 4. The store's `key_id` switches: new requests sign with the next key.
/// 5. After a grace period for requests signed just before the switch, the bridge drops every other key
///    (`keys_update`, signed with the new key), and the vault keeps only the new key.
///
/// A failure before step 4 undoes what was done (the service keeps the current key); after it, the new key is in
/// use and rotating again finishes the removal.
struct BridgeKeyRotation: Sendable {
    let services: Services

    struct Outcome: Sendable {
        let store: Store
        let previousKeyID: String
    }

    func rotate(_ store: Store, logger: Logger) async throws -> Outcome {
        let credentials = self.services.credentials
        guard let current = try await credentials.bridgeKey(for: store) else {
            throw CartBridgeError(.storeError, "This store has no bridge key: set one with account.config.update.")
        }
        let nextID = try Self.nextKeyID(after: store.keyID)
        let next = Self.newKey()
        var logger = logger
        logger[metadataKey: "store_id"] = "\(store.id)"
        logger[metadataKey: "key_id.from"] = "\(store.keyID)"
        logger[metadataKey: "key_id.to"] = "\(nextID)"

        try await credentials.put(storeID: store.id, name: StoreCredentials.bridgeKey, value: BridgeKeySet([store.keyID: current, nextID: next]).stored)
        do {
            let old = try await self.services.channel(for: store, keyID: store.keyID, key: current)
            _ = try await old.call("keys_update", args: ["add": [nextID: .string(Base64URL.encode(next))], "remove_others": true])
            _ = try await self.services.channel(for: store, keyID: nextID, key: next).call("ping", args: [:])
        } catch {
            logger.warning("bridge key rotation failed before the switch; the current key stays")
            try? await credentials.put(storeID: store.id, name: StoreCredentials.bridgeKey, value: current)
            throw CartBridgeError.explaining(error, "The bridge did not take the new key, so the current key stays in use")
        }
        var switched = store
        switched.keyID = nextID
        try await self.services.registry.updateStore(switched)
        logger.info("bridge key switched")

        try await Task.sleep(for: self.services.configuration.keyRotationGrace)
        do {
            let new = try await self.services.channel(for: switched, keyID: nextID, key: next)
            _ = try await new.call("keys_update", args: ["remove_others": true])
        } catch {
            logger.warning("bridge key switched, but the old key could not be removed from the bridge")
            throw CartBridgeError.explaining(error, "The new key is in use, but the bridge still accepts the old one: rotate again to remove it")
        }
        try await credentials.put(storeID: store.id, name: StoreCredentials.bridgeKey, value: next)
        logger.info("bridge key rotated")
        return Outcome(store: switched, previousKeyID: store.keyID)
    }

    /// `k1` → `k2`; `k999999` has no successor (the protocol's ids are `k` and 1 to 6 digits).
    static func nextKeyID(after id: String) throws(CartBridgeError) -> String {
        guard id.hasPrefix("k"), let number = Int(id.dropFirst()), number < 999_999 else {
            throw CartBridgeError(.storeError, "The store's key id \(id.prefix(16)) has no successor: set key_id and bridge_key by hand.")
        }
        return "k\(number + 1)"
    }

    static func newKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
