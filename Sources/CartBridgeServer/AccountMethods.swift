import CartBridgeCore
import Connectors
import Foundation
import Installer
import Logging
import Registry

/// `account.*` and `cart.list`: registering and listing stores, which platforms are supported.
enum AccountMethods {
    static let all: [APIMethod] = [
        APIMethod(name: "account.cart.add", scope: .account, run: cartAdd),
        APIMethod(name: "account.cart.list", scope: .account, run: cartList),
        APIMethod(name: "account.supported_platforms", scope: .account, run: supportedPlatforms),
        APIMethod(name: "cart.list", scope: .account, run: supportedCarts),
        APIMethod(name: "account.config.update", scope: .store, run: configUpdate),
    ]

    static func cartAdd(_ call: CallContext) async throws -> APIOutcome {
        let p = call.parameters
        let cartID = try p.requiredString("cart_id", maxLength: 64)
        guard let cart = CartType(cartID: cartID) else {
            throw CartBridgeError.badParameter("cart_id", "this cart is not supported; account.supported_platforms lists those that are")
        }
        let storeURL = try StoreURLs.normalizedStoreURL(p.requiredString("store_url"), parameter: "store_url")
        let bridgeURL = try p.string("bridge_url").map { try StoreURLs.validatedHTTPURL($0, parameter: "bridge_url") }
            ?? StoreURLs.defaultBridgeURL(storeURL: storeURL)
        let storeKey = try p.string("store_key", maxLength: 64) ?? APIKeys.generate()
        guard APIKeys.isValidStoreKey(storeKey) else {
            throw CartBridgeError.badParameter("store_key", "use 8 to 64 letters, digits, '-' or '_'")
        }
        let prefix = try p.string("db_tables_prefix", maxLength: 64)
        if let prefix, !TablePrefix.validate(prefix) {
            throw CartBridgeError.badParameter("db_tables_prefix", "use letters, digits and '_' only")
        }
        let bridgeKey = try Self.bridgeKey(p)
        let verify = try p.bool("verify", default: true)
        let ftpTarget = try FTPParameters.target(p)
        let draft = StoreDraft(
            accountID: call.account.id,
            storeKey: storeKey,
            cartID: cart.cartID,
            storeURL: storeURL,
            bridgeURL: bridgeURL,
            storeRoot: try p.string("store_root", maxLength: 1024),
            tablePrefix: prefix,
            customLabel: try p.string("custom_label", maxLength: 255),
            forceEncryption: try p.bool("encrypt", default: false)
        )
        let store: Store
        do {
            store = try await call.services.registry.addStore(draft)
        } catch let error as RegistryError where error.code == .duplicateStore {
            throw CartBridgeError(.storeAlreadyExists, "A store with this store_url or store_key already exists in this account.")
        }
        let services = call.services
        let logger = call.logger
        // Reads the store through its bridge and checks it runs the cart the client named.
        let verifyStore: @Sendable () async throws -> Void = {
            let refreshed = try await StoreConfigService(services: services).refresh(store, logger: logger)
            guard refreshed.detected.cartType == cart else {
                throw CartBridgeError(
                    .storeError,
                    "The store runs \(refreshed.detected.cartType.displayName), not \(cart.displayName): pass cart_id \(refreshed.detected.cartType.cartID)."
                )
            }
        }
        do {
            try await call.services.credentials.put(storeID: store.id, name: StoreCredentials.bridgeKey, value: bridgeKey)
            if let ftpTarget {
                // An upload is always verified: a bridge that does not answer is removed again.
                try await Self.install(store: store, key: bridgeKey, cart: cart, target: ftpTarget, call: call, verify: verifyStore)
            } else if verify {
                try await verifyStore()
            }
        } catch {
            // Nothing half-registered: a store that failed verification is not kept.
            try? await call.services.registry.deleteStore(id: store.id)
            throw error
        }
        call.logger.info(
            "store registered",
            metadata: ["store_id": "\(store.id)", "cart": "\(cart.rawValue)", "verified": "\(verify || ftpTarget != nil)", "installed_over": "\(ftpTarget?.ftpProtocol.rawValue ?? "-")"]
        )
        return .result(["store_key": .string(storeKey)])
    }

    /// Uploads the store's bridge into its root over FTP, FTPS or SFTP and verifies it through the store's URL.
    static func install(
        store: Store,
        key: [UInt8],
        cart: CartType,
        target: FTPTarget,
        call: CallContext,
        verify: @escaping @Sendable () async throws -> Void
    ) async throws {
        let package = try BridgePackage(keys: [store.keyID: key], storeURL: store.storeURL)
        do {
            try await call.services.uploader.install(package, cart: cart, target: target, logger: call.logger) {
                do {
                    try await verify()
                } catch {
                    throw CartBridgeError.explaining(error, "The bridge was uploaded but did not answer correctly at \(store.bridgeURL), so it was removed again")
                }
            }
        } catch let error as FTPError {
            throw error.cartBridgeError
        }
    }

    /// The bridge key is ours to make, unless the merchant's bridge already holds one (`bridge_key`).
    static func bridgeKey(_ p: Parameters) throws(CartBridgeError) -> [UInt8] {
        guard let given = try p.string("bridge_key", maxLength: 64) else {
            var generator = SystemRandomNumberGenerator()
            return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        guard let bytes = Base64URL.decode(given), bytes.count == 32 else {
            throw CartBridgeError.badParameter("bridge_key", "expected 32 bytes in base64url without padding")
        }
        return bytes
    }

    static func cartList(_ call: CallContext) async throws -> APIOutcome {
        let p = call.parameters
        let urlFilter = try p.string("store_url")
        let keyFilter = try p.string("store_key", maxLength: 64)
        let labelFilter = try p.string("custom_label", maxLength: 255)
        let stores = try await call.services.registry.stores(accountID: call.account.id).filter { store in
            (urlFilter == nil || store.storeURL == (try? StoreURLs.normalizedStoreURL(urlFilter!, parameter: "store_url")) || store.storeURL == urlFilter)
                && (keyFilter == nil || store.storeKey == keyFilter)
                && (labelFilter == nil || store.customLabel == labelFilter)
        }
        let carts: [JSONValue] = stores.map { store in
            var item: [String: JSONValue] = [
                "id": .string(String(store.id)),
                "url": .string(store.storeURL),
                "store_key": .string(store.storeKey),
                "cart_id": .string(store.cartID),
            ]
            if let label = store.customLabel { item["custom_label"] = .string(label) }
            if let version = store.bridgeVersion { item["bridge_version"] = .string(version) }
            return .object(item)
        }
        let selection = try FieldSelection(parameters: p, defaultParams: ["force_all"])
        return .result(["carts_count": .int(Int64(carts.count)), "carts": .array(carts.map(selection.apply))])
    }

    static func supportedPlatforms(_ call: CallContext) async throws -> APIOutcome {
        let platforms: [JSONValue] = CartType.allCases.map { cart in
            [
                "cart_id": .string(cart.cartID),
                "cart_name": .string(cart.displayName),
                "cart_versions": .string(cart.supportedVersions),
                "cart_method": "bridge",
                "params": [
                    "required": [[
                        ["name": "store_url", "description": "The store's public URL."],
                    ]],
                    "additional": [
                        ["name": "bridge_url", "description": "The bridge's URL when it is not <store_url>/cartbridge/bridge.php."],
                        ["name": "store_key", "description": "A store key of your choice; one is generated otherwise."],
                        ["name": "bridge_key", "description": "The key the installed bridge's config holds (base64url, 32 bytes); one is generated otherwise."],
                        ["name": "db_tables_prefix", "description": "The cart's table prefix when the database holds several."],
                        ["name": "verify", "description": "Check the bridge answers before the store is added (default true)."],
                        ["name": "custom_label", "description": "A label of your own for the store."],
                        ["name": "ftp_host", "description": "Upload the bridge for you: the FTP server (ftps:// or sftp:// for TLS or SSH), with ftp_user, ftp_password, ftp_port, ftp_store_dir (the store's root folder)."],
                        ["name": "ftp_protocol", "description": "ftp (default), ftps (explicit TLS) or sftp."],
                        ["name": "ftp_host_key", "description": "SFTP: the server's host key fingerprint (SHA256:...), as ssh-keygen -lf prints it."],
                    ],
                ],
            ]
        }
        return .result(["supported_platforms_count": .int(Int64(platforms.count)), "supported_platforms": .array(platforms)])
    }

    static func supportedCarts(_ call: CallContext) async throws -> APIOutcome {
        let carts: [JSONValue] = CartType.allCases.map { cart in
            [
                "cart_id": .string(cart.cartID),
                "cart_name": .string(cart.displayName),
                "cart_versions": .string(cart.supportedVersions),
                "params": ["store_url", "bridge_url", "store_key", "db_tables_prefix"],
            ]
        }
        return .result(["supported_carts_count": .int(Int64(carts.count)), "supported_carts": .array(carts)])
    }

    static func configUpdate(_ call: CallContext) async throws -> APIOutcome {
        let p = call.parameters
        var store = try call.requiredStore
        var updated = 0
        var connectionChanged = false
        var rotatedTo: String?
        if try p.bool("rotate_bridge_key", default: false) {
            // The rotation talks to the bridge with the registered URL and keys: not together with changing them.
            for name in ["bridge_url", "key_id", "bridge_key"] where try p.string(name) != nil {
                throw CartBridgeError.badParameter(name, "cannot be changed together with rotate_bridge_key")
            }
            let outcome = try await BridgeKeyRotation(services: call.services).rotate(store, logger: call.logger)
            store = outcome.store
            rotatedTo = store.keyID
            updated += 1
        }
        if let url = try p.string("new_store_url") {
            store.storeURL = try StoreURLs.normalizedStoreURL(url, parameter: "new_store_url")
            updated += 1
        }
        if let key = try p.string("new_store_key", maxLength: 64) {
            guard APIKeys.isValidStoreKey(key) else {
                throw CartBridgeError.badParameter("new_store_key", "use 8 to 64 letters, digits, '-' or '_'")
            }
            store.storeKey = key
            updated += 1
        }
        if let url = try p.string("bridge_url") {
            store.bridgeURL = try StoreURLs.validatedHTTPURL(url, parameter: "bridge_url")
            updated += 1
            connectionChanged = true
        }
        if let root = try p.string("store_root", maxLength: 1024) {
            store.storeRoot = root
            updated += 1
        }
        if let prefix = try p.string("db_tables_prefix", maxLength: 64) {
            guard TablePrefix.validate(prefix) else {
                throw CartBridgeError.badParameter("db_tables_prefix", "use letters, digits and '_' only")
            }
            store.tablePrefix = prefix
            updated += 1
            connectionChanged = true
        }
        if let label = try p.string("custom_label", maxLength: 255) {
            store.customLabel = label
            updated += 1
        }
        if let keyID = try p.string("key_id", maxLength: 16) {
            guard keyID.range(of: #"^k[0-9]{1,6}$"#, options: .regularExpression) != nil else {
                throw CartBridgeError.badParameter("key_id", "expected k1, k2, ...")
            }
            store.keyID = keyID
            updated += 1
            connectionChanged = true
        }
        // Only a key the client states replaces the stored one: an empty value must not mint a new key
        // (that would silently cut off the installed bridge).
        let newBridgeKey: [UInt8]? = try p.string("bridge_key", maxLength: 64) != nil ? try Self.bridgeKey(p) : nil
        if updated > 0 {
            do {
                try await call.services.registry.updateStore(store)
            } catch let error as RegistryError where error.code == .duplicateStore {
                throw CartBridgeError(.storeAlreadyExists, "Another store of this account already has this store_url or store_key.")
            }
        }
        if let newBridgeKey {
            try await call.services.credentials.put(storeID: store.id, name: StoreCredentials.bridgeKey, value: newBridgeKey)
            updated += 1
            connectionChanged = true
        }
        if connectionChanged { try await call.services.registry.clearConfig(storeID: store.id) }
        var result: [String: JSONValue] = ["updated_items": .int(Int64(updated))]
        if let rotatedTo { result["key_id"] = .string(rotatedTo) }
        return .result(.object(result))
    }
}
