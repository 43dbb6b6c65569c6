import CartBridgeCore

/// WooCommerce on WordPress. Settings are WordPress options; order statuses are WooCommerce's fixed set.
public struct WooCommerceConnector: CartConnector {
    public let cartType = CartType.woocommerce
    public var methods: [String] { [] }

    /// WooCommerce's built-in order statuses (post status names), in its own order.
    static let orderStatuses: [StoreConfig.OrderStatus] = [
        .init(id: "wc-pending", name: "Pending payment"),
        .init(id: "wc-processing", name: "Processing"),
        .init(id: "wc-on-hold", name: "On hold"),
        .init(id: "wc-completed", name: "Completed"),
        .init(id: "wc-cancelled", name: "Cancelled"),
        .init(id: "wc-refunded", name: "Refunded"),
        .init(id: "wc-failed", name: "Failed"),
        .init(id: "wc-checkout-draft", name: "Draft"),
    ]

    /// Symbols of the most common shop currencies; others show their ISO code, as WooCommerce's own fallback does.
    static let symbols: [String: String] = [
        "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "AUD": "$", "CAD": "$", "NZD": "$",
        "CHF": "CHF", "SEK": "kr", "NOK": "kr", "DKK": "kr", "PLN": "zł", "UAH": "₴", "BRL": "R$", "ZAR": "R",
        "MXN": "$", "TRY": "₺", "KRW": "₩",
    ]

    public init() {}

    public func loadConfig(channel: some StoreChannel, detected: DetectedStore) async throws -> StoreConfig {
        let p = detected.tablePrefix
        let results = try await channel.query([
            SQLStatement(
                "SELECT `option_name`, `option_value` FROM `\(p)options` WHERE `option_name` IN (?, ?, ?, ?, ?, ?, ?)",
                ["blogname", "home", "WPLANG", "woocommerce_currency", "woocommerce_currency_pos", "timezone_string", "gmt_offset"]
            )
        ])
        var options: [String: String] = [:]
        for row in results[0].records {
            if let name = row.text("option_name") { options[name] = row.text("option_value", default: "") }
        }
        var config = detected.baseConfig()
        config.storeName = options["blogname"]
        // WordPress leaves WPLANG empty for its default, US English.
        let locale = (options["WPLANG"].flatMap { $0.isEmpty ? nil : $0 }) ?? "en_US"
        config.languages = [StoreConfig.Language(id: locale, code: locale, name: locale, isDefault: true)]
        let currency = options["woocommerce_currency"].flatMap { $0.isEmpty ? nil : $0 } ?? "USD"
        let symbolOnLeft = !(options["woocommerce_currency_pos"] ?? "left").hasPrefix("right")
        let symbol = Self.symbols[currency] ?? currency
        config.currencies = [
            StoreConfig.Currency(
                id: currency,
                iso3: currency,
                name: currency,
                symbolLeft: symbolOnLeft ? symbol : "",
                symbolRight: symbolOnLeft ? "" : symbol,
                rate: 1,
                isDefault: true
            )
        ]
        if let zone = options["timezone_string"], !zone.isEmpty {
            config.timezone = zone
        } else if let offset = options["gmt_offset"], let hours = Double(offset) {
            config.timezone = Self.utcOffset(hours: hours)
        }
        config.orderStatuses = Self.orderStatuses
        config.stores = [StoreConfig.StoreView(id: "0", name: config.storeName ?? "", url: options["home"] ?? detected.storeURL)]
        return config
    }

    /// `+05:30` style, from WordPress's `gmt_offset` hours.
    static func utcOffset(hours: Double) -> String {
        let totalMinutes = Int((hours * 60).rounded())
        let sign = totalMinutes < 0 ? "-" : "+"
        let minutes = abs(totalMinutes)
        let h = minutes / 60
        let m = minutes % 60
        return "\(sign)\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }
}
