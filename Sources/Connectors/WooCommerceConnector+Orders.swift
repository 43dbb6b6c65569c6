import CartBridgeCore
import Foundation

/// Orders live in one of two storages, and the option `woocommerce_custom_orders_table_enabled` says which one
/// is authoritative: the HPOS tables (`wc_orders`, `wc_order_addresses`, `wc_order_operational_data`) when it
/// is 'yes', else `shop_order` posts with their `_billing_*`, `_order_total`, ... post meta. A list reads
/// both in one batch, each statement guarded by the option, so the batch's snapshot decides and only the
/// authoritative storage answers. Lines (`woocommerce_order_items` + meta) and notes (`order_note` comments)
/// are shared by both.
extension WooCommerceConnector {
    enum OrderStorage: CaseIterable {
        case hpos
        case posts
    }

    /// The guard that lets a statement of `storage` see rows only when that storage is authoritative.
    static func storageGuard(_ storage: OrderStorage, prefix p: String) -> String {
        let option =
            "COALESCE((SELECT hp.`option_value` FROM `\(p)options` hp WHERE hp.`option_name` = 'woocommerce_custom_orders_table_enabled' LIMIT 1), 'no')"
        return storage == .hpos ? "\(option) = 'yes'" : "\(option) <> 'yes'"
    }

    /// Order post meta read for the posts storage.
    static let orderMetaKeys: [String] =
        [
            "_order_currency", "_order_total", "_order_tax", "_order_shipping", "_order_shipping_tax", "_cart_discount", "_cart_discount_tax",
            "_customer_user", "_payment_method", "_payment_method_title", "_transaction_id", "_date_paid", "_date_completed", "_order_key",
            "_customer_ip_address", "_prices_include_tax", "_created_via",
        ] + Self.addressFields.map { "_billing_" + $0 } + Self.addressFields.map { "_shipping_" + $0 }

    /// Statuses that are no orders (yet, or any more).
    static let hiddenOrderStatuses: [JSONValue] = ["trash", "auto-draft", "draft"]

    /// The filtered set of one storage's orders, or nil when that storage's tables do not exist.
    func orderSQL(_ storage: OrderStorage, _ query: ListQuery, store: StoreAccess) throws(CartBridgeError) -> PageSQL? {
        let p = store.prefix
        let zone = store.timeZone
        var sql: PageSQL
        switch storage {
        case .hpos:
            guard Self.hasOrderTables(store) else { return nil }
            let created = "COALESCE(o.`date_created_gmt`, '1970-01-01 00:00:00')"
            let modified = "COALESCE(o.`date_updated_gmt`, '1970-01-01 00:00:00')"
            let sort = try ListSQL.sort(
                query,
                [
                    "order_id": "o.`id`", "id": "o.`id`", "create_at": created, "created_at": created, "date_add": created,
                    "modified_at": modified, "update_at": modified, "total": "COALESCE(o.`total_amount`, 0)",
                ]
            )
            sql = PageSQL(from: "`\(p)wc_orders` o", id: "o.`id`", sort: sort, query: query)
            sql.filter(Self.storageGuard(.hpos, prefix: p))
            sql.filter("o.`type` = ?", "shop_order")
            sql.filter("o.`status` NOT IN (?, ?, ?)", Self.hiddenOrderStatuses[0], Self.hiddenOrderStatuses[1], Self.hiddenOrderStatuses[2])
            sql.commonFilters(created: nil, modified: nil)
            // HPOS keeps UTC only; the filters come in store time.
            if let from = query.createdFrom { sql.filter("o.`date_created_gmt` >= ?", .string(Self.utcText(from, zone: zone))) }
            if let to = query.createdTo { sql.filter("o.`date_created_gmt` <= ?", .string(Self.utcText(to, zone: zone))) }
            if let from = query.modifiedFrom { sql.filter("o.`date_updated_gmt` >= ?", .string(Self.utcText(from, zone: zone))) }
            if let to = query.modifiedTo { sql.filter("o.`date_updated_gmt` <= ?", .string(Self.utcText(to, zone: zone))) }
            if let customer = query.customerID {
                guard let id = Int64(customer) else { throw CartBridgeError.badParameter("customer_id", "expected a customer id") }
                sql.filter("o.`customer_id` = ?", .int(id))
            }
            if let email = query.customerEmail { sql.filter("o.`billing_email` = ?", .string(email)) }
            if let statuses = query.statuses { sql.filter("o.`status`", in: Self.statusValues(statuses)) }
            if let find = try ListSQL.find(query, default: ["email"], columns: ["email": "o.`billing_email`", "id": "CAST(o.`id` AS CHAR)"]) {
                sql.filter(find.sql, params: find.params)
            }
        case .posts:
            func meta(_ key: String) -> String {
                "(SELECT sm.`meta_value` FROM `\(p)postmeta` sm WHERE sm.`post_id` = o.`ID` AND sm.`meta_key` = '\(key)' LIMIT 1)"
            }
            let sort = try ListSQL.sort(
                query,
                [
                    "order_id": "o.`ID`", "id": "o.`ID`", "create_at": "o.`post_date`", "created_at": "o.`post_date`", "date_add": "o.`post_date`",
                    "modified_at": "o.`post_modified`", "update_at": "o.`post_modified`",
                    "total": "COALESCE(CAST(\(meta("_order_total")) AS DECIMAL(26,8)), 0)",
                ]
            )
            sql = PageSQL(from: "`\(p)posts` o", id: "o.`ID`", sort: sort, query: query)
            if Self.hasOrderTables(store) { sql.filter(Self.storageGuard(.posts, prefix: p)) }
            sql.filter("o.`post_type` = ?", "shop_order")
            sql.filter("o.`post_status` NOT IN (?, ?, ?)", Self.hiddenOrderStatuses[0], Self.hiddenOrderStatuses[1], Self.hiddenOrderStatuses[2])
            sql.commonFilters(created: "o.`post_date`", modified: "o.`post_modified`")
            if let customer = query.customerID {
                guard let id = Int64(customer) else { throw CartBridgeError.badParameter("customer_id", "expected a customer id") }
                sql.filter("EXISTS (SELECT 1 FROM `\(p)postmeta` cm WHERE cm.`post_id` = o.`ID` AND cm.`meta_key` = '_customer_user' AND cm.`meta_value` = ?)", .string(String(id)))
            }
            if let email = query.customerEmail {
                sql.filter("EXISTS (SELECT 1 FROM `\(p)postmeta` em WHERE em.`post_id` = o.`ID` AND em.`meta_key` = '_billing_email' AND em.`meta_value` = ?)", .string(email))
            }
            if let statuses = query.statuses { sql.filter("o.`post_status`", in: Self.statusValues(statuses)) }
            if let find = try ListSQL.find(query, default: ["email"], columns: ["email": meta("_billing_email"), "id": "CAST(o.`ID` AS CHAR)"]) {
                sql.filter(find.sql, params: find.params)
            }
        }
        return sql
    }

    /// The storages whose tables exist, with their filtered sets.
    func orderSQLs(_ query: ListQuery, store: StoreAccess) throws(CartBridgeError) -> [(storage: OrderStorage, sql: PageSQL)] {
        var out: [(storage: OrderStorage, sql: PageSQL)] = []
        for storage in OrderStorage.allCases {
            if let sql = try self.orderSQL(storage, query, store: store) { out.append((storage, sql)) }
        }
        return out
    }

    /// `wc-processing` and `processing` both name WooCommerce's status `wc-processing`.
    static func statusValues(_ statuses: [String]) -> [JSONValue] {
        Array(Set(statuses.map { $0.hasPrefix("wc-") ? $0 : "wc-" + $0 })).sorted().map(JSONValue.string)
    }

    /// Where each storage's statements sit in the batch.
    struct OrderBatch {
        var page = 0
        var count: Int?
        var meta: Int?
        var items: Int?
        var itemOptions: Int?
        var notes: Int?
    }

    func listOrders(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let p = store.prefix
        let sqls = try self.orderSQLs(query, store: store)
        var statements: [SQLStatement] = []
        var batches: [OrderBatch] = []
        let wantsItems = query.wants("order_products", "totals", "total", "shipping_method", "shipping_methods", "discounts")
        for (storage, sql) in sqls {
            var batch = OrderBatch(page: statements.count)
            switch storage {
            case .hpos:
                statements.append(
                    sql.pageStatement(
                        columns: """
                            o.`id` AS order_id, o.`status`, o.`currency`, o.`tax_amount`, o.`total_amount`, o.`customer_id`, o.`billing_email`,
                            o.`date_created_gmt`, o.`date_updated_gmt`, o.`payment_method`, o.`payment_method_title`, o.`transaction_id`,
                            o.`customer_note`, o.`ip_address`, od.`shipping_total_amount`, od.`shipping_tax_amount`, od.`discount_total_amount`,
                            od.`discount_tax_amount`, od.`date_paid_gmt`, od.`date_completed_gmt`, od.`order_key`, od.`prices_include_tax`,
                            od.`created_via`,
                            ba.`first_name` AS b_first_name, ba.`last_name` AS b_last_name, ba.`company` AS b_company, ba.`address_1` AS b_address_1,
                            ba.`address_2` AS b_address_2, ba.`city` AS b_city, ba.`state` AS b_state, ba.`postcode` AS b_postcode,
                            ba.`country` AS b_country, ba.`email` AS b_email, ba.`phone` AS b_phone,
                            sa.`first_name` AS s_first_name, sa.`last_name` AS s_last_name, sa.`company` AS s_company, sa.`address_1` AS s_address_1,
                            sa.`address_2` AS s_address_2, sa.`city` AS s_city, sa.`state` AS s_state, sa.`postcode` AS s_postcode,
                            sa.`country` AS s_country, sa.`email` AS s_email, sa.`phone` AS s_phone
                            """,
                        // One operational row and at most one address of each type per order (unique keys).
                        joins: """
                             LEFT JOIN `\(p)wc_order_operational_data` od ON od.`order_id` = o.`id`
                             LEFT JOIN `\(p)wc_order_addresses` ba ON ba.`order_id` = o.`id` AND ba.`address_type` = 'billing'
                             LEFT JOIN `\(p)wc_order_addresses` sa ON sa.`order_id` = o.`id` AND sa.`address_type` = 'shipping'
                            """
                    )
                )
            case .posts:
                statements.append(
                    sql.pageStatement(
                        columns: "o.`ID` AS order_id, o.`post_status` AS status, o.`post_date`, o.`post_date_gmt`, o.`post_modified`, o.`post_modified_gmt`, o.`post_excerpt` AS customer_note"
                    )
                )
            }
            if query.after == nil {
                batch.count = statements.count
                statements.append(sql.countStatement)
            }
            if storage == .posts {
                batch.meta = statements.count
                statements.append(
                    sql.child(
                        { page in
                            "SELECT m.`post_id` AS owner_id, m.`meta_key`, m.`meta_value` FROM `\(p)postmeta` m JOIN \(page) ON page.page_id = m.`post_id` WHERE m.`meta_key` IN (\(SQLText.placeholders(Self.orderMetaKeys.count))) ORDER BY m.`meta_id`"
                        },
                        Self.orderMetaKeys.map(JSONValue.string)
                    )
                )
            }
            if wantsItems {
                batch.items = statements.count
                statements.append(self.orderItemsStatement(sql, prefix: p))
            }
            if query.wants("order_products") {
                batch.itemOptions = statements.count
                statements.append(
                    sql.child { page in
                        """
                        SELECT oi.`order_id` AS owner_id, m.`order_item_id`, m.`meta_key`, m.`meta_value`,
                        (SELECT t.`name` FROM `\(p)terms` t JOIN `\(p)term_taxonomy` tt ON tt.`term_id` = t.`term_id`
                         WHERE tt.`taxonomy` = m.`meta_key` AND t.`slug` = m.`meta_value` LIMIT 1) AS value_name
                        FROM `\(p)woocommerce_order_items` oi JOIN \(page) ON page.page_id = oi.`order_id`
                        JOIN `\(p)woocommerce_order_itemmeta` m ON m.`order_item_id` = oi.`order_item_id`
                        WHERE oi.`order_item_type` = 'line_item' AND m.`meta_key` NOT LIKE '\\_%' ORDER BY m.`meta_id`
                        """
                    }
                )
            }
            if query.wants("status") {
                batch.notes = statements.count
                statements.append(
                    sql.child { page in
                        """
                        SELECT c.`comment_post_ID` AS owner_id, c.`comment_ID`, c.`comment_date`, c.`comment_content`,
                        (SELECT cm.`meta_value` FROM `\(p)commentmeta` cm WHERE cm.`comment_id` = c.`comment_ID` AND cm.`meta_key` = 'is_customer_note' LIMIT 1) AS is_customer_note
                        FROM `\(p)comments` c JOIN \(page) ON page.page_id = c.`comment_post_ID`
                        WHERE c.`comment_type` = 'order_note' ORDER BY c.`comment_date_gmt`, c.`comment_ID`
                        """
                    }
                )
            }
            batches.append(batch)
        }
        let results = try await store.query(statements)
        var items: [JSONValue] = []
        var total: Int? = query.after == nil ? 0 : nil
        var next: ListQuery.Position?
        for (index, (storage, sql)) in sqls.enumerated() {
            let batch = batches[index]
            if let count = batch.count { total = (total ?? 0) + PageSQL.total(results[count]) }
            let (records, position) = sql.page(results[batch.page])
            guard !records.isEmpty else { continue }
            next = position
            let meta = batch.meta.map { Self.metaByOwner(results[$0].records, owner: "owner_id") } ?? [:]
            let lines = batch.items.map { ContractShapes.group(results[$0].records, by: "order_id") } ?? [:]
            let options = batch.itemOptions.map { ContractShapes.group(results[$0].records, by: "owner_id") } ?? [:]
            let notes = batch.notes.map { ContractShapes.group(results[$0].records, by: "owner_id") } ?? [:]
            for record in records {
                let id = record.int("order_id") ?? 0
                let order = storage == .hpos ? Self.hposOrder(record, store: store) : Self.postsOrder(record, meta: meta[id] ?? [:], store: store)
                items.append(self.order(order, lines: lines[id] ?? [], options: options[id] ?? [], notes: notes[id] ?? [], store: store))
            }
        }
        return ListPage(items: items, total: total, next: next)
    }

    /// Every item of the page's orders with its meta pivoted into columns, and the SKU of what was sold.
    func orderItemsStatement(_ sql: PageSQL, prefix p: String) -> SQLStatement {
        func value(_ key: String) -> String {
            "MAX(CASE WHEN m.`meta_key` = '\(key)' THEN m.`meta_value` END)"
        }
        func pick(_ key: String, _ name: String) -> String {
            "\(value(key)) AS \(name)"
        }
        return sql.child { page in
            """
            SELECT i.*, COALESCE(lv.`sku`, lp.`sku`) AS sku FROM (
              SELECT oi.`order_id`, oi.`order_item_id`, oi.`order_item_name`, oi.`order_item_type`,
              CAST(COALESCE(\(value("_product_id")), 0) AS UNSIGNED) AS product_id,
              CAST(COALESCE(\(value("_variation_id")), 0) AS UNSIGNED) AS variation_id,
              \(pick("_qty", "qty")), \(pick("_line_subtotal", "line_subtotal")), \(pick("_line_subtotal_tax", "line_subtotal_tax")),
              \(pick("_line_total", "line_total")), \(pick("_line_tax", "line_tax")), \(pick("method_id", "method_id")),
              \(pick("cost", "cost")), \(pick("total_tax", "total_tax")), \(pick("discount_amount", "discount_amount")),
              \(pick("discount_amount_tax", "discount_amount_tax"))
              FROM `\(p)woocommerce_order_items` oi JOIN \(page) ON page.page_id = oi.`order_id`
              LEFT JOIN `\(p)woocommerce_order_itemmeta` m ON m.`order_item_id` = oi.`order_item_id`
                AND m.`meta_key` IN ('_product_id', '_variation_id', '_qty', '_line_subtotal', '_line_subtotal_tax', '_line_total', '_line_tax',
                  'method_id', 'cost', 'total_tax', 'discount_amount', 'discount_amount_tax')
              GROUP BY oi.`order_item_id`, oi.`order_id`, oi.`order_item_name`, oi.`order_item_type`
            ) i
            LEFT JOIN `\(p)wc_product_meta_lookup` lv ON lv.`product_id` = i.variation_id AND i.variation_id <> 0
            LEFT JOIN `\(p)wc_product_meta_lookup` lp ON lp.`product_id` = i.product_id
            ORDER BY i.`order_id`, i.`order_item_id`
            """
        }
    }
}
