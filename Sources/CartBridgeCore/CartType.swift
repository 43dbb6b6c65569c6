/// The carts CartBridge knows, and the contract's `cart_id` names that select them.
public enum CartType: String, Sendable, Codable, CaseIterable {
    case opencart
    case woocommerce
    case prestashop

    /// The contract's `cart_id` (as `account.cart.add` takes it) for each cart.
    public var cartID: String {
        switch self {
        case .opencart: "Opencart14"
        case .woocommerce: "Woocommerce"
        case .prestashop: "Prestashop"
        }
    }

    public var displayName: String {
        switch self {
        case .opencart: "OpenCart"
        case .woocommerce: "WooCommerce"
        case .prestashop: "PrestaShop"
        }
    }

    public var supportedVersions: String {
        switch self {
        case .opencart: "3.0.x, 4.x"
        case .woocommerce: "8.x, 9.x (WordPress 6)"
        case .prestashop: "1.7, 8, 9"
        }
    }

    /// Accepts the contract's `cart_id` in any letter case, and our own lowercase names.
    public init?(cartID: String) {
        let lowered = cartID.lowercased()
        guard let match = CartType.allCases.first(where: { $0.cartID.lowercased() == lowered || $0.rawValue == lowered }) else {
            return nil
        }
        self = match
    }
}
