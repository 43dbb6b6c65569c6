import CartBridgeCore
import Foundation
import Testing

@testable import CartBridgeServer

/// The OpenCart connector against OpenCart 4.1.0.4 and 3.0.5.1 with their demo data, and the generated store.
@Suite(.enabled(if: TestStores.named("oc4104") != nil || TestStores.named("ocmini") != nil, "\(TestStores.skipReason)"))
struct OpenCartConnectorTests {
    static let stores = ["oc4104", "oc3051", "ocmini"].filter { TestStores.named($0) != nil }
    static let demoStores = ["oc4104", "oc3051"].filter { TestStores.named($0) != nil }

    @Test(arguments: Self.stores)
    func countsEqualDirectSQL(store: String) async throws {
        let h = try await StoreHarness.make(store)
        defer { h.remove() }
        let p = h.entry.table_prefix
        let products = try await h.ok("product.count").result["products_count"]?.intValue
        #expect(products == Int64(try h.sqlInt("SELECT COUNT(*) FROM \(p)product")))
        let categories = try await h.ok("category.count").result["categories_count"]?.intValue
        #expect(categories == Int64(try h.sqlInt("SELECT COUNT(*) FROM \(p)category")))
        let enabled = try await h.ok("product.count", query: "status=enabled").result["products_count"]?.intValue
        #expect(enabled == Int64(try h.sqlInt("SELECT COUNT(*) FROM \(p)product WHERE status = 1")))
        let children = try await h.ok("product.child_item.count").result["total_count"]?.intValue
        #expect(children == Int64(try h.sqlInt("SELECT COUNT(*) FROM \(p)product_option_value")))
        if try h.sqlInt("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '\(p)order'") > 0 {
            let orders = try await h.ok("order.count").result["orders_count"]?.intValue
            #expect(orders == Int64(try h.sqlInt("SELECT COUNT(*) FROM `\(p)order` WHERE order_status_id > 0")))
            let customers = try await h.ok("customer.count").result["customers_count"]?.intValue
            #expect(customers == Int64(try h.sqlInt("SELECT COUNT(*) FROM \(p)customer")))
        }
    }

    @Test(arguments: Self.demoStores)
    func demoIPhoneComesBackWithItsFields(store: String) async throws {
        let h = try await StoreHarness.make(store)
        defer { h.remove() }
        let answer = try await h.ok("product.info", query: "id=40&params=force_all")
        let item = answer.result
        #expect(item["id"] == "40")
        #expect(item["name"] == "iPhone")
        #expect(item["u_model"] == "product 11")
        #expect(item["price"]?.doubleValue == 101)
        let quantity = try h.sqlInt("SELECT quantity FROM oc_product WHERE product_id = 40")
        #expect(item["quantity"]?.doubleValue == Double(quantity))
        let categories = Set(try h.sqlColumn("SELECT category_id FROM oc_product_to_category WHERE product_id = 40"))
        #expect(Set(item["categories_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []) == categories)
        #expect(!categories.isEmpty)
        let images = try h.sqlInt("SELECT COUNT(*) FROM oc_product_image WHERE product_id = 40")
        let pictures = item["images"]?.arrayValue ?? []
        #expect(pictures.count == images + 1, "main image and \(images) gallery images")
        #expect(pictures.first?["http_path"]?.stringValue?.hasSuffix("image/catalog/demo/iphone_1.jpg") == true, "\(pictures.first ?? .null)")
        #expect(item["create_at"]?["format"] == .string(APIDate.format))
        // The contract's default params: id, name, description, price, categories_ids.
        let defaults = try await h.ok("product.info", query: "id=40").result
        #expect(Set(defaults.objectValue?.keys.map { $0 } ?? []) == ["id", "name", "description", "price", "categories_ids"])
    }
}

extension JSONValue {
    var doubleValue: Double? {
        switch self {
        case .double(let d): d
        case .int(let i): Double(i)
        default: nil
        }
    }
}
