import CartBridgeCore
import Foundation

/// `product.add`, `product.update`, `product.delete`, written the way WooCommerce's product data store writes:
/// the post, its meta, the `wc_product_meta_lookup` row, the `product_type`/`product_cat`/`product_visibility`
/// terms with their counts, and the post's modification times. Each write is one batch in one transaction.
extension WooCommerceConnector {
    /// "Now" in the store's time and in UTC, as WordPress writes `post_date` and `post_date_gmt`.
    static func now(_ store: StoreAccess) -> (local: String, utc: String, unix: Int64) {
        let date = Date()
        return (Self.databaseText(date, zone: store.timeZone), Self.databaseText(date, zone: TimeZone(identifier: "UTC")!), Int64(date.timeIntervalSince1970))
    }

    /// `sale active` for a product whose id is in `@pid`, as SQL: a sale price and, when it has a window, now inside it.
    static func saleActiveSQL(_ p: String, id: String = "@pid") -> String {
        """
        EXISTS (SELECT 1 FROM `\(p)postmeta` sp WHERE sp.`post_id` = \(id) AND sp.`meta_key` = '_sale_price' AND sp.`meta_value` <> '')
        AND NOT EXISTS (SELECT 1 FROM `\(p)postmeta` sf WHERE sf.`post_id` = \(id) AND sf.`meta_key` = '_sale_price_dates_from'
          AND sf.`meta_value` <> '' AND CAST(sf.`meta_value` AS UNSIGNED) > UNIX_TIMESTAMP())
        AND NOT EXISTS (SELECT 1 FROM `\(p)postmeta` st WHERE st.`post_id` = \(id) AND st.`meta_key` = '_sale_price_dates_to'
          AND st.`meta_value` <> '' AND CAST(st.`meta_value` AS UNSIGNED) < UNIX_TIMESTAMP())
        """
    }

    /// Sets a meta value of the product in `@pid`: updates the rows there are, inserts one when there is none.
    /// `value` is SQL (a `?` or an expression); `params` are its parameters.
    static func setMeta(_ p: String, _ key: String, _ value: String, _ params: [JSONValue]) -> [SQLStatement] {
        [
            SQLStatement("UPDATE `\(p)postmeta` SET `meta_value` = \(value) WHERE `post_id` = @pid AND `meta_key` = ?", params + [.string(key)]),
            SQLStatement(
                "INSERT INTO `\(p)postmeta` (`post_id`, `meta_key`, `meta_value`) SELECT @pid, ?, \(value) FROM DUAL WHERE @pid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `\(p)postmeta` x WHERE x.`post_id` = @pid AND x.`meta_key` = ?)",
                [.string(key)] + params + [.string(key)]
            ),
        ]
    }

    /// WordPress counts a term's published objects (`_update_post_term_count`); recounts the terms in `@terms`.
    static func recountTerms(_ p: String) -> SQLStatement {
        SQLStatement(
            """
            UPDATE `\(p)term_taxonomy` tt SET tt.`count` = (SELECT COUNT(*) FROM `\(p)term_relationships` tr JOIN `\(p)posts` rp ON rp.`ID` = tr.`object_id`
              WHERE tr.`term_taxonomy_id` = tt.`term_taxonomy_id` AND rp.`post_status` = 'publish')
            WHERE FIND_IN_SET(tt.`term_taxonomy_id`, COALESCE(@terms, '')) > 0
            """
        )
    }

    /// Stock status follows the stock (WooCommerce's rule with the default "out of stock" threshold of 0), in the
    /// meta, the lookup row and the `outofstock` visibility term; for the product in `@pid`.
    static func stockStatusStatements(_ p: String) -> [SQLStatement] {
        [
            SQLStatement(
                """
                UPDATE `\(p)postmeta` ss JOIN `\(p)postmeta` sq ON sq.`post_id` = ss.`post_id` AND sq.`meta_key` = '_stock'
                LEFT JOIN `\(p)postmeta` bo ON bo.`post_id` = ss.`post_id` AND bo.`meta_key` = '_backorders'
                SET ss.`meta_value` = CASE WHEN CAST(COALESCE(NULLIF(sq.`meta_value`, ''), '0') AS DECIMAL(19,4)) > 0 THEN 'instock'
                  WHEN COALESCE(bo.`meta_value`, 'no') <> 'no' THEN 'onbackorder' ELSE 'outofstock' END
                WHERE ss.`post_id` = @pid AND ss.`meta_key` = '_stock_status'
                """
            ),
            SQLStatement(
                """
                UPDATE `\(p)wc_product_meta_lookup` l SET
                  l.`stock_quantity` = (SELECT CAST(NULLIF(q.`meta_value`, '') AS DECIMAL(19,4)) FROM `\(p)postmeta` q WHERE q.`post_id` = l.`product_id` AND q.`meta_key` = '_stock' LIMIT 1),
                  l.`stock_status` = COALESCE((SELECT s.`meta_value` FROM `\(p)postmeta` s WHERE s.`post_id` = l.`product_id` AND s.`meta_key` = '_stock_status' LIMIT 1), 'instock')
                WHERE l.`product_id` = @pid
                """
            ),
            SQLStatement(
                """
                SET @terms = (SELECT GROUP_CONCAT(tt.`term_taxonomy_id`) FROM `\(p)term_taxonomy` tt JOIN `\(p)terms` t ON t.`term_id` = tt.`term_id`
                  WHERE tt.`taxonomy` = 'product_visibility' AND t.`slug` = 'outofstock')
                """
            ),
            SQLStatement(
                """
                DELETE tr FROM `\(p)term_relationships` tr WHERE tr.`object_id` = @pid AND FIND_IN_SET(tr.`term_taxonomy_id`, COALESCE(@terms, '')) > 0
                  AND NOT EXISTS (SELECT 1 FROM `\(p)postmeta` s WHERE s.`post_id` = @pid AND s.`meta_key` = '_stock_status' AND s.`meta_value` = 'outofstock')
                """
            ),
            SQLStatement(
                """
                INSERT IGNORE INTO `\(p)term_relationships` (`object_id`, `term_taxonomy_id`, `term_order`)
                SELECT @pid, tt.`term_taxonomy_id`, 0 FROM `\(p)term_taxonomy` tt WHERE FIND_IN_SET(tt.`term_taxonomy_id`, COALESCE(@terms, '')) > 0
                  AND EXISTS (SELECT 1 FROM `\(p)postmeta` s WHERE s.`post_id` = @pid AND s.`meta_key` = '_stock_status' AND s.`meta_value` = 'outofstock')
                """
            ),
            Self.recountTerms(p),
        ]
    }

    /// The lookup row's prices and sale flag from the `_price` meta, for the product in `@pid`.
    static func lookupPriceStatement(_ p: String) -> SQLStatement {
        SQLStatement(
            """
            UPDATE `\(p)wc_product_meta_lookup` l SET
              l.`min_price` = (SELECT MIN(CAST(m.`meta_value` AS DECIMAL(19,4))) FROM `\(p)postmeta` m WHERE m.`post_id` = l.`product_id` AND m.`meta_key` = '_price' AND m.`meta_value` <> ''),
              l.`max_price` = (SELECT MAX(CAST(m.`meta_value` AS DECIMAL(19,4))) FROM `\(p)postmeta` m WHERE m.`post_id` = l.`product_id` AND m.`meta_key` = '_price' AND m.`meta_value` <> ''),
              l.`onsale` = IF(\(Self.saleActiveSQL(p, id: "l.`product_id`")), 1, 0)
            WHERE l.`product_id` = @pid
            """
        )
    }

    /// A slug as `sanitize_title()` makes one: lower case, dashes for spaces and punctuation, other letters
    /// percent-encoded, at most 200 bytes.
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII {
                if CharacterSet.alphanumerics.contains(scalar) || scalar == "_" {
                    out.unicodeScalars.append(scalar)
                } else if !out.hasSuffix("-") {
                    out.append("-")
                }
            } else if CharacterSet.letters.contains(scalar) || CharacterSet.decimalDigits.contains(scalar) {
                for byte in String(scalar).utf8 { out += String(format: "%%%02x", byte) }
            } else if !out.hasSuffix("-") {
                out.append("-")
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        let cut = String(decoding: trimmed.utf8.prefix(200), as: UTF8.self)
        return cut.isEmpty ? "product" : cut
    }

    public func addProduct(_ draft: ProductDraft, store: StoreAccess) async throws -> String {
        let p = store.prefix
        _ = try store.languageID(draft.langID)
        if let stores = draft.storeIDs { for id in stores { try Self.checkStore(id) } }
        let categories = Self.numericIDs(draft.categoryIDs)
        if !draft.categoryIDs.isEmpty {
            // Unknown categories are refused before anything is written.
            guard categories.count == draft.categoryIDs.count else { throw CartBridgeError.badParameter("categories_ids", "expected category ids") }
            let found = try await store.query([
                SQLStatement(
                    "SELECT COUNT(DISTINCT `term_id`) AS n FROM `\(p)term_taxonomy` WHERE `taxonomy` = 'product_cat' AND `term_id` IN (\(SQLText.placeholders(categories.count)))",
                    categories
                )
            ])
            guard Int(found[0].records.first?.int("n") ?? 0) == Set(categories).count else {
                throw CartBridgeError(.itemNotFound, "Some of the categories do not exist.")
            }
        }
        let now = Self.now(store)
        let sku = draft.sku ?? draft.model
        let saleActive = draft.specialPrice != nil
        let price = draft.specialPrice ?? draft.price
        let stockStatus = draft.quantity > 0 ? "instock" : "outofstock"
        let slug = Self.slug(draft.seoURL ?? draft.name)
        let home = Self.setting(store, Setting.homeURL) ?? store.config.storeURL ?? ""
        var statements: [SQLStatement] = [
            SQLStatement(
                """
                INSERT INTO `\(p)posts` (`post_author`, `post_date`, `post_date_gmt`, `post_content`, `post_title`, `post_excerpt`, `post_status`,
                  `comment_status`, `ping_status`, `post_password`, `post_name`, `to_ping`, `pinged`, `post_modified`, `post_modified_gmt`,
                  `post_content_filtered`, `post_parent`, `guid`, `menu_order`, `post_type`, `post_mime_type`, `comment_count`)
                VALUES (0, ?, ?, ?, ?, ?, ?, 'open', 'closed', '', ?, '', '', ?, ?, '', 0, '', 0, 'product', '', 0)
                """,
                [
                    .string(now.local), .string(now.utc), .string(draft.description), .string(draft.name), .string(draft.shortDescription ?? ""),
                    .string(draft.enabled ? "publish" : "draft"), .string(slug), .string(now.local), .string(now.utc),
                ]
            ),
            SQLStatement("SET @pid = LAST_INSERT_ID()"),
            // WordPress makes a taken slug unique with a suffix; the new post's id is one no other slug has.
            SQLStatement(
                """
                UPDATE `\(p)posts` SET `guid` = CONCAT(?, `ID`),
                  `post_name` = IF((SELECT COUNT(*) FROM (SELECT `ID` FROM `\(p)posts` WHERE `post_name` = ? AND `post_type` = 'product') same) > 1, CONCAT(`post_name`, '-', `ID`), `post_name`)
                WHERE `ID` = @pid
                """,
                [.string("\(home)/?post_type=product&#038;p="), .string(slug)]
            ),
        ]
        let meta: [(String, JSONValue)] = [
            ("_sku", .string(sku)), ("_regular_price", .string(Self.decimalText(draft.price))),
            ("_sale_price", .string(draft.specialPrice.map(Self.decimalText) ?? "")), ("_sale_price_dates_from", ""), ("_sale_price_dates_to", ""),
            ("_price", .string(Self.decimalText(price))), ("_stock", .string(String(draft.quantity))), ("_manage_stock", "yes"),
            ("_stock_status", .string(stockStatus)), ("_backorders", "no"), ("_low_stock_amount", ""), ("_sold_individually", "no"),
            ("_virtual", "no"), ("_downloadable", "no"), ("_download_limit", "-1"), ("_download_expiry", "-1"), ("_tax_status", "taxable"),
            ("_tax_class", ""), ("_weight", .string(draft.weight.map(Self.decimalText) ?? "")), ("_length", ""), ("_width", ""), ("_height", ""),
            ("_upsell_ids", "a:0:{}"), ("_crosssell_ids", "a:0:{}"), ("_purchase_note", ""), ("_default_attributes", "a:0:{}"),
            ("_product_attributes", "a:0:{}"), ("_product_image_gallery", ""), ("_wc_average_rating", "0"), ("_wc_review_count", "0"),
            ("total_sales", "0"), ("_product_version", .string(store.config.cartVersion)),
        ]
        statements.append(
            SQLStatement(
                "INSERT INTO `\(p)postmeta` (`post_id`, `meta_key`, `meta_value`) VALUES " + Array(repeating: "(@pid, ?, ?)", count: meta.count).joined(separator: ", "),
                meta.flatMap { [JSONValue.string($0.0), $0.1] }
            )
        )
        statements.append(
            SQLStatement(
                """
                INSERT INTO `\(p)wc_product_meta_lookup` (`product_id`, `sku`, `global_unique_id`, `virtual`, `downloadable`, `min_price`, `max_price`,
                  `onsale`, `stock_quantity`, `stock_status`, `rating_count`, `average_rating`, `total_sales`, `tax_status`, `tax_class`)
                VALUES (@pid, ?, '', 0, 0, ?, ?, ?, ?, ?, 0, 0, 0, 'taxable', '')
                """,
                [.string(sku), .double(price), .double(price), .int(saleActive ? 1 : 0), .int(Int64(draft.quantity)), .string(stockStatus)]
            )
        )
        // Terms: the simple type, the categories, and "outofstock" visibility when there is no stock.
        var termConditions = ["(tt.`taxonomy` = 'product_type' AND t.`slug` = 'simple')"]
        var termParams: [JSONValue] = []
        if !categories.isEmpty {
            termConditions.append("(tt.`taxonomy` = 'product_cat' AND tt.`term_id` IN (\(SQLText.placeholders(categories.count))))")
            termParams += categories
        }
        if stockStatus == "outofstock" { termConditions.append("(tt.`taxonomy` = 'product_visibility' AND t.`slug` = 'outofstock')") }
        statements += [
            SQLStatement(
                """
                INSERT IGNORE INTO `\(p)term_relationships` (`object_id`, `term_taxonomy_id`, `term_order`)
                SELECT @pid, tt.`term_taxonomy_id`, 0 FROM `\(p)term_taxonomy` tt JOIN `\(p)terms` t ON t.`term_id` = tt.`term_id`
                WHERE \(termConditions.joined(separator: " OR "))
                """,
                termParams
            ),
            SQLStatement("SET @terms = (SELECT GROUP_CONCAT(`term_taxonomy_id`) FROM `\(p)term_relationships` WHERE `object_id` = @pid)"),
            Self.recountTerms(p),
        ]
        let results = try await store.query(statements, transaction: true)
        guard let id = results[0].lastInsertID, id != "0" else {
            throw CartBridgeError(.storeError, "The store did not report the new product's id.", detail: "no last_insert_id after the posts insert")
        }
        return id
    }

    /// Money and weights as WooCommerce keeps them in meta: plain decimals without a trailing ".0".
    static func decimalText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    public func updateProduct(_ change: ProductChange, store: StoreAccess) async throws -> Int {
        let p = store.prefix
        _ = try store.languageID(change.langID)
        try Self.checkStore(change.storeID)
        guard let id = Int64(change.id) else { throw CartBridgeError(.itemNotFound, "No product with id \(change.id.prefix(32)).") }
        let now = Self.now(store)
        // The locking read makes concurrent writes of one product wait here, before either holds a lock the other needs.
        var statements: [SQLStatement] = [
            SQLStatement(
                "SET @pid = (SELECT `ID` FROM `\(p)posts` WHERE `ID` = ? AND `post_type` = 'product' AND `post_status` IN ('publish', 'draft', 'private', 'pending') FOR UPDATE)",
                [.int(id)]
            ),
            SQLStatement("SELECT @pid AS id"),
        ]
        var posts: [String] = []
        var postParams: [JSONValue] = []
        if let name = change.name { posts.append("`post_title` = ?"); postParams.append(.string(name)) }
        if let description = change.description { posts.append("`post_content` = ?"); postParams.append(.string(description)) }
        if let short = change.shortDescription { posts.append("`post_excerpt` = ?"); postParams.append(.string(short)) }
        if let enabled = change.enabled {
            // Disabling a published product makes it a draft; enabling publishes it.
            posts.append("`post_status` = ?")
            postParams.append(.string(enabled ? "publish" : "draft"))
        }
        posts += ["`post_modified` = ?", "`post_modified_gmt` = ?"]
        postParams += [.string(now.local), .string(now.utc)]
        statements.append(SQLStatement("UPDATE `\(p)posts` SET \(posts.joined(separator: ", ")) WHERE `ID` = @pid", postParams))

        if let sku = change.sku ?? change.model {
            statements += Self.setMeta(p, "_sku", "?", [.string(sku)])
            statements.append(SQLStatement("UPDATE `\(p)wc_product_meta_lookup` SET `sku` = ? WHERE `product_id` = @pid", [.string(sku)]))
        }
        if let weight = change.weight { statements += Self.setMeta(p, "_weight", "?", [.string(Self.decimalText(weight))]) }
        if change.price != nil || change.specialPrice != nil {
            if let price = change.price { statements += Self.setMeta(p, "_regular_price", "?", [.string(Self.decimalText(price))]) }
            if let special = change.specialPrice { statements += Self.setMeta(p, "_sale_price", "?", [.string(Self.decimalText(special))]) }
            // `_price` is what the shop charges: the sale price while a sale runs, else the regular price. A variable
            // product's `_price` rows are its variations' prices and stay theirs.
            statements.append(
                SQLStatement(
                    """
                    SET @price = IF(\(Self.saleActiveSQL(p)),
                      (SELECT m.`meta_value` FROM `\(p)postmeta` m WHERE m.`post_id` = @pid AND m.`meta_key` = '_sale_price' LIMIT 1),
                      (SELECT m.`meta_value` FROM `\(p)postmeta` m WHERE m.`post_id` = @pid AND m.`meta_key` = '_regular_price' LIMIT 1))
                    """
                )
            )
            statements.append(
                SQLStatement(
                    """
                    SET @variable = EXISTS (SELECT 1 FROM `\(p)term_relationships` tr JOIN `\(p)term_taxonomy` tt ON tt.`term_taxonomy_id` = tr.`term_taxonomy_id`
                      JOIN `\(p)terms` t ON t.`term_id` = tt.`term_id` WHERE tr.`object_id` = @pid AND tt.`taxonomy` = 'product_type' AND t.`slug` = 'variable')
                    """
                )
            )
            statements.append(
                SQLStatement("UPDATE `\(p)postmeta` SET `meta_value` = @price WHERE `post_id` = @pid AND `meta_key` = '_price' AND NOT @variable AND @price IS NOT NULL")
            )
            statements.append(
                SQLStatement(
                    "INSERT INTO `\(p)postmeta` (`post_id`, `meta_key`, `meta_value`) SELECT @pid, '_price', @price FROM DUAL WHERE @pid IS NOT NULL AND NOT @variable AND @price IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `\(p)postmeta` x WHERE x.`post_id` = @pid AND x.`meta_key` = '_price')"
                )
            )
            statements.append(Self.lookupPriceStatement(p))
        }
        let stockChange: (String, JSONValue)? =
            if let quantity = change.quantity { ("?", .int(Int64(quantity))) } else if let add = change.increaseQuantity {
                ("CAST(COALESCE(NULLIF(`meta_value`, ''), '0') AS DECIMAL(19,4)) + ?", .int(Int64(add)))
            } else if let reduce = change.reduceQuantity {
                ("CAST(COALESCE(NULLIF(`meta_value`, ''), '0') AS DECIMAL(19,4)) - ?", .int(Int64(reduce)))
            } else { nil }
        if let (expression, value) = stockChange {
            // One statement changes the stock (the row lock orders concurrent calls); the lookup row then copies it.
            statements.append(
                SQLStatement(
                    "UPDATE `\(p)postmeta` SET `meta_value` = TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(\(expression) AS DECIMAL(19,4)))) WHERE `post_id` = @pid AND `meta_key` = '_stock'",
                    [value]
                )
            )
            statements.append(
                SQLStatement(
                    "INSERT INTO `\(p)postmeta` (`post_id`, `meta_key`, `meta_value`) SELECT @pid, '_stock', ? FROM DUAL WHERE @pid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `\(p)postmeta` x WHERE x.`post_id` = @pid AND x.`meta_key` = '_stock')",
                    [change.reduceQuantity.map { .int(-Int64($0)) } ?? value]
                )
            )
            // A quantity means something to WooCommerce only when it manages the stock.
            statements += Self.setMeta(p, "_manage_stock", "?", ["yes"])
            statements += [
                SQLStatement(
                    "INSERT INTO `\(p)postmeta` (`post_id`, `meta_key`, `meta_value`) SELECT @pid, '_stock_status', 'instock' FROM DUAL WHERE @pid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `\(p)postmeta` x WHERE x.`post_id` = @pid AND x.`meta_key` = '_stock_status')"
                )
            ]
            statements += Self.stockStatusStatements(p)
        }
        if change.enabled != nil {
            // Publishing or unpublishing changes which terms count the product.
            statements.append(SQLStatement("SET @terms = (SELECT GROUP_CONCAT(`term_taxonomy_id`) FROM `\(p)term_relationships` WHERE `object_id` = @pid)"))
            statements.append(Self.recountTerms(p))
        }
        let results = try await store.query(statements, transaction: true)
        guard results[1].records.first?.int("id") != nil else {
            throw CartBridgeError(.itemNotFound, "No product with id \(id).")
        }
        return 1
    }

    public func deleteProduct(id: String, store: StoreAccess) async throws -> Int {
        let p = store.prefix
        guard let id = Int64(id) else { throw CartBridgeError(.itemNotFound, "No product with id \(id.prefix(32)).") }
        let variations = "SELECT v.`ID` FROM `\(p)posts` v WHERE v.`post_parent` = @pid AND v.`post_type` = 'product_variation'"
        let statements: [SQLStatement] = [
            SQLStatement(
                "SET @pid = (SELECT `ID` FROM `\(p)posts` WHERE `ID` = ? AND `post_type` = 'product' AND `post_status` IN ('publish', 'draft', 'private', 'pending') FOR UPDATE)",
                [.int(id)]
            ),
            SQLStatement("SELECT @pid AS id"),
            // The terms the product and its variations leave, to recount them afterwards.
            SQLStatement(
                "SET @terms = (SELECT GROUP_CONCAT(DISTINCT tr.`term_taxonomy_id`) FROM `\(p)term_relationships` tr WHERE tr.`object_id` = @pid OR tr.`object_id` IN (\(variations)))"
            ),
            SQLStatement("DELETE FROM `\(p)postmeta` WHERE `post_id` = @pid OR `post_id` IN (SELECT x.`ID` FROM (\(variations)) x)"),
            SQLStatement("DELETE FROM `\(p)term_relationships` WHERE `object_id` = @pid OR `object_id` IN (SELECT x.`ID` FROM (\(variations)) x)"),
            SQLStatement("DELETE FROM `\(p)wc_product_meta_lookup` WHERE `product_id` = @pid OR `product_id` IN (SELECT x.`ID` FROM (\(variations)) x)"),
            SQLStatement("DELETE FROM `\(p)wc_product_attributes_lookup` WHERE `product_or_parent_id` = @pid"),
            // Reviews are comments on the product; WordPress deletes them with the post.
            SQLStatement(
                "DELETE cm FROM `\(p)commentmeta` cm JOIN `\(p)comments` c ON c.`comment_ID` = cm.`comment_id` WHERE c.`comment_post_ID` = @pid"
            ),
            SQLStatement("DELETE FROM `\(p)comments` WHERE `comment_post_ID` = @pid"),
            SQLStatement("DELETE FROM `\(p)posts` WHERE `ID` = @pid OR (`post_parent` = @pid AND `post_type` = 'product_variation')"),
            Self.recountTerms(p),
        ]
        let results = try await store.query(statements, transaction: true)
        guard results[1].records.first?.int("id") != nil else {
            throw CartBridgeError(.itemNotFound, "No product with id \(id).")
        }
        return 1
    }
}
