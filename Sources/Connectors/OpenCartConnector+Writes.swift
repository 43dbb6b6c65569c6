import CartBridgeCore
import Foundation

/// Product and order writes as OpenCart's own admin makes them: every table it fills, its timestamps, its
/// escaping of names and descriptions, and a session in OpenCart's own (non-strict) SQL mode.
extension OpenCartConnector {
    static let sessionMode = SQLStatement("SET SESSION sql_mode = 'NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'")

    /// OpenCart stores text fields through `htmlspecialchars`.
    static func escaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// The query with `find_value` as OpenCart stores text (it escapes every form field), so a search for
    /// `"Pro" & Co` finds what the admin saved from that input.
    static func storedForm(_ query: ListQuery) -> ListQuery {
        var stored = query
        stored.findValue = query.findValue.map(Self.escaped)
        return stored
    }

    /// Values of every `product` column either version has, for a new product; only the store's own columns are written.
    static func productColumns(_ draft: ProductDraft) -> [(String, String, [JSONValue])] {
        [
            ("master_id", "0", []), ("model", "?", [.string(draft.model)]), ("sku", "?", [.string(draft.sku ?? "")]),
            ("upc", "''", []), ("ean", "''", []), ("jan", "''", []), ("isbn", "''", []), ("mpn", "''", []), ("location", "''", []),
            ("variant", "''", []), ("override", "''", []), ("quantity", "?", [.int(Int64(draft.quantity))]),
            ("stock_status_id", "COALESCE((SELECT CAST(`value` AS UNSIGNED) FROM `{p}setting` WHERE `store_id` = 0 AND `key` = 'config_stock_status_id' LIMIT 1), 0)", []),
            ("image", "''", []), ("manufacturer_id", "0", []), ("shipping", "1", []), ("price", "?", [.double(draft.price)]), ("points", "0", []),
            ("tax_class_id", "0", []), ("date_available", "CURDATE()", []), ("weight", "?", [.double(draft.weight ?? 0)]),
            ("weight_class_id", "COALESCE((SELECT CAST(`value` AS UNSIGNED) FROM `{p}setting` WHERE `store_id` = 0 AND `key` = 'config_weight_class_id' LIMIT 1), 1)", []),
            ("length", "0", []), ("width", "0", []), ("height", "0", []),
            ("length_class_id", "COALESCE((SELECT CAST(`value` AS UNSIGNED) FROM `{p}setting` WHERE `store_id` = 0 AND `key` = 'config_length_class_id' LIMIT 1), 1)", []),
            ("subtract", "1", []), ("minimum", "1", []), ("rating", "0", []), ("sort_order", "0", []), ("status", "?", [.int(draft.enabled ? 1 : 0)]),
            ("viewed", "0", []), ("date_added", "NOW()", []), ("date_modified", "NOW()", []),
        ]
    }

    public func addProduct(_ draft: ProductDraft, store: StoreAccess) async throws -> String {
        let s = OpenCartSchema(config: store.config)
        let present = s.columns["product"] ?? []
        let columns = Self.productColumns(draft).filter { present.contains($0.0) }
        var statements = [Self.sessionMode]
        statements.append(SQLStatement(
            "INSERT INTO \(s.t("product")) (\(columns.map { "`\($0.0)`" }.joined(separator: ", "))) VALUES (\(columns.map { $0.1.replacingOccurrences(of: "{p}", with: s.prefix) }.joined(separator: ", ")))",
            columns.flatMap(\.2)
        ))
        statements.append(SQLStatement("SET @cb_product_id = LAST_INSERT_ID()"))
        let name = Self.escaped(draft.name)
        let languages = draft.langID.map { [$0] } ?? store.config.languages.map(\.id)
        for language in languages.isEmpty ? ["1"] : languages {
            statements.append(SQLStatement(
                """
                INSERT INTO \(s.t("product_description")) (`product_id`, `language_id`, `name`, `description`, `tag`, `meta_title`, `meta_description`, `meta_keyword`)
                VALUES (@cb_product_id, ?, ?, ?, '', ?, ?, ?)
                """,
                [.string(language), .string(name), .string(Self.escaped(draft.description)), .string(Self.escaped(draft.metaTitle ?? draft.name)),
                 .string(Self.escaped(draft.metaDescription ?? "")), .string(Self.escaped(draft.metaKeywords ?? ""))]
            ))
        }
        for storeID in draft.storeIDs ?? ["0"] {
            statements.append(SQLStatement("INSERT INTO \(s.t("product_to_store")) (`product_id`, `store_id`) VALUES (@cb_product_id, ?)", [.string(storeID)]))
        }
        for category in Array(Set(draft.categoryIDs)).sorted() {
            statements.append(SQLStatement(
                "INSERT INTO \(s.t("product_to_category")) (`product_id`, `category_id`) SELECT @cb_product_id, `category_id` FROM \(s.t("category")) WHERE `category_id` = ?",
                [.string(category)]
            ))
        }
        if s.codesInTable, let sku = draft.sku {
            statements.append(SQLStatement("INSERT INTO \(s.t("product_code")) (`product_id`, `code`, `value`) VALUES (@cb_product_id, 'SKU', ?)", [.string(sku)]))
        }
        if let special = draft.specialPrice { statements.append(self.specialInsert(s, price: special, product: "@cb_product_id", params: [])) }
        statements.append(SQLStatement("SELECT @cb_product_id AS id"))
        let results = try await store.query(statements, transaction: true)
        guard let id = results.last?.records.first?.int("id") else {
            throw CartBridgeError(.bridgeResponseError, "The store did not return the new product's id.", detail: "no @cb_product_id")
        }
        return String(id)
    }

    /// A special price row for the default customer group, without dates (always on), as the admin form saves it;
    /// on 4.x a fixed-price (`F`) `product_discount` row flagged `special`.
    func specialInsert(_ s: OpenCartSchema, price: Double, product: String, params: [JSONValue]) -> SQLStatement {
        let group = "COALESCE((SELECT CAST(`value` AS UNSIGNED) FROM \(s.t("setting")) WHERE `store_id` = 0 AND `key` = 'config_customer_group_id' LIMIT 1), 1)"
        if s.specialTable {
            return SQLStatement(
                "INSERT INTO \(s.t("product_special")) (`product_id`, `customer_group_id`, `priority`, `price`, `date_start`, `date_end`) SELECT \(product), \(group), 1, ?, '0000-00-00', '0000-00-00' FROM DUAL",
                [.double(price)] + params
            )
        }
        return SQLStatement(
            "INSERT INTO \(s.t("product_discount")) (`product_id`, `customer_group_id`, `quantity`, `priority`, `price`, `type`, `special`, `date_start`, `date_end`) SELECT \(product), \(group), 1, 1, ?, 'F', 1, '0000-00-00', '0000-00-00' FROM DUAL",
            [.double(price)] + params
        )
    }

    public func updateProduct(_ change: ProductChange, store: StoreAccess) async throws -> Int {
        let s = OpenCartSchema(config: store.config)
        guard let id = Int64(change.id) else { throw Self.notFound("product", change.id) }
        let pid: JSONValue = .int(id)
        var statements = [Self.sessionMode, SQLStatement("SELECT COUNT(*) AS n FROM \(s.t("product")) WHERE `product_id` = ?", [pid])]
        var sets = ["`date_modified` = NOW()"]
        var params: [JSONValue] = []
        if let price = change.price { sets.append("`price` = ?"); params.append(.double(price)) }
        if let quantity = change.quantity { sets.append("`quantity` = ?"); params.append(.int(Int64(quantity))) }
        // Relative changes are applied by the database: concurrent calls never lose one.
        if let up = change.increaseQuantity { sets.append("`quantity` = `quantity` + ?"); params.append(.int(Int64(up))) }
        if let down = change.reduceQuantity { sets.append("`quantity` = `quantity` - ?"); params.append(.int(Int64(down))) }
        if let enabled = change.enabled { sets.append("`status` = ?"); params.append(.int(enabled ? 1 : 0)) }
        if let model = change.model { sets.append("`model` = ?"); params.append(.string(model)) }
        if let weight = change.weight { sets.append("`weight` = ?"); params.append(.double(weight)) }
        if let sku = change.sku, !s.codesInTable { sets.append("`sku` = ?"); params.append(.string(sku)) }
        statements.append(SQLStatement("UPDATE \(s.t("product")) SET \(sets.joined(separator: ", ")) WHERE `product_id` = ?", params + [pid]))
        var texts: [String] = []
        var textParams: [JSONValue] = []
        for (column, value) in [("name", change.name), ("description", change.description), ("meta_title", change.metaTitle), ("meta_description", change.metaDescription), ("meta_keyword", change.metaKeywords)] {
            if let value {
                texts.append("`\(column)` = ?")
                textParams.append(.string(Self.escaped(value)))
            }
        }
        if !texts.isEmpty {
            let language = try store.languageID(change.langID) ?? "1"
            statements.append(SQLStatement(
                "UPDATE \(s.t("product_description")) SET \(texts.joined(separator: ", ")) WHERE `product_id` = ? AND `language_id` = ?",
                textParams + [pid, .string(language)]
            ))
        }
        if let sku = change.sku, s.codesInTable {
            statements.append(SQLStatement("DELETE FROM \(s.t("product_code")) WHERE `product_id` = ? AND `code` = 'SKU'", [pid]))
            statements.append(SQLStatement("INSERT INTO \(s.t("product_code")) (`product_id`, `code`, `value`) SELECT `product_id`, 'SKU', ? FROM \(s.t("product")) WHERE `product_id` = ?", [.string(sku), pid]))
        }
        if let special = change.specialPrice {
            let table = s.specialTable ? "product_special" : "product_discount"
            let flag = s.specialTable ? "" : " AND `special` = 1"
            statements.append(SQLStatement("DELETE FROM \(s.t(table)) WHERE `product_id` = ?\(flag)", [pid]))
            var insert = self.specialInsert(s, price: special, product: "`product_id`", params: [pid])
            insert.sql = insert.sql.replacingOccurrences(of: " FROM DUAL", with: " FROM \(s.t("product")) WHERE `product_id` = ?")
            statements.append(insert)
        }
        let results = try await store.query(statements, transaction: true)
        guard results[1].records.first?.int("n") ?? 0 > 0 else { throw Self.notFound("product", change.id) }
        return 1
    }

    public func deleteProduct(id: String, store: StoreAccess) async throws -> Int {
        let s = OpenCartSchema(config: store.config)
        guard let id = Int64(id) else { throw Self.notFound("product", id) }
        let pid: JSONValue = .int(id)
        var statements = [SQLStatement("SELECT COUNT(*) AS n FROM \(s.t("product")) WHERE `product_id` = ?", [pid])]
        statements.append(SQLStatement("DELETE FROM \(s.t("product")) WHERE `product_id` = ?", [pid]))
        for table in OpenCartSchema.productTables + ["product_special", "product_code"] where s.has(table) {
            statements.append(SQLStatement("DELETE FROM \(s.t(table)) WHERE `product_id` = ?", [pid]))
        }
        if s.has("product_related") {
            statements.append(SQLStatement("DELETE FROM \(s.t("product_related")) WHERE `related_id` = ?", [pid]))
        }
        if s.seoKeyValue {
            statements.append(SQLStatement("DELETE FROM \(s.t("seo_url")) WHERE `key` = 'product_id' AND `value` = ?", [.string(String(id))]))
        } else if s.has("seo_url") {
            statements.append(SQLStatement("DELETE FROM \(s.t("seo_url")) WHERE `query` = ?", [.string("product_id=\(id)")]))
        }
        let results = try await store.query(statements, transaction: true)
        guard results[0].records.first?.int("n") ?? 0 > 0 else { throw Self.notFound("product", String(id)) }
        return 1
    }

    public func updateOrder(_ change: OrderChange, store: StoreAccess) async throws -> Int {
        let s = OpenCartSchema(config: store.config)
        guard let id = Int64(change.orderID) else { throw Self.notFound("order", change.orderID) }
        let oid: JSONValue = .int(id)
        var statements = [Self.sessionMode, SQLStatement("SELECT COUNT(*) AS n FROM \(s.t("order")) WHERE `order_id` = ? AND `order_status_id` > 0", [oid])]
        if let status = change.statusID {
            statements.append(SQLStatement(
                "UPDATE \(s.t("order")) SET `order_status_id` = ?, `date_modified` = NOW() WHERE `order_id` = ? AND `order_status_id` > 0",
                [.string(status), oid]
            ))
        }
        // The history row carries the (new or current) status, the comment and whether the customer was told.
        statements.append(SQLStatement(
            """
            INSERT INTO \(s.t("order_history")) (`order_id`, `order_status_id`, `notify`, `comment`, `date_added`)
            SELECT `order_id`, `order_status_id`, ?, ?, NOW() FROM \(s.t("order")) WHERE `order_id` = ? AND `order_status_id` > 0
            """,
            [.int(change.notifyCustomer ? 1 : 0), .string(change.comment ?? ""), oid]
        ))
        let results = try await store.query(statements, transaction: true)
        guard results[1].records.first?.int("n") ?? 0 > 0 else { throw Self.notFound("order", change.orderID) }
        return 1
    }

    static func notFound(_ what: String, _ id: String) -> CartBridgeError {
        CartBridgeError(.itemNotFound, "No \(what) with id \(String(id.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }.prefix(32).map(Character.init))).")
    }
}
