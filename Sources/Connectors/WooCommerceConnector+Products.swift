import CartBridgeCore
import Foundation

/// Products: `product` posts, their meta, the `wc_product_meta_lookup` row (one per product), the `product_type`
/// and `product_cat` terms, and attachments for images.
extension WooCommerceConnector {
    /// The meta a product or variation is read with.
    static let productMetaKeys = [
        "_sku", "_price", "_regular_price", "_sale_price", "_sale_price_dates_from", "_sale_price_dates_to", "_stock", "_stock_status",
        "_manage_stock", "_backorders", "_weight", "_length", "_width", "_height", "_virtual", "_downloadable", "_tax_class", "_tax_status",
        "_low_stock_amount", "_global_unique_id", "total_sales", "_variation_description", "_upsell_ids", "_crosssell_ids",
    ]

    /// The filtered set of products. `lookup` is joined one-to-one (its key is the product id).
    func productSQL(_ query: ListQuery, store: StoreAccess) throws(CartBridgeError) -> PageSQL {
        let p = store.prefix
        let sort = try ListSQL.sort(
            query,
            [
                "id": "p.`ID`", "name": "p.`post_title`", "create_at": "p.`post_date`", "created_at": "p.`post_date`",
                "modified_at": "p.`post_modified`", "price": "COALESCE(l.`min_price`, 0)", "sort_order": "p.`menu_order`",
            ]
        )
        var sql = PageSQL(
            from: "`\(p)posts` p LEFT JOIN `\(p)wc_product_meta_lookup` l ON l.`product_id` = p.`ID`", id: "p.`ID`", sort: sort, query: query
        )
        sql.filter("p.`post_type` = ?", "product")
        sql.filter("p.`post_status`", in: Self.productStatuses)
        sql.commonFilters(created: "p.`post_date`", modified: "p.`post_modified`")
        let skuExpression =
            "COALESCE(l.`sku`, (SELECT s.`meta_value` FROM `\(p)postmeta` s WHERE s.`post_id` = p.`ID` AND s.`meta_key` = '_sku' LIMIT 1), '')"
        if let sku = query.sku { sql.filter("\(skuExpression) = ?", .string(sku)) }
        if let category = query.categoryID {
            guard let id = Int64(category) else { throw CartBridgeError.badParameter("category_id", "expected a category id") }
            sql.filter(
                """
                EXISTS (SELECT 1 FROM `\(p)term_relationships` ctr JOIN `\(p)term_taxonomy` ctt ON ctt.`term_taxonomy_id` = ctr.`term_taxonomy_id`
                WHERE ctr.`object_id` = p.`ID` AND ctt.`taxonomy` = 'product_cat' AND ctt.`term_id` = ?)
                """,
                .int(id)
            )
        }
        if let enabled = query.enabled {
            sql.filter(enabled ? "p.`post_status` = ?" : "p.`post_status` <> ?", "publish")
        }
        if let find = try ListSQL.find(
            query, default: ["name"],
            columns: [
                "name": "p.`post_title`", "description": "p.`post_content`", "short_description": "p.`post_excerpt`",
                "sku": skuExpression, "model": skuExpression,
            ]
        ) {
            sql.filter(find.sql, params: find.params)
        }
        return sql
    }

    func listProducts(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let p = store.prefix
        let sql = try self.productSQL(query, store: store)
        var statements = [
            sql.pageStatement(
                columns: """
                    p.`ID`, p.`post_title`, p.`post_content`, p.`post_excerpt`, p.`post_status`, p.`post_name`, p.`post_date`, p.`post_modified`,
                    p.`menu_order`, l.`product_id` AS lookup_id, l.`sku`, l.`min_price`, l.`max_price`, l.`onsale`, l.`stock_quantity`,
                    l.`stock_status`, l.`virtual`, l.`downloadable`, l.`total_sales`, l.`global_unique_id`,
                    (SELECT t.`slug` FROM `\(p)term_relationships` tr JOIN `\(p)term_taxonomy` tt ON tt.`term_taxonomy_id` = tr.`term_taxonomy_id`
                     JOIN `\(p)terms` t ON t.`term_id` = tt.`term_id`
                     WHERE tr.`object_id` = p.`ID` AND tt.`taxonomy` = 'product_type' LIMIT 1) AS product_type
                    """
            )
        ]
        if query.after == nil { statements.append(sql.countStatement) }
        let metaIndex = statements.count
        statements.append(Self.productMetaStatement(sql, prefix: p))
        var categoriesIndex: Int?
        if query.wants("categories_ids") {
            categoriesIndex = statements.count
            statements.append(
                sql.child { page in
                    """
                    SELECT tr.`object_id` AS owner_id, tt.`term_id` FROM `\(p)term_relationships` tr JOIN \(page) ON page.page_id = tr.`object_id`
                    JOIN `\(p)term_taxonomy` tt ON tt.`term_taxonomy_id` = tr.`term_taxonomy_id` WHERE tt.`taxonomy` = 'product_cat'
                    ORDER BY tr.`object_id`, tr.`term_order`, tt.`term_id`
                    """
                }
            )
        }
        var imagesIndex: Int?
        if query.wants("images") {
            imagesIndex = statements.count
            statements.append(Self.imageStatement(sql, prefix: p))
        }
        var variationsIndex: Int?
        if query.wants("quantity", "inventory") {
            // A variable product's stock is its variations' stock.
            variationsIndex = statements.count
            statements.append(
                sql.child { page in
                    """
                    SELECT v.`post_parent` AS owner_id, COUNT(*) AS variations, SUM(COALESCE(vl.`stock_quantity`, 0)) AS stock
                    FROM `\(p)posts` v JOIN \(page) ON page.page_id = v.`post_parent`
                    LEFT JOIN `\(p)wc_product_meta_lookup` vl ON vl.`product_id` = v.`ID`
                    WHERE v.`post_type` = 'product_variation' AND v.`post_status` IN ('publish', 'private') GROUP BY v.`post_parent`
                    """
                }
            )
        }
        let results = try await store.query(statements)
        let (records, next) = sql.page(results[0])
        let meta = Self.metaByOwner(results[metaIndex].records, owner: "owner_id")
        let categories = categoriesIndex.map { ContractShapes.group(results[$0].records, by: "owner_id") } ?? [:]
        let images = imagesIndex.map { Self.images(results[$0].records, store: store) } ?? [:]
        let variations = variationsIndex.map { ContractShapes.group(results[$0].records, by: "owner_id") } ?? [:]
        let items = records.map { record -> JSONValue in
            let id = record.int("ID") ?? 0
            return self.product(
                record, meta: meta[id] ?? [:], categories: categories[id] ?? [], images: images[id] ?? [],
                variationStock: variations[id]?.first, store: store
            )
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }

    /// One product in the contract's `Product` shape.
    func product(
        _ r: [String: JSONValue], meta: [String: [String]], categories: [[String: JSONValue]], images: [JSONValue],
        variationStock: [String: JSONValue]?, store: StoreAccess
    ) -> JSONValue {
        let zone = store.timeZone
        let id = r.int("ID") ?? 0
        func m(_ key: String) -> String? { meta[key]?.first }
        let hasLookup = r["lookup_id"] != nil && r["lookup_id"] != .null
        let sku = hasLookup ? (r.text("sku") ?? "") : (m("_sku") ?? "")
        let type = r.text("product_type") ?? "simple"
        // The list price is the regular price; a variable product has none of its own, so its lowest price stands in.
        let activePrices = (meta["_price"] ?? []).compactMap { Self.number($0) }
        let price = Self.number(m("_regular_price")) ?? r.double("min_price") ?? activePrices.min()
        let stockStatus = (hasLookup ? r.text("stock_status") : nil) ?? m("_stock_status") ?? "instock"
        let manageStock = m("_manage_stock") == "yes"
        var quantity = (hasLookup ? r.double("stock_quantity") : nil) ?? Self.number(m("_stock"))
        if !manageStock, type == "variable", let stock = variationStock?.double("stock") { quantity = stock }
        let status = r.text("post_status") ?? "publish"
        let home = Self.setting(store, Setting.homeURL) ?? store.config.storeURL ?? ""
        var item: [String: JSONValue] = [
            "id": .string(String(id)),
            "type": .string(type),
            "u_model": .string(sku),
            "u_sku": .string(sku),
            "name": r.string("post_title"),
            "description": r.string("post_content"),
            "short_description": r.string("post_excerpt"),
            "price": Self.json(price),
            "special_price": Self.specialPrice(meta, zone: zone),
            "quantity": .double(quantity ?? 0),
            "inventory": [["warehouse_id": "0", "quantity": .double(quantity ?? 0), "in_stock": .bool(stockStatus != "outofstock")]],
            "categories_ids": .array(categories.compactMap { $0.int("term_id") }.map { .string(String($0)) }),
            "stores_ids": ["0"],
            "url": .string("\(home)/?post_type=product&p=\(id)"),
            "seo_url": r.string("post_name"),
            "meta_title": .null,
            "meta_keywords": .null,
            "meta_description": .null,
            "avail_sale": .bool(status == "publish" && stockStatus != "outofstock"),
            "avail_view": .bool(status == "publish"),
            "is_virtual": .bool(hasLookup ? r.flag("virtual") : m("_virtual") == "yes"),
            "is_downloadable": .bool(hasLookup ? r.flag("downloadable") : m("_downloadable") == "yes"),
            "weight": Self.json(Self.number(m("_weight"))),
            "weight_unit": Self.json(Self.setting(store, Setting.weightUnit)),
            "dimensions_unit": Self.json(Self.setting(store, Setting.dimensionUnit)),
            "width": Self.json(Self.number(m("_width"))),
            "height": Self.json(Self.number(m("_height"))),
            "length": Self.json(Self.number(m("_length"))),
            "sort_order": .int(r.int("menu_order") ?? 0),
            "in_stock": .bool(stockStatus != "outofstock"),
            "backorders": .string(m("_backorders") ?? "no"),
            "manage_stock": .string(manageStock ? "yes" : "no"),
            "is_stock_managed": .bool(manageStock),
            "on_sale": .bool(hasLookup ? r.flag("onsale") : Self.saleActive(meta)),
            "create_at": r.date("post_date", zone),
            "modified_at": r.date("post_modified", zone),
            "tax_class_id": .string(m("_tax_class") ?? ""),
            "images": .array(images),
            "u_gtin": hasLookup ? r.nonEmpty("global_unique_id") : Self.json(m("_global_unique_id").flatMap { $0.isEmpty ? nil : $0 }),
            "up_sell_products_ids": .array(Self.serializedIDs(m("_upsell_ids")).map(JSONValue.string)),
            "cross_sell_products_ids": .array(Self.serializedIDs(m("_crosssell_ids")).map(JSONValue.string)),
            "related_products_ids": [],
        ]
        item["additional_fields"] = [
            "post_status": .string(status),
            "stock_status": .string(stockStatus),
            "tax_status": .string(m("_tax_status") ?? "taxable"),
            "total_sales": .double((hasLookup ? r.double("total_sales") : nil) ?? Self.number(m("total_sales")) ?? 0),
            "min_price": Self.json(r.double("min_price") ?? activePrices.min()),
            "max_price": Self.json(r.double("max_price") ?? activePrices.max()),
            "active_price": Self.json(activePrices.min()),
        ]
        return .object(item)
    }

    /// `SpecialPrice` from `_sale_price` and its optional window; null when the product has no sale price.
    static func specialPrice(_ meta: [String: [String]], zone: TimeZone) -> JSONValue {
        guard let sale = Self.number(meta["_sale_price"]?.first) else { return .null }
        return [
            "value": .double(sale),
            "avail": .bool(Self.saleActive(meta)),
            "created_at": Self.timestampDate(meta["_sale_price_dates_from"]?.first, zone: zone),
            "modified_at": .null,
            "expired_at": Self.timestampDate(meta["_sale_price_dates_to"]?.first, zone: zone),
        ]
    }

    /// Whether `_sale_price` applies now: set, and inside its window when it has one (as `is_on_sale()` decides).
    static func saleActive(_ meta: [String: [String]], now: Date = Date()) -> Bool {
        guard Self.number(meta["_sale_price"]?.first) != nil else { return false }
        let time = now.timeIntervalSince1970
        if let from = Self.number(meta["_sale_price_dates_from"]?.first), from > 0, from > time { return false }
        if let to = Self.number(meta["_sale_price_dates_to"]?.first), to > 0, to < time { return false }
        return true
    }

    /// Ids from a PHP-serialized integer array (`a:2:{i:0;i:13;i:1;i:14;}`), in order.
    static func serializedIDs(_ text: String?) -> [String] {
        guard let text, text.hasPrefix("a:") else { return [] }
        var ids: [String] = []
        var index = 0
        for part in text.split(whereSeparator: { $0 == ";" || $0 == "{" || $0 == "}" }) {
            guard part.hasPrefix("i:") else { continue }
            // Keys and values alternate: i:<key>;i:<value>;
            if index % 2 == 1 { ids.append(String(part.dropFirst(2))) }
            index += 1
        }
        return ids
    }
}
