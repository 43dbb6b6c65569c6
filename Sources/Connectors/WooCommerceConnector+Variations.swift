import CartBridgeCore
import Foundation

/// `product.child_item.*`: variations are `product_variation` posts under their product (`post_parent`), with
/// the chosen attribute values as `attribute_<name>` meta.
extension WooCommerceConnector {
    func variationSQL(_ query: ListQuery, store: StoreAccess) throws(CartBridgeError) -> PageSQL {
        let p = store.prefix
        let sort = try ListSQL.sort(
            query,
            [
                "id": "v.`ID`", "name": "v.`post_title`", "create_at": "v.`post_date`", "created_at": "v.`post_date`",
                "modified_at": "v.`post_modified`", "sort_order": "v.`menu_order`",
            ]
        )
        var sql = PageSQL(
            from: "`\(p)posts` v LEFT JOIN `\(p)wc_product_meta_lookup` l ON l.`product_id` = v.`ID`", id: "v.`ID`", sort: sort, query: query
        )
        sql.filter("v.`post_type` = ?", "product_variation")
        sql.filter("v.`post_status`", in: ["publish", "private"])
        // A variation of a trashed product is no child item any more.
        sql.filter(
            "EXISTS (SELECT 1 FROM `\(p)posts` vp WHERE vp.`ID` = v.`post_parent` AND vp.`post_type` = ? AND vp.`post_status` IN (?, ?, ?, ?))",
            "product", Self.productStatuses[0], Self.productStatuses[1], Self.productStatuses[2], Self.productStatuses[3]
        )
        if let products = query.productIDs { sql.filter("v.`post_parent`", in: Self.numericIDs(products)) }
        sql.commonFilters(created: "v.`post_date`", modified: "v.`post_modified`")
        let skuExpression =
            "COALESCE(l.`sku`, (SELECT s.`meta_value` FROM `\(p)postmeta` s WHERE s.`post_id` = v.`ID` AND s.`meta_key` = '_sku' LIMIT 1), '')"
        if let sku = query.sku { sql.filter("\(skuExpression) = ?", .string(sku)) }
        if let find = try ListSQL.find(query, default: ["name"], columns: ["name": "v.`post_title`", "sku": skuExpression]) {
            sql.filter(find.sql, params: find.params)
        }
        return sql
    }

    func listVariations(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let p = store.prefix
        let sql = try self.variationSQL(query, store: store)
        var statements = [
            sql.pageStatement(
                columns: """
                    v.`ID`, v.`post_parent`, v.`post_title`, v.`post_excerpt`, v.`post_status`, v.`post_name`, v.`post_date`, v.`post_modified`,
                    v.`menu_order`, l.`product_id` AS lookup_id, l.`sku`, l.`min_price`, l.`onsale`, l.`stock_quantity`, l.`stock_status`,
                    l.`virtual`, l.`global_unique_id`
                    """
            )
        ]
        if query.after == nil { statements.append(sql.countStatement) }
        let metaIndex = statements.count
        statements.append(Self.productMetaStatement(sql, prefix: p))
        var combinationIndex: Int?
        if query.wants("combination") {
            combinationIndex = statements.count
            // Taxonomy attributes (`attribute_pa_color` = term slug) name their term and their label; custom ones
            // keep their own text.
            statements.append(
                sql.child { page in
                    """
                    SELECT m.`post_id` AS owner_id, SUBSTRING(m.`meta_key`, 11) AS attribute, m.`meta_value` AS value,
                    (SELECT t.`name` FROM `\(p)terms` t JOIN `\(p)term_taxonomy` tt ON tt.`term_id` = t.`term_id`
                     WHERE tt.`taxonomy` = SUBSTRING(m.`meta_key`, 11) AND t.`slug` = m.`meta_value` LIMIT 1) AS value_name,
                    (SELECT a.`attribute_label` FROM `\(p)woocommerce_attribute_taxonomies` a
                     WHERE CONCAT('pa_', a.`attribute_name`) = SUBSTRING(m.`meta_key`, 11) LIMIT 1) AS attribute_label
                    FROM `\(p)postmeta` m JOIN \(page) ON page.page_id = m.`post_id`
                    WHERE m.`meta_key` LIKE 'attribute\\_%' AND m.`meta_value` <> '' ORDER BY m.`post_id`, m.`meta_id`
                    """
                }
            )
        }
        var imagesIndex: Int?
        if query.wants("images") {
            imagesIndex = statements.count
            statements.append(Self.imageStatement(sql, prefix: p))
        }
        let results = try await store.query(statements)
        let (records, next) = sql.page(results[0])
        let meta = Self.metaByOwner(results[metaIndex].records, owner: "owner_id")
        let combinations = combinationIndex.map { ContractShapes.group(results[$0].records, by: "owner_id") } ?? [:]
        let images = imagesIndex.map { Self.images(results[$0].records, store: store) } ?? [:]
        let items = records.map { record -> JSONValue in
            let id = record.int("ID") ?? 0
            return self.variation(record, meta: meta[id] ?? [:], combination: combinations[id] ?? [], images: images[id] ?? [], store: store)
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }

    /// One variation in the contract's `Child` shape.
    func variation(_ r: [String: JSONValue], meta: [String: [String]], combination: [[String: JSONValue]], images: [JSONValue], store: StoreAccess) -> JSONValue {
        let zone = store.timeZone
        func m(_ key: String) -> String? { meta[key]?.first }
        let hasLookup = r["lookup_id"] != nil && r["lookup_id"] != .null
        let sku = hasLookup ? (r.text("sku") ?? "") : (m("_sku") ?? "")
        let stockStatus = (hasLookup ? r.text("stock_status") : nil) ?? m("_stock_status") ?? "instock"
        let quantity = (hasLookup ? r.double("stock_quantity") : nil) ?? Self.number(m("_stock"))
        let regular = Self.number(m("_regular_price"))
        let active = Self.number(m("_price")) ?? r.double("min_price")
        let status = r.text("post_status") ?? "publish"
        let home = Self.setting(store, Setting.homeURL) ?? store.config.storeURL ?? ""
        let id = r.int("ID") ?? 0
        var item: [String: JSONValue] = [
            "id": .string(String(id)),
            "parent_id": .string(String(r.int("post_parent") ?? 0)),
            "sku": .string(sku),
            "gtin": hasLookup ? r.nonEmpty("global_unique_id") : Self.json(m("_global_unique_id").flatMap { $0.isEmpty ? nil : $0 }),
            "url": .string("\(home)/?post_type=product&p=\(r.int("post_parent") ?? 0)"),
            "seo_url": r.string("post_name"),
            "sort_order": .int(r.int("menu_order") ?? 0),
            "created_time": r.date("post_date", zone),
            "modified_time": r.date("post_modified", zone),
            "name": r.string("post_title"),
            "short_description": r.string("post_excerpt"),
            "full_description": .string(m("_variation_description") ?? ""),
            "images": .array(images),
            "combination": .array(
                combination.map { c in
                    [
                        "option_id": c.string("attribute"),
                        "option_value_id": c.string("value"),
                        "additional_fields": [
                            "option_name": .string(c.text("attribute_label") ?? c.text("attribute") ?? ""),
                            "option_value_name": .string(c.text("value_name") ?? c.text("value") ?? ""),
                        ],
                    ]
                }
            ),
            "default_price": Self.json(regular ?? active),
            "list_price": Self.json(regular ?? active),
            "tax_class_id": .string(m("_tax_class") ?? ""),
            "avail_for_sale": .bool(status == "publish" && stockStatus != "outofstock"),
            "allow_backorders": .bool((m("_backorders") ?? "no") != "no"),
            "in_stock": .bool(stockStatus != "outofstock"),
            "on_sale": .bool(hasLookup ? r.flag("onsale") : Self.saleActive(meta)),
            "manage_stock": .bool(m("_manage_stock") == "yes"),
            "inventory_level": .double(quantity ?? 0),
            "inventory": [["warehouse_id": "0", "quantity": .double(quantity ?? 0), "in_stock": .bool(stockStatus != "outofstock")]],
            "low_stock_threshold": Self.json(Self.number(m("_low_stock_amount"))),
            "weight_unit": Self.json(Self.setting(store, Setting.weightUnit)),
            "weight": Self.json(Self.number(m("_weight"))),
            "dimensions_unit": Self.json(Self.setting(store, Setting.dimensionUnit)),
            "width": Self.json(Self.number(m("_width"))),
            "height": Self.json(Self.number(m("_height"))),
            "length": Self.json(Self.number(m("_length"))),
            "is_virtual": .bool(hasLookup ? r.flag("virtual") : m("_virtual") == "yes"),
        ]
        item["additional_fields"] = [
            "post_status": .string(status),
            "stock_status": .string(stockStatus),
            "active_price": Self.json(active),
            "sale_price": Self.json(Self.number(m("_sale_price"))),
            "special_price": Self.specialPrice(meta, zone: zone),
        ]
        return .object(item)
    }
}
