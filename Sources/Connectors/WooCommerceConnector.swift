import CartBridgeCore

/// WooCommerce on WordPress. Settings are WordPress options; order statuses are WooCommerce's fixed set.
public struct WooCommerceConnector: CartConnector {
    public let cartType = CartType.woocommerce
    public var methods: [String] { Connectors.catalogMethods }

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
                "SELECT `option_name`, `option_value` FROM `\(p)options` WHERE `option_name` IN (\(SQLText.placeholders(Self.configOptions.count)))",
                Self.configOptions.map(JSONValue.string)
            ),
            // Shops that never turned HPOS on may lack its tables; order reads must not name tables that are missing.
            SQLStatement(
                "SELECT COUNT(*) AS n FROM information_schema.`TABLES` WHERE `TABLE_SCHEMA` = DATABASE() AND `TABLE_NAME` = ?",
                [.string(p + "wc_orders")]
            ),
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
        config.cartSettings = [
            Self.Setting.hposTables: (results[1].records.first?.int("n") ?? 0) > 0 ? "yes" : "no",
            Self.Setting.weightUnit: options["woocommerce_weight_unit"].flatMap { $0.isEmpty ? nil : $0 } ?? "kg",
            Self.Setting.dimensionUnit: options["woocommerce_dimension_unit"].flatMap { $0.isEmpty ? nil : $0 } ?? "cm",
            Self.Setting.uploadsURL: Self.uploadsURL(
                siteURL: options["siteurl"] ?? options["home"] ?? detected.storeURL ?? "",
                uploadPath: options["upload_path"] ?? "", uploadURLPath: options["upload_url_path"] ?? ""
            ),
            Self.Setting.homeURL: options["home"] ?? detected.storeURL ?? "",
        ]
        config.stores = [StoreConfig.StoreView(id: "0", name: config.storeName ?? "", url: options["home"] ?? detected.storeURL)]
        return config
    }

    /// The WordPress options the configuration reads.
    static let configOptions = [
        "blogname", "home", "siteurl", "WPLANG", "woocommerce_currency", "woocommerce_currency_pos", "timezone_string", "gmt_offset",
        "woocommerce_weight_unit", "woocommerce_dimension_unit", "upload_path", "upload_url_path",
    ]

    /// Keys of `StoreConfig.cartSettings`.
    enum Setting {
        static let hposTables = "hpos_tables"
        static let weightUnit = "weight_unit"
        static let dimensionUnit = "dimension_unit"
        static let uploadsURL = "uploads_url"
        static let homeURL = "home_url"
    }

    /// Where attachments are served from, as `wp_upload_dir()` works it out: `upload_url_path` when set, else
    /// `upload_path` under the site URL, else `wp-content/uploads`.
    static func uploadsURL(siteURL: String, uploadPath: String, uploadURLPath: String) -> String {
        let trimmed = { (s: String) in s.hasSuffix("/") ? String(s.dropLast()) : s }
        if !uploadURLPath.isEmpty { return trimmed(uploadURLPath) }
        let site = trimmed(siteURL)
        if !uploadPath.isEmpty, !uploadPath.hasPrefix("/"), uploadPath != "wp-content/uploads" {
            return site + "/" + trimmed(uploadPath)
        }
        return site + "/wp-content/uploads"
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
