/// What a store's configuration cache holds: stable facts read from the store, never its business data.
public struct StoreConfig: Codable, Sendable, Hashable {
    public struct Language: Codable, Sendable, Hashable {
        public var id: String
        public var code: String
        public var name: String
        public var isDefault: Bool

        public init(id: String, code: String, name: String, isDefault: Bool) {
            self.id = id
            self.code = code
            self.name = name
            self.isDefault = isDefault
        }
    }

    public struct Currency: Codable, Sendable, Hashable {
        public var id: String
        public var iso3: String
        public var name: String
        public var symbolLeft: String
        public var symbolRight: String
        public var rate: Double
        public var isDefault: Bool

        public init(id: String, iso3: String, name: String, symbolLeft: String, symbolRight: String, rate: Double, isDefault: Bool) {
            self.id = id
            self.iso3 = iso3
            self.name = name
            self.symbolLeft = symbolLeft
            self.symbolRight = symbolRight
            self.rate = rate
            self.isDefault = isDefault
        }
    }

    public struct OrderStatus: Codable, Sendable, Hashable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct StoreView: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public var url: String?

        public init(id: String, name: String, url: String?) {
            self.id = id
            self.name = name
            self.url = url
        }
    }

    public var cartType: CartType
    public var cartVersion: String
    public var platformVersion: String?
    public var tablePrefix: String
    public var storeName: String?
    public var storeURL: String?
    public var timezone: String?
    public var dbServerVersion: String?
    public var dbCharset: String?
    public var bridgeVersion: String?
    public var phpVersion: String?
    public var readOnly: Bool
    public var languages: [Language]
    public var currencies: [Currency]
    public var orderStatuses: [OrderStatus]
    public var stores: [StoreView]
    /// Columns of the cart's tables that differ between its versions (table name without prefix → columns), so
    /// a connector picks its SQL without asking the store again. Nil in caches written before it existed.
    public var tableColumns: [String: [String]]?
    /// Cart-specific settings a connector caches with the configuration (units, upload URL, which tables
    /// exist). Optional so that configurations cached before it existed still decode.
    public var cartSettings: [String: String]?

    public init(
        cartType: CartType,
        cartVersion: String,
        platformVersion: String? = nil,
        tablePrefix: String,
        storeName: String? = nil,
        storeURL: String? = nil,
        timezone: String? = nil,
        dbServerVersion: String? = nil,
        dbCharset: String? = nil,
        bridgeVersion: String? = nil,
        phpVersion: String? = nil,
        readOnly: Bool = false,
        languages: [Language] = [],
        currencies: [Currency] = [],
        orderStatuses: [OrderStatus] = [],
        stores: [StoreView] = []
    ) {
        self.cartType = cartType
        self.cartVersion = cartVersion
        self.platformVersion = platformVersion
        self.tablePrefix = tablePrefix
        self.storeName = storeName
        self.storeURL = storeURL
        self.timezone = timezone
        self.dbServerVersion = dbServerVersion
        self.dbCharset = dbCharset
        self.bridgeVersion = bridgeVersion
        self.phpVersion = phpVersion
        self.readOnly = readOnly
        self.languages = languages
        self.currencies = currencies
        self.orderStatuses = orderStatuses
        self.stores = stores
    }
}
