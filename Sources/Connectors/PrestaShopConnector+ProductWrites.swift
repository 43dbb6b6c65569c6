import CartBridgeCore
import Foundation

extension PrestaShopConnector {
    /// What a product write needs to know about the target shops first: each shop's group, whether the group shares
    /// its stock, the shop's Home category; the categories that exist; the tax rules group most products use.
    struct ShopFacts {
        var shops: [(id: Int64, group: Int64, home: Int64, shareStock: Bool)]
        var categories: Set<Int64>
        var taxRulesGroup: Int64
    }

    /// `product.add`: the rows PrestaShop's `Product::add` writes for a simple product, in one transaction:
    /// `product`, `product_shop` and `product_lang` (every language) per shop, `category_product` (the first
    /// category is the default one; Home when none is given), a `stock_available` row and an optional
    /// `specific_price`. The product is left `indexed = 0` so PrestaShop's search indexer picks it up.
    public func addProduct(_ draft: ProductDraft, store: StoreAccess) async throws -> String {
        let shopIDs: [String?] = draft.storeIDs.flatMap { $0.isEmpty ? nil : $0.map(Optional.some) } ?? [nil]
        let scopes = try shopIDs.map { try Scope(storeID: $0, langID: draft.langID, store: store) }
        let scope = scopes[0]
        var categoryIDs: [Int64] = []
        for text in draft.categoryIDs {
            guard let id = Self.numericID(text) else { throw CartBridgeError.badParameter("categories_ids", "category ids are whole numbers") }
            if !categoryIDs.contains(id) { categoryIDs.append(id) }
        }
        let facts = try await self.shopFacts(Array(Set(scopes.map(\.shopID))), categories: categoryIDs, scope: scope, store: store)
        if let missing = categoryIDs.first(where: { !facts.categories.contains($0) }) {
            throw CartBridgeError.badParameter("categories_ids", "the store has no category \(missing)")
        }
        if categoryIDs.isEmpty, let home = facts.shops.first?.home { categoryIDs = [home] }
        let defaultCategory = categoryIDs.first ?? 2
        let now = scope.now
        let t = scope.t
        let active: JSONValue = .int(draft.enabled ? 1 : 0)
        let linkRewrite = Self.linkRewrite(draft.seoURL ?? draft.name)

        let schema = scope.schema
        var product = InsertRow()
        product.add("id_supplier", "0")
        product.add("id_manufacturer", "0")
        product.add("id_category_default", "?", .int(defaultCategory))
        product.add("id_shop_default", "?", .int(scope.shopID))
        product.add("id_tax_rules_group", "?", .int(facts.taxRulesGroup))
        for zero in ["on_sale", "online_only", "ecotax", "wholesale_price", "unit_price_ratio", "additional_shipping_cost", "width", "height", "depth"] {
            product.add(zero, "0")
        }
        for empty in ["ean13", "isbn", "upc", "unity", "supplier_reference", "location"] { product.add(empty, "''") }
        if schema.has("product", "mpn") { product.add("mpn", "''") }
        product.add("quantity", "?", .int(Int64(draft.quantity)))
        product.add("minimal_quantity", "1")
        if schema.has("product", "low_stock_alert") { product.add("low_stock_alert", "0") }
        product.add("price", "?", .double(draft.price))
        product.add("reference", "?", .string(draft.model))
        product.add("weight", "?", .double(draft.weight ?? 0))
        product.add("out_of_stock", "2")
        product.add("additional_delivery_times", "1")
        for zero in ["quantity_discount", "customizable", "uploadable_files", "text_fields", "id_type_redirected", "show_condition", "indexed"] {
            product.add(zero, "0")
        }
        product.add("active", "?", active)
        product.add("available_for_order", "1")
        product.add("available_date", "'0000-00-00'")
        product.add("condition", "'new'")
        product.add("show_price", "1")
        product.add("visibility", "'both'")
        for zero in ["cache_is_pack", "cache_has_attachments", "is_virtual", "cache_default_attribute", "advanced_stock_management"] {
            product.add(zero, "0")
        }
        product.add("date_add", "?", .string(now))
        product.add("date_upd", "?", .string(now))
        product.add("pack_stock_type", "3")
        if schema.has("product", "state") { product.add("state", "1") }
        if schema.has("product", "product_type") { product.add("product_type", "'standard'") }
        var statements = [product.insert(into: t("product")), SQLStatement("SET @cb_product = LAST_INSERT_ID()")]
        var stockRows = Set<[Int64]>()
        for shop in facts.shops {
            var shopRow = InsertRow()
            shopRow.add("id_product", "@cb_product")
            shopRow.add("id_shop", "?", .int(shop.id))
            shopRow.add("id_category_default", "?", .int(defaultCategory))
            shopRow.add("id_tax_rules_group", "?", .int(facts.taxRulesGroup))
            for zero in ["on_sale", "online_only", "ecotax", "wholesale_price", "unit_price_ratio", "additional_shipping_cost", "customizable",
                "uploadable_files", "text_fields", "id_type_redirected", "show_condition", "indexed", "cache_default_attribute", "advanced_stock_management"]
            {
                shopRow.add(zero, "0")
            }
            shopRow.add("minimal_quantity", "1")
            if schema.has("product_shop", "low_stock_alert") { shopRow.add("low_stock_alert", "0") }
            shopRow.add("price", "?", .double(draft.price))
            shopRow.add("unity", "''")
            shopRow.add("active", "?", active)
            shopRow.add("available_for_order", "1")
            shopRow.add("available_date", "'0000-00-00'")
            shopRow.add("condition", "'new'")
            shopRow.add("show_price", "1")
            shopRow.add("visibility", "'both'")
            shopRow.add("date_add", "?", .string(now))
            shopRow.add("date_upd", "?", .string(now))
            shopRow.add("pack_stock_type", "3")
            statements.append(shopRow.insert(into: t("product_shop")))

            let keywords = schema.has("product_lang", "meta_keywords")
            var params: [JSONValue] = [
                .int(shop.id), .string(draft.description), .string(draft.shortDescription ?? ""), .string(linkRewrite),
                .string(draft.metaDescription ?? ""), .string(draft.metaTitle ?? ""), .string(draft.name),
            ]
            if keywords { params.append(.string(draft.metaKeywords ?? "")) }
            // Every language gets the texts, as the back office fills empty languages from the default one.
            statements.append(
                SQLStatement(
                    """
                    INSERT INTO \(t("product_lang")) (`id_product`, `id_shop`, `id_lang`, `description`, `description_short`,
                        `link_rewrite`, `meta_description`, `meta_title`, `name`, `available_now`, `available_later`\(keywords ? ", `meta_keywords`" : ""))
                    SELECT @cb_product, ?, l.`id_lang`, ?, ?, ?, ?, ?, ?, '', ''\(keywords ? ", ?" : "") FROM \(t("lang")) l
                    """,
                    params
                )
            )
            // A shop group that shares its stock keeps one row for the group (id_shop 0), else each shop has its own.
            let owner: [Int64] = shop.shareStock ? [0, shop.group] : [shop.id, 0]
            if stockRows.insert(owner).inserted {
                var stock = InsertRow()
                stock.add("id_product", "@cb_product")
                stock.add("id_product_attribute", "0")
                stock.add("id_shop", "?", .int(owner[0]))
                stock.add("id_shop_group", "?", .int(owner[1]))
                stock.add("quantity", "?", .int(Int64(draft.quantity)))
                if schema.has("stock_available", "physical_quantity") { stock.add("physical_quantity", "?", .int(Int64(draft.quantity))) }
                if schema.has("stock_available", "reserved_quantity") { stock.add("reserved_quantity", "0") }
                stock.add("depends_on_stock", "0")
                stock.add("out_of_stock", "2")
                if schema.has("stock_available", "location") { stock.add("location", "''") }
                statements.append(stock.insert(into: t("stock_available")))
            }
        }
        for category in categoryIDs {
            // At the end of the category, as `Product::addToCategories` places it.
            statements.append(
                SQLStatement(
                    """
                    INSERT INTO \(t("category_product")) (`id_category`, `id_product`, `position`)
                    SELECT ?, @cb_product, COALESCE(MAX(cp.`position`) + 1, 0) FROM \(t("category_product")) cp WHERE cp.`id_category` = ?
                    """,
                    [.int(category), .int(category)]
                )
            )
        }
        if let special = draft.specialPrice, special > 0 {
            statements.append(
                self.specialPriceInsert(product: ("@cb_product", []), price: special, shop: draft.storeIDs == nil ? 0 : scope.shopID, scope: scope))
        }
        statements.append(SQLStatement("SELECT @cb_product AS `id_product`"))
        let results = try await store.query(statements, transaction: true)
        guard let id = results.last?.records.first?.int("id_product") else {
            throw CartBridgeError(.bridgeResponseError, "The store did not report the new product's id.", detail: "product.add: no id")
        }
        return String(id)
    }

    /// One row of an INSERT: columns with their SQL values (`?` or a constant) and the parameters in order.
    struct InsertRow {
        var columns: [String] = []
        var values: [String] = []
        var params: [JSONValue] = []

        mutating func add(_ column: String, _ value: String, _ params: JSONValue...) {
            self.columns.append("`\(column)`")
            self.values.append(value)
            self.params += params
        }

        func insert(into table: String) -> SQLStatement {
            SQLStatement("INSERT INTO \(table) (\(self.columns.joined(separator: ", "))) VALUES (\(self.values.joined(separator: ", ")))", self.params)
        }
    }

    func shopFacts(_ shops: [Int64], categories: [Int64], scope: Scope, store: StoreAccess) async throws -> ShopFacts {
        let t = scope.t
        var statements = [
            SQLStatement(
                """
                SELECT s.`id_shop`, s.`id_shop_group`, s.`id_category`, g.`share_stock` FROM \(t("shop")) s
                JOIN \(t("shop_group")) g ON g.`id_shop_group` = s.`id_shop_group` WHERE s.`id_shop` IN (\(SQLText.placeholders(shops.count)))
                ORDER BY s.`id_shop` = ? DESC, s.`id_shop`
                """,
                shops.map(JSONValue.int) + [.int(scope.shopID)]
            ),
            // The tax rules group most products use, as the back office proposes for a new product.
            SQLStatement(
                """
                SELECT ps.`id_tax_rules_group`, COUNT(*) AS n FROM \(t("product_shop")) ps
                JOIN \(t("tax_rules_group")) trg ON trg.`id_tax_rules_group` = ps.`id_tax_rules_group`
                WHERE trg.`active` = 1 AND trg.`deleted` = 0 AND ps.`id_shop` = ?
                GROUP BY ps.`id_tax_rules_group` ORDER BY n DESC, ps.`id_tax_rules_group` LIMIT 1
                """,
                [.int(scope.shopID)]
            ),
        ]
        if !categories.isEmpty {
            statements.append(
                SQLStatement(
                    "SELECT `id_category` FROM \(t("category")) WHERE `id_category` IN (\(SQLText.placeholders(categories.count)))",
                    categories.map(JSONValue.int)
                )
            )
        }
        let results = try await store.query(statements)
        return ShopFacts(
            shops: results[0].records.map { row in
                (row.int("id_shop") ?? 1, row.int("id_shop_group") ?? 1, row.int("id_category") ?? 2, row.flag("share_stock"))
            },
            categories: Set(categories.isEmpty ? [] : results[2].records.compactMap { $0.int("id_category") }),
            taxRulesGroup: results[1].records.first?.int("id_tax_rules_group") ?? 0
        )
    }

    /// A specific price that sets the product's price for everyone (`price` fixed, no reduction, no dates), written
    /// only when the product exists. `product` is the SQL of its id with that SQL's parameters.
    func specialPriceInsert(product: (sql: String, params: [JSONValue]), price: Double, shop: Int64, scope: Scope) -> SQLStatement {
        SQLStatement(
            """
            INSERT INTO \(scope.t("specific_price")) (`id_specific_price_rule`, `id_cart`, `id_product`, `id_shop`, `id_shop_group`,
                `id_currency`, `id_country`, `id_group`, `id_customer`, `id_product_attribute`, `price`, `from_quantity`, `reduction`,
                `reduction_tax`, `reduction_type`, `from`, `to`)
            SELECT 0, 0, p.`id_product`, ?, 0, 0, 0, 0, 0, 0, ?, 1, 0, 1, 'amount', '0000-00-00 00:00:00', '0000-00-00 00:00:00'
            FROM \(scope.t("product")) p WHERE p.`id_product` = \(product.sql)
            """,
            [.int(shop), .double(price)] + product.params
        )
    }

    /// `product.update`: texts in one language of the shop, price and active in `product_shop` (and in `product`
    /// for the product's default shop), the special price as the product's one simple `specific_price`, and stock
    /// in the shop's `stock_available` row: a relative change is one `quantity = quantity + ?`, so concurrent calls
    /// never lose one. Each stock change is logged in `stock_mvt` as an employee edition, and `product.quantity`
    /// follows the stock, as `ProductStockUpdater` does. Locks are taken stock row first, then product rows.
    public func updateProduct(_ change: ProductChange, store: StoreAccess) async throws -> Int {
        guard let id = Self.numericID(change.id) else { throw Self.noProduct(change.id) }
        let scope = try Scope(storeID: change.storeID, langID: change.langID, store: store)
        let t = scope.t
        let now = scope.now
        let stock = scope.stockOfShop("sa")
        let inShop = "EXISTS (SELECT 1 FROM \(t("product_shop")) x WHERE x.`id_product` = p.`id_product` AND x.`id_shop` = ?)"
        var statements = [
            SQLStatement(
                """
                SELECT p.`id_product`, p.`id_shop_default`,
                    (SELECT COUNT(*) FROM \(t("product_shop")) x WHERE x.`id_product` = p.`id_product` AND x.`id_shop` = ?) AS `in_shop`,
                    (SELECT COUNT(*) FROM \(t("stock_available")) sa WHERE sa.`id_product` = p.`id_product` AND sa.`id_product_attribute` = 0
                        AND \(stock.sql)) AS `has_stock`
                FROM \(t("product")) p WHERE p.`id_product` = ?
                """,
                [.int(scope.shopID)] + stock.params + [.int(id)]
            )
        ]
        let stockWhere = "sa.`id_product` = ? AND sa.`id_product_attribute` = 0 AND \(stock.sql)"
        // Since 1.7.2 the physical quantity follows (`updatePhysicalProductQuantity`): available plus reserved.
        let physical =
            scope.schema.has("stock_available", "physical_quantity") && scope.schema.has("stock_available", "reserved_quantity")
            ? ", sa.`physical_quantity` = sa.`quantity` + sa.`reserved_quantity`" : ""
        let stockParams: [JSONValue] = [.int(id)] + stock.params
        let delta = change.increaseQuantity.map { Int64($0) } ?? change.reduceQuantity.map { -Int64($0) }
        if let quantity = change.quantity {
            // The movement needs the old quantity: read it with the row lock the update then keeps.
            let target: JSONValue = .int(Int64(quantity))
            statements.append(
                self.movementStatement(
                    size: ("ABS(? - sa.`quantity`)", [target]), sign: ("IF(? >= sa.`quantity`, 1, -1)", [target]), date: now,
                    stockWhere: (stockWhere + " AND sa.`quantity` <> ? FOR UPDATE", stockParams + [target]), scope: scope))
            statements.append(
                SQLStatement(
                    "UPDATE \(t("stock_available")) sa SET sa.`quantity` = ?\(physical) WHERE \(stockWhere)",
                    [.int(Int64(quantity))] + stockParams
                )
            )
        } else if let delta, delta != 0 {
            statements.append(
                SQLStatement(
                    "UPDATE \(t("stock_available")) sa SET sa.`quantity` = sa.`quantity` + ?\(physical) WHERE \(stockWhere)",
                    [.int(delta)] + stockParams
                )
            )
            statements.append(
                self.movementStatement(
                    size: ("?", [.int(abs(delta))]), sign: ("?", [.int(delta > 0 ? 1 : -1)]), date: now, stockWhere: (stockWhere, stockParams),
                    scope: scope))
        }
        let stockChanged = change.quantity != nil || (delta ?? 0) != 0

        // `product`: the shop-independent columns, and the shop ones when this is the product's default shop.
        var productSet = ["p.`date_upd` = ?"]
        var productParams: [JSONValue] = [.string(now)]
        if stockChanged {
            productSet.append(
                "p.`quantity` = COALESCE((SELECT sa.`quantity` FROM \(t("stock_available")) sa WHERE sa.`id_product` = p.`id_product` AND sa.`id_product_attribute` = 0 AND \(stock.sql)), p.`quantity`)"
            )
            productParams += stock.params
        }
        if let reference = change.model ?? change.sku {
            productSet.append("p.`reference` = ?")
            productParams.append(.string(reference))
        }
        if let weight = change.weight {
            productSet.append("p.`weight` = ?")
            productParams.append(.double(weight))
        }
        if let price = change.price {
            productSet.append("p.`price` = IF(p.`id_shop_default` = ?, ?, p.`price`)")
            productParams += [.int(scope.shopID), .double(price)]
        }
        if let enabled = change.enabled {
            productSet.append("p.`active` = IF(p.`id_shop_default` = ?, ?, p.`active`)")
            productParams += [.int(scope.shopID), .int(enabled ? 1 : 0)]
        }
        statements.append(
            SQLStatement(
                "UPDATE \(t("product")) p SET \(productSet.joined(separator: ", ")) WHERE p.`id_product` = ? AND \(inShop)",
                productParams + [.int(id), .int(scope.shopID)]
            )
        )
        var shopSet = ["`date_upd` = ?"]
        var shopParams: [JSONValue] = [.string(now)]
        if let price = change.price {
            shopSet.append("`price` = ?")
            shopParams.append(.double(price))
        }
        if let enabled = change.enabled {
            shopSet.append("`active` = ?")
            shopParams.append(.int(enabled ? 1 : 0))
        }
        statements.append(
            SQLStatement(
                "UPDATE \(t("product_shop")) SET \(shopSet.joined(separator: ", ")) WHERE `id_product` = ? AND `id_shop` = ?",
                shopParams + [.int(id), .int(scope.shopID)]
            )
        )
        var langSet: [String] = []
        var langParams: [JSONValue] = []
        for (column, value) in [
            ("name", change.name), ("description", change.description), ("description_short", change.shortDescription),
            ("meta_title", change.metaTitle), ("meta_description", change.metaDescription),
            ("meta_keywords", scope.schema.has("product_lang", "meta_keywords") ? change.metaKeywords : nil),
        ] {
            guard let value else { continue }
            langSet.append("`\(column)` = ?")
            langParams.append(.string(value))
        }
        if !langSet.isEmpty {
            statements.append(
                SQLStatement(
                    "UPDATE \(t("product_lang")) SET \(langSet.joined(separator: ", ")) WHERE `id_product` = ? AND `id_shop` = ? AND `id_lang` = ?",
                    langParams + [.int(id), .int(scope.shopID), .int(scope.langID)]
                )
            )
        }
        if let special = change.specialPrice {
            // The product's simple specific prices (everyone, one unit, no combination) are replaced; 0 removes them.
            statements.append(
                SQLStatement(
                    """
                    DELETE FROM \(t("specific_price")) WHERE `id_product` = ? AND `id_product_attribute` = 0 AND `id_specific_price_rule` = 0
                      AND `id_cart` = 0 AND `id_customer` = 0 AND `id_group` = 0 AND `id_country` = 0 AND `id_currency` = 0
                      AND `from_quantity` = 1 AND `id_shop` IN (0, ?)
                    """,
                    [.int(id), .int(scope.shopID)]
                )
            )
            if special > 0 {
                var insert = self.specialPriceInsert(product: ("?", [.int(id)]), price: special, shop: change.storeID == nil ? 0 : scope.shopID, scope: scope)
                insert.sql += " AND \(inShop)"
                insert.params.append(.int(scope.shopID))
                statements.append(insert)
            }
        }
        let results = try await store.query(statements, transaction: true)
        guard let found = results[0].records.first, (found.int("in_shop") ?? 0) > 0 else { throw Self.noProduct(change.id) }
        if stockChanged, found.int("has_stock") == 0 {
            try await self.addMissingStock(id, quantity: change.quantity.map { Int64($0) } ?? delta ?? 0, scope: scope, store: store)
        }
        return 1
    }

    /// A product with no stock row in the shop (written by something other than PrestaShop) gets one holding the result.
    func addMissingStock(_ id: Int64, quantity: Int64, scope: Scope, store: StoreAccess) async throws {
        let t = scope.t
        let stock = scope.stockOfShop("sa")
        _ = try await store.query(
            [
                SQLStatement(
                    """
                    INSERT INTO \(t("stock_available")) (`id_product`, `id_product_attribute`, `id_shop`, `id_shop_group`, `quantity`,
                        `depends_on_stock`, `out_of_stock`)
                    SELECT ?, 0, IF(g.`share_stock` = 1, 0, s.`id_shop`), IF(g.`share_stock` = 1, g.`id_shop_group`, 0), ?, 0, 2
                    FROM \(t("shop")) s JOIN \(t("shop_group")) g ON g.`id_shop_group` = s.`id_shop_group` WHERE s.`id_shop` = ?
                    ON DUPLICATE KEY UPDATE `quantity` = `quantity` + VALUES(`quantity`)
                    """,
                    [.int(id), .int(quantity), .int(scope.shopID)]
                ),
                SQLStatement(
                    """
                    UPDATE \(t("product")) p SET p.`quantity` = COALESCE((SELECT sa.`quantity` FROM \(t("stock_available")) sa
                        WHERE sa.`id_product` = p.`id_product` AND sa.`id_product_attribute` = 0 AND \(stock.sql)), p.`quantity`)
                    WHERE p.`id_product` = ?
                    """,
                    stock.params + [.int(id)]
                ),
            ], transaction: true)
    }

    /// A `stock_mvt` row for a change of the product's stock row, as an employee edition (reasons
    /// `PS_STOCK_MVT_INC_EMPLOYEE_EDITION` / `PS_STOCK_MVT_DEC_EMPLOYEE_EDITION`) by no employee. `size` and `sign`
    /// are SQL with their parameters; the sign is used twice (for the reason and the column).
    func movementStatement(
        size: (sql: String, params: [JSONValue]), sign: (sql: String, params: [JSONValue]), date: String,
        stockWhere: (sql: String, params: [JSONValue]), scope: Scope
    ) -> SQLStatement {
        let t = scope.t
        let reason = { (name: String, fallback: Int) in
            "COALESCE((SELECT CAST(`value` AS UNSIGNED) FROM \(t("configuration")) WHERE `name` = '\(name)' AND `id_shop` IS NULL ORDER BY `id_configuration` LIMIT 1), \(fallback))"
        }
        return SQLStatement(
            """
            INSERT INTO \(t("stock_mvt")) (`id_stock`, `id_order`, `id_supply_order`, `id_stock_mvt_reason`, `id_employee`,
                `employee_lastname`, `employee_firstname`, `physical_quantity`, `date_add`, `sign`, `price_te`, `last_wa`, `current_wa`, `referer`)
            SELECT sa.`id_stock_available`, NULL, 0, IF(\(sign.sql) > 0, \(reason("PS_STOCK_MVT_INC_EMPLOYEE_EDITION", 11)),
                \(reason("PS_STOCK_MVT_DEC_EMPLOYEE_EDITION", 12))), 0, '', '', \(size.sql), ?, \(sign.sql), 0, 0, 0, NULL
            FROM \(t("stock_available")) sa WHERE \(stockWhere.sql)
            """,
            sign.params + size.params + [.string(date)] + sign.params + stockWhere.params
        )
    }

    /// `product.delete`: the product and every row PrestaShop's `Product::delete` removes with it (texts, shops,
    /// category links with the positions closed up, stock, images, combinations, specific prices, features, tags,
    /// accessories, packs, suppliers, carriers, attachments, customization fields, search index, carts). Image files
    /// stay on disk: the bridge reaches only the database.
    public func deleteProduct(id text: String, store: StoreAccess) async throws -> Int {
        guard let id = Self.numericID(text) else { throw Self.noProduct(text) }
        let scope = try Scope(storeID: nil, langID: nil, store: store)
        let t = scope.t
        let p: JSONValue = .int(id)
        let ofCombinations = "IN (SELECT `id_product_attribute` FROM \(t("product_attribute")) WHERE `id_product` = ?)"
        let ofImages = "IN (SELECT `id_image` FROM \(t("image")) WHERE `id_product` = ?)"
        let ofFields = "IN (SELECT `id_customization_field` FROM \(t("customization_field")) WHERE `id_product` = ?)"
        // A plain read: like every write here, the stock row is locked before the product row.
        var statements = [SQLStatement("SELECT `id_product` FROM \(t("product")) WHERE `id_product` = ?", [p])]
        statements.append(SQLStatement("DELETE FROM \(t("stock_available")) WHERE `id_product` = ?", [p]))
        statements.append(
            SQLStatement(
                """
                UPDATE \(t("category_product")) cp JOIN \(t("category_product")) gone ON gone.`id_category` = cp.`id_category` AND gone.`id_product` = ?
                SET cp.`position` = cp.`position` - 1 WHERE cp.`position` > gone.`position`
                """,
                [p]
            )
        )
        for (table, condition) in [
            ("category_product", "`id_product` = ?"),
            ("product_attribute_image", "`id_product_attribute` \(ofCombinations)"),
            ("product_attribute_combination", "`id_product_attribute` \(ofCombinations)"),
            ("product_attribute_shop", "`id_product` = ?"),
            ("product_attribute", "`id_product` = ?"),
            ("image_lang", "`id_image` \(ofImages)"),
            ("image_shop", "`id_product` = ?"),
            ("image", "`id_product` = ?"),
            ("specific_price", "`id_product` = ?"),
            ("specific_price_priority", "`id_product` = ?"),
            ("feature_product", "`id_product` = ?"),
            ("product_tag", "`id_product` = ?"),
            ("accessory", "`id_product_1` = ? OR `id_product_2` = ?"),
            ("pack", "`id_product_pack` = ? OR `id_product_item` = ?"),
            ("product_supplier", "`id_product` = ?"),
            ("product_carrier", "`id_product` = ?"),
            ("product_attachment", "`id_product` = ?"),
            ("customization_field_lang", "`id_customization_field` \(ofFields)"),
            ("customization_field", "`id_product` = ?"),
            ("product_sale", "`id_product` = ?"),
            ("search_index", "`id_product` = ?"),
            ("cart_product", "`id_product` = ?"),
            ("product_download", "`id_product` = ?"),
            ("warehouse_product_location", "`id_product` = ?"),
            ("product_country_tax", "`id_product` = ?"),
            ("product_group_reduction_cache", "`id_product` = ?"),
            ("product_lang", "`id_product` = ?"),
            ("product_shop", "`id_product` = ?"),
            ("product", "`id_product` = ?"),
        ] {
            let count = condition.filter { $0 == "?" }.count
            statements.append(SQLStatement("DELETE FROM \(t(table)) WHERE \(condition)", Array(repeating: p, count: count)))
        }
        let results = try await store.query(statements, transaction: true)
        guard !results[0].rows.isEmpty else { throw Self.noProduct(text) }
        return 1
    }

    static func noProduct(_ id: String) -> CartBridgeError {
        CartBridgeError(.itemNotFound, "No product with id \(id.prefix(32)) in this store.")
    }

    /// `link_rewrite` as PrestaShop's `Tools::str2url` makes it without accented URLs: ASCII letters and digits,
    /// dashes between words.
    static func linkRewrite(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var out = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "product" : String(out.prefix(128))
    }
}
