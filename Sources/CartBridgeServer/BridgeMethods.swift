import CartBridgeCore
import Installer
import Logging
import Registry

/// `bridge.*`: the bridge a merchant installs for one store.
enum BridgeMethods {
    static let all: [APIMethod] = [
        APIMethod(name: "bridge.download", scope: .store, run: download),
    ]

    /// A zip of the `cartbridge/` folder whose config holds this store's bridge key; unpacked into the
    /// store root it works without any edit.
    static func download(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        guard let key = try await call.services.credentials.get(storeID: store.id, name: StoreCredentials.bridgeKey) else {
            throw CartBridgeError(.storeError, "This store has no bridge key: set one with account.config.update.")
        }
        let package = try BridgePackage(keys: [store.keyID: key], requireEncryption: store.requiresEncryption, storeURL: store.storeURL)
        call.logger.info("bridge package downloaded", metadata: ["store_id": "\(store.id)"])
        return .file(name: "cartbridge.zip", contentType: "application/zip", bytes: try package.zip())
    }
}
