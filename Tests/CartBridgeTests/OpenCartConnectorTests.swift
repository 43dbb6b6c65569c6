import CartBridgeCore
import Foundation
import Synchronization
import Testing

@testable import CartBridgeServer

/// The OpenCart connector against OpenCart 4.1.0.4 and 3.0.5.1 with their demo data, and the generated store.
/// Serialized: its tests write to the stores the others count.
@Suite(.serialized, .enabled(if: TestStores.named("oc4104") != nil || TestStores.named("ocmini") != nil, "\(TestStores.skipReason)"))
struct OpenCartConnectorTests {
    static let stores = ["oc4104", "oc3051", "ocmini"].filter { TestStores.named($0) != nil }
    static let demoStores = ["oc4104", "oc3051"].filter { TestStores.named($0) != nil }
    /// For tests any OpenCart store serves: a demo one when there is one, else the generated one.
    static let anyStore = Self.demoStores.first ?? Self.stores.first ?? "ocmini"
    static let noDemo = "the OpenCart demo databases (../shared/carts) are not in the test environment"

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

extension OpenCartConnectorTests {
    /// Every product exactly once, by cursor and by start/count, while a product is added during the walk.
    @Test(arguments: Self.demoStores)
    func walkingEveryPageReturnsEachProductOnce(store: String) async throws {
        let h = try await StoreHarness.make(store)
        defer { h.remove() }
        let expected = try h.sqlColumn("SELECT product_id FROM oc_product ORDER BY product_id")
        for byStart in [false, true] {
            let added = LockedBox<String?>(nil)
            let items = try await h.walk("product.list", itemsKey: "product", query: "params=id,name", count: 4, byStart: byStart) { page in
                guard page == 2 else { return }
                _ = try h.sql(
                    "SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'; INSERT INTO oc_product (model, quantity, stock_status_id, image, manufacturer_id, shipping, price, points, tax_class_id, date_available, weight, weight_class_id, length, width, height, length_class_id, subtract, minimum, sort_order, status, date_added, date_modified) VALUES ('walk-added', 1, 7, '', 0, 1, 1, 0, 0, CURDATE(), 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, NOW(), NOW())"
                )
                added.set(try h.sqlColumn("SELECT MAX(product_id) FROM oc_product").first)
            }
            let ids = items.compactMap { $0["id"]?.stringValue }
            let addedID = try #require(added.get())
            defer { _ = try? h.sql("DELETE FROM oc_product WHERE product_id = \(addedID)") }
            #expect(Set(ids).count == ids.count, "no product twice (byStart: \(byStart))")
            // Ids grow, so the one added mid-walk lands on a later page and is seen once too.
            #expect(ids == expected + [addedID], "byStart: \(byStart)")
            _ = try h.sql("DELETE FROM oc_product WHERE product_id = \(addedID)")
        }
    }

    @Test func cursorIsTamperProofAndBoundToItsList() async throws {
        let h = try await StoreHarness.make(Self.anyStore)
        defer { h.remove() }
        let first = try await h.ok("product.list", query: "count=3")
        let cursor = try #require(first.json["pagination"]?["next"]?.stringValue)
        var bytes = Array(cursor.utf8)
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let tampered = try await h.call("product.list", query: "page_cursor=\(String(decoding: bytes, as: UTF8.self))")
        #expect(tampered.returnCode == 109, "\(tampered.raw)")
        let otherList = try await h.call("category.list", query: "page_cursor=\(cursor)")
        #expect(otherList.returnCode == 109, "\(otherList.raw)")
        let second = try await h.ok("product.list", query: "page_cursor=\(cursor)")
        #expect(second.result["products_count"] == first.result["products_count"])
        let firstIDs = first.result["product"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        let secondIDs = second.result["product"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        #expect(secondIDs.count == 3 && Set(firstIDs).isDisjoint(with: secondIDs))
    }

    /// Each filter against the SQL that states it.
    @Test(arguments: Self.demoStores)
    func filtersMatchDirectSQL(store: String) async throws {
        let h = try await StoreHarness.make(store)
        defer { h.remove() }
        func ids(_ query: String) async throws -> [String] {
            let answer = try await h.ok("product.list", query: "count=250&params=id&\(query)")
            return answer.result["product"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        }
        let middle = try #require(try h.sqlColumn("SELECT date_added FROM oc_product ORDER BY date_added, product_id").dropFirst(5).first)
        let cases: [(String, String)] = [
            ("created_from=\(middle.replacingOccurrences(of: " ", with: "%20"))", "date_added >= '\(middle)'"),
            ("created_to=\(middle.replacingOccurrences(of: " ", with: "%20"))", "date_added <= '\(middle)'"),
            ("modified_from=2011-01-01", "date_modified >= '2011-01-01 00:00:00'"),
            ("since_id=35", "product_id > 35"),
            ("product_ids=40,42,999999", "product_id IN (40, 42)"),
            ("category_id=20", "product_id IN (SELECT product_id FROM oc_product_to_category WHERE category_id = 20)"),
            ("find_value=phone", "product_id IN (SELECT product_id FROM oc_product_description WHERE language_id = 1 AND name LIKE '%phone%')"),
            ("find_value=product%201&find_where=model", "model LIKE '%product 1%'"),
            ("status=disabled", "status = 0"),
        ]
        for (query, condition) in cases {
            let expected = try h.sqlColumn("SELECT product_id FROM oc_product WHERE \(condition) ORDER BY product_id")
            #expect(try await ids(query) == expected, "\(query)")
            let count = try await h.ok("product.count", query: query).result["products_count"]?.intValue
            #expect(count == Int64(expected.count), "\(query)")
        }
        let descending = try await ids("sort_by=price&sort_direction=desc")
        #expect(descending == (try h.sqlColumn("SELECT product_id FROM oc_product ORDER BY price DESC, product_id DESC")))
        // Categories by parent.
        let children = try await h.ok("category.list", query: "parent_id=20&count=250&params=id").result["category"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(children == (try h.sqlColumn("SELECT category_id FROM oc_category WHERE parent_id = 20 ORDER BY category_id")))
    }

    @Test(.enabled(if: !Self.demoStores.isEmpty, "\(Self.noDemo)"))
    func paramsExcludeAndResponseFieldsShapeTheAnswer() async throws {
        let h = try await StoreHarness.make(try #require(Self.demoStores.first))
        defer { h.remove() }
        let some = try await h.ok("product.info", query: "id=40&params=id,u_model,quantity").result
        #expect(Set(some.objectValue?.keys.map { $0 } ?? []) == ["id", "u_model", "quantity"])
        let all = try await h.ok("product.info", query: "id=40&params=force_all&exclude=description,images").result
        #expect(all["description"] == nil && all["images"] == nil && all["special_price"] != nil && all["product_options"] != nil)
        let projected = try await h.ok("product.list", query: "count=2&params=force_all&response_fields={result{products_count,product{id,price}}}")
        // The envelope's own keys stay: clients read return_code before anything else.
        #expect(Set(projected.result.objectValue?.keys.map { $0 } ?? []) == ["products_count", "product"])
        #expect(projected.result["product"]?.arrayValue?.allSatisfy { Set($0.objectValue?.keys.map { $0 } ?? []) == ["id", "price"] } == true)
        #expect(projected.result["products_count"]?.intValue == Int64(try h.sqlInt("SELECT COUNT(*) FROM oc_product")))
        let options = try await h.ok("product.info", query: "id=42&params=product_options").result["product_options"]?.arrayValue ?? []
        #expect(options.count == (try h.sqlInt("SELECT COUNT(*) FROM oc_product_option WHERE product_id = 42")))
        let children = try await h.ok("product.child_item.list", query: "product_id=42&count=250").result["children"]?.arrayValue ?? []
        #expect(children.count == (try h.sqlInt("SELECT COUNT(*) FROM oc_product_option_value WHERE product_id = 42")))
        #expect(children.allSatisfy { $0["parent_id"] == "42" })
    }

    @Test func badInputGetsTheContractsCodesAndChangesNothing() async throws {
        let h = try await StoreHarness.make(Self.anyStore)
        defer { h.remove() }
        let before = try h.sql("CHECKSUM TABLE oc_product, oc_product_description")
        let cases: [(String, String, Int64)] = [
            ("product.info", "id=999999", 112), ("product.info", "id=abc", 112), ("category.info", "id=999999", 112),
            ("order.info", "order_id=999999", 112), ("product.child_item.info", "product_id=40&id=999999", 112),
            ("product.list", "created_from=yesterday", 109), ("product.list", "created_from=2024-13-45", 109),
            ("product.list", "count=-1", 109), ("product.list", "start=-5", 109), ("product.list", "count=251", 111),
            ("product.list", "sort_by=password", 109), ("product.list", "sort_direction=sideways", 109),
            ("product.list", "find_value=x&find_where=password", 109), ("product.list", "since_id=1%20OR%201=1", 109),
            ("product.list", "page_cursor=not-a-cursor", 109), ("product.info", "", 114),
        ]
        for (method, query, code) in cases {
            let answer = try await h.call(method, query: query)
            #expect(answer.returnCode == code, "\(method)?\(query): \(answer.raw.prefix(300))")
            #expect(!answer.message.isEmpty && !answer.message.lowercased().contains("select"), "\(answer.message)")
        }
        // count=0: the total alone.
        let totalOnly = try await h.ok("product.list", query: "count=0")
        let total = try h.sqlInt("SELECT COUNT(*) FROM oc_product")
        #expect(totalOnly.result["product"] == [] && totalOnly.result["products_count"]?.intValue == Int64(total))
        #expect(totalOnly.json["pagination"]?["next"] == .null)
        for value in ["'; DROP TABLE oc_product; --", "%", "_", "\\", "Ёлка 🎄", "\" OR 1=1 #"] {
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let answer = try await h.ok("product.list", query: "find_value=\(encoded)&params=id")
            // OpenCart keeps names HTML-escaped: the search looks for the text as the admin would have stored it.
            let stored = value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            let literal = stored.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            let expected = try h.sqlInt("SELECT COUNT(*) FROM oc_product_description WHERE language_id = 1 AND INSTR(name, '\(literal)') > 0")
            #expect(answer.result["products_count"]?.intValue == Int64(expected), "\(value)")
        }
        #expect(try h.sql("CHECKSUM TABLE oc_product, oc_product_description") == before)
    }
}

/// A value tests set from a closure and read after it.
final class LockedBox<Value: Sendable>: Sendable {
    let state: Mutex<Value>
    init(_ value: Value) { self.state = Mutex(value) }
    func set(_ value: Value) { self.state.withLock { $0 = value } }
    func get() -> Value { self.state.withLock { $0 } }
}

extension OpenCartConnectorTests {
    /// product.add, update and delete read back through SQL and through the API.
    @Test(arguments: Self.demoStores)
    func productWritesReadBackThroughSQLAndTheAPI(store: String) async throws {
        let h = try await StoreHarness.make(store)
        defer { h.remove() }
        let added = try await h.ok(
            "product.add", verb: .post,
            body: #"{"name":"Tasse \"Grün\" & <Co>","model":"CB-ADD-1","sku":"CB-SKU-1","description":"<p>Mug</p>","price":12.5,"quantity":7,"categories_ids":"20,24","special_price":9.99}"#
        )
        let id = try #require(added.result["product_id"]?.stringValue)
        defer { _ = try? h.sql("DELETE FROM oc_product WHERE product_id = \(id); DELETE FROM oc_product_description WHERE product_id = \(id); DELETE FROM oc_product_to_category WHERE product_id = \(id); DELETE FROM oc_product_to_store WHERE product_id = \(id)") }
        let row = try #require(try h.sql("SELECT model, price, quantity, status, date_added > NOW() - INTERVAL 1 HOUR FROM oc_product WHERE product_id = \(id)").first)
        #expect(row == ["CB-ADD-1", "12.5000", "7", "1", "1"])
        // Stored as OpenCart's admin stores it: HTML-escaped.
        #expect(try h.sqlColumn("SELECT name FROM oc_product_description WHERE product_id = \(id) AND language_id = 1") == ["Tasse &quot;Grün&quot; &amp; &lt;Co&gt;"])
        #expect(Set(try h.sqlColumn("SELECT category_id FROM oc_product_to_category WHERE product_id = \(id)")) == ["20", "24"])
        #expect(try h.sqlColumn("SELECT store_id FROM oc_product_to_store WHERE product_id = \(id)") == ["0"])
        let info = try await h.ok("product.info", query: "id=\(id)&params=force_all").result
        #expect(info["name"] == "Tasse \"Grün\" & <Co>")
        #expect(info["u_sku"] == "CB-SKU-1")
        #expect(info["special_price"]?["value"]?.doubleValue == 9.99)
        #expect(info["quantity"]?.doubleValue == 7)

        let updated = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","price":15,"name":"Mug 2","increase_quantity":3,"status":"disabled","special_price":11}"#)
        #expect(updated.result["updated_items"] == 1)
        #expect(try h.sql("SELECT price, quantity, status FROM oc_product WHERE product_id = \(id)").first == ["15.0000", "10", "0"])
        let afterUpdate = try await h.ok("product.info", query: "id=\(id)&params=name,price,quantity,avail_sale,special_price").result
        #expect(afterUpdate["name"] == "Mug 2" && afterUpdate["price"]?.doubleValue == 15 && afterUpdate["avail_sale"] == false)
        #expect(afterUpdate["special_price"]?["value"]?.doubleValue == 11, "one special, replaced")

        let deleted = try await h.ok("product.delete", verb: .delete, query: "id=\(id)")
        #expect(deleted.result["delete_items"] == 1)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM oc_product WHERE product_id = \(id)") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM oc_product_description WHERE product_id = \(id)") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM oc_product_to_category WHERE product_id = \(id)") == 0)
        let gone = try await h.call("product.info", query: "id=\(id)")
        #expect(gone.returnCode == 112)
        for (method, verb, query, body) in [
            ("product.update", "PUT", "", #"{"id":"999999","price":1}"#), ("product.delete", "DELETE", "id=999999", nil as String?),
            ("order.update", "PUT", "", #"{"order_id":"999999","comment":"x"}"#),
        ] {
            let answer = try await h.call(method, verb: .init(verb)!, query: query, body: body)
            #expect(answer.returnCode == 112, "\(method): \(answer.raw)")
        }
    }

    /// 50 concurrent reduce_quantity=1 on quantity 100 leave exactly 50: the database applies each one.
    @Test func concurrentReduceQuantityLosesNoUpdate() async throws {
        let h = try await StoreHarness.make(Self.anyStore) { $0.perStoreConcurrency = 64; $0.perAccountConcurrency = 64 }
        defer { h.remove() }
        let id = try #require(try await h.ok("product.add", verb: .post, body: #"{"name":"Stock","model":"CB-STOCK","description":"","price":1,"quantity":100}"#).result["product_id"]?.stringValue)
        defer { _ = try? h.sql("DELETE FROM oc_product WHERE product_id = \(id); DELETE FROM oc_product_description WHERE product_id = \(id); DELETE FROM oc_product_to_store WHERE product_id = \(id)") }
        let codes = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for _ in 0..<50 {
                group.addTask { try await h.call("product.update", verb: .put, body: #"{"id":"\#(id)","reduce_quantity":1}"#).returnCode }
            }
            return try await group.reduce(into: [Int64?]()) { $0.append($1) }
        }
        #expect(codes.allSatisfy { $0 == 0 }, "\(codes)")
        #expect(try h.sqlInt("SELECT quantity FROM oc_product WHERE product_id = \(id)") == 50)
    }

    /// A write repeated with the same idempotency_key is answered from the first and writes once.
    @Test func idempotencyKeyWritesOnce() async throws {
        let h = try await StoreHarness.make(Self.anyStore) { $0.perStoreConcurrency = 16 }
        defer { h.remove() }
        let key = "cb-test-\(UInt64.random(in: 1...UInt64.max))"
        let body = #"{"name":"Once","model":"CB-ONCE","description":"","price":1,"idempotency_key":"\#(key)"}"#
        let first = try await h.ok("product.add", verb: .post, body: body)
        let second = try await h.ok("product.add", verb: .post, body: body)
        let id = try #require(first.result["product_id"]?.stringValue)
        defer { _ = try? h.sql("DELETE FROM oc_product WHERE model = 'CB-ONCE'; DELETE FROM oc_product_description WHERE product_id = \(id); DELETE FROM oc_product_to_store WHERE product_id = \(id)") }
        #expect(second.result == first.result)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM oc_product WHERE model = 'CB-ONCE'") == 1)
        let reduce = #"{"id":"\#(id)","reduce_quantity":1,"idempotency_key":"\#(key)"}"#
        _ = try await h.ok("product.update", verb: .put, body: reduce)
        _ = try await h.ok("product.update", verb: .put, body: reduce)
        #expect(try h.sqlInt("SELECT quantity FROM oc_product WHERE product_id = \(id)") == -1, "reduced once")

        // Ten identical writes at once: one runs, the others wait for its answer.
        let burstKey = key + "-burst"
        let burst = #"{"id":"\#(id)","reduce_quantity":1,"idempotency_key":"\#(burstKey)"}"#
        let answers = try await withThrowingTaskGroup(of: APIAnswer.self) { group in
            for _ in 0..<6 { group.addTask { try await h.call("product.update", verb: .put, body: burst) } }
            return try await group.reduce(into: [APIAnswer]()) { $0.append($1) }
        }
        #expect(answers.allSatisfy { $0.returnCode == 0 && $0.result == ["updated_items": 1] }, "\(answers.map(\.raw))")
        #expect(try h.sqlInt("SELECT quantity FROM oc_product WHERE product_id = \(id)") == -2, "reduced once more, not six times")
    }
}

/// Customers and orders come from the generated store (the demo databases have none).
extension OpenCartConnectorTests {
    @Test(.enabled(if: TestStores.named("ocmini") != nil, "the generated ocmini store is not in CARTBRIDGE_TEST_STORES"))
    func customersAndOrdersMatchTheDatabase() async throws {
        let h = try await StoreHarness.make("ocmini")
        defer { h.remove() }
        let customers = try await h.walk("customer.list", itemsKey: "customer", query: "params=force_all", count: 5)
        #expect(customers.compactMap { $0["id"]?.stringValue } == (try h.sqlColumn("SELECT customer_id FROM oc_customer ORDER BY date_added, customer_id")))
        for customer in customers {
            let id = try #require(customer["id"]?.stringValue)
            #expect(customer["email"]?.stringValue == (try h.sqlColumn("SELECT email FROM oc_customer WHERE customer_id = \(id)").first))
            let book = customer["address_book"]?.arrayValue ?? []
            #expect(book.count == (try h.sqlInt("SELECT COUNT(*) FROM oc_address WHERE customer_id = \(id)")))
            #expect(book.allSatisfy { ($0["country"]?["code2"]?.stringValue?.count ?? 0) == 2 }, "\(book)")
            #expect(customer["orders_count"]?.intValue == Int64(try h.sqlInt("SELECT COUNT(*) FROM oc_order WHERE customer_id = \(id) AND order_status_id > 0")))
        }
        let orders = try await h.walk("order.list", itemsKey: "order", query: "params=force_all", count: 7)
        #expect(orders.compactMap { $0["order_id"]?.stringValue } == (try h.sqlColumn("SELECT order_id FROM oc_order WHERE order_status_id > 0 ORDER BY order_id")))
        for order in orders {
            let id = try #require(order["id"]?.stringValue)
            let lines = order["order_products"]?.arrayValue ?? []
            #expect(lines.count == (try h.sqlInt("SELECT COUNT(*) FROM oc_order_product WHERE order_id = \(id)")))
            #expect(order["totals"]?["total"]?.doubleValue == Double(try h.sqlColumn("SELECT total FROM oc_order WHERE order_id = \(id)").first ?? ""))
            #expect(order["status"]?["id"]?.stringValue == (try h.sqlColumn("SELECT order_status_id FROM oc_order WHERE order_id = \(id)").first))
            #expect((order["status"]?["history"]?.arrayValue?.count ?? -1) == (try h.sqlInt("SELECT COUNT(*) FROM oc_order_history WHERE order_id = \(id)")))
            #expect(order["billing_address"]?["city"] != nil && order["create_at"]?["value"]?.stringValue?.hasSuffix("+0000") == true)
        }
        // Filters against SQL.
        let status = try #require(try h.sqlColumn("SELECT order_status_id FROM oc_order WHERE order_status_id > 0 GROUP BY order_status_id ORDER BY COUNT(*) DESC").first)
        let byStatus = try await h.ok("order.count", query: "order_status=\(status)").result["orders_count"]?.intValue
        #expect(byStatus == Int64(try h.sqlInt("SELECT COUNT(*) FROM oc_order WHERE order_status_id = \(status)")))
        let byCustomer = try await h.ok("order.list", query: "customer_id=1&params=order_id&count=250").result["order"]?.arrayValue?.compactMap { $0["order_id"]?.stringValue }
        #expect(byCustomer == (try h.sqlColumn("SELECT order_id FROM oc_order WHERE customer_id = 1 AND order_status_id > 0 ORDER BY order_id")))
        let found = try await h.ok("customer.list", query: "find_value=example&find_where=email&count=250&params=id").result["customers_count"]?.intValue
        #expect(found == Int64(try h.sqlInt("SELECT COUNT(*) FROM oc_customer WHERE email LIKE '%example%'")))
        let missing = try #require(try h.sqlColumn("SELECT order_id FROM oc_order WHERE order_status_id = 0").first, "the generator writes a missing order")
        #expect(try await h.call("order.info", query: "order_id=\(missing)").returnCode == 112, "abandoned checkouts are not orders")
        // Specials of each 4.1 type come out as the price they make.
        for productID in try h.sqlColumn("SELECT product_id FROM oc_product_discount WHERE special = 1 AND (date_end = '0000-00-00' OR date_end > CURDATE()) AND date_start <= CURDATE() GROUP BY product_id LIMIT 5") {
            let row = try #require(try h.sql("SELECT d.price, d.type, p.price FROM oc_product_discount d JOIN oc_product p USING (product_id) WHERE d.special = 1 AND d.product_id = \(productID) ORDER BY d.priority, d.price LIMIT 1").first)
            let (value, type, price) = (Double(row[0] ?? "") ?? 0, row[1] ?? "", Double(row[2] ?? "") ?? 0)
            let expected = type == "P" ? price * (100 - value) / 100 : type == "S" ? price - value : value
            let special = try await h.ok("product.info", query: "id=\(productID)&params=special_price").result["special_price"]?["value"]?.doubleValue
            #expect(abs((special ?? -1) - expected) < 0.0001, "product \(productID) type \(type)")
        }
    }

    @Test(.enabled(if: TestStores.named("ocmini") != nil, "the generated ocmini store is not in CARTBRIDGE_TEST_STORES"))
    func orderUpdateSetsTheStatusAndWritesHistory() async throws {
        let h = try await StoreHarness.make("ocmini")
        defer { h.remove() }
        let id = try #require(try h.sqlColumn("SELECT order_id FROM oc_order WHERE order_status_id > 0 ORDER BY order_id LIMIT 1").first)
        let before = try #require(try h.sqlColumn("SELECT order_status_id FROM oc_order WHERE order_id = \(id)").first)
        let historyBefore = try h.sqlInt("SELECT COUNT(*) FROM oc_order_history WHERE order_id = \(id)")
        let target = before == "5" ? "3" : "5"
        defer { _ = try? h.sql("UPDATE oc_order SET order_status_id = \(before) WHERE order_id = \(id); DELETE FROM oc_order_history WHERE order_id = \(id) AND comment = 'Shipped: Grüße \"today\"'") }
        let answer = try await h.ok("order.update", verb: .put, query: "order_id=\(id)&order_status=\(target)&comment=Shipped:%20Gr%C3%BC%C3%9Fe%20%22today%22&send_notifications=true")
        #expect(answer.result["updated_items"] == 1)
        #expect(try h.sqlColumn("SELECT order_status_id FROM oc_order WHERE order_id = \(id)") == [target])
        #expect(try h.sqlInt("SELECT COUNT(*) FROM oc_order_history WHERE order_id = \(id)") == historyBefore + 1)
        #expect(try h.sql("SELECT order_status_id, notify, comment FROM oc_order_history WHERE order_id = \(id) ORDER BY order_history_id DESC LIMIT 1").first == [target, "1", "Shipped: Grüße \"today\""])
        let history = try await h.ok("order.info", query: "order_id=\(id)&params=status").result["status"]?["history"]?.arrayValue ?? []
        #expect(history.last?["comment"] == "Shipped: Grüße \"today\"" && history.last?["id"] == .string(target))
        let unknown = try await h.call("order.update", verb: .put, query: "order_id=\(id)&order_status=424242")
        #expect(unknown.returnCode == 109, "\(unknown.raw)")
    }
}

extension OpenCartConnectorTests {
    /// A page is one bridge call whatever fields are asked: images, options, codes, categories come in the same batch.
    @Test(arguments: Self.stores)
    func onePageIsOneBridgeCall(store: String) async throws {
        let h = try await StoreHarness.make(store)
        defer { h.remove() }
        _ = try await h.ok("cart.info")  // the configuration is cached from here on
        for (method, query) in [
            ("product.list", "count=20&params=force_all"), ("product.list", "count=5"), ("category.list", "count=50&params=force_all"),
            ("product.child_item.list", "count=50"), ("customer.list", "params=force_all"), ("order.list", "count=25&params=force_all"),
        ] {
            let before = StoreTests.storeCalls(h.server)
            let answer = try await h.call(method, query: query)
            #expect(answer.returnCode == 0, "\(answer.raw.prefix(300))")
            #expect(StoreTests.storeCalls(h.server) - before == 1, "\(method) \(query)")
        }
        let methods = try await h.ok("cart.methods").result["method"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Set(methods).isSuperset(of: ["product.list", "product.add", "order.update", "customer.list", "category.info", "order.status.list"]))
    }
}

extension OpenCartConnectorTests {
    /// SEO keywords: products by id, categories by their whole path on 4.x (`20_27`), not by a prefix of it.
    @Test(.enabled(if: TestStores.named("oc4104") != nil, "\(Self.noDemo)"))
    func seoKeywordsComeFromTheRightRows() async throws {
        let h = try await StoreHarness.make("oc4104")
        defer { h.remove() }
        let product = try await h.ok("product.info", query: "id=40&params=seo_url").result["seo_url"]?.stringValue
        #expect(product == (try h.sqlColumn("SELECT keyword FROM oc_seo_url WHERE `key` = 'product_id' AND value = '40' AND store_id = 0 AND language_id = 1").first))
        let categories = try await h.ok("category.list", query: "count=250&params=id,seo_url").result["category"]?.arrayValue ?? []
        let child = try #require(categories.first { $0["id"] == "27" })
        #expect(child["seo_url"] == "desktops/mac")
        #expect(categories.first { $0["id"] == "20" }?["seo_url"] == "desktops")
    }
}
