import CartBridgeCore
import Foundation

/// Orders of OpenCart 3.0 and 4.x: lines with their options, totals, status history. Orders with status 0 are
/// abandoned checkouts OpenCart itself does not list; CartBridge does not either.
extension OpenCartConnector {
    static let orderSorts: [String: String] = [
        "order_id": "o.`order_id`", "id": "o.`order_id`", "create_at": "o.`date_added`", "created_at": "o.`date_added`", "date_added": "o.`date_added`",
        "modified_at": "o.`date_modified`", "date_modified": "o.`date_modified`", "total": "o.`total`",
    ]

    func orderSet(_ query: ListQuery, _ s: OpenCartSchema) throws(CartBridgeError) -> PageSQL {
        let sort = try ListSQL.sort(query, Self.orderSorts)
        var set = PageSQL(from: "\(s.t("order")) o", id: "o.`order_id`", sort: sort, query: query)
        set.filter("o.`order_status_id` > 0")
        set.commonFilters(created: "o.`date_added`", modified: "o.`date_modified`")
        if let customer = query.customerID { set.filter("o.`customer_id` = ?", .string(customer)) }
        if let email = query.customerEmail { set.filter("o.`email` = ?", .string(email)) }
        if let statuses = query.statuses { set.filter("o.`order_status_id`", in: statuses.map(JSONValue.string)) }
        if let store = query.storeID { set.filter("o.`store_id` = ?", .string(store)) }
        if let currency = query.currencyID { set.filter("(o.`currency_code` = ? OR o.`currency_id` = ?)", .string(currency), .string(currency)) }
        return set
    }

    func listOrders(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let s = OpenCartSchema(config: store.config)
        let lang: JSONValue = .string(store.defaultLanguageID ?? "1")
        let set = try self.orderSet(query, s)
        var statements = [
            set.pageStatement(
                columns: """
                    o.*, os.`name` AS status_name, pc.`iso_code_2` AS payment_iso2, pc.`iso_code_3` AS payment_iso3,
                    pz.`code` AS payment_zone_code, sc.`iso_code_2` AS shipping_iso2, sc.`iso_code_3` AS shipping_iso3, sz.`code` AS shipping_zone_code
                    """,
                joins: """
                     LEFT JOIN \(s.t("order_status")) os ON os.`order_status_id` = o.`order_status_id` AND os.`language_id` = ?\
                     LEFT JOIN \(s.t("country")) pc ON pc.`country_id` = o.`payment_country_id` LEFT JOIN \(s.t("zone")) pz ON pz.`zone_id` = o.`payment_zone_id`\
                     LEFT JOIN \(s.t("country")) sc ON sc.`country_id` = o.`shipping_country_id` LEFT JOIN \(s.t("zone")) sz ON sz.`zone_id` = o.`shipping_zone_id`
                    """,
                joinParams: [lang]
            )
        ]
        let counted = query.after == nil
        if counted { statements.append(set.countStatement) }
        var slots: [String: Int] = [:]
        func add(_ name: String, _ statement: SQLStatement) {
            slots[name] = statements.count
            statements.append(statement)
        }
        if query.wants("order_products") {
            add("lines", set.child { "SELECT op.* FROM \($0) JOIN \(s.t("order_product")) op ON op.`order_id` = page.page_id ORDER BY op.`order_product_id`" })
            add("options", set.child { "SELECT oo.* FROM \($0) JOIN \(s.t("order_option")) oo ON oo.`order_id` = page.page_id ORDER BY oo.`order_option_id`" })
        }
        if query.wants("totals", "total", "discounts") {
            add("totals", set.child { "SELECT ot.* FROM \($0) JOIN \(s.t("order_total")) ot ON ot.`order_id` = page.page_id ORDER BY ot.`sort_order`" })
        }
        if query.wants("status") {
            add("history", set.child({
                """
                SELECT h.*, hs.`name` AS status_name FROM \($0) JOIN \(s.t("order_history")) h ON h.`order_id` = page.page_id
                LEFT JOIN \(s.t("order_status")) hs ON hs.`order_status_id` = h.`order_status_id` AND hs.`language_id` = ? ORDER BY h.`date_added`, h.`order_history_id`
                """
            }, [lang]))
        }
        let results = try await store.query(statements)
        let (records, next) = set.page(results[0])
        func rows(_ name: String, by column: String = "order_id") -> [Int64: [[String: JSONValue]]] {
            slots[name].map { ContractShapes.group(results[$0].records, by: column) } ?? [:]
        }
        let lines = rows("lines"), options = rows("options", by: "order_product_id"), totals = rows("totals"), history = rows("history")
        let zone = store.timeZone
        let currencies = store.config.currencies
        let items: [JSONValue] = records.map { row in
            let id = row.int("order_id") ?? 0
            let orderTotals = totals[id] ?? []
            func sum(_ codes: Set<String>) -> Double {
                orderTotals.filter { codes.contains($0.text("code", default: "")) }.reduce(0) { $0 + ($1.double("value") ?? 0) }
            }
            let subtotal = sum(["sub_total"])
            let shipping = sum(["shipping"])
            let tax = sum(["tax"])
            // Coupons, vouchers and reward points are negative total lines.
            let discount = -orderTotals.filter { ($0.double("value") ?? 0) < 0 }.reduce(0) { $0 + ($1.double("value") ?? 0) }
            let total = row.double("total") ?? sum(["total"])
            let code = row.text("currency_code", default: "")
            let currency = currencies.first { $0.iso3 == code }
            let statusHistory: [JSONValue] = (history[id] ?? []).map { h in
                [
                    "id": .string(h.text("order_status_id", default: "")), "name": h.string("status_name"),
                    "modified_time": h.date("date_added", zone), "notify": .bool(h.flag("notify")),
                    "comment": .string(HTMLText.decode(h.text("comment", default: ""))),
                ]
            }
            return [
                "id": .string(String(id)),
                "order_id": .string(String(id)),
                "store_id": .string(row.text("store_id", default: "0")),
                "customer": [
                    "id": .string(row.text("customer_id", default: "0")), "email": .string(row.text("email", default: "")),
                    "first_name": row.string("firstname"), "last_name": row.string("lastname"), "phone": row.string("telephone"),
                ],
                "create_at": row.date("date_added", zone),
                "modified_at": row.date("date_modified", zone),
                "currency": [
                    "id": .string(row.text("currency_id", default: "")), "iso3": .string(code), "name": currency.map { .string($0.name) } ?? .null,
                    "symbol_left": .string(currency?.symbolLeft ?? ""), "symbol_right": .string(currency?.symbolRight ?? ""),
                    "rate": row.number("currency_value"),
                ],
                "billing_address": Self.orderAddress(row, "payment").json,
                "shipping_address": Self.orderAddress(row, "shipping").json,
                "payment_method": ["name": .string(Self.methodName(row.text("payment_method")))],
                "shipping_method": ["name": .string(Self.methodName(row.text("shipping_method")))],
                "status": [
                    "id": .string(row.text("order_status_id", default: "")), "name": row.string("status_name"), "history": .array(statusHistory),
                ],
                "totals": ["total": .double(total), "subtotal": .double(subtotal), "shipping": .double(shipping), "tax": .double(tax), "discount": .double(discount)],
                "total": [
                    "subtotal_ex_tax": .double(subtotal), "shipping_ex_tax": .double(shipping), "total_discount": .double(discount),
                    "total_tax": .double(tax), "total": .double(total), "total_paid": .double(total),
                ],
                "order_products": .array((lines[id] ?? []).map { Self.orderLine($0, options: options) }),
                "bundles": [],
                "comment": .string(HTMLText.decode(row.text("comment", default: ""))),
                "additional_fields": [
                    "invoice_no": row.string("invoice_no"), "invoice_prefix": row.string("invoice_prefix"), "ip": row.string("ip"),
                    "customer_group_id": row.string("customer_group_id"), "language_id": row.string("language_id"), "store_name": row.string("store_name"),
                    "store_url": row.string("store_url"),
                ],
            ]
        }
        return ListPage(items: items, total: counted ? PageSQL.total(results[1]) : nil, next: next)
    }

    static func orderLine(_ line: [String: JSONValue], options: [Int64: [[String: JSONValue]]]) -> JSONValue {
        let quantity = line.double("quantity") ?? 0
        let price = line.double("price") ?? 0
        let tax = line.double("tax") ?? 0
        let lineOptions: [JSONValue] = (options[line.int("order_product_id") ?? 0] ?? []).map { o in
            [
                "option_id": o.string("product_option_id"), "name": .string(HTMLText.decode(o.text("name", default: ""))),
                "value": .string(HTMLText.decode(o.text("value", default: ""))), "price": 0, "type": o.string("type"),
                "product_option_value_id": o.string("product_option_value_id"),
            ]
        }
        return [
            "product_id": line.string("product_id"),
            "order_product_id": line.string("order_product_id"),
            "model": line.string("model"),
            "name": .string(HTMLText.decode(line.text("name", default: ""))),
            "price": .double(price),
            "price_inc_tax": .double(price + tax),
            "quantity": .double(quantity),
            "total_price": line.number("total"),
            "tax_value": .double(tax * quantity),
            "options": .array(lineOptions),
            "variant_id": .null,
        ]
    }

    /// The order's copy of an address (OpenCart copies it onto the order row).
    static func orderAddress(_ row: [String: JSONValue], _ kind: String) -> ContractShapes.Address {
        ContractShapes.Address(
            id: row.text("\(kind)_address_id", default: ""),
            type: kind == "payment" ? "billing" : "shipping",
            firstName: row.text("\(kind)_firstname"),
            lastName: row.text("\(kind)_lastname"),
            company: row.text("\(kind)_company"),
            address1: row.text("\(kind)_address_1", default: ""),
            address2: row.text("\(kind)_address_2"),
            city: row.text("\(kind)_city", default: ""),
            postcode: row.text("\(kind)_postcode", default: ""),
            phone: row.text("telephone"),
            countryCode2: row.text("\(kind)_iso2", default: ""),
            countryCode3: row.text("\(kind)_iso3", default: ""),
            countryName: row.text("\(kind)_country", default: ""),
            stateCode: row.text("\(kind)_zone_code"),
            stateName: row.text("\(kind)_zone"),
            isDefault: false
        )
    }

    /// 3.0 keeps the method's title; 4.x a JSON object with `name` and `code`.
    static func methodName(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        if text.hasPrefix("{"), let object = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), let name = object["name"]?.textValue {
            return name
        }
        return text
    }

    func countOrders(_ query: ListQuery, store: StoreAccess) async throws -> Int {
        let set = try self.orderSet(query, OpenCartSchema(config: store.config))
        return try await set.count(in: store)
    }
}
