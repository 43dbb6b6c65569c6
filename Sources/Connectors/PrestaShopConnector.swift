import CartBridgeCore

/// PrestaShop 1.7 to 9. Settings live in `configuration` (shop-specific rows override global ones);
/// currency names moved to `currency_lang` in 1.7.5, which every supported version has.
///
/// Catalog, customer and order SQL lives in the `PrestaShopConnector+<Topic>.swift` files; columns that differ
/// between versions are read or written only where the store has them (`PrestaShopSchema`).
public struct PrestaShopConnector: CartConnector {
    public let cartType = CartType.prestashop
    public var methods: [String] { Connectors.catalogMethods }

    public init() {}

    /// A shop's URL as PrestaShop builds it: the SSL domain when SSL is on, then the physical and virtual URIs.
    static func shopURL(_ row: [String: JSONValue], secure: Bool) -> String? {
        let domain = secure ? (row.text("domain_ssl") ?? row.text("domain")) : row.text("domain")
        guard let domain, !domain.isEmpty else { return nil }
        let path = row.text("physical_uri", default: "/") + row.text("virtual_uri", default: "")
        return (secure ? "https://" : "http://") + domain + path
    }

    public func loadConfig(channel: some StoreChannel, detected: DetectedStore) async throws -> StoreConfig {
        let p = detected.tablePrefix
        let results = try await channel.query([
            SQLStatement(
                """
                SELECT `name`, `value` FROM `\(p)configuration`
                WHERE `name` IN (?, ?, ?, ?, ?)
                  AND (`id_shop` IS NULL OR `id_shop` = (
                      SELECT CAST(`value` AS UNSIGNED) FROM `\(p)configuration`
                      WHERE `name` = 'PS_SHOP_DEFAULT' AND `id_shop` IS NULL AND `id_shop_group` IS NULL LIMIT 1))
                ORDER BY (`id_shop` IS NULL) DESC, `id_configuration`
                """,
                ["PS_SHOP_NAME", "PS_LANG_DEFAULT", "PS_CURRENCY_DEFAULT", "PS_TIMEZONE", "PS_SSL_ENABLED"]
            ),
            SQLStatement("SELECT `id_lang`, `name`, `iso_code`, `language_code`, `active` FROM `\(p)lang` ORDER BY `id_lang`"),
            SQLStatement(
                """
                SELECT c.`id_currency`, c.`iso_code`, c.`conversion_rate`, c.`active`, c.`deleted`, cl.`id_lang`, cl.`name`, cl.`symbol`
                FROM `\(p)currency` c LEFT JOIN `\(p)currency_lang` cl ON cl.`id_currency` = c.`id_currency`
                ORDER BY c.`id_currency`, cl.`id_lang`
                """
            ),
            SQLStatement("SELECT `id_order_state`, `id_lang`, `name` FROM `\(p)order_state_lang` ORDER BY `id_order_state`, `id_lang`"),
            SQLStatement(
                """
                SELECT s.`id_shop`, s.`name`, u.`domain`, u.`domain_ssl`, u.`physical_uri`, u.`virtual_uri` FROM `\(p)shop` s
                LEFT JOIN `\(p)shop_url` u ON u.`id_shop` = s.`id_shop` AND u.`main` = 1
                WHERE s.`deleted` = 0
                ORDER BY s.`id_shop` = (
                    SELECT CAST(`value` AS UNSIGNED) FROM `\(p)configuration`
                    WHERE `name` = 'PS_SHOP_DEFAULT' AND `id_shop` IS NULL AND `id_shop_group` IS NULL LIMIT 1) DESC, s.`id_shop`
                """
            ),
            PrestaShopSchema.columnsStatement(prefix: p),
        ])
        // Global rows come first and the default shop's own rows after them, so the shop's value wins.
        var settings: [String: String] = [:]
        for row in results[0].records {
            if let name = row.text("name") { settings[name] = row.text("value", default: "") }
        }
        var config = detected.baseConfig()
        config.storeName = settings["PS_SHOP_NAME"]
        if let zone = settings["PS_TIMEZONE"], !zone.isEmpty { config.timezone = zone }
        let defaultLanguageID = settings["PS_LANG_DEFAULT"]
        config.languages = results[1].records.filter { $0.flag("active") }.map { row in
            StoreConfig.Language(
                id: row.text("id_lang", default: ""),
                code: row.text("iso_code", default: ""),
                name: row.text("name", default: ""),
                isDefault: row.text("id_lang") == defaultLanguageID
            )
        }
        var seenCurrencies = Set<String>()
        for row in results[2].records where row.flag("active") && !row.flag("deleted") {
            let id = row.text("id_currency", default: "")
            // One row per language: keep the default language's name, else the first.
            let preferred = row.text("id_lang") == defaultLanguageID
            guard preferred || !seenCurrencies.contains(id) else { continue }
            config.currencies.removeAll { $0.id == id }
            seenCurrencies.insert(id)
            config.currencies.append(
                StoreConfig.Currency(
                    id: id,
                    iso3: row.text("iso_code", default: ""),
                    name: row.text("name", default: ""),
                    symbolLeft: row.text("symbol", default: ""),
                    symbolRight: "",
                    rate: row.double("conversion_rate") ?? 1,
                    isDefault: id == settings["PS_CURRENCY_DEFAULT"]
                )
            )
        }
        config.orderStatuses = results[3].records
            .filter { $0.text("id_lang") == defaultLanguageID }
            .map { StoreConfig.OrderStatus(id: $0.text("id_order_state", default: ""), name: $0.text("name", default: "")) }
        let secure = settings["PS_SSL_ENABLED"] == "1"
        // The default shop comes first: calls without store_id read and write it.
        config.stores = results[4].records.map { row in
            StoreConfig.StoreView(id: row.text("id_shop", default: ""), name: row.text("name", default: ""), url: Self.shopURL(row, secure: secure))
        }
        config.tableColumns = PrestaShopSchema.columns(results[5], prefix: p)
        return config
    }

    public func list(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        switch kind {
        case .product: try await self.listProducts(query, store: store)
        case .productChild: try await self.listCombinations(query, store: store)
        case .category: try await self.listCategories(query, store: store)
        case .customer: try await self.listCustomers(query, store: store)
        case .order: try await self.listOrders(query, store: store)
        }
    }

    public func count(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> Int {
        let scope = try Scope(query, store: store)
        let sql: PageSQL =
            switch kind {
            case .product: try self.productSQL(query, scope: scope)
            case .productChild: try self.combinationSQL(query, scope: scope)
            case .category: try self.categorySQL(query, scope: scope)
            case .customer: try self.customerSQL(query, scope: scope)
            case .order: try self.orderSQL(query, scope: scope)
            }
        return try await sql.count(in: store)
    }
}
