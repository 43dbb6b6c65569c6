import CartBridgeCore

/// OpenCart 3.0.x and 4.x. Settings live in `setting` (store 0 is the default store); 3.0 names the
/// storefront language `config_language`, 4.x `config_language_catalog`.
public struct OpenCartConnector: CartConnector {
    public let cartType = CartType.opencart
    public var methods: [String] { Connectors.catalogMethods }

    public init() {}

    public func loadConfig(channel: some StoreChannel, detected: DetectedStore) async throws -> StoreConfig {
        let p = detected.tablePrefix
        let results = try await channel.query([
            SQLStatement(
                "SELECT `key`, `value` FROM `\(p)setting` WHERE `store_id` = 0 AND `code` = 'config' AND `key` IN (?, ?, ?, ?, ?)",
                ["config_name", "config_language", "config_language_catalog", "config_currency", "config_timezone"]
            ),
            SQLStatement("SELECT `language_id`, `name`, `code`, `status` FROM `\(p)language` ORDER BY `sort_order`, `language_id`"),
            SQLStatement("SELECT `currency_id`, `title`, `code`, `symbol_left`, `symbol_right`, `value`, `status` FROM `\(p)currency` ORDER BY `currency_id`"),
            SQLStatement("SELECT `order_status_id`, `language_id`, `name` FROM `\(p)order_status` ORDER BY `order_status_id`, `language_id`"),
            SQLStatement("SELECT `store_id`, `name`, `url` FROM `\(p)store` ORDER BY `store_id`"),
            OpenCartSchema.columnsStatement(prefix: p),
        ])
        var settings: [String: String] = [:]
        for row in results[0].records {
            if let key = row.text("key") { settings[key] = row.text("value", default: "") }
        }
        let defaultLanguage = settings["config_language_catalog"] ?? settings["config_language"]
        let defaultCurrency = settings["config_currency"]

        var config = detected.baseConfig()
        config.storeName = settings["config_name"]
        if let zone = settings["config_timezone"], !zone.isEmpty { config.timezone = zone }
        config.languages = results[1].records.filter { $0.flag("status") }.map { row in
            StoreConfig.Language(
                id: row.text("language_id", default: ""),
                code: row.text("code", default: ""),
                name: row.text("name", default: ""),
                isDefault: row.text("code") == defaultLanguage
            )
        }
        config.currencies = results[2].records.filter { $0.flag("status") }.map { row in
            StoreConfig.Currency(
                id: row.text("currency_id", default: ""),
                iso3: row.text("code", default: ""),
                name: row.text("title", default: ""),
                symbolLeft: row.text("symbol_left", default: ""),
                symbolRight: row.text("symbol_right", default: ""),
                rate: row.double("value") ?? 1,
                isDefault: row.text("code") == defaultCurrency
            )
        }
        let defaultLanguageID = config.languages.first(where: \.isDefault)?.id ?? config.languages.first?.id
        config.orderStatuses = results[3].records
            .filter { $0.text("language_id") == defaultLanguageID }
            .map { StoreConfig.OrderStatus(id: $0.text("order_status_id", default: ""), name: $0.text("name", default: "")) }
        // Store 0 is not a row of `store`: it is the main store, named by the settings.
        config.stores = [StoreConfig.StoreView(id: "0", name: config.storeName ?? "", url: detected.storeURL)]
            + results[4].records.map { StoreConfig.StoreView(id: $0.text("store_id", default: ""), name: $0.text("name", default: ""), url: $0.text("url")) }
        config.tableColumns = OpenCartSchema.columns(results[5], prefix: p)
        return config
    }
}

extension OpenCartConnector {
    public func list(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        switch kind {
        case .product: try await self.listProducts(query, store: store)
        case .productChild: try await self.listChildren(query, store: store)
        case .category: try await self.listCategories(query, store: store)
        case .customer: try await self.listCustomers(query, store: store)
        case .order: try await self.listOrders(query, store: store)
        }
    }

    public func count(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> Int {
        switch kind {
        case .product: try await self.countProducts(query, store: store)
        case .productChild: try await self.countChildren(query, store: store)
        case .category: try await self.countCategories(query, store: store)
        case .customer: try await self.countCustomers(query, store: store)
        case .order: try await self.countOrders(query, store: store)
        }
    }
}
