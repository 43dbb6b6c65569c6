import CartBridgeCore
import Foundation

extension PrestaShopConnector {
    /// Customers: `customer` rows not deleted; guests (`is_guest`) only with include_guests. Customers belong to a
    /// shop, but are listed from every shop unless store_id names one.
    func customerSQL(_ query: ListQuery, scope: Scope) throws(CartBridgeError) -> PageSQL {
        let sort: String
        switch query.sortBy {
        case "created_time", "created_at", "create_at", "date_add": sort = "c.`date_add`"
        case "modified_time", "modified_at", "updated_at", "date_upd": sort = "c.`date_upd`"
        case "id": sort = "c.`id_customer`"
        case "email": sort = "c.`email`"
        case "first_name": sort = "c.`firstname`"
        case "last_name": sort = "c.`lastname`"
        default: throw CartBridgeError.badParameter("sort_by", "expected created_time, modified_time, id, email, first_name or last_name")
        }
        var sql = PageSQL(from: "\(scope.t("customer")) c", id: "c.`id_customer`", sort: sort, query: query)
        sql.filter("c.`deleted` = 0")
        if !query.includeGuests { sql.filter("c.`is_guest` = 0") }
        if scope.shopGiven { sql.filter("c.`id_shop` = ?", .int(scope.shopID)) }
        sql.commonFilters(created: "c.`date_add`", modified: "c.`date_upd`")
        if let enabled = query.enabled { sql.filter("c.`active` = ?", .int(enabled ? 1 : 0)) }
        if let email = query.customerEmail { sql.filter("c.`email` = ?", .string(email)) }
        if let find = try ListSQL.find(
            query, default: ["email", "first_name", "last_name"],
            columns: [
                "email": "c.`email`", "login": "c.`email`", "first_name": "c.`firstname`", "last_name": "c.`lastname`",
                "name": "CONCAT(c.`firstname`, ' ', c.`lastname`)", "company": "c.`company`",
            ]        ) {
            sql.filter(find.sql, params: find.params)
        }
        return sql
    }

    func listCustomers(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let scope = try Scope(query, store: store)
        let sql = try self.customerSQL(query, scope: scope)
        let t = scope.t
        var statements = [
            sql.pageStatement(
                columns: """
                    c.`id_customer`, c.`id_shop`, c.`id_shop_group`, c.`id_gender`, g.`type` AS `gender_type`, c.`id_default_group`,
                    c.`id_lang`, c.`id_risk`, c.`company`, c.`siret`, c.`ape`, c.`firstname`, c.`lastname`, c.`email`, c.`birthday`,
                    c.`newsletter`, c.`newsletter_date_add`, c.`optin`, c.`website`, c.`outstanding_allow_amount`,
                    c.`max_payment_days`, c.`note`, c.`active`, c.`is_guest`, c.`date_add`, c.`date_upd`
                    """,
                joins: " LEFT JOIN \(t("gender")) g ON g.`id_gender` = c.`id_gender`"
            )
        ]
        if query.after == nil { statements.append(sql.countStatement) }
        var slot: [String: Int] = [:]
        func add(_ name: String, _ statement: SQLStatement) {
            slot[name] = statements.count
            statements.append(statement)
        }
        if query.wants("address_book", "phone") {
            add(
                "addresses",
                sql.child(
                    { "SELECT \(self.addressColumns) FROM \($0) JOIN \(t("address")) a ON a.`id_customer` = page.page_id \(self.addressJoins(scope)) WHERE a.`deleted` = 0 ORDER BY a.`id_customer`, a.`id_address`" },
                    [.int(scope.langID)])
            )
        }
        if query.wants("group") {
            add(
                "groups",
                sql.child(
                    {
                        """
                        SELECT cg.`id_customer`, cg.`id_group`, gl.`name` FROM \($0)
                        JOIN \(t("customer_group")) cg ON cg.`id_customer` = page.page_id
                        LEFT JOIN \(t("group_lang")) gl ON gl.`id_group` = cg.`id_group` AND gl.`id_lang` = ?
                        ORDER BY cg.`id_customer`, cg.`id_group`
                        """
                    }, [.int(scope.langID)])
            )
        }
        if query.wants("orders_count", "last_order_id") {
            add(
                "orders",
                sql.child {
                    """
                    SELECT o.`id_customer`, COUNT(*) AS `orders_count`, MAX(o.`id_order`) AS `last_order_id` FROM \($0)
                    JOIN \(t("orders")) o ON o.`id_customer` = page.page_id GROUP BY o.`id_customer`
                    """
                }
            )
        }
        if query.wants("last_login") {
            // The back office's "last visit": the newest connection of the customer's visitor records.
            add(
                "visits",
                sql.child {
                    """
                    SELECT gu.`id_customer`, MAX(co.`date_add`) AS `last_visit` FROM \($0)
                    JOIN \(t("guest")) gu ON gu.`id_customer` = page.page_id
                    JOIN \(t("connections")) co ON co.`id_guest` = gu.`id_guest` GROUP BY gu.`id_customer`
                    """
                }
            )
        }

        let results = try await store.query(statements)
        let (records, next) = sql.page(results[0])
        func rows(_ name: String) -> [Int64: [[String: JSONValue]]] {
            slot[name].map { ContractShapes.group(results[$0].records, by: "id_customer") } ?? [:]
        }
        let addresses = rows("addresses")
        let groups = rows("groups")
        let orders = rows("orders")
        let visits = rows("visits")
        let items: [JSONValue] = records.map { row in
            let id = row.int("id_customer") ?? 0
            let book = addresses[id] ?? []
            // PrestaShop's first active address is the one checkout proposes (`Address::getFirstCustomerAddressId`).
            let firstActive = book.first { $0.flag("active") }?.int("id_address")
            let phone = book.lazy.compactMap { $0.text("phone").flatMap { $0.isEmpty ? nil : $0 } ?? $0.text("phone_mobile").flatMap { $0.isEmpty ? nil : $0 } }.first
            let gender: JSONValue =
                switch row.int("gender_type") {
                case 0: "male"
                case 1: "female"
                default: .null
                }
            return [
                "id": .string(String(id)),
                "email": .string(row.text("email", default: "")),
                "first_name": row.string("firstname"),
                "last_name": row.string("lastname"),
                "phone": phone.map(JSONValue.string) ?? .null,
                "created_time": row.date("date_add", scope.timeZone),
                "modified_time": row.date("date_upd", scope.timeZone),
                "group": .array((groups[id] ?? []).map { ["id": $0.string("id_group"), "name": $0.string("name")] }),
                "login": row.string("email"),
                "last_login": visits[id]?.first?.date("last_visit", scope.timeZone) ?? .null,
                "birth_day": row.date("birthday", scope.timeZone),
                "status": .string(row.flag("active") ? "enabled" : "disabled"),
                "is_guest": .bool(row.flag("is_guest")),
                "news_letter_subscription": .bool(row.flag("newsletter")),
                "gender": gender,
                "stores_ids": [.string(row.text("id_shop", default: "1"))],
                "website": row.nonEmpty("website"),
                "fax": .null,
                "company": row.nonEmpty("company"),
                "ip_address": .null,
                "address_book": .array(book.map { Self.address($0, type: "shipping", isDefault: $0.int("id_address") == firstActive) }),
                "lang_id": row.string("id_lang"),
                "orders_count": .int(orders[id]?.first?.int("orders_count") ?? 0),
                "last_order_id": orders[id]?.first?.string("last_order_id") ?? .null,
                "additional_fields": [
                    "id_default_group": row.string("id_default_group"),
                    "id_shop_group": row.string("id_shop_group"),
                    "optin": .bool(row.flag("optin")),
                    "newsletter_date_add": row.date("newsletter_date_add", scope.timeZone),
                    "siret": row.nonEmpty("siret"),
                    "ape": row.nonEmpty("ape"),
                    "note": row.nonEmpty("note"),
                    "id_risk": row.string("id_risk"),
                    "outstanding_allow_amount": row.number("outstanding_allow_amount"),
                    "max_payment_days": row.number("max_payment_days"),
                ],
            ]
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }

    /// Address columns with the country's ISO code and name (one `?`: the language, in `addressJoins`) and state.
    var addressColumns: String {
        """
        a.`id_address`, a.`id_customer`, a.`alias`, a.`company`, a.`firstname`, a.`lastname`, a.`address1`, a.`address2`,
        a.`postcode`, a.`city`, a.`other`, a.`phone`, a.`phone_mobile`, a.`vat_number`, a.`dni`, a.`active`,
        co.`iso_code` AS `country_iso`, col.`name` AS `country_name`, st.`iso_code` AS `state_iso`, st.`name` AS `state_name`
        """
    }

    func addressJoins(_ scope: Scope) -> String {
        """
        LEFT JOIN \(scope.t("country")) co ON co.`id_country` = a.`id_country`
        LEFT JOIN \(scope.t("country_lang")) col ON col.`id_country` = a.`id_country` AND col.`id_lang` = ?
        LEFT JOIN \(scope.t("state")) st ON st.`id_state` = a.`id_state`
        """
    }

    static func address(_ row: [String: JSONValue], type: String, isDefault: Bool) -> JSONValue {
        let iso = row.text("country_iso", default: "")
        let stateName = row.text("state_name").flatMap { $0.isEmpty ? nil : $0 }
        var address = ContractShapes.Address(
            id: row.text("id_address", default: ""),
            type: type,
            firstName: row.text("firstname"),
            lastName: row.text("lastname"),
            company: row.text("company").flatMap { $0.isEmpty ? nil : $0 },
            address1: row.text("address1", default: ""),
            address2: row.text("address2").flatMap { $0.isEmpty ? nil : $0 },
            city: row.text("city", default: ""),
            postcode: row.text("postcode", default: ""),
            phone: row.text("phone").flatMap { $0.isEmpty ? nil : $0 },
            countryCode2: iso,
            countryCode3: Self.alpha3[iso.uppercased()] ?? "",
            countryName: row.text("country_name", default: ""),
            stateCode: row.text("state_iso"),
            stateName: stateName,
            isDefault: isDefault
        ).json
        guard case .object(var members) = address else { return address }
        members["phone_mobile"] = row.nonEmpty("phone_mobile")
        members["alias"] = row.nonEmpty("alias")
        members["tax_id"] = row.nonEmpty("vat_number")
        members["identification_number"] = row.nonEmpty("dni")
        members["additional_fields"] = ["other": row.nonEmpty("other"), "active": .bool(row.flag("active"))]
        address = .object(members)
        return address
    }
}
