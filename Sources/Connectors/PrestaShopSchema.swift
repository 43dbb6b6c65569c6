import CartBridgeCore

/// The columns that differ between PrestaShop 1.7 and 9 in the tables CartBridge reads and writes, decided from
/// the store's own columns (read with its configuration), not from the version text.
///
/// 8.0 dropped `meta_keywords` from `product_lang` and `category_lang`; 1.7.8 added `product.product_type`; 1.7.7
/// added `mpn`; 1.7.3 `low_stock_*`; 1.7.2 `stock_available.physical_quantity`/`reserved_quantity`; 1.7.5
/// `stock_available.location`. Everything else the connector touches is in every 1.7 and later.
struct PrestaShopSchema: Sendable {
    /// The optional columns, by table.
    static let watched: [String: [String]] = [
        "product": ["product_type", "state", "mpn", "low_stock_alert", "low_stock_threshold"],
        "product_shop": ["low_stock_alert", "low_stock_threshold"],
        "product_attribute": ["mpn"],
        "product_attribute_shop": ["low_stock_threshold"],
        "product_lang": ["meta_keywords"],
        "category_lang": ["meta_keywords"],
        "stock_available": ["physical_quantity", "reserved_quantity", "location"],
    ]

    let columns: [String: Set<String>]

    init(config: StoreConfig) {
        if let known = config.tableColumns {
            self.columns = known.mapValues(Set.init)
        } else {
            // A cache written before columns were read: assume what the version says.
            self.columns = Self.assumed(version: config.cartVersion)
        }
    }

    static func columnsStatement(prefix: String) -> SQLStatement {
        let tables = Self.watched.keys.sorted()
        return SQLStatement(
            """
            SELECT `TABLE_NAME` AS t, `COLUMN_NAME` AS c FROM information_schema.`COLUMNS`
            WHERE `TABLE_SCHEMA` = DATABASE() AND `TABLE_NAME` IN (\(SQLText.placeholders(tables.count)))
            """,
            tables.map { .string(prefix + $0) }
        )
    }

    /// The watched columns the store has, by table without prefix.
    static func columns(_ result: QueryResult, prefix: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for row in result.records {
            guard let table = row.text("t"), table.hasPrefix(prefix), let column = row.text("c") else { continue }
            let name = String(table.dropFirst(prefix.count))
            guard Self.watched[name]?.contains(column) == true else { continue }
            out[name, default: []].append(column)
        }
        return out.mapValues { $0.sorted() }
    }

    static func assumed(version: String) -> [String: Set<String>] {
        var all = Self.watched.mapValues(Set.init)
        if (Int(version.split(separator: ".").first ?? "") ?? 8) >= 8 {
            all["product_lang"] = []
            all["category_lang"] = []
        }
        return all
    }

    func has(_ table: String, _ column: String) -> Bool {
        self.columns[table]?.contains(column) ?? false
    }

    /// `alias.column` when the table has the column, else `NULL` (or `fallback`), named `as`.
    func column(_ alias: String, _ table: String, _ column: String, as name: String? = nil, fallback: String = "NULL") -> String {
        let expression = self.has(table, column) ? "\(alias).`\(column)`" : fallback
        return "\(expression) AS `\(name ?? column)`"
    }
}
