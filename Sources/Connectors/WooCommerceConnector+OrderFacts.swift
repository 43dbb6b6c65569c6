import CartBridgeCore
import Foundation

/// An order's own facts read from either storage, so one mapping builds the contract's `Order` from both.
extension WooCommerceConnector {
    struct OrderFacts {
        var id: Int64
        var status: String
        var currency: String
        var total: Double
        var tax: Double
        var shipping: Double
        var shippingTax: Double
        var discount: Double
        var discountTax: Double
        var customerID: Int64
        var email: String
        var created: JSONValue
        var modified: JSONValue
        var paid: JSONValue
        var completed: JSONValue
        var paymentMethod: String
        var paymentTitle: String
        var transactionID: String
        var note: String
        var ipAddress: String
        var orderKey: String
        var pricesIncludeTax: Bool
        var createdVia: String
        var billingAddress: [String: String]
        var shippingAddress: [String: String]
        /// The order's page in WordPress's admin, which differs between the storages.
        var adminPath: String
    }

    /// HPOS: the `wc_orders` row with its operational data and both address rows joined. Dates are UTC.
    static func hposOrder(_ r: [String: JSONValue], store: StoreAccess) -> OrderFacts {
        let utc = TimeZone(identifier: "UTC")!
        func address(_ prefix: String) -> [String: String] {
            var out: [String: String] = [:]
            for field in Self.addressFields { out[field] = r.text(prefix + field) ?? "" }
            return out
        }
        return OrderFacts(
            id: r.int("order_id") ?? 0, status: r.text("status") ?? "", currency: r.text("currency") ?? "",
            total: r.double("total_amount") ?? 0, tax: r.double("tax_amount") ?? 0,
            shipping: r.double("shipping_total_amount") ?? 0, shippingTax: r.double("shipping_tax_amount") ?? 0,
            discount: r.double("discount_total_amount") ?? 0, discountTax: r.double("discount_tax_amount") ?? 0,
            customerID: r.int("customer_id") ?? 0, email: r.text("billing_email") ?? "",
            created: r.date("date_created_gmt", utc), modified: r.date("date_updated_gmt", utc),
            paid: r.date("date_paid_gmt", utc), completed: r.date("date_completed_gmt", utc),
            paymentMethod: r.text("payment_method") ?? "", paymentTitle: r.text("payment_method_title") ?? "",
            transactionID: r.text("transaction_id") ?? "", note: r.text("customer_note") ?? "", ipAddress: r.text("ip_address") ?? "",
            orderKey: r.text("order_key") ?? "", pricesIncludeTax: r.flag("prices_include_tax"), createdVia: r.text("created_via") ?? "",
            billingAddress: address("b_"), shippingAddress: address("s_"),
            adminPath: "/wp-admin/admin.php?page=wc-orders&action=edit&id=\(r.int("order_id") ?? 0)"
        )
    }

    /// Posts: the `shop_order` post and its meta. Post dates are store time; paid/completed are Unix times.
    static func postsOrder(_ r: [String: JSONValue], meta: [String: [String]], store: StoreAccess) -> OrderFacts {
        let zone = store.timeZone
        func m(_ key: String) -> String { meta[key]?.first ?? "" }
        func n(_ key: String) -> Double { Self.number(m(key)) ?? 0 }
        return OrderFacts(
            id: r.int("order_id") ?? 0, status: r.text("status") ?? "", currency: m("_order_currency"),
            total: n("_order_total"), tax: n("_order_tax") + n("_order_shipping_tax"),
            shipping: n("_order_shipping"), shippingTax: n("_order_shipping_tax"),
            discount: n("_cart_discount"), discountTax: n("_cart_discount_tax"),
            customerID: Int64(m("_customer_user")) ?? 0, email: m("_billing_email"),
            created: r.date("post_date", zone), modified: r.date("post_modified", zone),
            paid: Self.timestampDate(m("_date_paid"), zone: zone), completed: Self.timestampDate(m("_date_completed"), zone: zone),
            paymentMethod: m("_payment_method"), paymentTitle: m("_payment_method_title"), transactionID: m("_transaction_id"),
            note: r.text("customer_note") ?? "", ipAddress: m("_customer_ip_address"), orderKey: m("_order_key"),
            pricesIncludeTax: m("_prices_include_tax") == "yes", createdVia: m("_created_via"),
            billingAddress: Self.unprefixed(meta, prefix: "_billing_"), shippingAddress: Self.unprefixed(meta, prefix: "_shipping_"),
            adminPath: "/wp-admin/post.php?post=\(r.int("order_id") ?? 0)&action=edit"
        )
    }
}
