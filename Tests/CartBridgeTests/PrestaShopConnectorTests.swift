import CartBridgeCore
import Foundation
import HTTPTypes
import Testing

@testable import CartBridgeServer

/// The PrestaShop connector against `ps91` (PrestaShop 9.1 with the fashion demo: 19 products, 39 combinations,
/// 1 customer, 5 orders): every answer checked against the database itself. Serialized: the write tests add
/// products that counts and walks in other tests would see.
@Suite(.serialized, .enabled(if: TestStores.named("ps91") != nil, "the ps91 test store (PrestaShop 9.1) is not in CARTBRIDGE_TEST_STORES"))
struct PrestaShopConnectorTests {
    static let store = "ps91"

    static func harness() async throws -> StoreHarness {
        try await StoreHarness.make(Self.store)
    }

    static func ids(_ items: [JSONValue], _ key: String = "id") -> [String] {
        items.compactMap { $0[key]?.stringValue }
    }

    static func items(_ answer: APIAnswer, _ key: String) -> [JSONValue] {
        answer.result[key]?.arrayValue ?? []
    }

    /// Products of the default shop in the default language, as the connector defines the list.
    static let productsSQL = """
        SELECT p.id_product FROM ps_product p JOIN ps_product_shop ps ON ps.id_product = p.id_product AND ps.id_shop = 1
        JOIN ps_product_lang pl ON pl.id_product = p.id_product AND pl.id_shop = 1 AND pl.id_lang = 1
        """

    // MARK: counts

    @Test func countsMatchTheDatabase() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let products = try h.sqlInt("SELECT COUNT(*) FROM (\(Self.productsSQL)) x")
        #expect(products == 19)
        #expect(try await h.ok("product.count").result["products_count"] == .int(Int64(products)))
        let categories = try h.sqlInt("SELECT COUNT(*) FROM ps_category c JOIN ps_category_shop cs ON cs.id_category = c.id_category AND cs.id_shop = 1 WHERE c.id_parent <> 0")
        #expect(try await h.ok("category.count").result["categories_count"] == .int(Int64(categories)))
        let customers = try h.sqlInt("SELECT COUNT(*) FROM ps_customer WHERE deleted = 0 AND is_guest = 0")
        #expect(try await h.ok("customer.count").result["customers_count"] == .int(Int64(customers)))
        let withGuests = try h.sqlInt("SELECT COUNT(*) FROM ps_customer WHERE deleted = 0")
        #expect(try await h.ok("customer.count", query: "include_guests=true").result["customers_count"] == .int(Int64(withGuests)))
        let orders = try h.sqlInt("SELECT COUNT(*) FROM ps_orders")
        #expect(orders == 5)
        #expect(try await h.ok("order.count").result["orders_count"] == .int(Int64(orders)))
        let combinations = try h.sqlInt("SELECT COUNT(*) FROM ps_product_attribute pa JOIN ps_product_attribute_shop pas ON pas.id_product_attribute = pa.id_product_attribute AND pas.id_shop = 1")
        #expect(combinations == 39)
        #expect(try await h.ok("product.child_item.count").result["total_count"] == .int(Int64(combinations)))
        let ofProduct1 = try h.sqlInt("SELECT COUNT(*) FROM ps_product_attribute WHERE id_product = 1")
        #expect(try await h.ok("product.child_item.count", query: "product_id=1").result["total_count"] == .int(Int64(ofProduct1)))
        // A list says the same total as the count.
        #expect(try await h.ok("product.list", query: "count=1").result["products_count"] == .int(Int64(products)))
        #expect(try await h.ok("cart.methods").raw.contains("product.child_item.list"))
    }

    // MARK: demo items

    @Test func productWithCombinationsMatchesTheDatabase() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let answer = try await h.ok("product.info", query: "id=1&params=force_all")
        let p = answer.result
        let row = try #require(try h.sql("SELECT pl.name, ps.price, p.reference, m.name, p.date_add FROM ps_product p JOIN ps_product_shop ps ON ps.id_product = p.id_product AND ps.id_shop = 1 JOIN ps_product_lang pl ON pl.id_product = p.id_product AND pl.id_lang = 1 AND pl.id_shop = 1 LEFT JOIN ps_manufacturer m ON m.id_manufacturer = p.id_manufacturer WHERE p.id_product = 1").first)
        #expect(p["id"] == "1")
        #expect(p["name"]?.stringValue == row[0])
        #expect(p["price"]?.number == Double(row[1] ?? ""))
        #expect(p["u_model"]?.stringValue == row[2])
        #expect(p["u_brand"]?.stringValue == row[3])
        #expect(p["type"] == "configurable")
        #expect(p["create_at"]?["value"] == "2025-10-10T12:00:00-0400")
        // Quantity comes from stock_available, not from the product row.
        let stock = try h.sqlInt("SELECT quantity FROM ps_stock_available WHERE id_product = 1 AND id_product_attribute = 0 AND id_shop = 1")
        let legacy = try h.sqlInt("SELECT quantity FROM ps_product WHERE id_product = 1")
        #expect(stock == 2400 && legacy != stock)
        #expect(p["quantity"]?.number == Double(stock))
        let categories = try h.sqlColumn("SELECT id_category FROM ps_category_product WHERE id_product = 1 ORDER BY id_category")
        #expect(p["categories_ids"] == .array(categories.map(JSONValue.string)))
        let images = try h.sqlColumn("SELECT i.id_image FROM ps_image i JOIN ps_image_shop s ON s.id_image = i.id_image AND s.id_shop = 1 WHERE i.id_product = 1 ORDER BY s.cover DESC, i.position")
        let got = p["images"]?.arrayValue ?? []
        #expect(Self.ids(got) == images)
        #expect(got.first?["type"] == "base")
        #expect(got.first?["http_path"]?.stringValue?.hasSuffix("/img/p/\(images[0])/\(images[0]).jpg") == true)
        // The demo gives 20% off.
        #expect(p["special_price"]?["value"]?.number == 19.12)
        // The attribute groups the combinations use.
        let groups = try h.sqlColumn("SELECT DISTINCT a.id_attribute_group FROM ps_product_attribute pa JOIN ps_product_attribute_combination pac ON pac.id_product_attribute = pa.id_product_attribute JOIN ps_attribute a ON a.id_attribute = pac.id_attribute WHERE pa.id_product = 1 ORDER BY 1")
        #expect(Self.ids(p["product_options"]?.arrayValue ?? []).sorted() == groups.sorted())
        #expect(p["additional_fields"]?["reference"]?.stringValue == row[2])
        #expect(p["stores_ids"] == ["1"])
    }

    @Test func combinationsListTheirAttributesAndStock() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let answer = try await h.ok("product.child_item.list", query: "product_id=1&count=50")
        let children = Self.items(answer, "children")
        let expected = try h.sqlColumn("SELECT id_product_attribute FROM ps_product_attribute WHERE id_product = 1 ORDER BY id_product_attribute")
        #expect(Self.ids(children) == expected)
        let price = try #require(Double(try h.sqlColumn("SELECT price FROM ps_product_shop WHERE id_product = 1 AND id_shop = 1")[0]))
        for child in children {
            let id = try #require(child["id"]?.stringValue)
            #expect(child["parent_id"] == "1")
            let attributes = try h.sql("SELECT a.id_attribute_group, pac.id_attribute, al.name FROM ps_product_attribute_combination pac JOIN ps_attribute a ON a.id_attribute = pac.id_attribute JOIN ps_attribute_lang al ON al.id_attribute = a.id_attribute AND al.id_lang = 1 WHERE pac.id_product_attribute = \(id)")
            let combination = child["combination"]?.arrayValue ?? []
            #expect(Set(combination.compactMap { $0["option_value_id"]?.stringValue }) == Set(attributes.compactMap { $0[1] }))
            for value in attributes.compactMap({ $0[2] }) {
                #expect(child["name"]?.stringValue?.contains(value) == true, "\(id): \(child["name"] ?? .null)")
            }
            let stock = try h.sqlInt("SELECT quantity FROM ps_stock_available WHERE id_product_attribute = \(id) AND id_shop = 1")
            #expect(child["inventory_level"]?.number == Double(stock))
            let impact = try #require(Double(try h.sqlColumn("SELECT price FROM ps_product_attribute_shop WHERE id_product_attribute = \(id) AND id_shop = 1")[0]))
            #expect(child["default_price"]?.number == price + impact)
        }
        let one = try await h.ok("product.child_item.info", query: "product_id=1&id=\(expected[1])")
        #expect(one.result["id"]?.stringValue == expected[1])
        // A combination of another product is not found under this one.
        let other = try h.sqlColumn("SELECT id_product_attribute FROM ps_product_attribute WHERE id_product = 2 LIMIT 1")[0]
        #expect(try await h.call("product.child_item.info", query: "product_id=1&id=\(other)").returnCode == 112)
    }

    @Test func categoriesCustomersAndOrdersMatchTheDatabase() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let men = try await h.ok("category.info", query: "id=4&params=force_all").result
        #expect(men["name"]?.stringValue == (try h.sqlColumn("SELECT name FROM ps_category_lang WHERE id_category = 4 AND id_lang = 1 AND id_shop = 1")[0]))
        #expect(men["parent_id"]?.stringValue == (try h.sqlColumn("SELECT id_parent FROM ps_category WHERE id_category = 4")[0]))
        #expect(men["path"] == "Home/Clothes/Men")
        #expect(try await h.ok("category.info", query: "id=2").result["parent_id"] == "0")
        #expect(try await h.call("category.info", query: "id=1").returnCode == 112)
        let children = try await h.ok("category.list", query: "parent_id=3").result
        #expect(Self.ids(children["category"]?.arrayValue ?? []) == (try h.sqlColumn("SELECT id_category FROM ps_category WHERE id_parent = 3 ORDER BY id_category")))

        let customer = try await h.ok("customer.info", query: "id=1&params=force_all").result
        let row = try #require(try h.sql("SELECT email, firstname, lastname, newsletter FROM ps_customer WHERE id_customer = 1").first)
        #expect(customer["email"]?.stringValue == row[0])
        #expect(customer["first_name"]?.stringValue == row[1] && customer["last_name"]?.stringValue == row[2])
        #expect(customer["news_letter_subscription"] == .bool(row[3] == "1"))
        let addresses = try h.sql("SELECT a.id_address, co.iso_code, a.city FROM ps_address a JOIN ps_country co ON co.id_country = a.id_country WHERE a.id_customer = 1 AND a.deleted = 0 ORDER BY a.id_address")
        let book = customer["address_book"]?.arrayValue ?? []
        #expect(Self.ids(book) == addresses.compactMap { $0[0] })
        #expect(book.compactMap { $0["country"]?["code2"]?.stringValue } == addresses.compactMap { $0[1] })
        #expect(book.compactMap { $0["country"]?["code3"]?.stringValue } == ["FRA", "USA"])
        #expect(book.last?["state"]?["name"] != nil)
        #expect(customer["group"]?.arrayValue?.first?["name"] == "Customer")
        #expect(customer["orders_count"] == .int(Int64(try h.sqlInt("SELECT COUNT(*) FROM ps_orders WHERE id_customer = 1"))))

        let order = try await h.ok("order.info", query: "order_id=1&params=force_all").result
        let o = try #require(try h.sql("SELECT total_paid_tax_incl, total_products, total_shipping, current_state, payment FROM ps_orders WHERE id_order = 1").first)
        #expect(order["totals"]?["total"]?.number == Double(o[0] ?? ""))
        #expect(order["totals"]?["subtotal"]?.number == Double(o[1] ?? ""))
        #expect(order["totals"]?["shipping"]?.number == Double(o[2] ?? ""))
        #expect(order["status"]?["id"]?.stringValue == o[3])
        #expect(order["status"]?["name"]?.stringValue == (try h.sqlColumn("SELECT name FROM ps_order_state_lang WHERE id_order_state = \(o[3] ?? "0") AND id_lang = 1")[0]))
        #expect(order["payment_method"]?["name"]?.stringValue == o[4])
        let history = try h.sqlColumn("SELECT id_order_state FROM ps_order_history WHERE id_order = 1 ORDER BY date_add, id_order_history")
        #expect(Self.ids(order["status"]?["history"]?.arrayValue ?? []) == history)
        let lines = try h.sqlColumn("SELECT product_id FROM ps_order_detail WHERE id_order = 1 ORDER BY id_order_detail")
        let items = order["order_products"]?.arrayValue ?? []
        #expect(Self.ids(items, "product_id") == lines)
        #expect(items.first?["options"]?.arrayValue?.isEmpty == false)
        #expect(order["currency"]?["iso3"] == "USD")
        #expect(order["shipping_method"]?["name"]?.stringValue == (try h.sqlColumn("SELECT c.name FROM ps_carrier c JOIN ps_orders o ON o.id_carrier = c.id_carrier WHERE o.id_order = 1")[0]))
        #expect(order["shipping_address"]?["id"]?.stringValue == (try h.sqlColumn("SELECT id_address_delivery FROM ps_orders WHERE id_order = 1")[0]))
        #expect(order["customer"]?["email"]?.stringValue == row[0])
    }

    @Test func onePageIsOneBridgeCallWhateverFieldsAreAsked() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        _ = try await h.ok("product.count")
        for (method, query) in [
            ("product.list", "params=force_all&count=25"), ("product.child_item.list", "count=50"), ("category.list", "params=force_all"),
            ("customer.list", "params=force_all"), ("order.list", "params=force_all"), ("order.info", "order_id=1&params=force_all"),
        ] {
            let before = StoreTests.storeCalls(h.server)
            _ = try await h.ok(method, query: query)
            #expect(StoreTests.storeCalls(h.server) - before == 1, "\(method)")
        }
        // Fields not asked for are left out; the ones asked for are there, in the default shop and language.
        let narrow = Self.items(try await h.ok("product.list", query: "params=id,quantity&count=1"), "product")
        #expect(narrow.first?.objectValue.map { Set($0.keys) } == ["id", "quantity"])
        #expect(narrow.first?["quantity"]?.number == Double(try h.sqlInt("SELECT quantity FROM ps_stock_available WHERE id_product = 1 AND id_product_attribute = 0 AND id_shop = 1")))
        let explicit = try await h.ok("product.info", query: "id=1&store_id=1&lang_id=1&params=name")
        #expect(explicit.result["name"]?.stringValue == (try h.sqlColumn("SELECT name FROM ps_product_lang WHERE id_product = 1 AND id_shop = 1 AND id_lang = 1")[0]))
    }

    @Test func paramsExcludeAndResponseFieldsShapeTheAnswer() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let all = try await h.ok("product.info", query: "id=1&params=force_all&exclude=description,images").result
        #expect(all["description"] == nil && all["images"] == nil && all["special_price"] != nil && all["product_options"] != nil)
        let projected = try await h.ok("product.list", query: "count=2&params=force_all&response_fields={result{products_count,product{id,price}}}")
        #expect(Set(projected.result.objectValue?.keys.map { $0 } ?? []) == ["products_count", "product"])
        #expect(projected.result["product"]?.arrayValue?.allSatisfy { Set($0.objectValue?.keys.map { $0 } ?? []) == ["id", "price"] } == true)
        let order = try await h.ok("order.info", query: "order_id=1&params=address,items").result
        #expect(Set(order.objectValue?.keys.map { $0 } ?? []) == ["billing_address", "shipping_address", "order_products"])
    }

    /// A write repeated with the same idempotency_key is answered from the first and writes once.
    @Test func idempotencyKeyWritesOnce() async throws {
        let h = try await StoreHarness.make(Self.store) { $0.perStoreConcurrency = 16 }
        defer { h.remove() }
        let key = "cb-ps-\(UInt64.random(in: 1...UInt64.max))"
        let body = #"{"name":"Once","model":"CB-ONCE","description":"","price":1,"quantity":5,"idempotency_key":"\#(key)"}"#
        let first = try await h.ok("product.add", verb: .post, body: body)
        let second = try await h.ok("product.add", verb: .post, body: body)
        let id = try #require(first.result["product_id"]?.stringValue)
        defer { try? h.purgeProduct(id) }
        #expect(second.result == first.result)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_product WHERE reference = 'CB-ONCE'") == 1)
        let reduce = #"{"id":"\#(id)","reduce_quantity":1,"idempotency_key":"\#(key)"}"#
        _ = try await h.ok("product.update", verb: .put, body: reduce)
        _ = try await h.ok("product.update", verb: .put, body: reduce)
        #expect(try h.sqlInt("SELECT quantity FROM ps_stock_available WHERE id_product = \(id) AND id_product_attribute = 0") == 4, "reduced once")
    }

    // MARK: walks

    @Test func walksReturnEachItemOnceWhileTheStoreChanges() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let expected = try h.sqlColumn(Self.productsSQL + " ORDER BY p.id_product")
        let byStart = try await h.walk("product.list", itemsKey: "product", query: "params=id", count: 4, byStart: true)
        #expect(Self.ids(byStart) == expected)
        // A product added during a cursor walk: the items there before come once each.
        try h.cleanUpWalkProduct()
        defer { try? h.cleanUpWalkProduct() }
        let byCursor = try await h.walk("product.list", itemsKey: "product", query: "params=id,name", count: 4) { page in
            if page == 1 { try h.insertWalkProduct() }
        }
        let got = Self.ids(byCursor)
        #expect(Set(got).count == got.count)
        #expect(Set(expected).isSubset(of: Set(got)))
        // Descending by name, as SQL orders it.
        let byName = try await h.walk("product.list", itemsKey: "product", query: "params=id&sort_by=name&sort_direction=desc", count: 5)
        let names = try h.sqlColumn(Self.productsSQL + " ORDER BY pl.name DESC, p.id_product DESC")
        #expect(Self.ids(byName) == names)

        let children = try await h.walk("product.child_item.list", itemsKey: "children", query: "params=id", count: 7)
        #expect(Self.ids(children) == (try h.sqlColumn("SELECT id_product_attribute FROM ps_product_attribute ORDER BY 1")))
        let orders = try await h.walk("order.list", itemsKey: "order", query: "params=order_id", count: 2)
        #expect(Self.ids(orders) == (try h.sqlColumn("SELECT id_order FROM ps_orders ORDER BY id_order")))
        let ordersByStart = try await h.walk("order.list", itemsKey: "order", query: "params=order_id&sort_by=create_at", count: 2, byStart: true)
        #expect(Set(Self.ids(ordersByStart)).count == 5)
        let categories = try await h.walk("category.list", itemsKey: "category", query: "params=id", count: 3)
        #expect(Self.ids(categories) == (try h.sqlColumn("SELECT id_category FROM ps_category WHERE id_parent <> 0 ORDER BY 1")))
        let customers = try await h.walk("customer.list", itemsKey: "customer", query: "params=id", count: 1)
        #expect(Self.ids(customers) == (try h.sqlColumn("SELECT id_customer FROM ps_customer WHERE deleted = 0 AND is_guest = 0 ORDER BY date_add, id_customer")))
    }

    // MARK: filters

    @Test func filtersMatchTheDatabase() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        func products(_ query: String) async throws -> [String] {
            Self.ids(Self.items(try await h.ok("product.list", query: "params=id&count=250&" + query), "product"))
        }
        #expect(try await products("since_id=15") == (try h.sqlColumn(Self.productsSQL + " WHERE p.id_product > 15 ORDER BY 1")))
        #expect(try await products("product_ids=3,1,999") == ["1", "3"])
        #expect(try await products("category_id=3") == (try h.sqlColumn("SELECT id_product FROM ps_category_product WHERE id_category = 3 ORDER BY 1")))
        #expect(try await products("find_value=mug") == (try h.sqlColumn(Self.productsSQL + " WHERE pl.name LIKE '%mug%' OR p.reference LIKE '%mug%' ORDER BY 1")))
        #expect(try await products("find_value=demo_1&find_where=model") == (try h.sqlColumn(Self.productsSQL + " WHERE p.reference LIKE '%demo\\\\_1%' ORDER BY 1")))
        #expect(try await products("sku=demo_5") == (try h.sqlColumn(Self.productsSQL + " WHERE p.reference = 'demo_5' ORDER BY 1")))
        let found = try await h.ok("product.find", query: "find_value=notebook")
        #expect(Self.ids(Self.items(found, "product")) == (try h.sqlColumn(Self.productsSQL + " WHERE pl.name LIKE '%notebook%' ORDER BY 1")))

        // Dates: one product moved to 2030 and modified in 2031 (store-local time), the rest stay in 2025.
        let id = try await h.addTestProduct(name: "Filter probe")
        defer { try? h.purgeProduct(id) }
        _ = try h.sql("UPDATE ps_product SET date_add = '2030-01-01 10:00:00', date_upd = '2031-06-01 10:00:00' WHERE id_product = \(id)")
        #expect(try await products("created_from=2029-12-31%2023:59:59") == [id])
        #expect(try await products("created_to=2029-12-31") == (try h.sqlColumn(Self.productsSQL + " WHERE p.date_add <= '2029-12-31 00:00:00' ORDER BY 1")))
        #expect(try await products("modified_from=2031-06-01%2010:00:00&modified_to=2031-06-01%2010:00:00") == [id])
        #expect(try await products("created_from=2030-01-01&created_to=2030-01-02&status=enabled") == [id])
        #expect(try await products("created_from=2030-01-01&status=disabled").isEmpty)

        func orders(_ query: String) async throws -> [String] {
            Self.ids(Self.items(try await h.ok("order.list", query: "params=order_id&count=250&" + query), "order"))
        }
        #expect(try await orders("order_status=1") == (try h.sqlColumn("SELECT id_order FROM ps_orders WHERE current_state = 1 ORDER BY 1")))
        #expect(try await orders("customer_id=1") == (try h.sqlColumn("SELECT id_order FROM ps_orders WHERE id_customer = 1 ORDER BY 1")))
        #expect(try await orders("customer_id=2").isEmpty)
        #expect(try await orders("customer_email=pub@prestashop.com").count == 5)
        #expect(try await orders("ids=2,4") == ["2", "4"])
        #expect(try await orders("since_id=3") == ["4", "5"])
        #expect(try await orders("created_from=2025-10-10&created_to=2025-10-10%2012:00:00").count == 5)
        #expect(try await orders("created_from=2025-10-10%2012:00:01").isEmpty)
        #expect(try await h.ok("order.count", query: "order_status=1").result["orders_count"] == .int(Int64(try h.sqlInt("SELECT COUNT(*) FROM ps_orders WHERE current_state = 1"))))
        let customers = Self.items(try await h.ok("customer.list", query: "find_value=pub@presta"), "customer")
        #expect(Self.ids(customers) == ["1"])
        let categories = Self.items(try await h.ok("category.list", query: "find_value=cloth"), "category")
        #expect(Self.ids(categories) == (try h.sqlColumn("SELECT id_category FROM ps_category_lang WHERE name LIKE '%cloth%' AND id_lang = 1 ORDER BY 1")))
    }

    // MARK: writes

    @Test func productAddUpdateAndDeleteWriteWhatPrestaShopWrites() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let homePositions = try h.sqlColumn("SELECT CONCAT(id_product, ':', position) FROM ps_category_product WHERE id_category = 2 ORDER BY id_product")
        let body = #"{"name":"CartBridge Probe Mug ☕","model":"CB-PROBE-1","price":12.5,"quantity":7,"description":"<p>Probe</p>","categories_ids":"8,2","special_price":9.99,"weight":0.4}"#
        let added = try await h.ok("product.add", verb: .post, body: body)
        let id = try #require(added.result["product_id"]?.stringValue)
        defer { try? h.purgeProduct(id) }

        let languages = try h.sqlInt("SELECT COUNT(*) FROM ps_lang")
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_product_lang WHERE id_product = \(id) AND name = 'CartBridge Probe Mug ☕' AND link_rewrite = 'cartbridge-probe-mug'") == languages)
        let product = try #require(try h.sql("SELECT reference, price, quantity, id_category_default, active, date_add = date_upd, weight FROM ps_product WHERE id_product = \(id)").first)
        #expect(product[0] == "CB-PROBE-1" && Double(product[1] ?? "") == 12.5 && product[2] == "7" && product[3] == "8" && product[4] == "1" && product[5] == "1")
        #expect(try h.sqlColumn("SELECT price FROM ps_product_shop WHERE id_product = \(id) AND id_shop = 1").map { Double($0) } == [12.5])
        #expect(try h.sqlInt("SELECT quantity FROM ps_stock_available WHERE id_product = \(id) AND id_product_attribute = 0 AND id_shop = 1") == 7)
        #expect(try h.sqlColumn("SELECT id_category FROM ps_category_product WHERE id_product = \(id) ORDER BY id_category") == ["2", "8"])
        let lastInHome = try h.sqlInt("SELECT MAX(position) FROM ps_category_product WHERE id_category = 2")
        #expect(try h.sqlInt("SELECT position FROM ps_category_product WHERE id_category = 2 AND id_product = \(id)") == lastInHome)
        #expect(try h.sqlColumn("SELECT price FROM ps_specific_price WHERE id_product = \(id)").map { Double($0) } == [9.99])

        var read = try await h.ok("product.info", query: "id=\(id)&params=force_all").result
        #expect(read["name"] == "CartBridge Probe Mug ☕")
        #expect(read["price"]?.number == 12.5 && read["quantity"]?.number == 7)
        #expect(read["categories_ids"] == ["2", "8"])
        #expect(read["special_price"]?["value"]?.number == 9.99)
        #expect(read["u_model"] == "CB-PROBE-1")

        // Price, texts, status, special price.
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","price":15.25,"name":"Probe renamed","special_price":11,"available_for_sale":false}"#)
        #expect(try h.sqlColumn("SELECT price FROM ps_product_shop WHERE id_product = \(id)").map { Double($0) } == [15.25])
        #expect(try h.sqlColumn("SELECT price FROM ps_product WHERE id_product = \(id)").map { Double($0) } == [15.25])
        #expect(try h.sqlColumn("SELECT active FROM ps_product_shop WHERE id_product = \(id)") == ["0"])
        #expect(try h.sqlColumn("SELECT name FROM ps_product_lang WHERE id_product = \(id) AND id_lang = 1") == ["Probe renamed"])
        #expect(try h.sqlColumn("SELECT price FROM ps_specific_price WHERE id_product = \(id)").map { Double($0) } == [11])
        read = try await h.ok("product.info", query: "id=\(id)&params=force_all").result
        #expect(read["name"] == "Probe renamed" && read["price"]?.number == 15.25 && read["avail_sale"] == false)
        #expect(read["special_price"]?["value"]?.number == 11)

        // Quantities: absolute, then relative; the product row and the movements follow.
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","quantity":20}"#)
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","increase_quantity":5}"#)
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","reduce_quantity":3}"#)
        #expect(try h.sqlInt("SELECT quantity FROM ps_stock_available WHERE id_product = \(id) AND id_product_attribute = 0") == 22)
        #expect(try h.sqlInt("SELECT physical_quantity FROM ps_stock_available WHERE id_product = \(id) AND id_product_attribute = 0") == 22)
        #expect(try h.sqlInt("SELECT quantity FROM ps_product WHERE id_product = \(id)") == 22)
        let movements = try h.sql("SELECT m.sign, m.physical_quantity FROM ps_stock_mvt m JOIN ps_stock_available sa ON sa.id_stock_available = m.id_stock WHERE sa.id_product = \(id) ORDER BY m.id_stock_mvt")
        #expect(movements.map { "\($0[0] ?? "")x\($0[1] ?? "")" } == ["1x13", "1x5", "-1x3"])
        #expect(try await h.ok("product.info", query: "id=\(id)&params=quantity").result["quantity"]?.number == 22)
        // special_price 0 removes it.
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","special_price":0}"#)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_specific_price WHERE id_product = \(id)") == 0)

        // Stock movements stay when a product goes, as in PrestaShop; this test's own are removed here.
        let stockID = try h.sqlInt("SELECT id_stock_available FROM ps_stock_available WHERE id_product = \(id) AND id_product_attribute = 0")
        _ = try await h.ok("product.delete", verb: .delete, query: "id=\(id)")
        _ = try h.sql("DELETE FROM ps_stock_mvt WHERE id_stock = \(stockID)")
        for table in ["product", "product_shop", "product_lang", "category_product", "stock_available", "specific_price"] {
            #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_\(table) WHERE id_product = \(id)") == 0, "\(table)")
        }
        #expect(try await h.call("product.info", query: "id=\(id)").returnCode == 112)
        #expect(try await h.call("product.delete", verb: .delete, query: "id=\(id)").returnCode == 112)
        #expect(try h.sqlColumn("SELECT CONCAT(id_product, ':', position) FROM ps_category_product WHERE id_category = 2 ORDER BY id_product") == homePositions)
    }

    @Test func deleteRemovesCombinationsAndImagesToo() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let id = try await h.addTestProduct(name: "Delete probe")
        defer { try? h.purgeProduct(id) }
        _ = try h.sql(
            """
            INSERT INTO ps_product_attribute (id_product, reference) VALUES (\(id), 'CB-DEL');
            SET @pa = LAST_INSERT_ID();
            INSERT INTO ps_product_attribute_shop (id_product, id_product_attribute, id_shop) VALUES (\(id), @pa, 1);
            INSERT INTO ps_product_attribute_combination (id_attribute, id_product_attribute) VALUES (1, @pa);
            INSERT INTO ps_stock_available (id_product, id_product_attribute, id_shop, id_shop_group, quantity) VALUES (\(id), @pa, 1, 0, 4);
            INSERT INTO ps_image (id_product, position, cover) VALUES (\(id), 1, 1);
            SET @i = LAST_INSERT_ID();
            INSERT INTO ps_image_shop (id_product, id_image, id_shop, cover) VALUES (\(id), @i, 1, 1);
            INSERT INTO ps_image_lang (id_image, id_lang, legend) VALUES (@i, 1, 'probe');
            INSERT INTO ps_product_attribute_image (id_product_attribute, id_image) VALUES (@pa, @i);
            """)
        let children = try await h.ok("product.child_item.list", query: "product_id=\(id)&params=force_all")
        #expect(Self.items(children, "children").first?["images"]?.arrayValue?.count == 1)
        _ = try await h.ok("product.delete", verb: .delete, query: "id=\(id)")
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_product_attribute WHERE id_product = \(id)") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_product_attribute_shop WHERE id_product = \(id)") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_product_attribute_combination pac LEFT JOIN ps_product_attribute pa ON pa.id_product_attribute = pac.id_product_attribute WHERE pa.id_product_attribute IS NULL") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_image WHERE id_product = \(id)") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_image_lang il LEFT JOIN ps_image i ON i.id_image = il.id_image WHERE i.id_image IS NULL") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_stock_available WHERE id_product = \(id)") == 0)
    }

    @Test func aProductWithoutAStockRowGetsOne() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let id = try await h.addTestProduct(name: "Stockless probe", quantity: 3)
        defer { try? h.purgeProduct(id) }
        _ = try h.sql("DELETE FROM ps_stock_available WHERE id_product = \(id)")
        #expect(try await h.ok("product.info", query: "id=\(id)&params=quantity").result["quantity"]?.number == 0)
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","increase_quantity":4}"#)
        #expect(try h.sql("SELECT id_shop, id_shop_group, quantity FROM ps_stock_available WHERE id_product = \(id) AND id_product_attribute = 0") == [["1", "0", "4"]])
        #expect(try h.sqlInt("SELECT quantity FROM ps_product WHERE id_product = \(id)") == 4)
    }

    @Test func fiftyConcurrentReductionsLeaveFifty() async throws {
        // Limits well above the 50 calls, so every call reaches the store.
        let h = try await StoreHarness.make(Self.store) {
            $0.perStoreConcurrency = 64
            $0.perAccountConcurrency = 64
        }
        defer { h.remove() }
        let id = try await h.addTestProduct(name: "Concurrency probe", quantity: 100)
        defer { try? h.purgeProduct(id) }
        let codes = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for _ in 0..<50 {
                group.addTask { try await h.call("product.update", verb: .put, body: #"{"id":"\#(id)","reduce_quantity":1}"#).returnCode }
            }
            var codes: [Int64?] = []
            for try await code in group { codes.append(code) }
            return codes
        }
        #expect(codes.allSatisfy { $0 == 0 }, "\(codes)")
        #expect(try h.sqlInt("SELECT quantity FROM ps_stock_available WHERE id_product = \(id) AND id_product_attribute = 0") == 50)
        #expect(try h.sqlInt("SELECT quantity FROM ps_product WHERE id_product = \(id)") == 50)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_stock_mvt m JOIN ps_stock_available sa ON sa.id_stock_available = m.id_stock WHERE sa.id_product = \(id)") == 50)
    }

    @Test func orderUpdateRecordsHistoryAndTheComment() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let before = try #require(try h.sql("SELECT current_state, valid, date_upd FROM ps_orders WHERE id_order = 2").first)
        let lastHistory = try h.sqlInt("SELECT COALESCE(MAX(id_order_history), 0) FROM ps_order_history")
        let lastThread = try h.sqlInt("SELECT COALESCE(MAX(id_customer_thread), 0) FROM ps_customer_thread")
        let lastMessage = try h.sqlInt("SELECT COALESCE(MAX(id_customer_message), 0) FROM ps_customer_message")
        defer {
            _ = try? h.sql(
                """
                DELETE FROM ps_order_history WHERE id_order_history > \(lastHistory);
                DELETE FROM ps_customer_message WHERE id_customer_message > \(lastMessage);
                DELETE FROM ps_customer_thread WHERE id_customer_thread > \(lastThread);
                UPDATE ps_orders SET current_state = \(before[0] ?? "1"), valid = \(before[1] ?? "0"), date_upd = '\(before[2] ?? "")' WHERE id_order = 2;
                """)
        }
        _ = try await h.ok("order.update", verb: .put, query: "order_id=2&order_status=2&comment=Paid%20by%20wire%20%E2%9C%93")
        let history = try #require(try h.sql("SELECT id_employee, id_order_state, date_add FROM ps_order_history WHERE id_order = 2 ORDER BY id_order_history DESC LIMIT 1").first)
        #expect(history[0] == "0" && history[1] == "2")
        #expect(try h.sql("SELECT current_state, valid FROM ps_orders WHERE id_order = 2").first == ["2", "1"])
        #expect(try h.sqlColumn("SELECT cm.message FROM ps_customer_message cm JOIN ps_customer_thread ct ON ct.id_customer_thread = cm.id_customer_thread WHERE ct.id_order = 2") == ["Paid by wire ✓"])
        let order = try await h.ok("order.info", query: "order_id=2&params=status,additional_fields").result
        #expect(order["status"]?["id"] == "2")
        #expect(order["status"]?["history"]?.arrayValue?.last?["id"] == "2")
        #expect(order["additional_fields"]?["messages"]?.arrayValue?.last?["message"] == "Paid by wire ✓")
        // A second comment goes to the same thread.
        _ = try await h.ok("order.update", verb: .put, query: "order_id=2&comment=again")
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_customer_thread WHERE id_order = 2") == 1)
        #expect(try await h.call("order.update", verb: .put, query: "order_id=999999&order_status=2").returnCode == 112)
        #expect(try await h.call("order.update", verb: .put, query: "order_id=2&order_status=999").returnCode == 109)
    }

    // MARK: bad input

    @Test func badInputGetsClearAnswersAndChangesNothing() async throws {
        let h = try await Self.harness()
        defer { h.remove() }
        let products = try h.sqlInt("SELECT COUNT(*) FROM ps_product")
        #expect(try await h.call("product.info", query: "id=999999").returnCode == 112)
        #expect(try await h.call("product.info", query: "id=abc").returnCode == 112)
        #expect(try await h.call("order.info", query: "order_id=999999").returnCode == 112)
        #expect(try await h.call("customer.info", query: "id=999999").returnCode == 112)
        #expect(try await h.call("product.list", query: "created_from=2025-13-45").returnCode == 109)
        #expect(try await h.call("product.list", query: "count=-1").returnCode == 109)
        #expect(try await h.call("product.list", query: "count=251").returnCode == 111)
        #expect(try await h.call("product.list", query: "sort_by=bogus").returnCode == 109)
        #expect(try await h.call("product.list", query: "store_id=99").returnCode == 109)
        #expect(try await h.call("product.list", query: "lang_id=99").returnCode == 109)
        #expect(try await h.call("product.list", query: "find_value=x&find_where=password").returnCode == 109)
        for value in ["'; DROP TABLE ps_product; --", "%_\\", "Ünïcödé 😀", "\" OR 1=1 #"] {
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
            let answer = try await h.ok("product.list", query: "find_value=\(encoded)")
            #expect(answer.result["products_count"] == 0, "\(value)")
            #expect(try await h.ok("product.find", query: "find_value=\(encoded)").result["product"] == [])
        }
        #expect(try await h.call("product.update", verb: .put, body: #"{"id":"999999","price":1}"#).returnCode == 112)
        #expect(try await h.call("product.update", verb: .put, body: #"{"id":"1","price":-5}"#).returnCode == 109)
        #expect(try await h.call("product.delete", verb: .delete, query: "id=999999").returnCode == 112)
        #expect(try await h.call("product.add", verb: .post, body: #"{"name":"x","model":"y","price":1,"categories_ids":"424242"}"#).returnCode == 109)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM ps_product") == products)
    }
}

extension JSONValue {
    /// A JSON number as a Double, whether it came as an integer or not.
    var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }
}

extension StoreHarness {
    /// A product made through the API; the caller removes it with `purgeProduct`.
    func addTestProduct(name: String, quantity: Int = 10) async throws -> String {
        let answer = try await self.ok("product.add", verb: .post, body: #"{"name":"\#(name)","model":"CB-TEST","price":5,"quantity":\#(quantity)}"#)
        return try #require(answer.result["product_id"]?.stringValue)
    }

    /// Removes a test product with SQL, whatever state a failed test left it in (the API's delete is tested
    /// on its own); its stock movements go too.
    func purgeProduct(_ id: String) throws {
        guard Int(id) != nil else { return }
        _ = try self.sql(
            """
            DELETE m FROM ps_stock_mvt m JOIN ps_stock_available sa ON sa.id_stock_available = m.id_stock WHERE sa.id_product = \(id);
            DELETE FROM ps_product_attribute_image WHERE id_product_attribute IN (SELECT id_product_attribute FROM ps_product_attribute WHERE id_product = \(id));
            DELETE FROM ps_product_attribute_combination WHERE id_product_attribute IN (SELECT id_product_attribute FROM ps_product_attribute WHERE id_product = \(id));
            DELETE FROM ps_image_lang WHERE id_image IN (SELECT id_image FROM ps_image WHERE id_product = \(id));
            DELETE FROM ps_product_attribute_shop WHERE id_product = \(id);
            DELETE FROM ps_product_attribute WHERE id_product = \(id);
            DELETE FROM ps_image_shop WHERE id_product = \(id);
            DELETE FROM ps_image WHERE id_product = \(id);
            DELETE FROM ps_stock_available WHERE id_product = \(id);
            DELETE FROM ps_specific_price WHERE id_product = \(id);
            DELETE FROM ps_category_product WHERE id_product = \(id);
            DELETE FROM ps_product_lang WHERE id_product = \(id);
            DELETE FROM ps_product_shop WHERE id_product = \(id);
            DELETE FROM ps_product WHERE id_product = \(id);
            """)
    }

    /// A product written straight into the tables (reference CB-WALK), as another tool would while a client walks
    /// the list.
    func insertWalkProduct() throws {
        _ = try self.sql(
            """
            INSERT INTO ps_product (id_tax_rules_group, reference, price, active, date_add, date_upd) VALUES (0, 'CB-WALK', 1, 1, NOW(), NOW());
            SET @p = LAST_INSERT_ID();
            INSERT INTO ps_product_shop (id_product, id_shop, id_tax_rules_group, price, active, date_add, date_upd) VALUES (@p, 1, 0, 1, 1, NOW(), NOW());
            INSERT INTO ps_product_lang (id_product, id_shop, id_lang, link_rewrite, name) VALUES (@p, 1, 1, 'cb-walk', 'AAA walk probe');
            """)
    }

    func cleanUpWalkProduct() throws {
        for id in try self.sqlColumn("SELECT id_product FROM ps_product WHERE reference = 'CB-WALK'") {
            try self.purgeProduct(id)
        }
    }
}
