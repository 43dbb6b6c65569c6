import CartBridgeCore
import Foundation

extension PrestaShopConnector {
    /// Combinations (`product.child_item`): `product_attribute` + `product_attribute_shop` of one shop, with their
    /// product's shop row and texts. A combination has no dates of its own: the date filters use its product's.
    func combinationSQL(_ query: ListQuery, scope: Scope) throws(CartBridgeError) -> PageSQL {
        guard query.sortBy == "id" else { throw CartBridgeError.badParameter("sort_by", "child items sort by id only") }
        var sql = PageSQL(
            from: """
                \(scope.t("product_attribute")) pa
                JOIN \(scope.t("product_attribute_shop")) pas ON pas.`id_product_attribute` = pa.`id_product_attribute`
                JOIN \(scope.t("product")) p ON p.`id_product` = pa.`id_product`
                JOIN \(scope.t("product_shop")) ps ON ps.`id_product` = pa.`id_product` AND ps.`id_shop` = pas.`id_shop`
                JOIN \(scope.t("product_lang")) pl ON pl.`id_product` = pa.`id_product` AND pl.`id_shop` = pas.`id_shop`
                """,
            id: "pa.`id_product_attribute`", query: query
        )
        sql.filter("pas.`id_shop` = ?", .int(scope.shopID))
        sql.filter("pl.`id_lang` = ?", .int(scope.langID))
        sql.commonFilters(created: "p.`date_add`", modified: "p.`date_upd`")
        if let products = ListQuery.numeric(query.productIDs) { sql.filter("pa.`id_product`", in: products.map(JSONValue.int)) }
        if let sku = query.sku { sql.filter("pa.`reference` = ?", .string(sku)) }
        var combinationFinds = ["name": "pl.`name`", "ean": "pa.`ean13`", "upc": "pa.`upc`", "isbn": "pa.`isbn`"]
        for name in ["sku", "u_sku", "model", "reference"] { combinationFinds[name] = "pa.`reference`" }
        if scope.schema.has("product_attribute", "mpn") { combinationFinds["mpn"] = "pa.`mpn`" }
        if let find = try ListSQL.find(query, default: ["sku", "name"], columns: combinationFinds        ) {
            sql.filter(find.sql, params: find.params)
        }
        return sql
    }

    func listCombinations(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let scope = try Scope(query, store: store)
        let sql = try self.combinationSQL(query, scope: scope)
        let t = scope.t
        var statements = [
            sql.pageStatement(
                columns: """
                    pa.`id_product_attribute`, pa.`id_product`, pa.`reference`, pa.`supplier_reference`, pa.`ean13`, pa.`upc`,
                    \(scope.column("pa", "product_attribute", "mpn")), pa.`isbn`, pas.`price` AS `price_impact`, pas.`wholesale_price`,
                    pas.`weight` AS `weight_impact`, pas.`ecotax`, pas.`default_on`, pas.`minimal_quantity`,
                    \(scope.column("pas", "product_attribute_shop", "low_stock_threshold")), pas.`available_date`,
                    p.`weight`, p.`width`, p.`height`, p.`depth`, p.`is_virtual`, p.`date_add`, p.`date_upd`,
                    ps.`price`, ps.`wholesale_price` AS `product_wholesale_price`, ps.`active`, ps.`available_for_order`,
                    ps.`on_sale`, ps.`id_tax_rules_group`,
                    pl.`name`, pl.`description`, pl.`description_short`, pl.`link_rewrite`, pl.`meta_title`, pl.`meta_description`,
                    \(scope.column("pl", "product_lang", "meta_keywords"))
                    """
            )
        ]
        if query.after == nil { statements.append(sql.countStatement) }
        var slot: [String: Int] = [:]
        func add(_ name: String, _ statement: SQLStatement) {
            slot[name] = statements.count
            statements.append(statement)
        }
        if query.wants("inventory_level", "in_stock", "allow_backorders", "inventory", "additional_fields") {
            let stock = scope.stockOfShop("sa")
            add(
                "stock",
                sql.child(
                    {
                        """
                        SELECT sa.`id_product_attribute`, sa.`quantity`, sa.`out_of_stock` FROM \($0)
                        JOIN \(t("stock_available")) sa ON sa.`id_product_attribute` = page.page_id
                        WHERE \(stock.sql)
                        """
                    }, stock.params)
            )
        }
        // The attributes also make the name ("T-shirt - Size : S, Color : White"), so they are always read.
        add(
            "attributes",
            sql.child(
                {
                    """
                    SELECT pac.`id_product_attribute`, a.`id_attribute`, a.`id_attribute_group`, al.`name` AS `value_name`,
                        agl.`public_name`, agl.`name` AS `group_name`
                    FROM \($0) JOIN \(t("product_attribute_combination")) pac ON pac.`id_product_attribute` = page.page_id
                    JOIN \(t("attribute")) a ON a.`id_attribute` = pac.`id_attribute`
                    JOIN \(t("attribute_group")) ag ON ag.`id_attribute_group` = a.`id_attribute_group`
                    LEFT JOIN \(t("attribute_lang")) al ON al.`id_attribute` = a.`id_attribute` AND al.`id_lang` = ?
                    LEFT JOIN \(t("attribute_group_lang")) agl ON agl.`id_attribute_group` = a.`id_attribute_group` AND agl.`id_lang` = ?
                    ORDER BY pac.`id_product_attribute`, ag.`position`, a.`id_attribute_group`
                    """
                }, [.int(scope.langID), .int(scope.langID)])
        )
        if query.wants("images") {
            add(
                "images",
                sql.child(
                    {
                        """
                        SELECT pai.`id_product_attribute`, i.`id_image`, i.`position`, ims.`cover`, il.`legend` FROM \($0)
                        JOIN \(t("product_attribute_image")) pai ON pai.`id_product_attribute` = page.page_id
                        JOIN \(t("image")) i ON i.`id_image` = pai.`id_image`
                        JOIN \(t("image_shop")) ims ON ims.`id_image` = i.`id_image` AND ims.`id_shop` = ?
                        LEFT JOIN \(t("image_lang")) il ON il.`id_image` = i.`id_image` AND il.`id_lang` = ?
                        ORDER BY pai.`id_product_attribute`, i.`position`, i.`id_image`
                        """
                    }, [.int(scope.shopID), .int(scope.langID)])
            )
        }
        if query.wants("weight_unit", "dimensions_unit", "allow_backorders", "manage_stock") {
            add("settings", scope.settingsStatement)
        }

        let results = try await store.query(statements)
        let (records, next) = sql.page(results[0])
        func rows(_ name: String) -> [Int64: [[String: JSONValue]]] {
            slot[name].map { ContractShapes.group(results[$0].records, by: "id_product_attribute") } ?? [:]
        }
        let stock = rows("stock")
        let attributes = rows("attributes")
        let images = rows("images")
        let settings = slot["settings"].map { Scope.settings(results[$0]) } ?? [:]

        let items: [JSONValue] = records.map { row in
            let id = row.int("id_product_attribute") ?? 0
            let productID = row.int("id_product") ?? 0
            let price = Self.money((row.double("price") ?? 0) + (row.double("price_impact") ?? 0))
            let stockRow = stock[id]?.first
            let quantity = stockRow?.double("quantity") ?? 0
            let own = attributes[id] ?? []
            let label = own.map { "\($0.text("public_name") ?? $0.text("group_name") ?? "") : \($0.text("value_name") ?? "")" }
            let productName = row.text("name") ?? ""
            // A combination's own wholesale price of 0 means "the product's".
            let wholesale = (row.double("wholesale_price") ?? 0) > 0 ? row.number("wholesale_price") : row.number("product_wholesale_price")
            var item: [String: JSONValue] = [
                "id": .string(String(id)),
                "parent_id": .string(String(productID)),
                "sku": row.nonEmpty("reference"),
                "upc": row.nonEmpty("upc"),
                "ean": row.nonEmpty("ean13"),
                "mpn": row.nonEmpty("mpn"),
                "gtin": row.nonEmpty("ean13"),
                "isbn": row.nonEmpty("isbn"),
                "url": .string(scope.productURL(productID, combination: id)),
                "seo_url": row.string("link_rewrite"),
                "sort_order": .null,
                "created_time": row.date("date_add", scope.timeZone),
                "modified_time": row.date("date_upd", scope.timeZone),
                "name": .string(label.isEmpty ? productName : productName + " - " + label.joined(separator: ", ")),
                "short_description": row.string("description_short"),
                "full_description": row.string("description"),
                "images": .array(Self.images(images[id] ?? [], scope: scope)),
                "combination": .array(
                    own.map { attribute in
                        [
                            "option_id": attribute.string("id_attribute_group"),
                            "option_value_id": attribute.string("id_attribute"),
                            "additional_fields": [
                                "option_name": attribute.string("public_name"),
                                "option_value_name": attribute.string("value_name"),
                            ],
                        ]
                    }),
                "default_price": .double(price),
                "list_price": .double(price),
                "cost_price": wholesale,
                "wholesale_price": wholesale,
                "unit_price": .null,
                "tax_class_id": row.string("id_tax_rules_group"),
                "avail_for_sale": .bool(row.flag("active") && row.flag("available_for_order")),
                "allow_backorders": stockRow.map { .bool(Self.backorders($0.int("out_of_stock") ?? 2, settings) == "yes") } ?? .null,
                "in_stock": .bool(quantity > 0),
                "on_sale": .bool(row.flag("on_sale")),
                "manage_stock": settings["PS_STOCK_MANAGEMENT"].map { .bool($0 == "1") } ?? .null,
                "inventory_level": .double(quantity),
                "min_quantity": row.number("minimal_quantity"),
                "low_stock_threshold": row.number("low_stock_threshold"),
                "weight_unit": settings["PS_WEIGHT_UNIT"].map(JSONValue.string) ?? .null,
                "weight": .double(Self.money((row.double("weight") ?? 0) + (row.double("weight_impact") ?? 0))),
                "dimensions_unit": settings["PS_DIMENSION_UNIT"].map(JSONValue.string) ?? .null,
                "width": row.number("width"),
                "height": row.number("height"),
                "length": row.number("depth"),
                "meta_title": row.nonEmpty("meta_title"),
                "meta_description": row.nonEmpty("meta_description"),
                "meta_keywords": row.nonEmpty("meta_keywords"),
                "is_virtual": .bool(row.flag("is_virtual")),
            ]
            item["additional_fields"] = [
                "price_impact": row.number("price_impact"),
                "weight_impact": row.number("weight_impact"),
                "ecotax": row.number("ecotax"),
                "default_on": .bool(row.flag("default_on")),
                "supplier_reference": row.nonEmpty("supplier_reference"),
                "available_date": row.date("available_date", scope.timeZone),
                "out_of_stock": stockRow?.number("out_of_stock") ?? .null,
            ]
            return .object(item)
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }
}
