import CartBridgeCore
import Foundation

/// Customers: WordPress users whose `<prefix>capabilities` user meta gives them the `customer` role, their
/// names and addresses in user meta. With `include_guests`, also the guests WooCommerce's analytics keeps in
/// `wc_customer_lookup` (rows without a user); a guest's id is its lookup id negated, so it never meets a user id.
extension WooCommerceConnector {
    /// One row per customer: registered ones, then (when asked) guests. Times: `registered` is UTC (WordPress
    /// writes `user_registered` in UTC), `modified_ts` a Unix time (`last_update`).
    func customerFrom(_ store: StoreAccess, guests: Bool) -> String {
        let p = store.prefix
        let registered = """
            SELECT u.`ID` AS cid, u.`ID` AS user_id, u.`user_email` AS email, u.`user_login` AS login, u.`display_name`,
            u.`user_registered` AS registered, 0 AS guest,
            (SELECT f.`meta_value` FROM `\(p)usermeta` f WHERE f.`user_id` = u.`ID` AND f.`meta_key` = 'first_name' LIMIT 1) AS first_name,
            (SELECT f.`meta_value` FROM `\(p)usermeta` f WHERE f.`user_id` = u.`ID` AND f.`meta_key` = 'last_name' LIMIT 1) AS last_name,
            (SELECT f.`meta_value` FROM `\(p)usermeta` f WHERE f.`user_id` = u.`ID` AND f.`meta_key` = 'billing_phone' LIMIT 1) AS phone,
            COALESCE((SELECT CAST(f.`meta_value` AS UNSIGNED) FROM `\(p)usermeta` f WHERE f.`user_id` = u.`ID` AND f.`meta_key` = 'last_update' LIMIT 1),
              TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', u.`user_registered`)) AS modified_ts,
            NULL AS g_country, NULL AS g_postcode, NULL AS g_city, NULL AS g_state
            FROM `\(p)users` u
            WHERE EXISTS (SELECT 1 FROM `\(p)usermeta` cap WHERE cap.`user_id` = u.`ID` AND cap.`meta_key` = ?
              AND cap.`meta_value` LIKE '%"customer"%')
            """
        guard guests else { return "(\(registered)) c" }
        return """
            (\(registered)
            UNION ALL
            SELECT -g.`customer_id`, NULL, g.`email`, NULL, NULL, NULL, 1, g.`first_name`, g.`last_name`, NULL,
            TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', g.`date_last_active`), g.`country`, g.`postcode`, g.`city`, g.`state`
            FROM `\(p)wc_customer_lookup` g WHERE g.`user_id` IS NULL) c
            """
    }

    func customerSQL(_ query: ListQuery, store: StoreAccess) throws(CartBridgeError) -> PageSQL {
        let created = "COALESCE(c.`registered`, '1970-01-01 00:00:00')"
        let sort = try ListSQL.sort(
            query,
            [
                "id": "c.`cid`", "created_time": created, "created_at": created, "create_at": created,
                "modified_time": "COALESCE(c.`modified_ts`, 0)", "modified_at": "COALESCE(c.`modified_ts`, 0)", "email": "c.`email`",
            ]
        )
        // The role lives in the `<prefix>capabilities` user meta: its key is a parameter of the derived table.
        var sql = PageSQL(
            from: self.customerFrom(store, guests: query.includeGuests), fromParams: [.string(store.prefix + "capabilities")], id: "c.`cid`",
            sort: sort, query: query
        )
        sql.commonFilters(created: nil, modified: nil)
        let zone = store.timeZone
        if let from = query.createdFrom { sql.filter("c.`registered` >= ?", .string(Self.utcText(from, zone: zone))) }
        if let to = query.createdTo { sql.filter("c.`registered` <= ?", .string(Self.utcText(to, zone: zone))) }
        if let from = query.modifiedFrom { sql.filter("c.`modified_ts` >= ?", .int(Self.unixTime(from, zone: zone))) }
        if let to = query.modifiedTo { sql.filter("c.`modified_ts` <= ?", .int(Self.unixTime(to, zone: zone))) }
        // WordPress has no disabled accounts.
        if query.enabled == false { sql.filter("1 = 0") }
        if let find = try ListSQL.find(
            query, default: ["email"],
            columns: [
                "email": "c.`email`", "first_name": "c.`first_name`", "last_name": "c.`last_name`", "login": "c.`login`", "phone": "c.`phone`",
            ]
        ) {
            sql.filter(find.sql, params: find.params)
        }
        return sql
    }

    func listCustomers(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let p = store.prefix
        let sql = try self.customerSQL(query, store: store)
        var statements = [sql.pageStatement(columns: "c.*")]
        if query.after == nil { statements.append(sql.countStatement) }
        let metaIndex = statements.count
        statements.append(
            sql.child { page in
                """
                SELECT um.`user_id` AS owner_id, um.`meta_key`, um.`meta_value` FROM `\(p)usermeta` um JOIN \(page) ON page.page_id = um.`user_id`
                WHERE um.`meta_key` LIKE 'billing\\_%' OR um.`meta_key` LIKE 'shipping\\_%' OR um.`meta_key` = 'paying_customer'
                ORDER BY um.`umeta_id`
                """
            }
        )
        let results = try await store.query(statements)
        let (records, next) = sql.page(results[0])
        let meta = Self.metaByOwner(results[metaIndex].records, owner: "owner_id")
        let utc = TimeZone(identifier: "UTC")!
        let items = records.map { r -> JSONValue in
            let id = r.int("cid") ?? 0
            let guest = r.flag("guest")
            let m = meta[id] ?? [:]
            var addresses: [JSONValue] = []
            if guest {
                let fields = ["country": r.text("g_country") ?? "", "postcode": r.text("g_postcode") ?? "", "city": r.text("g_city") ?? "", "state": r.text("g_state") ?? ""]
                if let a = Self.address(fields, id: "\(id)-billing", type: "billing") { addresses.append(a) }
            } else {
                if let a = Self.address(Self.unprefixed(m, prefix: "billing_"), id: "\(id)-billing", type: "billing") { addresses.append(a) }
                if let a = Self.address(Self.unprefixed(m, prefix: "shipping_"), id: "\(id)-shipping", type: "shipping") { addresses.append(a) }
            }
            let billing = Self.unprefixed(m, prefix: "billing_")
            return [
                "id": .string(String(id)),
                "email": .string(r.text("email") ?? ""),
                "first_name": r.string("first_name"),
                "last_name": r.string("last_name"),
                "phone": r.nonEmpty("phone"),
                "created_time": r.date("registered", utc),
                "modified_time": Self.timestampDate(r.text("modified_ts"), zone: store.timeZone),
                "group": guest ? [] : [["id": "customer", "name": "Customer"]],
                "login": r.string("login"),
                "status": "enabled",
                "is_guest": .bool(guest),
                "stores_ids": ["0"],
                "company": Self.json(billing["company"].flatMap { $0.isEmpty ? nil : $0 }),
                "address_book": .array(addresses),
                "additional_fields": [
                    "display_name": r.string("display_name"),
                    "paying_customer": .bool(m["paying_customer"]?.first == "1"),
                ],
            ]
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }
}
