import BridgeClient
import CartBridgeCore
import Crypto
import Foundation
import Installer
import Logging
import Registry

/// `bridge.*`: the bridge a merchant installs for one store: its package, its update, its removal.
enum BridgeMethods {
    static let all: [APIMethod] = [
        APIMethod(name: "bridge.download", scope: .store, run: download),
        APIMethod(name: "bridge.update", scope: .store, run: update),
        APIMethod(name: "bridge.delete", scope: .store, run: delete),
    ]

    /// A zip of the `cartbridge/` folder whose config holds this store's bridge key; unpacked into the
    /// store root it works without any edit.
    static func download(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        guard let key = try await call.services.credentials.bridgeKey(for: store) else {
            throw CartBridgeError(.storeError, "This store has no bridge key: set one with account.config.update.")
        }
        let package = try BridgePackage(keys: [store.keyID: key], requireEncryption: store.requiresEncryption, storeURL: store.storeURL)
        call.logger.info("bridge package downloaded", metadata: ["store_id": "\(store.id)"])
        return .file(name: "cartbridge.zip", contentType: "application/zip", bytes: try package.zip())
    }

    /// Replaces the installed bridge with the one this service ships, keeping the store's config.php (and so its
    /// keys): over FTP when the call carries the `ftp_*` fields, otherwise through the bridge's own signed
    /// `bridge_update`. Then checks the store answers with the new version.
    static func update(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        let files = try BridgePackage.shippedFiles()
        let via: String
        var previous = store.bridgeVersion
        if let target = try FTPParameters.target(call.parameters) {
            do {
                try await call.services.uploader.update(files, target: target, logger: call.logger)
            } catch let error as FTPError {
                throw error.cartBridgeError
            }
            via = target.ftpProtocol.rawValue
        } else {
            if FTPParameters.present(call.parameters) { throw CartBridgeError.missingParameter("ftp_host") }
            let payload = JSONValue.object(Dictionary(uniqueKeysWithValues: files.map { file in
                (file.path, JSONValue.object([
                    "content": .string(Data(file.bytes).base64EncodedString()),
                    "sha256": .string(SHA256.hash(data: file.bytes).map { String(format: "%02x", $0) }.joined()),
                ]))
            }))
            do {
                let result = try await call.services.channel(for: store).call("bridge_update", args: ["files": payload])
                // The version the bridge ran until now, which may differ from what was last recorded.
                previous = result["previous_version"]?.stringValue ?? previous
            } catch let error as CartBridgeError where error.bridgeErrorCode == .unknownOp {
                throw CartBridgeError(
                    .bridgeResponseError,
                    "This bridge is too old to update itself (unknown_op): pass the ftp_* fields to update it over FTP, or replace cartbridge/bridge.php by hand.",
                    detail: error.detail
                )
            }
            via = "bridge"
        }
        try await call.services.registry.clearConfig(storeID: store.id)
        let ping = try await call.services.channel(for: store).call("ping", args: [:])
        let version = ping["bridge_version"]?.stringValue
        guard let version, version == BridgePackage.bundledVersion else {
            throw CartBridgeError(
                .bridgeResponseError,
                "The bridge was updated but answers as version \(version ?? "unknown"), not \(BridgePackage.bundledVersion ?? "unknown"): check that the bridge URL points at this store's cartbridge folder.",
                detail: "bridge update: ping reports \(version ?? "-")"
            )
        }
        var updated = store
        updated.bridgeVersion = version
        try await call.services.registry.updateStore(updated)
        call.logger.info("bridge updated", metadata: ["store_id": "\(store.id)", "bridge_version": "\(version)", "via": "\(via)"])
        var result: [String: JSONValue] = ["updated": true, "bridge_version": .string(version), "via": .string(via)]
        if let previous { result["previous_version"] = .string(previous) }
        return .result(.object(result))
    }

    /// The bridge removes its own folder (refusing when foreign files are in it), then the store is forgotten: its
    /// registration and, with it, its credentials leave the vault. A store whose bridge refused stays registered.
    static func delete(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        try await Self.removeBridge(of: store, call: call)
        try await call.services.registry.deleteStore(id: store.id)
        call.logger.info("store deleted", metadata: ["store_id": "\(store.id)", "bridge_removed": "true"])
        return .result(["deleted": true])
    }

    /// Asks the store's bridge to delete its folder (`self_remove`).
    static func removeBridge(of store: Store, call: CallContext) async throws {
        do {
            _ = try await call.services.channel(for: store).call("self_remove", args: [:])
        } catch let error as CartBridgeError {
            throw error.explained("The bridge was not removed and the store stays registered")
        }
        call.logger.info("bridge removed itself", metadata: ["store_id": "\(store.id)"])
    }
}
