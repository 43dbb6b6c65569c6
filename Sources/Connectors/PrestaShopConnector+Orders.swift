import CartBridgeCore
import Foundation

extension PrestaShopConnector {
    /// Orders: `orders` with its customer, currency and carrier (one row each); lines, addresses, status history,
    /// vouchers and messages come from child statements.
    func orderSQL(_ query: ListQuery, scope: Scope) throws(CartBridgeError) -> PageSQL {
        let sort: String
        switch query.sortBy {
        case "order_id", "id": sort = "o.`id_order`"
        case "create_at", "created_at", "date_add": sort = "o.`date_add`"
        case "modified_at", "updated_at", "date_upd": sort = "o.`date_upd`"
        case "total", "total_price": sort = "o.`total_paid_tax_incl`"
        default: throw CartBridgeError.badParameter("sort_by", "expected order_id, create_at, modified_at or total")
        }
        var sql = PageSQL(from: "\(scope.t("orders")) o", id: "o.`id_order`", sort: sort, query: query)
        if scope.shopGiven { sql.filter("o.`id_shop` = ?", .int(scope.shopID)) }
        sql.commonFilters(created: "o.`date_add`", modified: "o.`date_upd`")
        if let customer = query.customerID { sql.filter("o.`id_customer` = ?", .int(Self.numericID(customer) ?? -1)) }
        if let email = query.customerEmail {
            sql.filter("EXISTS (SELECT 1 FROM \(scope.t("customer")) ce WHERE ce.`id_customer` = o.`id_customer` AND ce.`email` = ?)", .string(email))
        }
        if let statuses = query.statuses { sql.filter("o.`current_state`", in: (ListQuery.numeric(statuses) ?? []).map(JSONValue.int)) }
        return sql
    }

    func listOrders(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let scope = try Scope(query, store: store)
        let sql = try self.orderSQL(query, scope: scope)
        let t = scope.t
        var statements = [
            sql.pageStatement(
                columns: """
                    o.`id_order`, o.`reference`, o.`id_shop`, o.`id_carrier`, o.`id_lang`, o.`id_customer`, o.`id_cart`,
                    o.`id_currency`, o.`id_address_delivery`, o.`id_address_invoice`, o.`current_state`, o.`payment`, o.`module`,
                    o.`conversion_rate`, o.`gift`, o.`gift_message`, o.`total_discounts`, o.`total_discounts_tax_incl`,
                    o.`total_discounts_tax_excl`, o.`total_paid`, o.`total_paid_tax_incl`, o.`total_paid_tax_excl`,
                    o.`total_paid_real`, o.`total_products`, o.`total_products_wt`, o.`total_shipping`, o.`total_shipping_tax_incl`,
                    o.`total_shipping_tax_excl`, o.`total_wrapping_tax_incl`, o.`total_wrapping_tax_excl`, o.`invoice_number`,
                    o.`delivery_number`, o.`invoice_date`, o.`delivery_date`, o.`valid`, o.`date_add`, o.`date_upd`, o.`note`,
                    cu.`email` AS `customer_email`, cu.`firstname` AS `customer_firstname`, cu.`lastname` AS `customer_lastname`,
                    cur.`iso_code` AS `currency_iso`, car.`name` AS `carrier_name`
                    """,
                joins: """
                     LEFT JOIN \(t("customer")) cu ON cu.`id_customer` = o.`id_customer`
                     LEFT JOIN \(t("currency")) cur ON cur.`id_currency` = o.`id_currency`
                     LEFT JOIN \(t("carrier")) car ON car.`id_carrier` = o.`id_carrier`
                    """
            )
        ]
        if query.after == nil { statements.append(sql.countStatement) }
        var slot: [String: Int] = [:]
        func add(_ name: String, _ statement: SQLStatement) {
            slot[name] = statements.count
            statements.append(statement)
        }
        if query.wants("order_products") {
            add(
                "lines",
                sql.child {
                    """
                    SELECT od.`id_order`, od.`id_order_detail`, od.`product_id`, od.`product_attribute_id`, od.`product_name`,
                        od.`product_quantity`, od.`product_reference`, od.`product_ean13`, od.`product_upc`, od.`product_weight`,
                        od.`unit_price_tax_excl`, od.`unit_price_tax_incl`, od.`total_price_tax_excl`, od.`total_price_tax_incl`,
                        od.`reduction_amount_tax_excl`, od.`reduction_percent`, od.`product_price`, od.`tax_rate`,
                        od.`product_quantity_refunded`, od.`product_quantity_return`
                    FROM \($0) JOIN \(t("order_detail")) od ON od.`id_order` = page.page_id
                    ORDER BY od.`id_order`, od.`id_order_detail`
                    """
                }
            )
            add(
                "options",
                sql.child(
                    {
                        """
                        SELECT od.`id_order`, od.`id_order_detail`, a.`id_attribute`, a.`id_attribute_group`, al.`name` AS `value_name`,
                            agl.`public_name`
                        FROM \($0) JOIN \(t("order_detail")) od ON od.`id_order` = page.page_id AND od.`product_attribute_id` > 0
                        JOIN \(t("product_attribute_combination")) pac ON pac.`id_product_attribute` = od.`product_attribute_id`
                        JOIN \(t("attribute")) a ON a.`id_attribute` = pac.`id_attribute`
                        JOIN \(t("attribute_group")) ag ON ag.`id_attribute_group` = a.`id_attribute_group`
                        LEFT JOIN \(t("attribute_lang")) al ON al.`id_attribute` = a.`id_attribute` AND al.`id_lang` = ?
                        LEFT JOIN \(t("attribute_group_lang")) agl ON agl.`id_attribute_group` = a.`id_attribute_group` AND agl.`id_lang` = ?
                        ORDER BY od.`id_order`, od.`id_order_detail`, ag.`position`, a.`id_attribute_group`
                        """
                    }, [.int(scope.langID), .int(scope.langID)])
            )
        }
        if query.wants("shipping_address", "billing_address", "customer") {
            add(
                "addresses",
                sql.child(
                    {
                        """
                        SELECT o.`id_order`, o.`id_address_delivery`, o.`id_address_invoice`, \(self.addressColumns) FROM \($0)
                        JOIN \(t("orders")) o ON o.`id_order` = page.page_id
                        JOIN \(t("address")) a ON a.`id_address` IN (o.`id_address_delivery`, o.`id_address_invoice`)
                        \(self.addressJoins(scope))
                        ORDER BY o.`id_order`, a.`id_address`
                        """
                    }, [.int(scope.langID)])
            )
        }
        if query.wants("status") {
            add(
                "history",
                sql.child(
                    {
                        """
                        SELECT oh.`id_order`, oh.`id_order_history`, oh.`id_order_state`, oh.`id_employee`, oh.`date_add`, osl.`name`
                        FROM \($0) JOIN \(t("order_history")) oh ON oh.`id_order` = page.page_id
                        LEFT JOIN \(t("order_state_lang")) osl ON osl.`id_order_state` = oh.`id_order_state` AND osl.`id_lang` = ?
                        ORDER BY oh.`id_order`, oh.`date_add`, oh.`id_order_history`
                        """
                    }, [.int(scope.langID)])
            )
            add(
                "state",
                sql.child(
                    {
                        """
                        SELECT o.`id_order`, osl.`name` FROM \($0) JOIN \(t("orders")) o ON o.`id_order` = page.page_id
                        LEFT JOIN \(t("order_state_lang")) osl ON osl.`id_order_state` = o.`current_state` AND osl.`id_lang` = ?
                        """
                    }, [.int(scope.langID)])
            )
        }
        if query.wants("discounts") {
            add(
                "discounts",
                sql.child {
                    """
                    SELECT ocr.`id_order`, ocr.`id_cart_rule`, ocr.`name`, ocr.`value`, ocr.`value_tax_excl`, ocr.`free_shipping`
                    FROM \($0) JOIN \(t("order_cart_rule")) ocr ON ocr.`id_order` = page.page_id AND ocr.`deleted` = 0
                    ORDER BY ocr.`id_order`, ocr.`id_order_cart_rule`
                    """
                }
            )
        }
        if query.wants("additional_fields") {
            // The order page's "Messages": the order's customer threads (what order.update writes a comment to).
            add(
                "messages",
                sql.child {
                    """
                    SELECT ct.`id_order`, cm.`id_customer_message`, cm.`id_employee`, cm.`message`, cm.`private`, cm.`date_add`
                    FROM \($0) JOIN \(t("customer_thread")) ct ON ct.`id_order` = page.page_id
                    JOIN \(t("customer_message")) cm ON cm.`id_customer_thread` = ct.`id_customer_thread`
                    ORDER BY ct.`id_order`, cm.`date_add`, cm.`id_customer_message`
                    """
                }
            )
        }

        let results = try await store.query(statements)
        let (records, next) = sql.page(results[0])
        func rows(_ name: String, by column: String = "id_order") -> [Int64: [[String: JSONValue]]] {
            slot[name].map { ContractShapes.group(results[$0].records, by: column) } ?? [:]
        }
        let lines = rows("lines")
        let options = rows("options", by: "id_order_detail")
        let addresses = rows("addresses")
        let history = rows("history")
        let states = rows("state")
        let discounts = rows("discounts")
        let messages = rows("messages")
        let currencies = Dictionary(store.config.currencies.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        let items: [JSONValue] = records.map { row in
            let id = row.int("id_order") ?? 0
            let orderAddresses = addresses[id] ?? []
            let delivery = orderAddresses.first { $0.int("id_address") == row.int("id_address_delivery") }
            let invoice = orderAddresses.first { $0.int("id_address") == row.int("id_address_invoice") }
            let phone = [delivery, invoice].lazy.compactMap { $0?.text("phone").flatMap { $0.isEmpty ? nil : $0 } }.first
            let currencyID = row.text("id_currency", default: "")
            let currency = currencies[currencyID]
            let stateName = states[id]?.first?.text("name") ?? store.config.orderStatuses.first { $0.id == row.text("current_state") }?.name ?? ""
            let carrier = row.text("carrier_name").map { $0 == "0" ? (store.config.storeName ?? $0) : $0 }
            let totalIncl = row.double("total_paid_tax_incl") ?? 0
            let totalExcl = row.double("total_paid_tax_excl") ?? 0
            let shipping: JSONValue = carrier.map { ["name": .string($0), "additional_fields": ["id_carrier": row.string("id_carrier")]] } ?? .null
            return [
                "id": .string(String(id)),
                "order_id": .string(String(id)),
                "basket_id": row.string("id_cart"),
                "channel_id": .null,
                "customer": [
                    "id": row.string("id_customer"),
                    "email": .string(row.text("customer_email", default: "")),
                    "first_name": row.string("customer_firstname"),
                    "last_name": row.string("customer_lastname"),
                    "phone": phone.map(JSONValue.string) ?? .null,
                ],
                "create_at": row.date("date_add", scope.timeZone),
                "modified_at": row.date("date_upd", scope.timeZone),
                "finished_time": row.date("delivery_date", scope.timeZone),
                "currency": [
                    "id": .string(currencyID),
                    "name": currency.map { .string($0.name) } ?? .null,
                    "iso3": .string(row.text("currency_iso") ?? currency?.iso3 ?? ""),
                    "symbol_left": .string(currency?.symbolLeft ?? ""),
                    "symbol_right": .string(currency?.symbolRight ?? ""),
                    "rate": row.number("conversion_rate"),
                    "avail": .bool(currency != nil),
                    "default": .bool(currency?.isDefault ?? false),
                ],
                "shipping_address": delivery.map { Self.address($0, type: "shipping", isDefault: false) } ?? .null,
                "billing_address": invoice.map { Self.address($0, type: "billing", isDefault: false) } ?? .null,
                "payment_method": ["name": row.string("payment"), "additional_fields": ["module": row.string("module")]],
                "shipping_method": shipping,
                "shipping_methods": shipping == .null ? [] : [shipping],
                "status": [
                    "id": .string(row.text("current_state", default: "")),
                    "name": .string(stateName),
                    "history": .array(
                        (history[id] ?? []).map { entry in
                            [
                                "id": entry.string("id_order_state"),
                                "name": .string(entry.text("name", default: "")),
                                "modified_time": entry.date("date_add", scope.timeZone),
                                "notify": .null,
                                "comment": .null,
                                "additional_fields": ["id_order_history": entry.string("id_order_history"), "id_employee": entry.string("id_employee")],
                            ]
                        }),
                ],
                "totals": [
                    "total": .double(totalIncl),
                    "subtotal": row.number("total_products"),
                    "shipping": row.number("total_shipping"),
                    "tax": .double(Self.money(totalIncl - totalExcl)),
                    "discount": row.number("total_discounts"),
                ],
                "total": [
                    "subtotal_ex_tax": row.number("total_products"),
                    "wrapping_ex_tax": row.number("total_wrapping_tax_excl"),
                    "shipping_ex_tax": row.number("total_shipping_tax_excl"),
                    "total_discount": row.number("total_discounts_tax_incl"),
                    "total_tax": .double(Self.money(totalIncl - totalExcl)),
                    "total": .double(totalIncl),
                    "total_paid": row.number("total_paid_real"),
                ],
                "discounts": .array(
                    (discounts[id] ?? []).map { ["code": $0.string("name"), "value": $0.number("value"), "type": .string($0.flag("free_shipping") ? "free_shipping" : "fixed")] }
                ),
                "order_products": .array((lines[id] ?? []).map { Self.orderLine($0, options: options[$0.int("id_order_detail") ?? 0] ?? []) }),
                "bundles": [],
                "comment": row.nonEmpty("note"),
                "store_id": row.string("id_shop"),
                "warehouses_ids": [],
                "refunds": [],
                "gift_message": row.flag("gift") ? row.nonEmpty("gift_message") : .null,
                "order_details_url": .null,
                "additional_fields": [
                    "reference": row.string("reference"),
                    "module": row.string("module"),
                    "valid": .bool(row.flag("valid")),
                    "id_lang": row.string("id_lang"),
                    "id_carrier": row.string("id_carrier"),
                    "invoice_number": row.number("invoice_number"),
                    "delivery_number": row.number("delivery_number"),
                    "invoice_date": row.date("invoice_date", scope.timeZone),
                    "total_paid_tax_excl": .double(totalExcl),
                    "total_products_wt": row.number("total_products_wt"),
                    "total_shipping_tax_incl": row.number("total_shipping_tax_incl"),
                    "messages": .array(
                        (messages[id] ?? []).map { message in
                            [
                                "id": message.string("id_customer_message"),
                                "message": message.string("message"),
                                "private": .bool(message.flag("private")),
                                "id_employee": message.string("id_employee"),
                                "date_add": message.date("date_add", scope.timeZone),
                            ]
                        }),
                ],
            ]
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }

    /// `Order_Item` from an `order_detail` row: prices without and with tax per unit, the line total without tax.
    static func orderLine(_ row: [String: JSONValue], options: [[String: JSONValue]]) -> JSONValue {
        let quantity = row.double("product_quantity") ?? 0
        let totalExcl = row.double("total_price_tax_excl") ?? 0
        let totalIncl = row.double("total_price_tax_incl") ?? 0
        let variant = row.int("product_attribute_id") ?? 0
        return [
            "product_id": row.string("product_id"),
            "order_product_id": row.string("id_order_detail"),
            "model": row.nonEmpty("product_reference"),
            "name": .string(row.text("product_name", default: "")),
            "price": row.number("unit_price_tax_excl"),
            "price_inc_tax": row.number("unit_price_tax_incl"),
            "quantity": .double(quantity),
            "discount_amount": row.number("reduction_amount_tax_excl"),
            "total_price": .double(totalExcl),
            "tax_percent": row.number("tax_rate"),
            "tax_value": .double(Self.money(totalIncl - totalExcl)),
            "tax_value_after_discount": .double(Self.money(totalIncl - totalExcl)),
            "options": .array(
                options.map { option in
                    [
                        "option_id": option.string("id_attribute_group"),
                        "name": .string(option.text("public_name", default: "")),
                        "value": .string(option.text("value_name", default: "")),
                        "price": 0,
                        "product_option_value_id": option.string("id_attribute"),
                    ]
                }),
            "variant_id": variant > 0 ? .string(String(variant)) : .null,
            "weight": row.number("product_weight"),
            "barcode": row.nonEmpty("product_ean13"),
            "parent_order_product_id": .null,
            "additional_fields": [
                "product_price": row.number("product_price"),
                "reduction_percent": row.number("reduction_percent"),
                "total_price_tax_incl": .double(totalIncl),
                "product_upc": row.nonEmpty("product_upc"),
                "quantity_refunded": row.number("product_quantity_refunded"),
                "quantity_returned": row.number("product_quantity_return"),
            ],
        ]
    }
}
