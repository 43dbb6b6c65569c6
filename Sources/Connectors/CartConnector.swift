import CartBridgeCore

/// Everything CartBridge knows about one cart: which SQL reads its configuration (and, later, its
/// catalog and orders), and which API methods it serves. The bridge itself knows none of this.
public protocol CartConnector: Sendable {
    var cartType: CartType { get }
    /// The API methods this cart answers, beyond the account and cart methods every store has.
    var methods: [String] { get }
    /// Reads the stable configuration (languages, currencies, statuses, store views) in one round trip.
    func loadConfig(channel: some StoreChannel, detected: DetectedStore) async throws -> StoreConfig
}

public enum Connectors {
    public static func connector(for cart: CartType) -> any CartConnector {
        switch cart {
        case .opencart: OpenCartConnector()
        case .woocommerce: WooCommerceConnector()
        case .prestashop: PrestaShopConnector()
        }
    }

    /// Methods every registered store answers, whatever its cart.
    public static let commonMethods = [
        "cart.info", "cart.validate", "cart.methods", "cart.delete", "cart.clear_cache", "bridge.download", "bridge.update", "bridge.delete",
    ]
}
