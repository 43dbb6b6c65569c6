import CartBridgeCore

/// What the bridge's `ping` and `detect` reported about a store.
public struct DetectedStore: Sendable, Hashable {
    public var cartType: CartType
    public var cartVersion: String
    public var platformVersion: String?
    public var tablePrefix: String
    public var dbServerVersion: String?
    public var dbCharset: String?
    public var timezone: String?
    public var storeURL: String?
    public var bridgeVersion: String?
    public var phpVersion: String?
    public var readOnly: Bool

    public init(
        cartType: CartType,
        cartVersion: String,
        platformVersion: String? = nil,
        tablePrefix: String,
        dbServerVersion: String? = nil,
        dbCharset: String? = nil,
        timezone: String? = nil,
        storeURL: String? = nil,
        bridgeVersion: String? = nil,
        phpVersion: String? = nil,
        readOnly: Bool = false
    ) {
        self.cartType = cartType
        self.cartVersion = cartVersion
        self.platformVersion = platformVersion
        self.tablePrefix = tablePrefix
        self.dbServerVersion = dbServerVersion
        self.dbCharset = dbCharset
        self.timezone = timezone
        self.storeURL = storeURL
        self.bridgeVersion = bridgeVersion
        self.phpVersion = phpVersion
        self.readOnly = readOnly
    }

    /// Reads the bridge's `detect` result (and the `ping` result for the bridge's own facts).
    public init(detect: JSONValue, ping: JSONValue?) throws(CartBridgeError) {
        guard let cartName = detect["cart_type"]?.stringValue else {
            throw CartBridgeError(.storeError, "The bridge could not detect a supported cart in the store root.", detail: "detect returned no cart_type")
        }
        guard let cart = CartType(rawValue: cartName) else {
            throw CartBridgeError(.storeError, "The store runs a cart CartBridge does not support yet (\(cartName.prefix(32))).")
        }
        let prefix = detect["table_prefix"]?.stringValue ?? ""
        guard TablePrefix.validate(prefix) else {
            throw CartBridgeError(.storeError, "The store's table prefix has characters CartBridge does not accept.", detail: "prefix failed validation")
        }
        self.init(
            cartType: cart,
            cartVersion: detect["cart_version"]?.textValue ?? "",
            platformVersion: detect["platform_version"]?.textValue,
            tablePrefix: prefix,
            dbServerVersion: detect["db_server_version"]?.textValue,
            dbCharset: detect["db_charset"]?.textValue,
            timezone: detect["timezone"]?.textValue,
            storeURL: detect["store_url"]?.textValue,
            bridgeVersion: ping?["bridge_version"]?.textValue,
            phpVersion: ping?["php_version"]?.textValue,
            readOnly: ping?["read_only"]?.boolValue ?? false
        )
    }

    /// The configuration every cart fills the same way from what detect said.
    func baseConfig() -> StoreConfig {
        StoreConfig(
            cartType: self.cartType,
            cartVersion: self.cartVersion,
            platformVersion: self.platformVersion,
            tablePrefix: self.tablePrefix,
            storeURL: self.storeURL,
            timezone: self.timezone,
            dbServerVersion: self.dbServerVersion,
            dbCharset: self.dbCharset,
            bridgeVersion: self.bridgeVersion,
            phpVersion: self.phpVersion,
            readOnly: self.readOnly
        )
    }
}
