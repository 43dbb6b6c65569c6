import CartBridgeCore
import CredentialVault
import Foundation
import Installer
import Logging
import Registry

/// What the admin commands do, kept here so tests drive exactly the code the CLI runs.
public struct Admin: Sendable {
    public let services: Services

    public init(services: Services) {
        self.services = services
    }

    /// Creates an account and returns it with its API key, which is shown once and stored only as a hash.
    public func createAccount(name: String) async throws -> (Account, apiKey: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 200 else {
            throw CartBridgeError.badParameter("name", "give 1 to 200 characters")
        }
        let key = APIKeys.generate()
        let account = try await self.services.registry.createAccount(name: trimmed, apiKeyHash: APIKeys.hash(key), keyHint: APIKeys.hint(key))
        return (account, key)
    }

    public func accounts() async throws -> [Account] {
        try await self.services.registry.accounts()
    }

    public func setStatus(accountID: Int64, _ status: Account.Status) async throws -> Bool {
        try await self.services.registry.setAccountStatus(id: accountID, status)
    }

    public func store(accountID: Int64, storeKey: String) async throws -> Store {
        guard let store = try await self.services.registry.store(accountID: accountID, storeKey: storeKey) else {
            throw CartBridgeError(.storeNotFound, "No store with that store key in account \(accountID).")
        }
        return store
    }

    /// The bridge folder of one store as a zip, exactly as `bridge.download.file` returns it.
    public func bridgePackage(accountID: Int64, storeKey: String) async throws -> [UInt8] {
        let store = try await self.store(accountID: accountID, storeKey: storeKey)
        guard let key = try await self.services.credentials.bridgeKey(for: store) else {
            throw CartBridgeError(.storeError, "This store has no bridge key.")
        }
        return try BridgePackage(keys: [store.keyID: key], requireEncryption: store.requiresEncryption, storeURL: store.storeURL).zip()
    }

    /// The support diagnosis of `cart.validate`, for the operator's terminal.
    public func validate(accountID: Int64, storeKey: String, logger: Logger) async throws -> JSONValue {
        let store = try await self.store(accountID: accountID, storeKey: storeKey)
        let account = Account(id: accountID, name: "", status: .active, keyHint: "", createdAt: Date())
        let call = CallContext(method: "cart.validate", parameters: Parameters(), account: account, store: store, services: self.services, logger: logger)
        guard case .result(let result, _) = try await CartMethods.validate(call) else { return [:] }
        return result
    }

    /// Rotates a store's bridge key without downtime (as `account.config.update rotate_bridge_key=true` does)
    /// and returns the new key id.
    public func rotateBridgeKey(accountID: Int64, storeKey: String, logger: Logger) async throws -> String {
        let store = try await self.store(accountID: accountID, storeKey: storeKey)
        return try await BridgeKeyRotation(services: self.services).rotate(store, logger: logger).store.keyID
    }

    /// Adds a new master key version to the keyring file, re-seals every credential under it, then (unless
    /// `keepOld`) drops the older keys.
    ///
    /// Running servers that read the same keyring file notice the change within their check interval: they
    /// seal with the new key from then on and keep opening the old one until it is dropped. Re-sealing starts
    /// only after that interval has passed twice, so no server seals with the old key afterwards.
    public static func rotateVault(
        configuration: ServerConfiguration,
        keepOld: Bool,
        logger: Logger
    ) async throws -> VaultRotation.Report {
        guard configuration.masterKeyValue == nil else {
            throw VaultError(.badKeyFile, detail: "the keyring comes from CARTBRIDGE_MASTER_KEY: rotate by adding a new key there, restarting, then running rotation with a keyring file")
        }
        let path = configuration.masterKeyFile ?? configuration.defaultKeyringPath
        let (keyring, _) = try KeyringSource.file(path: path, createIfMissing: false).load()
        let registry = try await configuration.registryLocation.open(logger: logger)
        do {
            try await StoreCredentials.verifyMasterKey(registry: registry, vault: Vault(keyring: keyring), logger: logger)
            let next = try keyring.adding(MasterKey.generate(version: keyring.current.version + 1))
            try KeyringSource.write(next, to: path)
            logger.info("new master key written, waiting for running servers to load it", metadata: ["key_version": "\(next.current.version)"])
            try await Task.sleep(for: configuration.keyringCheckInterval * 2)
            var report = try await VaultRotation.reseal(registry: registry, keyring: next, logger: logger)
            // A server may have sealed with the older key meanwhile; go round until every row is current.
            var rounds = 1
            while report.changedMeanwhile > 0 && rounds < 10 {
                report = try await VaultRotation.reseal(registry: registry, keyring: next, logger: logger)
                rounds += 1
            }
            if !keepOld && report.changedMeanwhile == 0 {
                try KeyringSource.write(next.currentOnly(), to: path)
            }
            try await registry.close()
            return report
        } catch {
            try? await registry.close()
            throw error
        }
    }
}
