/// One list, count or info call as connectors see it: filters, order, the page, and the fields asked for.
///
/// The server builds it from the contract's parameters (already validated); a `page_cursor` carries it whole,
/// so it is `Codable`. Connectors read the filters their cart has and ignore the rest.
public struct ListQuery: Codable, Sendable, Hashable {
    public enum Direction: String, Codable, Sendable {
        case asc
        case desc
    }

    /// Where a keyset walk stands: the sort value and id of the last item already returned.
    public struct Position: Codable, Sendable, Hashable {
        public var sortValue: JSONValue
        public var id: Int64

        public init(sortValue: JSONValue, id: Int64) {
            self.sortValue = sortValue
            self.id = id
        }
    }

    public var count: Int = 10
    /// `start`: an offset; ignored once `after` is set (cursor pages are keyset pages).
    public var start: Int = 0
    public var after: Position?
    /// The contract's `sort_by` name; each connector maps the names it supports onto columns.
    public var sortBy: String = "id"
    public var direction: Direction = .asc

    public var ids: [String]?
    public var sinceID: Int64?
    /// `YYYY-MM-DD HH:MM:SS`, in the store's own time zone (the way the carts keep their dates).
    public var createdFrom: String?
    public var createdTo: String?
    public var modifiedFrom: String?
    public var modifiedTo: String?
    public var findValue: String?
    public var findWhere: [String]?
    public var storeID: String?
    public var langID: String?
    public var currencyID: String?
    /// `category.list` parent_id.
    public var parentID: String?
    /// `product.child_item.list` product_id / product_ids.
    public var productIDs: [String]?
    public var categoryID: String?
    public var customerID: String?
    public var customerEmail: String?
    /// Order status ids, or the product status (`enabled`/`disabled`).
    public var statuses: [String]?
    public var sku: String?
    /// `avail` / `status`: only enabled (true) or only disabled (false) items.
    public var enabled: Bool?
    public var includeGuests: Bool = false
    /// The item fields the caller keeps (nil: all of them), so a connector can leave out statements whose
    /// columns nobody reads. Not part of a cursor: each call states its own `params`.
    public var fields: Set<String>?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case count, start, after, sortBy = "sort", direction = "dir", ids, sinceID = "since", createdFrom = "cf", createdTo = "ct"
        case modifiedFrom = "mf", modifiedTo = "mt", findValue = "fv", findWhere = "fw", storeID = "store", langID = "lang"
        case currencyID = "cur", parentID = "parent", productIDs = "pids", categoryID = "cat", customerID = "cust"
        case customerEmail = "email", statuses = "st", sku, enabled = "on", includeGuests = "guests"
    }

    /// Whether the caller keeps `field` (or any of `fields`).
    public func wants(_ field: String...) -> Bool {
        guard let fields = self.fields else { return true }
        return field.contains { fields.contains($0) }
    }

    /// The whole-number ids among `ids`: a text id can match no row of a cart with numeric keys.
    public static func numeric(_ ids: [String]?) -> [Int64]? {
        ids.map { $0.compactMap { Int64($0) } }
    }
}
