import CartBridgeCore
import Connectors
import CredentialVault
import Foundation
import Registry

/// `product.*`, `category.*`, `customer.*`, `order.*` reads: the contract's parameters in, the store's connector
/// for the SQL, the contract's list shapes and `page_cursor` out.
enum CatalogMethods {
    static let all: [APIMethod] = EntityKind.allCases.flatMap { kind in
        [
            APIMethod(name: "\(kind.rawValue).list", scope: .store) { try await list(kind, $0) },
            APIMethod(name: "\(kind.rawValue).count", scope: .store) { try await count(kind, $0) },
            APIMethod(name: "\(kind.rawValue).info", scope: .store) { try await info(kind, $0) },
        ]
    } + [
        APIMethod(name: "product.find", scope: .store, run: find),
        APIMethod(name: "order.status.list", scope: .store, run: orderStatuses),
    ]

    /// The contract's default `params` of each list and info method.
    static func defaultParams(_ kind: EntityKind) -> [String] {
        switch kind {
        case .product: ["id", "name", "description", "price", "categories_ids"]
        case .productChild: ["force_all"]
        case .category: ["id", "parent_id", "name", "description"]
        case .customer: ["id", "email", "first_name", "last_name"]
        case .order: ["order_id", "customer", "totals", "address", "items", "bundles", "status"]
        }
    }

    /// Group names of `params` that stand for several fields.
    static let aliases: [String: [String]] = [
        "address": ["shipping_address", "billing_address"],
        "items": ["order_products"],
        "order_id": ["order_id", "id"],
    ]

    static func selection(_ kind: EntityKind, _ call: CallContext) throws(CartBridgeError) -> FieldSelection {
        try FieldSelection(parameters: call.parameters, defaultParams: Self.defaultParams(kind), aliases: Self.aliases)
    }

    /// The store's connector, its channel and its cached configuration.
    static func access(_ call: CallContext) async throws -> (any CartConnector, StoreAccess) {
        let store = try call.requiredStore
        let config = try await StoreConfigService(services: call.services).config(for: store, logger: call.logger)
        let channel = try await call.services.channel(for: store)
        return (Connectors.connector(for: config.cartType), StoreAccess(channel: channel, config: config))
    }

    static func list(_ kind: EntityKind, _ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        let selection = try Self.selection(kind, call)
        let keyring = call.services.credentials.keyring.vault.keyring
        var query: ListQuery
        var total: Int?
        if let text = try call.parameters.string("page_cursor", maxLength: PageCursor.maxLength) {
            // The cursor carries the whole query; filters sent along with it are ignored, as the contract says.
            let cursor = try PageCursor.decode(text, keyring: keyring, kind: kind, storeID: store.id)
            query = cursor.query
            total = cursor.total
        } else {
            query = try ListParameters.query(call.parameters, kind: kind, paging: true)
        }
        query.fields = selection.needed
        let (connector, access) = try await Self.access(call)
        let page = try await connector.list(kind, query, store: access)
        total = page.total ?? total
        var next: JSONValue = .null
        if let position = page.next {
            var following = query
            following.after = position
            following.start = 0
            following.fields = nil
            next = .string(PageCursor(kind: kind, storeID: store.id, query: following, total: total).encode(keyring: keyring))
        }
        let keys = kind.listKeys
        return .result(
            [keys.count: total.map { .int(Int64($0)) } ?? .null, keys.items: .array(page.items.map(selection.apply))],
            pagination: ["previous": .null, "next": next]
        )
    }

    static func count(_ kind: EntityKind, _ call: CallContext) async throws -> APIOutcome {
        let query = try ListParameters.query(call.parameters, kind: kind, paging: false)
        let (connector, access) = try await Self.access(call)
        let total = try await connector.count(kind, query, store: access)
        return .result([kind.listKeys.count: .int(Int64(total))])
    }

    /// One item by id: a one-item list, 112 when there is none.
    static func info(_ kind: EntityKind, _ call: CallContext) async throws -> APIOutcome {
        let selection = try Self.selection(kind, call)
        var query = ListQuery()
        let id: String
        switch kind {
        case .order:
            guard let given = try call.parameters.string("order_id", maxLength: 32) ?? call.parameters.string("id", maxLength: 32) else {
                throw CartBridgeError.missingParameter("order_id")
            }
            id = given
        case .productChild:
            query.productIDs = [try call.parameters.requiredString("product_id", maxLength: 32)]
            id = try call.parameters.requiredString("id", maxLength: 32)
        default:
            id = try call.parameters.requiredString("id", maxLength: 32)
        }
        query.ids = [id]
        query.count = 1
        query.storeID = try call.parameters.string("store_id", maxLength: 32)
        query.langID = try call.parameters.string("lang_id", maxLength: 32)
        query.currencyID = try call.parameters.string("currency_id", maxLength: 32)
        query.fields = selection.needed
        let (connector, access) = try await Self.access(call)
        let page = try await connector.list(kind, query, store: access)
        guard let item = page.items.first else {
            throw CartBridgeError(.itemNotFound, "No \(kind == .productChild ? "child item" : kind.rawValue) with id \(Parameters.safeName(id)).")
        }
        return .result(selection.apply(item))
    }

    /// `product.find`: products whose `find_where` field (name by default) holds `find_value`.
    static func find(_ call: CallContext) async throws -> APIOutcome {
        var query = ListQuery()
        query.findValue = try call.parameters.requiredString("find_value", maxLength: 255)
        query.findWhere = try call.parameters.list("find_where") ?? ["name"]
        query.langID = try call.parameters.string("lang_id", maxLength: 32)
        query.storeID = try call.parameters.string("store_id", maxLength: 32)
        query.count = ListParameters.maxCount
        query.fields = ["id", "name", "description", "price"]
        let (connector, access) = try await Self.access(call)
        let page = try await connector.list(.product, query, store: access)
        let selection = try FieldSelection(parameters: Parameters(), defaultParams: ["id", "name", "description", "price"], aliases: [String: [String]]())
        return .result(["product": .array(page.items.map(selection.apply))])
    }

    /// From the cached configuration: no store call.
    static func orderStatuses(_ call: CallContext) async throws -> APIOutcome {
        let store = try call.requiredStore
        let config = try await StoreConfigService(services: call.services).config(for: store, logger: call.logger)
        return .result(["cart_order_statuses": .array(config.orderStatuses.map { ["id": .string($0.id), "name": .string($0.name)] })])
    }
}
