import CartBridgeCore

/// The contract's list, count and info parameters, read into a `ListQuery`: every value checked for type,
/// range and size before a connector sees it.
enum ListParameters {
    static let maxCount = 250
    static let maxIDs = 250

    /// The contract's `sort_by` default for each list.
    static func defaultSort(_ kind: EntityKind) -> String {
        switch kind {
        case .customer: "created_time"
        case .order: "order_id"
        default: "id"
        }
    }

    /// Filters of a list or count call. `paging` adds start, count and the order.
    static func query(_ p: Parameters, kind: EntityKind, paging: Bool) throws(CartBridgeError) -> ListQuery {
        var q = ListQuery()
        if paging {
            if let count = try p.optionalInt("count", in: Int.min...Int.max) {
                guard count >= 0 else { throw CartBridgeError.badParameter("count", "must not be negative") }
                guard count <= Self.maxCount else {
                    throw CartBridgeError(.tooManyItemsRequested, "Too many items requested: count is at most \(Self.maxCount).")
                }
                q.count = count
            }
            q.start = try p.int("start", default: 0, in: 0...1_000_000_000)
            q.sortBy = try p.string("sort_by", maxLength: 64) ?? Self.defaultSort(kind)
            switch try p.string("sort_direction", maxLength: 8)?.lowercased() {
            case nil, "asc": q.direction = .asc
            case "desc": q.direction = .desc
            default: throw CartBridgeError.badParameter("sort_direction", "expected asc or desc")
            }
        }
        q.ids = try Self.ids(p, names: Self.idNames(kind))
        if let since = try p.string("since_id", maxLength: 20) {
            guard let id = Int64(since) else { throw CartBridgeError.badParameter("since_id", "expected a whole number") }
            q.sinceID = id
        }
        q.createdFrom = try Self.date(p, "created_from")
        q.createdTo = try Self.date(p, "created_to")
        q.modifiedFrom = try Self.date(p, "modified_from")
        q.modifiedTo = try Self.date(p, "modified_to")
        q.findValue = try p.string("find_value", maxLength: 255)
        q.findWhere = try p.list("find_where").map { names throws(CartBridgeError) in
            guard names.count <= 16, names.allSatisfy({ $0.utf8.count <= 64 }) else { throw CartBridgeError.badParameter("find_where", "too many or too long field names") }
            return names
        }
        q.storeID = try p.string("store_id", maxLength: 32)
        q.langID = try p.string("lang_id", maxLength: 32)
        q.currencyID = try p.string("currency_id", maxLength: 32)
        q.sku = try p.string("sku", maxLength: 255)
        switch kind {
        case .product:
            q.categoryID = try p.string("category_id", maxLength: 32)
            if let status = try p.string("status", maxLength: 16)?.lowercased() {
                guard status == "enabled" || status == "disabled" else { throw CartBridgeError.badParameter("status", "expected enabled or disabled") }
                q.enabled = status == "enabled"
            }
        case .productChild:
            var products = try Self.ids(p, names: ["product_ids"]) ?? []
            if let one = try p.string("product_id", maxLength: 32) { products.append(one) }
            q.productIDs = products.isEmpty ? nil : products
        case .category:
            q.parentID = try p.string("parent_id", maxLength: 32)
            q.enabled = p.contains("avail") ? try p.bool("avail", default: true) : nil
        case .customer:
            q.enabled = p.contains("avail") ? try p.bool("avail", default: true) : nil
            q.includeGuests = try p.bool("include_guests", default: false)
        case .order:
            q.customerID = try p.string("customer_id", maxLength: 32)
            q.customerEmail = try p.string("customer_email", maxLength: 255)
            var statuses = try Self.ids(p, names: ["order_status_ids"]) ?? []
            if let one = try p.string("order_status", maxLength: 64) { statuses.append(one) }
            q.statuses = statuses.isEmpty ? nil : statuses
        }
        return q
    }

    /// The contract names the id filter differently for each list.
    static func idNames(_ kind: EntityKind) -> [String] {
        switch kind {
        case .product: ["product_ids"]
        case .productChild: []
        case .category: []
        case .customer: ["ids"]
        case .order: ["ids", "order_ids"]
        }
    }

    static func ids(_ p: Parameters, names: [String]) throws(CartBridgeError) -> [String]? {
        var all: [String] = []
        for name in names {
            guard let ids = try p.list(name) else { continue }
            guard ids.count <= Self.maxIDs, ids.allSatisfy({ $0.utf8.count <= 32 }) else {
                throw CartBridgeError.badParameter(name, "at most \(Self.maxIDs) ids of at most 32 characters")
            }
            all += ids
        }
        return all.isEmpty ? nil : all
    }

    static func date(_ p: Parameters, _ name: String) throws(CartBridgeError) -> String? {
        guard let text = try p.string(name, maxLength: 64) else { return nil }
        guard let normalized = APIDate.filter(text) else {
            throw CartBridgeError.badParameter(name, "expected a date like 2010-07-29 13:45:52")
        }
        return normalized
    }
}
