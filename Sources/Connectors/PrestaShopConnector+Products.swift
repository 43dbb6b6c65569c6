import CartBridgeCore
import Foundation

extension PrestaShopConnector {
    /// Products of one shop in one language: `product` + `product_shop` (price, active, visibility per shop) +
    /// `product_lang`. Both joins are one row per product once the shop and language are fixed in the filters.
    func productSQL(_ query: ListQuery, scope: Scope) throws(CartBridgeError) -> PageSQL {
        let sort: String
        switch query.sortBy {
        case "id", "product_id": sort = "p.`id_product`"
        case "name": sort = "pl.`name`"
        case "price": sort = "ps.`price`"
        case "create_at", "created_at", "date_add": sort = "p.`date_add`"
        case "modified_at", "updated_at", "date_upd": sort = "p.`date_upd`"
        case "model", "u_model", "sku", "u_sku", "reference": sort = "COALESCE(p.`reference`, '')"
        default: throw CartBridgeError.badParameter("sort_by", "expected id, name, price, create_at, modified_at or model")
        }
        var sql = PageSQL(
            from: """
                \(scope.t("product")) p JOIN \(scope.t("product_shop")) ps ON ps.`id_product` = p.`id_product`
                JOIN \(scope.t("product_lang")) pl ON pl.`id_product` = p.`id_product` AND pl.`id_shop` = ps.`id_shop`
                """,
            id: "p.`id_product`", sort: sort, query: query
        )
        sql.filter("ps.`id_shop` = ?", .int(scope.shopID))
        sql.filter("pl.`id_lang` = ?", .int(scope.langID))
        sql.commonFilters(created: "p.`date_add`", modified: "p.`date_upd`")
        if let category = query.categoryID {
            sql.filter(
                "EXISTS (SELECT 1 FROM \(scope.t("category_product")) cpf WHERE cpf.`id_product` = p.`id_product` AND cpf.`id_category` = ?)",
                .int(Self.numericID(category) ?? -1)
            )
        }
        if let enabled = query.enabled { sql.filter("ps.`active` = ?", .int(enabled ? 1 : 0)) }
        if let sku = query.sku { sql.filter("p.`reference` = ?", .string(sku)) }
        var productFinds = [
            "name": "pl.`name`", "description": "pl.`description`", "short_description": "pl.`description_short`", "ean": "p.`ean13`", "u_ean": "p.`ean13`",
            "upc": "p.`upc`", "u_upc": "p.`upc`", "isbn": "p.`isbn`", "u_isbn": "p.`isbn`",
        ]
        for name in ["model", "u_model", "sku", "u_sku", "reference"] { productFinds[name] = "p.`reference`" }
        if scope.schema.has("product", "mpn") {
            productFinds["mpn"] = "p.`mpn`"
            productFinds["u_mpn"] = "p.`mpn`"
        }
        if let find = try ListSQL.find(query, default: ["name", "reference"], columns: productFinds        ) {
            sql.filter(find.sql, params: find.params)
        }
        return sql
    }

    func listProducts(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let scope = try Scope(query, store: store)
        let sql = try self.productSQL(query, scope: scope)
        let t = scope.t
        var statements = [
            sql.pageStatement(
                columns: """
                    p.`id_product`, p.`reference`, p.`supplier_reference`, p.`ean13`, p.`upc`, \(scope.column("p", "product", "mpn")), p.`isbn`,
                    p.`id_manufacturer`, p.`id_supplier`, p.`weight`, p.`width`, p.`height`, p.`depth`, p.`is_virtual`,
                    p.`cache_is_pack`, \(scope.column("p", "product", "product_type")), p.`date_add`, p.`date_upd`,
                    ps.`price`, ps.`wholesale_price`, ps.`unity`, ps.`unit_price_ratio`, ps.`active`, ps.`visibility`,
                    ps.`available_for_order`, ps.`on_sale`, ps.`online_only`, ps.`show_price`, ps.`condition`,
                    ps.`id_category_default`, ps.`id_tax_rules_group`, ps.`minimal_quantity`, ps.`ecotax`,
                    ps.`cache_default_attribute`, ps.`available_date`,
                    pl.`name`, pl.`description`, pl.`description_short`, pl.`link_rewrite`, pl.`meta_title`,
                    pl.`meta_description`, \(scope.column("pl", "product_lang", "meta_keywords")), pl.`available_now`, pl.`available_later`,
                    m.`name` AS `manufacturer_name`
                    """,
                joins: " LEFT JOIN \(t("manufacturer")) m ON m.`id_manufacturer` = p.`id_manufacturer`"
            )
        ]
        if query.after == nil { statements.append(sql.countStatement) }
        // Each child statement is optional; `slot` remembers where its result is.
        var slot: [String: Int] = [:]
        func add(_ name: String, _ statement: SQLStatement) {
            slot[name] = statements.count
            statements.append(statement)
        }
        if query.wants("quantity", "in_stock", "backorders", "inventory", "additional_fields") {
            let stock = scope.stockOfShop("sa")
            add(
                "stock",
                sql.child(
                    {
                        """
                        SELECT sa.`id_product`, sa.`quantity`, sa.`out_of_stock`, \(scope.column("sa", "stock_available", "reserved_quantity")),
                            \(scope.column("sa", "stock_available", "physical_quantity"))
                        FROM \($0) JOIN \(t("stock_available")) sa ON sa.`id_product` = page.page_id AND sa.`id_product_attribute` = 0
                        WHERE \(stock.sql)
                        """
                    }, stock.params)
            )
        }
        if query.wants("categories_ids") {
            add(
                "categories",
                sql.child(
                    {
                        """
                        SELECT cp.`id_product`, cp.`id_category` FROM \($0)
                        JOIN \(t("category_product")) cp ON cp.`id_product` = page.page_id
                        JOIN \(t("category_shop")) cs ON cs.`id_category` = cp.`id_category` AND cs.`id_shop` = ?
                        ORDER BY cp.`id_product`, cp.`id_category`
                        """
                    }, [.int(scope.shopID)])
            )
        }
        if query.wants("images") {
            add(
                "images",
                sql.child(
                    {
                        """
                        SELECT i.`id_product`, i.`id_image`, i.`position`, ims.`cover`, il.`legend` FROM \($0)
                        JOIN \(t("image")) i ON i.`id_product` = page.page_id
                        JOIN \(t("image_shop")) ims ON ims.`id_image` = i.`id_image` AND ims.`id_shop` = ?
                        LEFT JOIN \(t("image_lang")) il ON il.`id_image` = i.`id_image` AND il.`id_lang` = ?
                        ORDER BY i.`id_product`, i.`position`, i.`id_image`
                        """
                    }, [.int(scope.shopID), .int(scope.langID)])
            )
        }
        if query.wants("special_price") {
            add("special", sql.child({ self.specialPriceSQL(page: $0, scope: scope) }, self.specialPriceParams(scope)))
        }
        if query.wants("stores_ids") {
            add(
                "stores",
                sql.child {
                    "SELECT s.`id_product`, s.`id_shop` FROM \($0) JOIN \(t("product_shop")) s ON s.`id_product` = page.page_id ORDER BY s.`id_product`, s.`id_shop`"
                }
            )
        }
        if query.wants("product_options") {
            add(
                "options",
                sql.child(
                    {
                        """
                        SELECT DISTINCT pa.`id_product`, a.`id_attribute_group`, agl.`public_name`, agl.`name` AS `group_name`,
                            ag.`group_type`, ag.`position` AS `group_position`, a.`id_attribute`, al.`name`, a.`position`
                        FROM \($0) JOIN \(t("product_attribute")) pa ON pa.`id_product` = page.page_id
                        JOIN \(t("product_attribute_shop")) pas ON pas.`id_product_attribute` = pa.`id_product_attribute` AND pas.`id_shop` = ?
                        JOIN \(t("product_attribute_combination")) pac ON pac.`id_product_attribute` = pa.`id_product_attribute`
                        JOIN \(t("attribute")) a ON a.`id_attribute` = pac.`id_attribute`
                        JOIN \(t("attribute_group")) ag ON ag.`id_attribute_group` = a.`id_attribute_group`
                        LEFT JOIN \(t("attribute_lang")) al ON al.`id_attribute` = a.`id_attribute` AND al.`id_lang` = ?
                        LEFT JOIN \(t("attribute_group_lang")) agl ON agl.`id_attribute_group` = a.`id_attribute_group` AND agl.`id_lang` = ?
                        ORDER BY pa.`id_product`, ag.`position`, a.`id_attribute_group`, a.`position`, a.`id_attribute`
                        """
                    }, [.int(scope.shopID), .int(scope.langID), .int(scope.langID)])
            )
        }
        if query.wants("related_products_ids") {
            add(
                "related",
                sql.child {
                    """
                    SELECT acc.`id_product_1` AS `id_product`, acc.`id_product_2` FROM \($0)
                    JOIN \(t("accessory")) acc ON acc.`id_product_1` = page.page_id ORDER BY acc.`id_product_1`, acc.`id_product_2`
                    """
                }
            )
        }
        if query.wants("weight_unit", "dimensions_unit", "backorders", "manage_stock", "is_stock_managed") {
            add("settings", scope.settingsStatement)
        }

        let results = try await store.query(statements)
        let (records, next) = sql.page(results[0])
        func rows(_ name: String) -> [Int64: [[String: JSONValue]]] {
            slot[name].map { ContractShapes.group(results[$0].records, by: "id_product") } ?? [:]
        }
        let stock = rows("stock")
        let categories = rows("categories")
        let images = rows("images")
        let special = rows("special")
        let stores = rows("stores")
        let options = rows("options")
        let related = rows("related")
        let settings = slot["settings"].map { Scope.settings(results[$0]) } ?? [:]

        let items: [JSONValue] = records.map { row in
            let id = row.int("id_product") ?? 0
            let price = row.double("price") ?? 0
            let stockRow = stock[id]?.first
            let quantity = stockRow?.double("quantity")
            var item: [String: JSONValue] = [
                "id": .string(String(id)),
                "type": .string(Self.productType(row)),
                "u_model": row.string("reference"),
                "u_sku": row.string("reference"),
                "name": row.string("name"),
                "description": row.string("description"),
                "short_description": row.string("description_short"),
                "price": .double(price),
                "cost_price": row.number("wholesale_price"),
                "unit_price": (row.double("unit_price_ratio") ?? 0) > 0 ? .double(Self.money(price / (row.double("unit_price_ratio") ?? 1))) : .null,
                "measure_unit": row.nonEmpty("unity"),
                "quantity": quantity.map(JSONValue.double) ?? .double(0),
                "u_brand_id": (row.int("id_manufacturer") ?? 0) > 0 ? row.string("id_manufacturer") : .null,
                "u_brand": row.nonEmpty("manufacturer_name"),
                "categories_ids": .array((categories[id] ?? []).compactMap { $0.text("id_category").map(JSONValue.string) }),
                "stores_ids": .array((stores[id] ?? []).compactMap { $0.text("id_shop").map(JSONValue.string) }),
                "url": .string(scope.productURL(id)),
                "seo_url": row.string("link_rewrite"),
                "meta_title": row.nonEmpty("meta_title"),
                "meta_keywords": row.nonEmpty("meta_keywords"),
                "meta_description": row.nonEmpty("meta_description"),
                "avail_sale": .bool(row.flag("active") && row.flag("available_for_order")),
                "avail_view": .bool(row.flag("active") && row.text("visibility") != "none"),
                "is_virtual": .bool(row.flag("is_virtual")),
                "is_downloadable": .bool(row.flag("is_virtual")),
                "weight": row.number("weight"),
                "weight_unit": settings["PS_WEIGHT_UNIT"].map(JSONValue.string) ?? .null,
                "dimensions_unit": settings["PS_DIMENSION_UNIT"].map(JSONValue.string) ?? .null,
                "width": row.number("width"),
                "height": row.number("height"),
                "length": row.number("depth"),
                "in_stock": .bool((quantity ?? 0) > 0),
                "backorders": stockRow.map { .string(Self.backorders($0.int("out_of_stock") ?? 2, settings)) } ?? .null,
                "manage_stock": settings["PS_STOCK_MANAGEMENT"].map { .string($0 == "1" ? "yes" : "no") } ?? .null,
                "is_stock_managed": settings["PS_STOCK_MANAGEMENT"].map { .bool($0 == "1") } ?? .null,
                "on_sale": .bool(row.flag("on_sale")),
                "create_at": row.date("date_add", scope.timeZone),
                "modified_at": row.date("date_upd", scope.timeZone),
                "tax_class_id": row.string("id_tax_rules_group"),
                "special_price": special[id]?.first.map { Self.specialPrice($0, base: price, zone: scope.timeZone) } ?? .null,
                "images": .array(Self.images(images[id] ?? [], scope: scope)),
                "product_options": .array(Self.productOptions(options[id] ?? [])),
                "related_products_ids": .array((related[id] ?? []).compactMap { $0.text("id_product_2").map(JSONValue.string) }),
                "u_upc": row.nonEmpty("upc"),
                "u_mpn": row.nonEmpty("mpn"),
                "u_isbn": row.nonEmpty("isbn"),
                "u_ean": row.nonEmpty("ean13"),
                "u_gtin": row.nonEmpty("ean13"),
            ]
            item["additional_fields"] = [
                "reference": row.string("reference"),
                "supplier_reference": row.nonEmpty("supplier_reference"),
                "id_supplier": row.string("id_supplier"),
                "id_category_default": row.string("id_category_default"),
                "product_type": row.string("product_type"),
                "active": .bool(row.flag("active")),
                "visibility": row.string("visibility"),
                "available_for_order": .bool(row.flag("available_for_order")),
                "show_price": .bool(row.flag("show_price")),
                "online_only": .bool(row.flag("online_only")),
                "condition": row.string("condition"),
                "ecotax": row.number("ecotax"),
                "minimal_quantity": row.number("minimal_quantity"),
                "default_combination_id": (row.int("cache_default_attribute") ?? 0) > 0 ? row.string("cache_default_attribute") : .null,
                "available_now": row.nonEmpty("available_now"),
                "available_later": row.nonEmpty("available_later"),
                "out_of_stock": stockRow?.number("out_of_stock") ?? .null,
                "reserved_quantity": stockRow?.number("reserved_quantity") ?? .null,
                "physical_quantity": stockRow?.number("physical_quantity") ?? .null,
            ]
            return .object(item)
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }

    /// The product-level specific prices that apply to every customer now: no combination, cart, customer, group,
    /// country or currency, from one unit, in their date range (zero dates are open ends). The shop's own row
    /// first, then the newest, as the first row of each product.
    func specialPriceSQL(page: String, scope: Scope) -> String {
        """
        SELECT sp.`id_product`, sp.`id_specific_price`, sp.`price`, sp.`reduction`, sp.`reduction_type`, sp.`reduction_tax`,
            sp.`from`, sp.`to`, sp.`id_shop`
        FROM \(page) JOIN \(scope.t("specific_price")) sp ON sp.`id_product` = page.page_id
        WHERE sp.`id_product_attribute` = 0 AND sp.`id_cart` = 0 AND sp.`id_customer` = 0 AND sp.`id_group` = 0
          AND sp.`id_country` = 0 AND sp.`id_currency` = 0 AND sp.`from_quantity` <= 1 AND sp.`id_shop` IN (0, ?)
          AND (sp.`from` = '0000-00-00 00:00:00' OR sp.`from` <= ?) AND (sp.`to` = '0000-00-00 00:00:00' OR sp.`to` >= ?)
        ORDER BY sp.`id_product`, sp.`id_shop` DESC, sp.`id_specific_price` DESC
        """
    }

    func specialPriceParams(_ scope: Scope) -> [JSONValue] {
        let now = scope.now
        return [.int(scope.shopID), .string(now), .string(now)]
    }

    /// `SpecialPrice`: a fixed price (or the product's price when `price` is -1) less the reduction. An amount
    /// reduction is taken off as stored, whether or not PrestaShop counts it with tax.
    static func specialPrice(_ row: [String: JSONValue], base: Double, zone: TimeZone) -> JSONValue {
        let fixed = row.double("price") ?? -1
        var value = fixed >= 0 ? fixed : base
        let reduction = row.double("reduction") ?? 0
        if row.text("reduction_type") == "percentage" {
            value *= 1 - reduction
        } else {
            value -= reduction
        }
        return [
            "value": .double(Self.money(max(value, 0))),
            "avail": true,
            "created_at": .null,
            "modified_at": .null,
            "expired_at": row.date("to", zone),
            "additional_fields": [
                "id_specific_price": row.string("id_specific_price"),
                "price": row.number("price"),
                "reduction": row.number("reduction"),
                "reduction_type": row.string("reduction_type"),
                "reduction_tax": .bool(row.flag("reduction_tax")),
                "from": row.date("from", zone),
                "id_shop": row.string("id_shop"),
            ],
        ]
    }

    /// Product images, the shop's cover first as `base`.
    static func images(_ rows: [[String: JSONValue]], scope: Scope) -> [JSONValue] {
        let sorted = rows.filter { $0.flag("cover") } + rows.filter { !$0.flag("cover") }
        return sorted.compactMap { row in
            guard let id = row.int("id_image") else { return nil }
            return ContractShapes.image(
                id: String(id), url: scope.imageURL(id), sortOrder: row.int("position"),
                type: row.flag("cover") ? "base" : "additional", alt: row.text("legend").flatMap { $0.isEmpty ? nil : $0 }
            )
        }
    }

    /// The attribute groups a product's combinations use, each with the values used.
    static func productOptions(_ rows: [[String: JSONValue]]) -> [JSONValue] {
        var order: [Int64] = []
        var groups: [Int64: (head: [String: JSONValue], values: [JSONValue])] = [:]
        for row in rows {
            guard let group = row.int("id_attribute_group") else { continue }
            if groups[group] == nil {
                order.append(group)
                groups[group] = (row, [])
            }
            groups[group]?.values.append([
                "id": row.string("id_attribute"),
                "product_option_item_id": row.string("id_attribute"),
                "name": row.string("name"),
                "sort_order": row.int("position").map(JSONValue.int) ?? .null,
                "price": .null,
                "quantity": .null,
                "sku": .null,
            ])
        }
        return order.compactMap { id in
            guard let group = groups[id] else { return nil }
            return [
                "id": .string(String(id)),
                "product_option_id": .string(String(id)),
                "name": group.head.string("public_name"),
                "description": group.head.string("group_name"),
                "sort_order": group.head.int("group_position").map(JSONValue.int) ?? .null,
                "type": .string(group.head.text("group_type") ?? "select"),
                "required": true,
                "available": true,
                "used_in_combination": true,
                "option_items": .array(group.values),
            ]
        }
    }

    /// `product_type` (1.7.8 and later), or what the cached flags say for rows written before it.
    static func productType(_ row: [String: JSONValue]) -> String {
        switch row.text("product_type") {
        case "combinations": return "configurable"
        case "pack": return "bundle"
        case "virtual": return "virtual"
        case "standard": return "simple"
        default:
            if (row.int("cache_default_attribute") ?? 0) > 0 { return "configurable" }
            if row.flag("cache_is_pack") { return "bundle" }
            return row.flag("is_virtual") ? "virtual" : "simple"
        }
    }

    /// `out_of_stock`: 0 deny orders, 1 allow, 2 the shop's `PS_ORDER_OUT_OF_STOCK`.
    static func backorders(_ outOfStock: Int64, _ settings: [String: String]) -> String {
        switch outOfStock {
        case 0: "no"
        case 1: "yes"
        default: settings["PS_ORDER_OUT_OF_STOCK"] == "1" ? "yes" : "no"
        }
    }

    /// Money as PrestaShop stores it (six decimals), without binary noise such as 19.119999999999997.
    static func money(_ value: Double) -> Double {
        (value * 1_000_000).rounded() / 1_000_000
    }
}
