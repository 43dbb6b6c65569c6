import CartBridgeCore

/// What differs between OpenCart 3.0 and 4.x in the tables CartBridge reads and writes, decided from the
/// store's own columns (read with its configuration), never from the version text alone.
struct OpenCartSchema: Sendable {
    /// Tables whose presence or columns differ between the supported versions.
    static let watchedTables = [
        "product", "product_code", "product_special", "category", "country", "country_description", "zone", "zone_description",
        "customer", "address", "seo_url", "order", "order_total",
    ] + Self.productTables

    /// Tables holding rows of a product, in either version, that a delete must clear (those the store has).
    static let productTables = [
        "product_attribute", "product_description", "product_discount", "product_filter", "product_image", "product_option",
        "product_option_value", "product_related", "product_reward", "product_to_category", "product_to_download", "product_to_layout",
        "product_to_store", "product_recurring", "product_subscription", "product_report", "product_viewed",
    ]

    let prefix: String
    let columns: [String: Set<String>]

    init(config: StoreConfig) {
        self.prefix = config.tablePrefix
        if let known = config.tableColumns {
            self.columns = known.mapValues(Set.init)
        } else {
            // A cache written before columns were read: assume what the version says.
            self.columns = Self.assumed(version: config.cartVersion)
        }
    }

    static func columnsStatement(prefix: String) -> SQLStatement {
        SQLStatement(
            """
            SELECT `TABLE_NAME` AS t, `COLUMN_NAME` AS c FROM information_schema.`COLUMNS`
            WHERE `TABLE_SCHEMA` = DATABASE() AND `TABLE_NAME` IN (\(SQLText.placeholders(Self.watchedTables.count)))
            """,
            Self.watchedTables.map { .string(prefix + $0) }
        )
    }

    static func columns(_ result: QueryResult, prefix: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for row in result.records {
            guard let table = row.text("t"), table.hasPrefix(prefix), let column = row.text("c") else { continue }
            out[String(table.dropFirst(prefix.count)), default: []].append(column)
        }
        return out.mapValues { $0.sorted() }
    }

    static func assumed(version: String) -> [String: Set<String>] {
        let v4 = (Int(version.split(separator: ".").first ?? "") ?? 3) >= 4
        if v4 {
            return [
                "product": ["product_id", "master_id"], "product_code": ["code", "value"], "category": ["category_id"],
                "country_description": ["name"], "zone_description": ["name"], "customer": ["customer_id"], "seo_url": ["key", "value"],
            ]
        }
        return [
            "product": ["product_id", "sku", "upc", "ean", "jan", "isbn", "mpn"], "product_special": ["price"],
            "category": ["category_id", "date_added", "date_modified"], "country": ["name"], "zone": ["name"],
            "customer": ["customer_id", "address_id"], "seo_url": ["query"],
        ]
    }

    func has(_ table: String) -> Bool { self.columns[table] != nil }
    func has(_ table: String, _ column: String) -> Bool { self.columns[table]?.contains(column) ?? false }

    /// `oc_product` by name, backquoted with the prefix.
    func t(_ table: String) -> String { "`\(self.prefix)\(table)`" }

    /// 4.1 keeps SKU, UPC, EAN, JAN, ISBN and MPN as `product_code` rows; 3.0 as `product` columns.
    var codesInTable: Bool { self.has("product_code") }
    /// 3.0 has `product_special`; 4.x keeps specials as `product_discount` rows flagged `special`.
    var specialTable: Bool { self.has("product_special") }
    var categoryDates: Bool { self.has("category", "date_added") }
    var countryNames: String { self.has("country_description") ? "country_description" : "country" }
    var zoneNames: String { self.has("zone_description") ? "zone_description" : "zone" }
    /// 3.0 points from the customer to its default address; 4.x flags the address.
    var defaultAddressOnCustomer: Bool { self.has("customer", "address_id") }
    /// 4.x: `key`/`value`; 3.0: `query` = `product_id=40`.
    var seoKeyValue: Bool { self.has("seo_url", "key") }
}
