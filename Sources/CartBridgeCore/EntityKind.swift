/// The entities the catalog and order methods list, count and read.
public enum EntityKind: String, Sendable, Codable, CaseIterable {
    case product
    case productChild = "product.child_item"
    case category
    case customer
    case order

    /// The contract's names in a list result: `products_count` + `product[]`, `total_count` + `children[]`.
    public var listKeys: (count: String, items: String) {
        switch self {
        case .product: ("products_count", "product")
        case .productChild: ("total_count", "children")
        case .category: ("categories_count", "category")
        case .customer: ("customers_count", "customer")
        case .order: ("orders_count", "order")
        }
    }
}
