import Foundation

/// A store registered by an account: where its bridge is and how to talk to it. No store data lives here.
public struct Store: Sendable, Hashable {
    public let id: Int64
    public let accountID: Int64
    /// Names the store in API calls; not a secret of the bridge (that is the bridge key in the vault).
    public var storeKey: String
    /// The contract's cart identifier as the client gave it, e.g. `Opencart14`, `Woocommerce`.
    public var cartID: String
    public var storeURL: String
    public var bridgeURL: String
    public var storeRoot: String?
    public var tablePrefix: String?
    public var customLabel: String?
    /// The bridge key version the service signs with (`k1`, `k2`, ...).
    public var keyID: String
    /// Encrypt bodies even over https (always done over http).
    public var forceEncryption: Bool
    public var bridgeVersion: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// Whether every body to this store's bridge is encrypted: always over plain http, or when forced.
    public var requiresEncryption: Bool {
        self.forceEncryption || self.bridgeURL.lowercased().hasPrefix("http://")
    }

    public init(
        id: Int64,
        accountID: Int64,
        storeKey: String,
        cartID: String,
        storeURL: String,
        bridgeURL: String,
        storeRoot: String? = nil,
        tablePrefix: String? = nil,
        customLabel: String? = nil,
        keyID: String = "k1",
        forceEncryption: Bool = false,
        bridgeVersion: String? = nil,
        createdAt: Date = Date(),
        updatedAt: Date = Date()
    ) {
        self.id = id
        self.accountID = accountID
        self.storeKey = storeKey
        self.cartID = cartID
        self.storeURL = storeURL
        self.bridgeURL = bridgeURL
        self.storeRoot = storeRoot
        self.tablePrefix = tablePrefix
        self.customLabel = customLabel
        self.keyID = keyID
        self.forceEncryption = forceEncryption
        self.bridgeVersion = bridgeVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
