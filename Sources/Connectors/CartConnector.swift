import CartBridgeCore

/// Everything CartBridge knows about one cart: the SQL that reads its configuration, catalog, customers and
/// orders, the mapping into the contract's schemas, and the writes. The bridge itself knows none of this.
///
/// A list call is one bridge round trip: the page, its total and every child row (images, categories,
/// variants, addresses, order lines) come back from one batch, the child statements joining the page's ids.
public protocol CartConnector: Sendable {
    var cartType: CartType { get }
    /// The API methods this cart answers, beyond the account and cart methods every store has.
    var methods: [String] { get }
    /// Reads the stable configuration (languages, currencies, statuses, store views) in one round trip.
    func loadConfig(channel: some StoreChannel, detected: DetectedStore) async throws -> StoreConfig

    /// One page of `kind`, with its total unless `query.after` is set (a cursor walk counted on its first page).
    func list(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> ListPage
    /// How many items match the filters.
    func count(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> Int

    /// Creates a product; returns its id.
    func addProduct(_ draft: ProductDraft, store: StoreAccess) async throws -> String
    /// Changes a product; returns how many items changed (0 or 1); unknown ids throw 112.
    func updateProduct(_ change: ProductChange, store: StoreAccess) async throws -> Int
    /// Deletes a product with everything of it the cart keeps elsewhere; unknown ids throw 112.
    func deleteProduct(id: String, store: StoreAccess) async throws -> Int
    /// Sets an order's status with a history entry; unknown ids throw 112.
    func updateOrder(_ change: OrderChange, store: StoreAccess) async throws -> Int
}

extension CartConnector {
    public func list(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        throw Connectors.unsupported(kind.rawValue + ".list", self.cartType)
    }

    public func count(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> Int {
        throw Connectors.unsupported(kind.rawValue + ".count", self.cartType)
    }

    public func addProduct(_ draft: ProductDraft, store: StoreAccess) async throws -> String {
        throw Connectors.unsupported("product.add", self.cartType)
    }

    public func updateProduct(_ change: ProductChange, store: StoreAccess) async throws -> Int {
        throw Connectors.unsupported("product.update", self.cartType)
    }

    public func deleteProduct(id: String, store: StoreAccess) async throws -> Int {
        throw Connectors.unsupported("product.delete", self.cartType)
    }

    public func updateOrder(_ change: OrderChange, store: StoreAccess) async throws -> Int {
        throw Connectors.unsupported("order.update", self.cartType)
    }
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
        "order.status.list",
    ]

    /// The catalog and order methods a connector that implements every entity answers.
    public static let catalogMethods = [
        "product.list", "product.info", "product.count", "product.find", "product.child_item.list", "product.child_item.info",
        "product.add", "product.update", "product.delete",
        "category.list", "category.info", "category.count",
        "customer.list", "customer.info", "customer.count",
        "order.list", "order.info", "order.count", "order.update",
    ]

    static func unsupported(_ method: String, _ cart: CartType) -> CartBridgeError {
        CartBridgeError(.methodNotSpecified, "Method '\(method)' is not supported for \(cart.displayName) stores yet.")
    }
}
