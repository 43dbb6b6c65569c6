import CartBridgeCore
import Connectors
import Foundation
import Logging
import Registry

/// `cart.*`: what a registered store is, whether it answers, and removing it.
enum CartMethods {
    static let all: [APIMethod] = [
        APIMethod(name: "cart.info", scope: .store, run: info),
        APIMethod(name: "cart.validate", scope: .store, run: validate),
        APIMethod(name: "cart.methods", scope: .store, run: methods),
        APIMethod(name: "cart.delete", scope: .store, run: delete),
        APIMethod(name: "cart.clear_cache", scope: .store, run: clearCache),
    ]

    /// The contract's `cart.info` default is `store_name,store_url,db_prefix` while the `Cart` schema says
    /// `name`, `url`, `db_prefix`: both spellings select the same fields.
    static let infoAliases = ["store_name": "name", "store_url": "url"]

    static func info(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        let selection = try FieldSelection(parameters: call.parameters, defaultParams: ["store_name", "store_url", "db_prefix"], aliases: infoAliases)
        let storeID = try call.parameters.string("store_id", maxLength: 32)
        let config = try await StoreConfigService(services: call.services).config(for: store, logger: call.logger)
        var views = config.stores
        if let storeID {
            views = views.filter { $0.id == storeID }
            guard !views.isEmpty else { throw CartBridgeError(.itemNotFound, "No store view with store_id \(storeID.prefix(32)).") }
        }
        let result: JSONValue = [
            "name": config.storeName.map(JSONValue.string) ?? .null,
            "url": .string(config.storeURL ?? store.storeURL),
            "version": .string(config.cartVersion),
            "bridge_version": config.bridgeVersion.map(JSONValue.string) ?? .null,
            "db_prefix": .string(config.tablePrefix),
            "stores_info": .array(views.map { Self.storeInfo($0, config: config) }),
            "additional_fields": [
                "cart_type": .string(config.cartType.rawValue),
                "platform_version": config.platformVersion.map(JSONValue.string) ?? .null,
                "order_statuses": .array(config.orderStatuses.map { ["id": .string($0.id), "name": .string($0.name)] }),
            ],
        ]
        return .result(selection.apply(result))
    }

    static func storeInfo(_ view: StoreConfig.StoreView, config: StoreConfig) -> JSONValue {
        let defaultLanguage = config.languages.first(where: \.isDefault) ?? config.languages.first
        let defaultCurrency = config.currencies.first(where: \.isDefault) ?? config.currencies.first
        return [
            "store_id": .string(view.id),
            "name": .string(view.name),
            "language": defaultLanguage.map { .string($0.code) } ?? .null,
            "store_languages": .array(config.languages.map(Self.language)),
            "currency": defaultCurrency.map(Self.currency) ?? [:],
            "store_currencies": .array(config.currencies.map(Self.currency)),
            "timezone": config.timezone.map(JSONValue.string) ?? .null,
            "multi_store_url": view.url.map(JSONValue.string) ?? .null,
            "active": true,
        ]
    }

    static func language(_ language: StoreConfig.Language) -> JSONValue {
        ["id": .string(language.id), "iso2": .string(language.code), "name": .string(language.name), "default": .bool(language.isDefault)]
    }

    static func currency(_ currency: StoreConfig.Currency) -> JSONValue {
        [
            "id": .string(currency.id),
            "name": .string(currency.name),
            "iso3": .string(currency.iso3),
            "symbol_left": .string(currency.symbolLeft),
            "symbol_right": .string(currency.symbolRight),
            "rate": .double(currency.rate),
            "default": .bool(currency.isDefault),
        ]
    }

    /// Reads the store again (ping, detect, settings) and reports what a support engineer needs,
    /// none of it secret: bridge, PHP, cart, database, prefix, clock offset, modes.
    static func validate(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        try await call.services.registry.clearConfig(storeID: store.id)
        let refreshed = try await StoreConfigService(services: call.services).refresh(store, logger: call.logger)
        let offset = try await call.services.registry.clockOffset(storeID: store.id)
        return .result([
            "status": "valid",
            "diagnosis": [
                "bridge_reachable": true,
                "bridge_version": refreshed.detected.bridgeVersion.map(JSONValue.string) ?? .null,
                "php_version": refreshed.detected.phpVersion.map(JSONValue.string) ?? .null,
                "cart_type": .string(refreshed.detected.cartType.rawValue),
                "cart_version": .string(refreshed.detected.cartVersion),
                "database_reachable": true,
                "db_server_version": refreshed.detected.dbServerVersion.map(JSONValue.string) ?? .null,
                "table_prefix": .string(refreshed.detected.tablePrefix),
                "clock_offset_seconds": .int(Int64(offset)),
                "read_only": .bool(refreshed.detected.readOnly),
                "encrypted": .bool(store.requiresEncryption),
            ],
        ])
    }

    static func methods(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        let names: [String]
        if let cart = CartType(cartID: store.cartID) {
            names = Connectors.commonMethods + Connectors.connector(for: cart).methods
        } else {
            names = Connectors.commonMethods
        }
        return .result(["method": .array(names.map(JSONValue.string))])
    }

    /// Forgets the store: its record, sealed credentials, config cache and clock offset go together. With
    /// `delete_bridge` the bridge first removes its own folder; when it cannot, the store stays registered.
    static func delete(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        let deleteBridge = try call.parameters.bool("delete_bridge", default: false)
        if deleteBridge {
            try await BridgeMethods.removeBridge(of: store, call: call)
        }
        try await call.services.registry.deleteStore(id: store.id)
        call.logger.info("store deleted", metadata: ["store_id": "\(store.id)", "bridge_removed": "\(deleteBridge)"])
        return .result(["store": "deleted"])
    }

    /// Drops the cached configuration; the next call that needs it reads the store again.
    static func clearCache(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        let cacheType = try call.parameters.requiredString("cache_type", maxLength: 64)
        try await call.services.registry.clearConfig(storeID: store.id)
        call.logger.debug("store config cache cleared", metadata: ["store_id": "\(store.id)", "cache_type": "\(cacheType)"])
        return .result(["cache_cleared": "true"])
    }
}
