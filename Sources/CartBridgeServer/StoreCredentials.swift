import CartBridgeCore
import CredentialVault
import Logging
import Registry

/// Store credentials through the vault: sealed on the way into the registry, opened on the way out.
struct StoreCredentials: Sendable {
    static let bridgeKey = "bridge_key"

    let registry: any Registry
    let keyring: LiveKeyring

    func put(storeID: Int64, name: String, value: [UInt8]) async throws {
        let binding = SealedCredential.binding(storeID: storeID, name: name)
        do {
            let sealed = try self.keyring.vault.seal(value, binding: binding)
            try await self.registry.putCredential(SealedCredential(storeID: storeID, name: name, sealed: sealed))
        } catch let error as VaultError {
            throw CartBridgeError(.internalError, detail: error.description)
        }
    }

    func get(storeID: Int64, name: String) async throws -> [UInt8]? {
        guard let credential = try await self.registry.credential(storeID: storeID, name: name) else { return nil }
        do {
            do {
                return try self.keyring.vault.open(credential.sealed, binding: credential.binding)
            } catch where error.code == .unknownKeyVersion {
                // Sealed by a node that already has a newer key: read the keyring file again, once.
                return try self.keyring.reload().open(credential.sealed, binding: credential.binding)
            }
        } catch {
            // Loud in the logs (the caller logs `detail`), generic for the client.
            throw CartBridgeError(.internalError, "Stored credentials of this store could not be read.", detail: error.description)
        }
    }

    /// The key the store's bridge knows under the store's current `key_id` (during a rotation the credential
    /// holds two keys; see `BridgeKeySet`).
    func bridgeKey(for store: Store) async throws -> [UInt8]? {
        guard let bytes = try await self.get(storeID: store.id, name: Self.bridgeKey) else { return nil }
        return BridgeKeySet(stored: bytes, currentKeyID: store.keyID)?.key(store.keyID)
    }

    /// Makes sure the keyring opens what this registry was sealed with, and records the check for the
    /// current key. Starting with the wrong master key fails here, not on the first store call.
    static func verifyMasterKey(registry: any Registry, vault: Vault, logger: Logger) async throws {
        let current = vault.keyring.current.version
        if let recorded = try await registry.setting("vault.key_check") {
            let parts = recorded.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let version = Int(parts[0]) else {
                throw VaultError(.wrongMasterKey, detail: "the registry's master key check is unreadable")
            }
            guard vault.keyCheck(version: version) == parts[1] else {
                throw VaultError(
                    .wrongMasterKey,
                    detail: "the master keyring does not hold the key (version \(version)) this registry was sealed with"
                )
            }
            if version == current { return }
        }
        if let check = vault.keyCheck(version: current) {
            try await registry.putSetting("vault.key_check", "\(current):\(check)")
            logger.debug("vault key check recorded", metadata: ["key_version": "\(current)"])
        }
    }
}
