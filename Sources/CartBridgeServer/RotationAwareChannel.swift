import BridgeClient
import CartBridgeCore
import Registry

/// A store channel that survives a key rotation: a request that read the store's `key_id` before the switch may
/// reach the bridge after the old key was removed (`key_unknown`). Then the store and its key are read again and,
/// when they changed, the call is retried once with the current ones. Every node sharing the registry recovers
/// this way, whatever it had read.
struct RotationAwareChannel: StoreChannel {
    let inner: any StoreChannel
    let store: Store
    /// The key `inner` signs with.
    let key: [UInt8]
    let services: Services

    func call(_ op: String, args: JSONValue) async throws -> JSONValue {
        do {
            return try await self.inner.call(op, args: args)
        } catch let error as CartBridgeError where error.bridgeErrorCode == .keyUnknown || error.bridgeErrorCode == .sigInvalid {
            guard let current = try await self.services.registry.stores(accountID: self.store.accountID).first(where: { $0.id == self.store.id }),
                let key = try await self.services.credentials.bridgeKey(for: current),
                current.keyID != self.store.keyID || key != self.key
            else { throw error }
            return try await self.services.channel(for: current, keyID: current.keyID, key: key).call(op, args: args)
        }
    }
}
