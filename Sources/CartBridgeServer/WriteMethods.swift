import CartBridgeCore
import Connectors
import Foundation
import Logging
import Registry

/// `product.add`, `product.update`, `product.delete`, `order.update`: checked parameters in, the connector's
/// writes, and `idempotency_key` (a retried write gets the first answer instead of writing twice).
enum WriteMethods {
    static let all: [APIMethod] = [
        APIMethod(name: "product.add", scope: .store) { try await Idempotency.once($0) { try await addProduct($0) } },
        APIMethod(name: "product.update", scope: .store) { try await Idempotency.once($0) { try await updateProduct($0) } },
        APIMethod(name: "product.delete", scope: .store) { try await Idempotency.once($0) { try await deleteProduct($0) } },
        APIMethod(name: "order.update", scope: .store) { try await Idempotency.once($0) { try await updateOrder($0) } },
    ]

    static let maxName = 255
    static let maxText = 65_535
    static let maxMoney = 1e12
    static let maxQuantity = 1_000_000_000

    static func addProduct(_ call: CallContext) async throws -> JSONValue {
        let p = call.parameters
        var draft = ProductDraft(
            name: try p.requiredString("name", maxLength: Self.maxName),
            model: try p.requiredString("model", maxLength: 64),
            description: try p.string("description", maxLength: Self.maxText) ?? "",
            price: try p.double("price", in: 0...Self.maxMoney) ?? { throw CartBridgeError.missingParameter("price") }(),
            quantity: try p.int("quantity", default: 0, in: 0...Self.maxQuantity),
            enabled: try Self.enabled(p) ?? true
        )
        draft.sku = try p.string("sku", maxLength: 64)
        draft.shortDescription = try p.string("short_description", maxLength: Self.maxText)
        draft.specialPrice = try p.double("special_price", in: 0...Self.maxMoney)
        draft.weight = try p.double("weight", in: 0...1e9)
        draft.metaTitle = try p.string("meta_title", maxLength: Self.maxName)
        draft.metaDescription = try p.string("meta_description", maxLength: Self.maxText)
        draft.metaKeywords = try p.string("meta_keywords", maxLength: Self.maxText)
        draft.seoURL = try p.string("seo_url", maxLength: Self.maxName)
        draft.langID = try p.string("lang_id", maxLength: 32)
        draft.categoryIDs = try Self.ids(p, "categories_ids") + (p.string("category_id", maxLength: 32).map { [$0] } ?? [])
        draft.storeIDs = try p.list("stores_ids")
        let (connector, access) = try await CatalogMethods.access(call)
        let id = try await connector.addProduct(draft, store: access)
        call.logger.info("product added", metadata: ["product_id": "\(id)"])
        return ["product_id": .string(id)]
    }

    static func updateProduct(_ call: CallContext) async throws -> JSONValue {
        let p = call.parameters
        var change = ProductChange(id: try p.requiredString("id", maxLength: 32))
        change.name = try p.string("name", maxLength: Self.maxName)
        change.description = try p.string("description", maxLength: Self.maxText)
        change.shortDescription = try p.string("short_description", maxLength: Self.maxText)
        change.model = try p.string("model", maxLength: 64)
        change.sku = try p.string("sku", maxLength: 64)
        change.price = try p.double("price", in: 0...Self.maxMoney)
        change.specialPrice = try p.double("special_price", in: 0...Self.maxMoney)
        change.quantity = try p.optionalInt("quantity", in: 0...Self.maxQuantity)
        change.increaseQuantity = try p.optionalInt("increase_quantity", in: 0...Self.maxQuantity)
        change.reduceQuantity = try p.optionalInt("reduce_quantity", in: 0...Self.maxQuantity)
        change.enabled = try Self.enabled(p)
        change.weight = try p.double("weight", in: 0...1e9)
        change.metaTitle = try p.string("meta_title", maxLength: Self.maxName)
        change.metaDescription = try p.string("meta_description", maxLength: Self.maxText)
        change.metaKeywords = try p.string("meta_keywords", maxLength: Self.maxText)
        change.langID = try p.string("lang_id", maxLength: 32)
        change.storeID = try p.string("store_id", maxLength: 32)
        let relative = [change.quantity, change.increaseQuantity, change.reduceQuantity].compactMap { $0 }.count
        guard relative <= 1 else {
            throw CartBridgeError(.incorrectParameters, "Send one of quantity, increase_quantity and reduce_quantity, not several.")
        }
        guard !change.isEmpty else {
            throw CartBridgeError(.requiredParameterMissing, "Nothing to update: send at least one field to change.")
        }
        let (connector, access) = try await CatalogMethods.access(call)
        let updated = try await connector.updateProduct(change, store: access)
        call.logger.info("product updated", metadata: ["product_id": "\(change.id)"])
        return ["updated_items": .int(Int64(updated))]
    }

    static func deleteProduct(_ call: CallContext) async throws -> JSONValue {
        let id = try call.parameters.requiredString("id", maxLength: 32)
        let (connector, access) = try await CatalogMethods.access(call)
        let deleted = try await connector.deleteProduct(id: id, store: access)
        call.logger.info("product deleted", metadata: ["product_id": "\(id)"])
        return ["delete_items": .int(Int64(deleted))]
    }

    static func updateOrder(_ call: CallContext) async throws -> JSONValue {
        let p = call.parameters
        var change = OrderChange(orderID: try p.requiredString("order_id", maxLength: 32))
        change.statusID = try p.string("order_status", maxLength: 64)
        change.comment = try p.string("comment", maxLength: Self.maxText)
        change.notifyCustomer = try p.bool("send_notifications", default: false)
        change.storeID = try p.string("store_id", maxLength: 32)
        guard change.statusID != nil || change.comment != nil else {
            throw CartBridgeError(.requiredParameterMissing, "Nothing to update: send order_status or comment.")
        }
        let (connector, access) = try await CatalogMethods.access(call)
        if let status = change.statusID, !access.config.orderStatuses.isEmpty, !access.config.orderStatuses.contains(where: { $0.id == status }) {
            throw CartBridgeError.badParameter("order_status", "the store has no order status with this id (see order.status.list)")
        }
        let updated = try await connector.updateOrder(change, store: access)
        call.logger.info("order updated", metadata: ["order_id": "\(change.orderID)"])
        return ["updated_items": .int(Int64(updated))]
    }

    /// `status` (`enabled`/`disabled`) or `available_for_sale`/`avail`.
    static func enabled(_ p: Parameters) throws(CartBridgeError) -> Bool? {
        if let status = try p.string("status", maxLength: 16)?.lowercased() {
            guard status == "enabled" || status == "disabled" else { throw CartBridgeError.badParameter("status", "expected enabled or disabled") }
            return status == "enabled"
        }
        if p.contains("available_for_sale") { return try p.bool("available_for_sale", default: true) }
        return nil
    }

    static func ids(_ p: Parameters, _ name: String) throws(CartBridgeError) -> [String] {
        let ids = try p.list(name) ?? []
        guard ids.count <= ListParameters.maxIDs, ids.allSatisfy({ $0.utf8.count <= 32 }) else {
            throw CartBridgeError.badParameter(name, "at most \(ListParameters.maxIDs) ids of at most 32 characters")
        }
        return ids
    }
}
