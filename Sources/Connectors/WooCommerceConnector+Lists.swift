import CartBridgeCore

/// `*.list`, `*.info`, `*.count`: each entity's SQL lives in its own file; this routes to it.
extension WooCommerceConnector {
    public func list(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        _ = try store.languageID(query.langID)
        try Self.checkStore(query.storeID)
        switch kind {
        case .product: return try await self.listProducts(query, store: store)
        case .productChild: return try await self.listVariations(query, store: store)
        case .category: return try await self.listCategories(query, store: store)
        case .customer: return try await self.listCustomers(query, store: store)
        case .order: return try await self.listOrders(query, store: store)
        }
    }

    public func count(_ kind: EntityKind, _ query: ListQuery, store: StoreAccess) async throws -> Int {
        _ = try store.languageID(query.langID)
        try Self.checkStore(query.storeID)
        let statements: [SQLStatement]
        switch kind {
        case .product: statements = [try self.productSQL(query, store: store).countStatement]
        case .productChild: statements = [try self.variationSQL(query, store: store).countStatement]
        case .category: statements = [try self.categorySQL(query, store: store).countStatement]
        case .customer: statements = [try self.customerSQL(query, store: store).countStatement]
        case .order: statements = try self.orderSQLs(query, store: store).map(\.sql.countStatement)
        }
        let results = try await store.query(statements)
        // Orders count both storages; only the authoritative one has rows.
        return results.reduce(0) { $0 + PageSQL.total($1) }
    }

    /// A WordPress site is one store view, id "0".
    static func checkStore(_ storeID: String?) throws(CartBridgeError) {
        guard let storeID, storeID != "0" else { return }
        throw CartBridgeError.badParameter("store_id", "the store has one store view, id 0")
    }
}
