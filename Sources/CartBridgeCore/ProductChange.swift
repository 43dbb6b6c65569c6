/// `product.update`: only the fields the caller sent change. Relative quantity changes are applied by the
/// database (`quantity = quantity - ?`), so concurrent calls never lose one.
public struct ProductChange: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var description: String?
    public var shortDescription: String?
    public var model: String?
    public var sku: String?
    public var price: Double?
    /// A special (sale) price; the cart keeps it where it keeps its own (a special row, a sale price meta, a specific price).
    public var specialPrice: Double?
    public var quantity: Int?
    public var increaseQuantity: Int?
    public var reduceQuantity: Int?
    public var enabled: Bool?
    public var weight: Double?
    public var metaTitle: String?
    public var metaDescription: String?
    public var metaKeywords: String?
    public var langID: String?
    public var storeID: String?

    public init(id: String) {
        self.id = id
    }

    /// Whether any field besides the id was given.
    public var isEmpty: Bool {
        self == ProductChange(id: self.id)
    }
}
