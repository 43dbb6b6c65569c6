import CartBridgeCore
import Foundation

/// Customers of OpenCart 3.0 and 4.x with their address book. OpenCart keeps no modification date for
/// customers, and guests are not customers (they exist only on their orders).
extension OpenCartConnector {
    static let customerSorts: [String: String] = [
        "id": "c.`customer_id`", "created_time": "c.`date_added`", "created_at": "c.`date_added`", "email": "c.`email`",
        "first_name": "c.`firstname`", "last_name": "c.`lastname`",
    ]

    func customerSet(_ query: ListQuery, _ s: OpenCartSchema) throws(CartBridgeError) -> PageSQL {
        let sort = try ListSQL.sort(query, Self.customerSorts)
        var set = PageSQL(from: "\(s.t("customer")) c", id: "c.`customer_id`", sort: sort, query: query)
        set.commonFilters(created: "c.`date_added`", modified: nil)
        if query.modifiedFrom != nil || query.modifiedTo != nil { set.filter("1 = 0") }
        if let enabled = query.enabled { set.filter("c.`status` = ?", .int(enabled ? 1 : 0)) }
        if let store = query.storeID { set.filter("c.`store_id` = ?", .string(store)) }
        if let find = try ListSQL.find(
            Self.storedForm(query), default: ["email"], columns: ["email": "c.`email`", "first_name": "c.`firstname`", "last_name": "c.`lastname`", "phone": "c.`telephone`"]
        ) {
            set.filter(find.sql, params: find.params)
        }
        return set
    }

    func listCustomers(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let s = OpenCartSchema(config: store.config)
        let lang: JSONValue = .string(store.defaultLanguageID ?? "1")
        let set = try self.customerSet(query, s)
        var statements = [
            set.pageStatement(
                columns: "c.*, g.`name` AS group_name",
                joins: " LEFT JOIN \(s.t("customer_group_description")) g ON g.`customer_group_id` = c.`customer_group_id` AND g.`language_id` = ?",
                joinParams: [lang]
            )
        ]
        let counted = query.after == nil
        if counted { statements.append(set.countStatement) }
        statements.append(self.addressStatement(set, s, lang: lang))
        statements.append(set.child { "SELECT o.`customer_id`, COUNT(*) AS orders, MAX(o.`order_id`) AS last_order FROM \($0) JOIN \(s.t("order")) o ON o.`customer_id` = page.page_id AND o.`order_status_id` > 0 GROUP BY o.`customer_id`" })
        let results = try await store.query(statements)
        let (records, next) = set.page(results[0])
        let base = counted ? 2 : 1
        let addresses = ContractShapes.group(results[base].records, by: "customer_id")
        let orders = ContractShapes.group(results[base + 1].records, by: "customer_id")
        let zone = store.timeZone
        let items: [JSONValue] = records.map { row in
            let id = row.int("customer_id") ?? 0
            let defaultAddress = s.defaultAddressOnCustomer ? row.int("address_id") : nil
            let book = (addresses[id] ?? []).map { address in
                Self.address(address, type: "billing", isDefault: defaultAddress.map { $0 == address.int("address_id") } ?? address.flag("default")).json
            }
            let orderFacts = orders[id]?.first
            return [
                "id": .string(String(id)),
                "email": .string(row.text("email", default: "")),
                "first_name": row.string("firstname"),
                "last_name": row.string("lastname"),
                "phone": row.string("telephone"),
                "fax": row.string("fax"),
                "created_time": row.date("date_added", zone),
                "modified_time": .null,
                "group": .array(row.int("customer_group_id").map { [["id": .string(String($0)), "name": row.string("group_name")]] } ?? []),
                "status": .string(row.flag("status") ? "enabled" : "disabled"),
                "is_guest": false,
                "news_letter_subscription": .bool(row.flag("newsletter")),
                "stores_ids": .array([.string(row.text("store_id", default: "0"))]),
                "ip_address": row.string("ip"),
                "lang_id": row.string("language_id"),
                "address_book": .array(book),
                "orders_count": .int(orderFacts?.int("orders") ?? 0),
                "last_order_id": orderFacts?.string("last_order") ?? .null,
                "additional_fields": ["customer_group_id": row.string("customer_group_id"), "safe": .bool(row.flag("safe"))],
            ]
        }
        return ListPage(items: items, total: counted ? PageSQL.total(results[1]) : nil, next: next)
    }

    /// The page's addresses with country and zone names (4.x keeps the names in description tables).
    func addressStatement(_ set: PageSQL, _ s: OpenCartSchema, lang: JSONValue) -> SQLStatement {
        let countryName = s.countryNames == "country" ? "co.`name`" : "cod.`name`"
        let zoneName = s.zoneNames == "zone" ? "z.`name`" : "zd.`name`"
        let countryJoin = s.countryNames == "country" ? "" : " LEFT JOIN \(s.t("country_description")) cod ON cod.`country_id` = a.`country_id` AND cod.`language_id` = ?"
        let zoneJoin = s.zoneNames == "zone" ? "" : " LEFT JOIN \(s.t("zone_description")) zd ON zd.`zone_id` = a.`zone_id` AND zd.`language_id` = ?"
        var params: [JSONValue] = []
        if !countryJoin.isEmpty { params.append(lang) }
        if !zoneJoin.isEmpty { params.append(lang) }
        return set.child({
            """
            SELECT a.*, co.`iso_code_2`, co.`iso_code_3`, \(countryName) AS country_name, z.`code` AS zone_code, \(zoneName) AS zone_name
            FROM \($0) JOIN \(s.t("address")) a ON a.`customer_id` = page.page_id
            LEFT JOIN \(s.t("country")) co ON co.`country_id` = a.`country_id` LEFT JOIN \(s.t("zone")) z ON z.`zone_id` = a.`zone_id`\(countryJoin)\(zoneJoin)
            ORDER BY a.`address_id`
            """
        }, params)
    }

    static func address(_ row: [String: JSONValue], type: String, isDefault: Bool, prefix: String = "") -> ContractShapes.Address {
        ContractShapes.Address(
            id: row.text("\(prefix)address_id", default: ""),
            type: type,
            firstName: row.text("\(prefix)firstname"),
            lastName: row.text("\(prefix)lastname"),
            company: row.text("\(prefix)company"),
            address1: row.text("\(prefix)address_1", default: ""),
            address2: row.text("\(prefix)address_2"),
            city: row.text("\(prefix)city", default: ""),
            postcode: row.text("\(prefix)postcode", default: ""),
            phone: row.text("telephone"),
            countryCode2: row.text("iso_code_2", default: ""),
            countryCode3: row.text("iso_code_3", default: ""),
            countryName: row.text("country_name") ?? row.text("\(prefix)country", default: ""),
            stateCode: row.text("zone_code"),
            stateName: row.text("zone_name") ?? row.text("\(prefix)zone"),
            isDefault: isDefault
        )
    }

    func countCustomers(_ query: ListQuery, store: StoreAccess) async throws -> Int {
        let set = try self.customerSet(query, OpenCartSchema(config: store.config))
        return try await set.count(in: store)
    }
}
