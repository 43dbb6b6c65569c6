import CartBridgeCore
import Foundation

/// The contract's `Order` from an order's facts, its items, their attributes and its notes.
extension WooCommerceConnector {
    func order(_ o: OrderFacts, lines: [[String: JSONValue]], options: [[String: JSONValue]], notes: [[String: JSONValue]], store: StoreAccess) -> JSONValue {
        let id = String(o.id)
        let products = lines.filter { $0.text("order_item_type") == "line_item" }
        let shippings = lines.filter { $0.text("order_item_type") == "shipping" }
        let subtotal = products.reduce(0.0) { $0 + ($1.double("line_subtotal") ?? 0) }
        let itemTax = products.reduce(0.0) { $0 + ($1.double("line_tax") ?? 0) }
        let optionsByItem = ContractShapes.group(options, by: "order_item_id")
        let currency = store.config.currencies.first { $0.id == o.currency }
        let home = Self.setting(store, Setting.homeURL) ?? store.config.storeURL ?? ""
        let shippingMethods: [JSONValue] = shippings.map { s in
            ["name": .string(s.text("order_item_name") ?? ""), "additional_fields": ["method_id": s.string("method_id"), "cost": s.number("cost")]]
        }
        let billing = o.billingAddress.filter { !$0.value.isEmpty }
        return [
            "id": .string(id),
            "order_id": .string(id),
            "customer": [
                "id": o.customerID > 0 ? .string(String(o.customerID)) : .null,
                "email": .string(o.email.isEmpty ? (billing["email"] ?? "") : o.email),
                "first_name": Self.json(billing["first_name"]),
                "last_name": Self.json(billing["last_name"]),
                "phone": Self.json(billing["phone"]),
            ],
            "create_at": o.created,
            "currency": [
                "id": .string(o.currency),
                "name": .string(o.currency),
                "iso3": .string(o.currency),
                "symbol_left": .string(currency?.symbolLeft ?? ""),
                "symbol_right": .string(currency?.symbolRight ?? ""),
                "rate": .double(currency?.rate ?? 1),
                "avail": true,
                "default": .bool(currency?.isDefault ?? false),
            ],
            "billing_address": Self.address(o.billingAddress, id: "\(id)-billing", type: "billing") ?? .null,
            "shipping_address": Self.address(o.shippingAddress, id: "\(id)-shipping", type: "shipping") ?? .null,
            "payment_method": [
                "name": .string(o.paymentTitle.isEmpty ? o.paymentMethod : o.paymentTitle), "additional_fields": ["method_id": .string(o.paymentMethod)],
            ],
            "shipping_method": shippingMethods.first ?? .null,
            "shipping_methods": .array(shippingMethods),
            "status": [
                "id": .string(o.status),
                "name": .string(Self.statusName(o.status, store: store)),
                "history": .array(Self.history(notes, current: o.status, store: store)),
            ],
            "totals": [
                "total": .double(o.total),
                "subtotal": .double(subtotal),
                "shipping": .double(o.shipping),
                "tax": .double(o.tax),
                "discount": .double(o.discount),
            ],
            "total": [
                "subtotal_ex_tax": .double(subtotal),
                "shipping_ex_tax": .double(o.shipping),
                "total_discount": .double(o.discount),
                "total_tax": .double(o.tax == 0 ? itemTax + o.shippingTax : o.tax),
                "total": .double(o.total),
                "total_paid": .double(o.paid == .null ? 0 : o.total),
            ],
            "order_products": .array(products.map { Self.orderItem($0, options: optionsByItem[$0.int("order_item_id") ?? 0] ?? []) }),
            "bundles": [],
            "modified_at": o.modified,
            "finished_time": o.completed,
            "comment": o.note.isEmpty ? .null : .string(o.note),
            "store_id": "0",
            "order_details_url": .string(home + o.adminPath),
            "additional_fields": [
                "order_key": .string(o.orderKey),
                "transaction_id": .string(o.transactionID),
                "customer_ip_address": .string(o.ipAddress),
                "prices_include_tax": .bool(o.pricesIncludeTax),
                "created_via": .string(o.createdVia),
                "date_paid": o.paid,
                "discount_tax": .double(o.discountTax),
                "shipping_tax": .double(o.shippingTax),
            ],
        ]
    }

    /// `Order_Item` from a `line_item` with its pivoted meta; attributes of a variation become its options.
    static func orderItem(_ r: [String: JSONValue], options: [[String: JSONValue]]) -> JSONValue {
        let quantity = r.double("qty") ?? 0
        let subtotal = r.double("line_subtotal") ?? 0
        let subtotalTax = r.double("line_subtotal_tax") ?? 0
        let total = r.double("line_total") ?? 0
        let tax = r.double("line_tax") ?? 0
        let variation = r.int("variation_id") ?? 0
        let unit = quantity > 0 ? subtotal / quantity : subtotal
        return [
            "product_id": .string(String(r.int("product_id") ?? 0)),
            "order_product_id": .string(String(r.int("order_item_id") ?? 0)),
            "model": r.string("sku"),
            "name": .string(r.text("order_item_name") ?? ""),
            "price": .double(unit),
            "price_inc_tax": .double(quantity > 0 ? (subtotal + subtotalTax) / quantity : subtotal + subtotalTax),
            "quantity": .double(quantity),
            "discount_amount": .double(max(0, subtotal - total)),
            "total_price": .double(total),
            "tax_percent": .double(subtotal > 0 ? (subtotalTax / subtotal * 10_000).rounded() / 100 : 0),
            "tax_value": .double(subtotalTax),
            "tax_value_after_discount": .double(tax),
            "options": .array(
                options.map { o in
                    let key = o.text("meta_key") ?? ""
                    let value = o.text("meta_value") ?? ""
                    return [
                        "option_id": .string(key),
                        "name": .string(key.hasPrefix("pa_") ? String(key.dropFirst(3)) : key),
                        "value": .string(o.text("value_name") ?? value),
                        "price": 0.0,
                        "type": .null,
                        "product_option_value_id": .string(value),
                    ]
                }
            ),
            "variant_id": variation > 0 ? .string(String(variation)) : .null,
            "weight": .null,
            "barcode": .null,
        ]
    }

    /// The name the store gives a status; unknown (plugin) statuses show their slug.
    static func statusName(_ id: String, store: StoreAccess) -> String {
        store.config.orderStatuses.first { $0.id == id }?.name ?? (id.hasPrefix("wc-") ? String(id.dropFirst(3)) : id)
    }

    /// `Order_Status_HistoryItem`s from the order's notes, oldest first. WooCommerce writes a status change as
    /// "... Order status changed from A to B."; each note is listed with the status in force after it.
    static func history(_ notes: [[String: JSONValue]], current: String, store: StoreAccess) -> [JSONValue] {
        let names = Dictionary(store.config.orderStatuses.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let transitions = notes.map { Self.transition($0.text("comment_content") ?? "") }
        // Before the first change the order had that change's old status; with no change at all, the current one.
        var status = transitions.compactMap { $0 }.first.flatMap { names[$0.from] } ?? current
        var out: [JSONValue] = []
        for (note, transition) in zip(notes, transitions) {
            if let transition, let id = names[transition.to] { status = id }
            out.append(
                [
                    "id": .string(status),
                    "name": .string(Self.statusName(status, store: store)),
                    "modified_time": note.date("comment_date", store.timeZone),
                    "notify": .bool(note.text("is_customer_note") == "1"),
                    "comment": note.string("comment_content"),
                    "additional_fields": ["note_id": .string(String(note.int("comment_ID") ?? 0))],
                ]
            )
        }
        return out
    }

    /// The two status names of WooCommerce's "Order status changed from A to B." text.
    static func transition(_ text: String) -> (from: String, to: String)? {
        guard let start = text.range(of: "Order status changed from ") else { return nil }
        let rest = text[start.upperBound...]
        guard let to = rest.range(of: " to ") else { return nil }
        let from = String(rest[..<to.lowerBound])
        var target = String(rest[to.upperBound...])
        if let dot = target.firstIndex(of: ".") { target = String(target[..<dot]) }
        return (from, target)
    }
}
