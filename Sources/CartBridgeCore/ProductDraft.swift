/// `product.add`: what a new product starts with. The server has checked every value's type and size.
public struct ProductDraft: Sendable, Hashable {
    public var name: String
    public var model: String
    public var sku: String?
    public var description: String
    public var shortDescription: String?
    public var price: Double
    public var specialPrice: Double?
    public var quantity: Int
    /// `status` enabled/disabled (and `available_for_sale`); new products are enabled unless told otherwise.
    public var enabled: Bool
    public var categoryIDs: [String]
    public var weight: Double?
    public var metaTitle: String?
    public var metaDescription: String?
    public var metaKeywords: String?
    public var seoURL: String?
    public var langID: String?
    public var storeIDs: [String]?

    public init(name: String, model: String, description: String, price: Double, quantity: Int = 0, enabled: Bool = true) {
        self.name = name
        self.model = model
        self.description = description
        self.price = price
        self.quantity = quantity
        self.enabled = enabled
        self.categoryIDs = []
    }
}
