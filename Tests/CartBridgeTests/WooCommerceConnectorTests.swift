import CartBridgeCore
import Foundation
import Synchronization
import Testing

@testable import CartBridgeServer

/// The WooCommerce connector against the wc995 demo shop (WordPress 6.9 + WooCommerce 9.9.5, orders in both
/// storages): what the API says is checked against what the database says. Serialized: some tests write, and
/// one flips the shop's order storage.
@Suite(.serialized, .enabled(if: TestStores.named("wc995") != nil, "no wc995 test store: run the suite through scripts/test, which starts MariaDB, PHP and the bridge"))
struct WooCommerceConnectorTests {
    static let productWhere = "post_type = 'product' AND post_status IN ('publish','draft','private','pending')"
    static let productWhereP = "p.post_type = 'product' AND p.post_status IN ('publish','draft','private','pending')"

    static func ids(_ items: [JSONValue], _ key: String = "id") -> [String] {
        items.compactMap { $0[key]?.stringValue }
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    // MARK: counts

    @Test func countsEqualSQL() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let products = try h.sqlInt("SELECT COUNT(*) FROM wp_posts WHERE \(Self.productWhere)")
        #expect(products == 18)
        #expect(try await h.ok("product.count").result["products_count"] == .int(Int64(products)))
        let variations = try h.sqlInt(
            "SELECT COUNT(*) FROM wp_posts v JOIN wp_posts p ON p.ID = v.post_parent AND \(Self.productWhereP) WHERE v.post_type = 'product_variation' AND v.post_status IN ('publish','private')"
        )
        #expect(variations == 7)
        #expect(try await h.ok("product.child_item.count").result["total_count"] == .int(Int64(variations)))
        let hoodieVariations = try h.sqlInt("SELECT COUNT(*) FROM wp_posts WHERE post_type = 'product_variation' AND post_parent = 12")
        #expect(try await h.ok("product.child_item.count", query: "product_id=12").result["total_count"] == .int(Int64(hoodieVariations)))
        let categories = try h.sqlInt("SELECT COUNT(*) FROM wp_term_taxonomy WHERE taxonomy = 'product_cat'")
        #expect(try await h.ok("category.count").result["categories_count"] == .int(Int64(categories)))
        let children = try h.sqlInt("SELECT COUNT(*) FROM wp_term_taxonomy WHERE taxonomy = 'product_cat' AND parent = 16")
        #expect(try await h.ok("category.count", query: "parent_id=16").result["categories_count"] == .int(Int64(children)))
        let customers = try h.sqlInt(
            "SELECT COUNT(*) FROM wp_users u WHERE EXISTS (SELECT 1 FROM wp_usermeta m WHERE m.user_id = u.ID AND m.meta_key = 'wp_capabilities' AND m.meta_value LIKE '%\"customer\"%')"
        )
        #expect(customers == 1)
        #expect(try await h.ok("customer.count").result["customers_count"] == .int(Int64(customers)))
        let guests = try h.sqlInt("SELECT COUNT(*) FROM wp_wc_customer_lookup WHERE user_id IS NULL")
        #expect(try await h.ok("customer.count", query: "include_guests=true").result["customers_count"] == .int(Int64(customers + guests)))
        let orders = try h.sqlInt("SELECT COUNT(*) FROM wp_wc_orders WHERE type = 'shop_order' AND status NOT IN ('trash','auto-draft','draft')")
        #expect(orders == 2)
        #expect(try await h.ok("order.count").result["orders_count"] == .int(Int64(orders)))
        let completed = try h.sqlInt("SELECT COUNT(*) FROM wp_wc_orders WHERE type = 'shop_order' AND status = 'wc-completed'")
        #expect(try await h.ok("order.count", query: "order_status=wc-completed").result["orders_count"] == .int(Int64(completed)))
        // The list methods count alike.
        #expect(try await h.ok("product.list", query: "count=1").result["products_count"] == .int(Int64(products)))
        #expect(try await h.ok("order.list", query: "count=1").result["orders_count"] == .int(Int64(orders)))
    }

    @Test func cartMethodsListTheCatalog() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let methods = try await h.ok("cart.methods").raw
        for name in ["product.list", "product.child_item.list", "order.update", "customer.info", "category.count"] {
            #expect(methods.contains("\"\(name)\""), "\(name)")
        }
    }

    // MARK: demo items

    @Test func simpleProductOnSaleMatchesSQL() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        // Beanie: a simple product with a regular and a sale price.
        let row = try #require(
            try h.sql(
                """
                SELECT p.post_title, p.post_name, l.sku, (SELECT meta_value FROM wp_postmeta WHERE post_id = p.ID AND meta_key = '_regular_price'),
                (SELECT meta_value FROM wp_postmeta WHERE post_id = p.ID AND meta_key = '_sale_price'), l.stock_status,
                (SELECT GROUP_CONCAT(tt.term_id ORDER BY tt.term_id) FROM wp_term_relationships tr JOIN wp_term_taxonomy tt USING (term_taxonomy_id) WHERE tr.object_id = p.ID AND tt.taxonomy = 'product_cat'),
                (SELECT meta_value FROM wp_postmeta WHERE post_id = p.ID AND meta_key = '_weight'), p.post_date
                FROM wp_posts p JOIN wp_wc_product_meta_lookup l ON l.product_id = p.ID WHERE p.ID = 15
                """
            ).first
        )
        let product = try await h.ok("product.info", query: "id=15&params=force_all").result
        #expect(product["id"] == "15")
        #expect(product["name"] == .string(row[0]!))
        #expect(product["seo_url"] == .string(row[1]!))
        #expect(product["u_sku"] == .string(row[2]!))
        #expect(product["type"] == "simple")
        #expect(Self.number(product["price"]) == Double(row[3]!))
        #expect(Self.number(product["special_price"]?["value"]) == Double(row[4]!))
        #expect(product["special_price"]?["avail"] == true)
        #expect(product["on_sale"] == true)
        #expect(product["in_stock"] == .bool(row[5] == "instock"))
        let categories = (row[6] ?? "").split(separator: ",").map { JSONValue.string(String($0)) }
        #expect(product["categories_ids"]?.arrayValue.map(Set.init) == Set(categories))
        #expect(Self.number(product["weight"]) == row[7].flatMap(Double.init))
        #expect(product["weight_unit"] == "lbs")
        #expect(product["create_at"]?["value"]?.stringValue == row[8]!.replacingOccurrences(of: " ", with: "T") + "+0000")
        #expect(product["additional_fields"]?.objectValue != nil)
        // The default params: id, name, description, price, categories_ids.
        let plain = try await h.ok("product.info", query: "id=15").result
        #expect(Set(plain.objectValue?.keys.map { $0 } ?? []) == ["id", "name", "description", "price", "categories_ids"])
    }

    @Test func imagesAreAttachmentsUnderTheUploadsURL() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        // The demo has one attachment (the placeholder, id 5); a second one is added for the gallery.
        let attachment = try h.sqlInt(
            """
            INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_type, post_mime_type, guid)
            VALUES (0, NOW(), UTC_TIMESTAMP(), '', 'cb-test', '', 'inherit', 'cb-test', '', '', NOW(), UTC_TIMESTAMP(), '', 'attachment', 'image/png', 'http://old.example/cb-test.png');
            SET @a = LAST_INSERT_ID();
            INSERT INTO wp_postmeta (post_id, meta_key, meta_value) VALUES (@a, '_wp_attached_file', '2026/11/cb-test.png'), (@a, '_wp_attachment_image_alt', 'A test picture'),
              (15, '_thumbnail_id', '5'), (15, '_product_image_gallery', CONCAT(@a, ',5'));
            INSERT INTO wp_termmeta (term_id, meta_key, meta_value) VALUES (20, 'thumbnail_id', '5');
            SELECT @a
            """
        )
        defer {
            _ = try? h.sql(
                "DELETE FROM wp_postmeta WHERE post_id = \(attachment) OR (post_id = 15 AND meta_key IN ('_thumbnail_id', '_product_image_gallery')); DELETE FROM wp_posts WHERE ID = \(attachment); DELETE FROM wp_termmeta WHERE term_id = 20 AND meta_key = 'thumbnail_id'"
            )
        }
        let images = try #require(try await h.ok("product.info", query: "id=15&params=images").result["images"]?.arrayValue)
        // Uploads are served under the shop's own address (its port differs between test environments).
        let site = try #require(try h.sqlColumn("SELECT option_value FROM wp_options WHERE option_name = 'siteurl'").first)
        let uploads = (site.hasSuffix("/") ? String(site.dropLast()) : site) + "/wp-content/uploads/"
        #expect(images.count == 2)
        #expect(images.first?["id"] == "5")
        #expect(images.first?["type"] == "base")
        #expect(images.first?["http_path"] == .string(uploads + "woocommerce-placeholder.png"))
        #expect(images.last?["id"] == .string(String(attachment)))
        #expect(images.last?["type"] == "additional")
        #expect(images.last?["http_path"] == .string(uploads + "2026/11/cb-test.png"))
        #expect(images.last?["file_name"] == "cb-test.png")
        #expect(images.last?["alt"] == "A test picture")
        let category = try await h.ok("category.info", query: "id=20&params=images").result
        #expect(category["images"]?.arrayValue?.first?["id"] == "5")
        // Without images in params the statement is left out and the field too.
        #expect(try await h.ok("product.info", query: "id=15&params=id,name").result["images"] == nil)
    }

    @Test func variableProductListsItsVariations() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let product = try await h.ok("product.info", query: "id=12&params=force_all").result
        #expect(product["type"] == "variable")
        #expect(product["name"] == "Hoodie")
        let minPrice = try h.sqlColumn("SELECT min_price FROM wp_wc_product_meta_lookup WHERE product_id = 12").first.flatMap(Double.init)
        #expect(Self.number(product["price"]) == minPrice)

        let expected = try h.sql(
            """
            SELECT v.ID, v.post_title, l.sku, (SELECT meta_value FROM wp_postmeta WHERE post_id = v.ID AND meta_key = '_regular_price'),
            (SELECT meta_value FROM wp_postmeta WHERE post_id = v.ID AND meta_key = '_sale_price'),
            (SELECT GROUP_CONCAT(CONCAT(SUBSTRING(meta_key, 11), '=', meta_value) ORDER BY meta_key) FROM wp_postmeta WHERE post_id = v.ID AND meta_key LIKE 'attribute\\_%' AND meta_value <> '')
            FROM wp_posts v LEFT JOIN wp_wc_product_meta_lookup l ON l.product_id = v.ID
            WHERE v.post_type = 'product_variation' AND v.post_parent = 12 ORDER BY v.ID
            """
        )
        #expect(expected.count == 4)
        let children = try await h.ok("product.child_item.list", query: "product_id=12&count=50").result
        let items = try #require(children["children"]?.arrayValue)
        #expect(children["total_count"] == .int(Int64(expected.count)))
        #expect(Self.ids(items) == expected.map { $0[0]! })
        for (item, row) in zip(items, expected) {
            #expect(item["parent_id"] == "12")
            #expect(item["name"] == .string(row[1]!))
            #expect(item["sku"] == .string(row[2] ?? ""))
            #expect(Self.number(item["default_price"]) == row[3].flatMap(Double.init))
            #expect(Self.number(item["additional_fields"]?["sale_price"]) == row[4].flatMap(Double.init))
            let combination = (item["combination"]?.arrayValue ?? []).map { "\($0["option_id"]?.stringValue ?? "")=\($0["option_value_id"]?.stringValue ?? "")" }
            #expect(combination.sorted().joined(separator: ",") == row[5] ?? "", "variation \(row[0]!)")
        }
        // A taxonomy attribute names its term: pa_color=red is "Red".
        let red = try #require(items.first { $0["id"] == "28" })
        let color = try #require(red["combination"]?.arrayValue?.first { $0["option_id"] == "pa_color" })
        #expect(color["additional_fields"]?["option_value_name"] == "Red")
        #expect(red["additional_fields"]?["special_price"]?["value"] != nil)

        let one = try await h.ok("product.child_item.info", query: "product_id=12&id=29").result
        #expect(one["id"] == "29")
        #expect(one["parent_id"] == "12")
        // A variation under another product is not found.
        let wrong = try await h.call("product.child_item.info", query: "product_id=11&id=29")
        #expect(wrong.returnCode == 112)
    }

    @Test func categoriesMatchSQL() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let rows = try h.sql(
            "SELECT t.term_id, t.name, tt.parent, tt.description, tt.count, t.slug FROM wp_term_taxonomy tt JOIN wp_terms t USING (term_id) WHERE tt.taxonomy = 'product_cat' ORDER BY t.term_id"
        )
        let list = try await h.ok("category.list", query: "count=100&params=force_all").result
        let items = try #require(list["category"]?.arrayValue)
        #expect(Self.ids(items) == rows.map { $0[0]! })
        for (item, row) in zip(items, rows) {
            #expect(item["name"] == .string(row[1]!))
            #expect(item["parent_id"] == .string(row[2]!))
            #expect(item["description"] == .string(row[3] ?? ""))
            #expect(item["additional_fields"]?["product_count"] == .int(Int64(row[4]!)!))
            #expect(item["seo_url"] == .string(row[5]!))
            #expect(item["avail"] == true)
        }
        let tshirts = try await h.ok("category.info", query: "id=17&params=force_all").result
        #expect(tshirts["path"] == "Clothing/Tshirts")
        let children = try await h.ok("category.list", query: "parent_id=16&count=100").result["category"]?.arrayValue ?? []
        #expect(Self.ids(children) == (try h.sqlColumn("SELECT term_id FROM wp_term_taxonomy WHERE taxonomy = 'product_cat' AND parent = 16 ORDER BY term_id")))
        let found = try await h.ok("category.list", query: "find_value=hood").result["category"]?.arrayValue ?? []
        #expect(Self.ids(found) == ["18"])
    }

    @Test func customerMatchesSQL() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let row = try #require(try h.sql("SELECT ID, user_email, user_login, user_registered FROM wp_users WHERE ID = 2").first)
        let meta = Dictionary(uniqueKeysWithValues: try h.sql("SELECT meta_key, meta_value FROM wp_usermeta WHERE user_id = 2").map { ($0[0]!, $0[1] ?? "") })
        let customer = try await h.ok("customer.info", query: "id=2&params=force_all").result
        #expect(customer["id"] == "2")
        #expect(customer["email"] == .string(row[1]!))
        #expect(customer["login"] == .string(row[2]!))
        #expect(customer["first_name"] == .string(meta["first_name"]!))
        #expect(customer["last_name"] == .string(meta["last_name"]!))
        #expect(customer["phone"] == .string(meta["billing_phone"]!))
        #expect(customer["created_time"]?["value"]?.stringValue == row[3]!.replacingOccurrences(of: " ", with: "T") + "+0000")
        #expect(customer["is_guest"] == false)
        let book = try #require(customer["address_book"]?.arrayValue)
        #expect(book.count == 2)
        let billing = try #require(book.first { $0["type"] == "billing" })
        #expect(billing["address1"] == .string(meta["billing_address_1"]!))
        #expect(billing["city"] == .string(meta["billing_city"]!))
        #expect(billing["postcode"] == .string(meta["billing_postcode"]!))
        #expect(billing["country"]?["code2"] == .string(meta["billing_country"]!))
        #expect(billing["country"]?["code3"] == "USA")
        #expect(billing["state"]?["code"] == .string(meta["billing_state"]!))
        // The admin is a user but no customer.
        #expect(try await h.call("customer.info", query: "id=1").returnCode == 112)
        let list = try await h.ok("customer.list").result
        #expect(Self.ids(list["customer"]?.arrayValue ?? []) == ["2"])
        let found = try await h.ok("customer.list", query: "find_value=jane.doe&find_where=email").result
        #expect(Self.ids(found["customer"]?.arrayValue ?? []) == ["2"])
    }

    @Test func guestsComeOnlyWithIncludeGuests() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let guestID = try h.sqlInt(
            "INSERT INTO wp_wc_customer_lookup (user_id, username, first_name, last_name, email, date_last_active, country, postcode, city, state) VALUES (NULL, '', 'Gus', 'Guest', 'gus.guest@example.com', '2026-11-28 10:00:00', 'DE', '10115', 'Berlin', 'BE'); SELECT LAST_INSERT_ID()"
        )
        defer { _ = try? h.sql("DELETE FROM wp_wc_customer_lookup WHERE customer_id = \(guestID)") }
        let without = try await h.ok("customer.list", query: "count=50").result["customer"]?.arrayValue ?? []
        #expect(!Self.ids(without).contains("-\(guestID)"))
        let with = try await h.ok("customer.list", query: "count=50&include_guests=true&params=force_all").result["customer"]?.arrayValue ?? []
        let guest = try #require(with.first { $0["id"] == .string("-\(guestID)") })
        #expect(guest["is_guest"] == true)
        #expect(guest["email"] == "gus.guest@example.com")
        #expect(guest["address_book"]?.arrayValue?.first?["country"]?["code3"] == "DEU")
        #expect(try await h.ok("customer.count", query: "include_guests=1").result["customers_count"] == .int(Int64(with.count)))
    }

    @Test func hposOrderMatchesSQL() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let row = try #require(
            try h.sql("SELECT o.status, o.total_amount, o.customer_id, o.billing_email, o.date_created_gmt, o.currency FROM wp_wc_orders o WHERE o.id = 37").first
        )
        let order = try await h.ok("order.info", query: "order_id=37&params=force_all").result
        #expect(order["id"] == "37")
        #expect(order["order_id"] == "37")
        #expect(order["status"]?["id"] == .string(row[0]!))
        #expect(order["status"]?["name"] == "Completed")
        #expect(Self.number(order["totals"]?["total"]) == Double(row[1]!))
        #expect(order["customer"]?["id"] == .string(row[2]!))
        #expect(order["customer"]?["email"] == .string(row[3]!))
        #expect(order["create_at"]?["value"]?.stringValue == row[4]!.replacingOccurrences(of: " ", with: "T") + "+0000")
        #expect(order["currency"]?["iso3"] == .string(row[5]!))
        let address = try #require(try h.sql("SELECT first_name, address_1, city, country FROM wp_wc_order_addresses WHERE order_id = 37 AND address_type = 'billing'").first)
        #expect(order["billing_address"]?["first_name"] == .string(address[0]!))
        #expect(order["billing_address"]?["address1"] == .string(address[1]!))
        #expect(order["billing_address"]?["city"] == .string(address[2]!))
        #expect(order["billing_address"]?["country"]?["code2"] == .string(address[3]!))
        let lines = try h.sql(
            """
            SELECT oi.order_item_id, oi.order_item_name, MAX(IF(m.meta_key = '_product_id', m.meta_value, NULL)), MAX(IF(m.meta_key = '_qty', m.meta_value, NULL)),
            MAX(IF(m.meta_key = '_line_total', m.meta_value, NULL))
            FROM wp_woocommerce_order_items oi JOIN wp_woocommerce_order_itemmeta m USING (order_item_id)
            WHERE oi.order_id = 37 AND oi.order_item_type = 'line_item' GROUP BY oi.order_item_id ORDER BY oi.order_item_id
            """
        )
        let products = try #require(order["order_products"]?.arrayValue)
        #expect(products.count == lines.count)
        for (item, line) in zip(products, lines) {
            #expect(item["order_product_id"] == .string(line[0]!))
            #expect(item["name"] == .string(line[1]!))
            #expect(item["product_id"] == .string(line[2]!))
            #expect(Self.number(item["quantity"]) == Double(line[3]!))
            #expect(Self.number(item["total_price"]) == Double(line[4]!))
        }
        #expect(Self.number(order["totals"]?["subtotal"]) == lines.reduce(0) { $0 + Double($1[4]!)! })
        let sku = try h.sqlColumn("SELECT sku FROM wp_wc_product_meta_lookup WHERE product_id = \(lines[0][2]!)").first
        #expect(products[0]["model"] == .string(sku ?? ""))
        // The demo note "Order status changed from Pending payment to Completed." is the history.
        let history = try #require(order["status"]?["history"]?.arrayValue)
        #expect(history.count == (try h.sqlInt("SELECT COUNT(*) FROM wp_comments WHERE comment_post_ID = 37 AND comment_type = 'order_note'")))
        #expect(history.last?["id"] == "wc-completed")
    }

    // MARK: walks

    @Test func walksReturnEveryItemOnce() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let products = try h.sqlColumn("SELECT ID FROM wp_posts WHERE \(Self.productWhere) ORDER BY ID")
        for byStart in [false, true] {
            let walked = try await h.walk("product.list", itemsKey: "product", query: "params=id", count: 4, byStart: byStart)
            #expect(Self.ids(walked) == products, "byStart \(byStart)")
        }
        let byName = try h.sqlColumn("SELECT ID FROM wp_posts WHERE \(Self.productWhere) ORDER BY post_title DESC, ID DESC")
        let named = try await h.walk("product.list", itemsKey: "product", query: "params=id&sort_by=name&sort_direction=desc", count: 5)
        #expect(Self.ids(named) == byName)
        let byPrice = try h.sqlColumn(
            "SELECT p.ID FROM wp_posts p LEFT JOIN wp_wc_product_meta_lookup l ON l.product_id = p.ID WHERE \(Self.productWhereP) ORDER BY COALESCE(l.min_price, 0), p.ID"
        )
        let priced = try await h.walk("product.list", itemsKey: "product", query: "params=id&sort_by=price", count: 3)
        #expect(Self.ids(priced) == byPrice)

        let variations = try h.sqlColumn("SELECT ID FROM wp_posts WHERE post_type = 'product_variation' ORDER BY ID")
        #expect(Self.ids(try await h.walk("product.child_item.list", itemsKey: "children", query: "params=id", count: 2)) == variations)
        let categories = try h.sqlColumn("SELECT term_id FROM wp_term_taxonomy WHERE taxonomy = 'product_cat' ORDER BY term_id")
        #expect(Self.ids(try await h.walk("category.list", itemsKey: "category", query: "", count: 2)) == categories)
        #expect(Self.ids(try await h.walk("category.list", itemsKey: "category", query: "", count: 3, byStart: true)) == categories)
        let orders = try h.sqlColumn("SELECT id FROM wp_wc_orders WHERE type = 'shop_order' ORDER BY id")
        #expect(Self.ids(try await h.walk("order.list", itemsKey: "order", query: "params=order_id", count: 1)) == orders)
        #expect(Self.ids(try await h.walk("order.list", itemsKey: "order", query: "params=order_id&sort_by=create_at&sort_direction=desc", count: 1)).sorted() == orders)
    }

    @Test func aProductAddedDuringAWalkDoesNotDisturbIt() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let before = try h.sqlColumn("SELECT ID FROM wp_posts WHERE \(Self.productWhere) ORDER BY ID")
        let added = Mutex<String?>(nil)
        defer {
            if let id = added.withLock({ $0 }) { _ = try? h.sql("DELETE FROM wp_posts WHERE ID = \(id)") }
        }
        let between: @Sendable (Int) async throws -> Void = { page in
            guard page == 1 else { return }
            let id = try h.sqlColumn(
                "INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_type) VALUES (0, NOW(), UTC_TIMESTAMP(), '', 'Walk intruder', '', 'publish', 'walk-intruder', '', '', NOW(), UTC_TIMESTAMP(), '', 'product'); SELECT LAST_INSERT_ID()"
            ).first
            added.withLock { $0 = id }
        }
        for byStart in [false, true] {
            let walked = Self.ids(try await h.walk("product.list", itemsKey: "product", query: "params=id", count: 5, byStart: byStart, between: between))
            let intruder = added.withLock { $0 }
            // Every item that was there is seen exactly once; the newcomer (the highest id) at most once, at the end.
            #expect(Set(walked).count == walked.count, "byStart \(byStart): \(walked)")
            #expect(walked.filter { $0 != intruder } == before, "byStart \(byStart)")
            if let id = added.withLock({ $0 }) {
                _ = try h.sql("DELETE FROM wp_posts WHERE ID = \(id)")
                added.withLock { $0 = nil }
            }
        }
    }

    // MARK: filters

    @Test func productFiltersMatchSQL() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        func api(_ query: String) async throws -> [String] {
            Self.ids(try await h.ok("product.list", query: "count=250&params=id&" + query).result["product"]?.arrayValue ?? [])
        }
        func sql(_ condition: String) throws -> [String] {
            try h.sqlColumn("SELECT p.ID FROM wp_posts p LEFT JOIN wp_wc_product_meta_lookup l ON l.product_id = p.ID WHERE p.post_type = 'product' AND p.post_status IN ('publish','draft','private','pending') AND \(condition) ORDER BY p.ID")
        }
        let dates = try h.sqlColumn("SELECT DISTINCT post_date FROM wp_posts WHERE \(Self.productWhere) ORDER BY post_date")
        #expect(dates.count >= 2)
        let middle = dates[dates.count / 2]
        let encoded = middle.replacingOccurrences(of: " ", with: "%20")
        #expect(try await api("created_from=\(encoded)") == (try sql("p.post_date >= '\(middle)'")))
        #expect(try await api("created_to=\(encoded)") == (try sql("p.post_date <= '\(middle)'")))
        let modified = try h.sqlColumn("SELECT DISTINCT post_modified FROM wp_posts WHERE \(Self.productWhere) ORDER BY post_modified")
        let m = modified[modified.count / 2]
        #expect(try await api("modified_from=\(m.replacingOccurrences(of: " ", with: "%20"))") == (try sql("p.post_modified >= '\(m)'")))
        #expect(try await api("modified_to=\(m.replacingOccurrences(of: " ", with: "%20"))") == (try sql("p.post_modified <= '\(m)'")))
        #expect(try await api("since_id=20") == (try sql("p.ID > 20")))
        #expect(try await api("product_ids=13,15,999") == ["13", "15"])
        #expect(
            try await api("category_id=17")
                == (try sql("EXISTS (SELECT 1 FROM wp_term_relationships tr JOIN wp_term_taxonomy tt USING (term_taxonomy_id) WHERE tr.object_id = p.ID AND tt.taxonomy = 'product_cat' AND tt.term_id = 17)"))
        )
        #expect(try await api("find_value=hoodie") == (try sql("p.post_title LIKE '%hoodie%'")))
        #expect(try await api("find_value=woo-beanie&find_where=sku") == (try sql("l.sku LIKE '%woo-beanie%'")))
        #expect(try await api("sku=woo-beanie") == ["15"])
        #expect(try await api("status=disabled") == (try sql("p.post_status <> 'publish'")))
        let found = try await h.ok("product.find", query: "find_value=Hoodie").result["product"]?.arrayValue ?? []
        #expect(Self.ids(found) == (try sql("p.post_title LIKE '%Hoodie%'")))
    }

    @Test func orderAndCustomerFiltersMatchSQL() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        func api(_ query: String) async throws -> [String] {
            Self.ids(try await h.ok("order.list", query: "count=250&params=order_id&" + query).result["order"]?.arrayValue ?? [])
        }
        func sql(_ condition: String) throws -> [String] {
            try h.sqlColumn("SELECT id FROM wp_wc_orders WHERE type = 'shop_order' AND \(condition) ORDER BY id")
        }
        #expect(try await api("order_status=wc-completed") == (try sql("status = 'wc-completed'")))
        #expect(try await api("order_status=processing") == (try sql("status = 'wc-processing'")))
        #expect(try await api("customer_id=2") == (try sql("customer_id = 2")))
        #expect(try await api("customer_id=1") == [])
        #expect(try await api("customer_email=jane.doe%40example.com") == (try sql("billing_email = 'jane.doe@example.com'")))
        #expect(try await api("since_id=36") == (try sql("id > 36")))
        #expect(try await api("order_ids=37") == ["37"])
        // HPOS keeps UTC; the store's zone is UTC here, so the filter text is the column's text.
        let created = try #require(try h.sqlColumn("SELECT MIN(date_created_gmt) FROM wp_wc_orders").first)
        #expect(try await api("created_from=\(created.replacingOccurrences(of: " ", with: "%20"))") == (try sql("date_created_gmt >= '\(created)'")))
        #expect(try await api("created_to=2000-01-01") == [])
        #expect(try await api("modified_from=2000-01-01%2000:00:00") == (try sql("1 = 1")))

        let registered = try #require(try h.sqlColumn("SELECT user_registered FROM wp_users WHERE ID = 2").first)
        let customers = { (q: String) async throws -> [String] in
            Self.ids(try await h.ok("customer.list", query: "count=50&" + q).result["customer"]?.arrayValue ?? [])
        }
        #expect(try await customers("created_from=\(registered.replacingOccurrences(of: " ", with: "%20"))") == ["2"])
        #expect(try await customers("created_to=2000-01-01") == [])
        #expect(try await customers("since_id=2") == [])
        #expect(try await customers("ids=2") == ["2"])
    }

    // MARK: writes

    @Test func productAddUpdateDeleteReadBack() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let termCounts = try h.sql("SELECT term_taxonomy_id, count FROM wp_term_taxonomy ORDER BY term_taxonomy_id")
        let added = try await h.ok(
            "product.add", verb: .post,
            body: #"{"name":"CartBridge Mug ☕","model":"cb-mug-1","description":"<p>A mug</p>","short_description":"Mug","price":12.5,"quantity":7,"categories_ids":"19,21","weight":0.4}"#
        )
        let id = try #require(added.result["product_id"]?.stringValue)
        var deleted = false
        defer { if !deleted { _ = try? h.sql("DELETE FROM wp_postmeta WHERE post_id = \(id); DELETE FROM wp_term_relationships WHERE object_id = \(id); DELETE FROM wp_wc_product_meta_lookup WHERE product_id = \(id); DELETE FROM wp_posts WHERE ID = \(id)") } }

        let post = try #require(try h.sql("SELECT post_title, post_status, post_type, post_content, post_excerpt, post_name, post_date_gmt <> '0000-00-00 00:00:00' FROM wp_posts WHERE ID = \(id)").first)
        #expect(post[0] == "CartBridge Mug ☕")
        #expect(post[1] == "publish")
        #expect(post[2] == "product")
        #expect(post[3] == "<p>A mug</p>")
        #expect(post[4] == "Mug")
        #expect(post[5] == "cartbridge-mug")
        #expect(post[6] == "1")
        func meta(_ key: String) throws -> String? { try h.sql("SELECT meta_value FROM wp_postmeta WHERE post_id = \(id) AND meta_key = '\(key)'").first?.first ?? nil }
        #expect(try meta("_sku") == "cb-mug-1")
        #expect(try meta("_regular_price") == "12.5")
        #expect(try meta("_price") == "12.5")
        #expect(try meta("_stock") == "7")
        #expect(try meta("_stock_status") == "instock")
        #expect(try meta("_manage_stock") == "yes")
        #expect(try meta("_weight") == "0.4")
        let lookup = try #require(try h.sql("SELECT sku, min_price, max_price, stock_quantity, stock_status, onsale FROM wp_wc_product_meta_lookup WHERE product_id = \(id)").first)
        #expect(lookup == ["cb-mug-1", "12.5000", "12.5000", "7", "instock", "0"])
        let terms = try h.sqlColumn("SELECT CONCAT(tt.taxonomy, ':', t.slug) FROM wp_term_relationships tr JOIN wp_term_taxonomy tt USING (term_taxonomy_id) JOIN wp_terms t USING (term_id) WHERE tr.object_id = \(id) ORDER BY 1")
        #expect(terms == ["product_cat:accessories", "product_cat:decor", "product_type:simple"])
        #expect(try h.sqlInt("SELECT count FROM wp_term_taxonomy WHERE term_id = 21") == Int(termCounts.first { $0[0] == "21" }?[1] ?? "0")! + 1)

        var product = try await h.ok("product.info", query: "id=\(id)&params=force_all").result
        #expect(product["name"] == "CartBridge Mug ☕")
        #expect(product["u_sku"] == "cb-mug-1")
        #expect(Self.number(product["price"]) == 12.5)
        #expect(Self.number(product["quantity"]) == 7)
        #expect(product["categories_ids"]?.arrayValue.map(Set.init) == ["19", "21"])
        #expect(try await h.ok("product.count").result["products_count"] == 19)

        // Price, sale price, name, status.
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","price":14,"name":"CartBridge Mug","avail":true,"clear_cache":true}"#)
        #expect(try meta("_regular_price") == "14")
        #expect(try meta("_price") == "14")
        #expect(try h.sqlColumn("SELECT post_title FROM wp_posts WHERE ID = \(id)") == ["CartBridge Mug"])
        #expect(try h.sqlInt("SELECT post_modified >= post_date FROM wp_posts WHERE ID = \(id)") == 1)
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","special_price":11}"#)
        #expect(try meta("_sale_price") == "11")
        #expect(try meta("_price") == "11")
        // With a sale running, a new regular price leaves `_price` at the sale price.
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","price":15}"#)
        #expect(try meta("_regular_price") == "15")
        #expect(try meta("_price") == "11")
        #expect(try h.sql("SELECT min_price, onsale FROM wp_wc_product_meta_lookup WHERE product_id = \(id)").first == ["11.0000", "1"])
        product = try await h.ok("product.info", query: "id=\(id)&params=force_all").result
        #expect(Self.number(product["price"]) == 15)
        #expect(Self.number(product["special_price"]?["value"]) == 11)

        // Quantities: absolute, relative, and down to zero (stock status and visibility term follow).
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","quantity":3}"#)
        #expect(try meta("_stock") == "3")
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","increase_quantity":2}"#)
        #expect(try meta("_stock") == "5")
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","reduce_quantity":5}"#)
        #expect(try meta("_stock") == "0")
        #expect(try meta("_stock_status") == "outofstock")
        #expect(try h.sql("SELECT stock_quantity, stock_status FROM wp_wc_product_meta_lookup WHERE product_id = \(id)").first == ["0", "outofstock"])
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_term_relationships tr JOIN wp_term_taxonomy tt USING (term_taxonomy_id) JOIN wp_terms t USING (term_id) WHERE tr.object_id = \(id) AND tt.taxonomy = 'product_visibility' AND t.slug = 'outofstock'") == 1)
        product = try await h.ok("product.info", query: "id=\(id)&params=force_all").result
        #expect(product["in_stock"] == false)
        _ = try await h.ok("product.update", verb: .put, body: #"{"id":"\#(id)","increase_quantity":4,"status":"disabled"}"#)
        #expect(try meta("_stock_status") == "instock")
        #expect(try h.sqlColumn("SELECT post_status FROM wp_posts WHERE ID = \(id)") == ["draft"])
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_term_relationships tr JOIN wp_term_taxonomy tt USING (term_taxonomy_id) JOIN wp_terms t USING (term_id) WHERE tr.object_id = \(id) AND t.slug = 'outofstock'") == 0)
        #expect(try h.sqlInt("SELECT count FROM wp_term_taxonomy WHERE term_id = 21") == Int(termCounts.first { $0[0] == "21" }?[1] ?? "0")!)

        // Delete: the post, its meta, terms and lookup row; the term counts are back where they were.
        let gone = try await h.ok("product.delete", verb: .delete, query: "id=\(id)")
        #expect(gone.result["delete_items"] == 1)
        deleted = true
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_posts WHERE ID = \(id)") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_postmeta WHERE post_id = \(id)") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_term_relationships WHERE object_id = \(id)") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_wc_product_meta_lookup WHERE product_id = \(id)") == 0)
        #expect(try h.sql("SELECT term_taxonomy_id, count FROM wp_term_taxonomy ORDER BY term_taxonomy_id") == termCounts)
        #expect(try await h.call("product.info", query: "id=\(id)").returnCode == 112)
        #expect(try await h.call("product.delete", verb: .delete, query: "id=\(id)").returnCode == 112)
    }

    @Test func deletingAVariableProductDeletesItsVariations() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        // A copy of the Hoodie with two variations, made by SQL, so the demo stays as it is.
        let parent = try h.sqlInt(
            """
            INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_type)
            VALUES (0, NOW(), UTC_TIMESTAMP(), '', 'Doomed hoodie', '', 'publish', 'doomed-hoodie', '', '', NOW(), UTC_TIMESTAMP(), '', 'product');
            SET @p = LAST_INSERT_ID();
            INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_type, post_parent)
            VALUES (0, NOW(), UTC_TIMESTAMP(), '', 'Doomed hoodie - Red', '', 'publish', 'doomed-red', '', '', NOW(), UTC_TIMESTAMP(), '', 'product_variation', @p),
                   (0, NOW(), UTC_TIMESTAMP(), '', 'Doomed hoodie - Blue', '', 'publish', 'doomed-blue', '', '', NOW(), UTC_TIMESTAMP(), '', 'product_variation', @p);
            INSERT INTO wp_postmeta (post_id, meta_key, meta_value) SELECT ID, 'attribute_pa_color', 'red' FROM wp_posts WHERE post_parent = @p;
            INSERT INTO wp_wc_product_meta_lookup (product_id, sku) SELECT ID, CONCAT('doomed-', ID) FROM wp_posts WHERE post_parent = @p OR ID = @p;
            INSERT INTO wp_term_relationships (object_id, term_taxonomy_id) VALUES (@p, 4);
            SELECT @p
            """
        )
        let counts = try h.sql("SELECT term_taxonomy_id, count FROM wp_term_taxonomy ORDER BY term_taxonomy_id")
        defer { _ = try? h.sql("DELETE FROM wp_postmeta WHERE post_id IN (SELECT ID FROM wp_posts WHERE post_parent = \(parent) OR ID = \(parent)); DELETE FROM wp_wc_product_meta_lookup WHERE product_id IN (SELECT ID FROM wp_posts WHERE post_parent = \(parent) OR ID = \(parent)); DELETE FROM wp_term_relationships WHERE object_id = \(parent); DELETE FROM wp_posts WHERE post_parent = \(parent) OR ID = \(parent)") }
        #expect(try await h.ok("product.child_item.count", query: "product_id=\(parent)").result["total_count"] == 2)
        _ = try await h.ok("product.delete", verb: .delete, query: "id=\(parent)")
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_posts WHERE ID = \(parent) OR post_parent = \(parent)") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_wc_product_meta_lookup WHERE product_id >= \(parent) AND sku LIKE 'doomed-%'") == 0)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_postmeta WHERE meta_key = 'attribute_pa_color' AND post_id > \(parent)") == 0)
        // The insert above did not recount the variable type; the delete recounts it, without the doomed product.
        let variable = Int(counts.first { $0[0] == "4" }?[1] ?? "0")!
        #expect(try h.sqlInt("SELECT count FROM wp_term_taxonomy WHERE term_taxonomy_id = 4") == variable)
        #expect(try await h.call("product.child_item.list", query: "product_id=\(parent)").result["total_count"] == 0)
    }

    @Test func fiftyConcurrentReductionsLeaveFifty() async throws {
        // Limits well above the 50 calls, so every call reaches the store.
        let h = try await StoreHarness.make("wc995") {
            $0.perStoreConcurrency = 64
            $0.perAccountConcurrency = 64
        }
        defer { h.remove() }
        let added = try await h.ok("product.add", verb: .post, body: #"{"name":"CartBridge stock test","model":"cb-stock","price":1,"quantity":100}"#)
        let id = try #require(added.result["product_id"]?.stringValue)
        defer { _ = try? h.sql("DELETE FROM wp_postmeta WHERE post_id = \(id); DELETE FROM wp_term_relationships WHERE object_id = \(id); DELETE FROM wp_wc_product_meta_lookup WHERE product_id = \(id); DELETE FROM wp_posts WHERE ID = \(id)") }
        let codes = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let answer = try await h.call("product.update", verb: .put, body: #"{"id":"\#(id)","reduce_quantity":1}"#)
                    if answer.returnCode != 0 { print("reduce_quantity: \(answer.raw.prefix(300))") }
                    return answer.returnCode
                }
            }
            var codes: [Int64?] = []
            for try await code in group { codes.append(code) }
            return codes
        }
        #expect(codes.allSatisfy { $0 == 0 }, "\(codes)")
        #expect(try h.sqlColumn("SELECT meta_value FROM wp_postmeta WHERE post_id = \(id) AND meta_key = '_stock'") == ["50"])
        #expect(try h.sqlColumn("SELECT stock_quantity FROM wp_wc_product_meta_lookup WHERE product_id = \(id)") == ["50"])
        let product = try await h.ok("product.info", query: "id=\(id)&params=quantity").result
        #expect(Self.number(product["quantity"]) == 50)
        _ = try await h.ok("product.delete", verb: .delete, query: "id=\(id)")
    }

    // MARK: order.update in both storages

    /// Puts order 36 and the storage options back as they were, and removes the notes a test added.
    static func restoreOrders(_ h: StoreHarness, notesAbove: Int) throws {
        _ = try h.sql(
            """
            UPDATE wp_options SET option_value = 'yes' WHERE option_name IN ('woocommerce_custom_orders_table_enabled', 'woocommerce_custom_orders_table_data_sync_enabled');
            UPDATE wp_wc_orders SET status = 'wc-processing', date_updated_gmt = '2026-11-28 15:45:13' WHERE id = 36;
            UPDATE wp_wc_order_operational_data SET date_completed_gmt = NULL WHERE order_id = 36;
            UPDATE wp_posts SET post_status = 'wc-processing', post_modified = '2026-11-28 15:45:13', post_modified_gmt = '2026-11-28 15:45:13' WHERE ID = 36;
            DELETE FROM wp_postmeta WHERE post_id = 36 AND meta_key IN ('_date_completed', '_completed_date');
            DELETE FROM wp_commentmeta WHERE comment_id > \(notesAbove);
            DELETE FROM wp_comments WHERE comment_ID > \(notesAbove)
            """
        )
    }

    @Test func orderUpdateWritesTheHPOSTablesAndTheSyncedPosts() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        #expect(try h.sqlColumn("SELECT status FROM wp_wc_orders WHERE id = 36") == ["wc-processing"])
        let notes = try h.sqlInt("SELECT COALESCE(MAX(comment_ID), 0) FROM wp_comments")
        defer { try? Self.restoreOrders(h, notesAbove: notes) }
        let answer = try await h.ok("order.update", verb: .put, query: "order_id=36&order_status=wc-completed&comment=Shipped%20today&send_notifications=true")
        #expect(answer.result["updated_items"] == 1)
        #expect(try h.sqlColumn("SELECT status FROM wp_wc_orders WHERE id = 36") == ["wc-completed"])
        #expect(try h.sqlInt("SELECT date_updated_gmt > '2026-11-28 15:45:13' FROM wp_wc_orders WHERE id = 36") == 1)
        #expect(try h.sqlInt("SELECT date_completed_gmt IS NOT NULL FROM wp_wc_order_operational_data WHERE order_id = 36") == 1)
        // Sync is on: the posts copy follows.
        #expect(try h.sqlColumn("SELECT post_status FROM wp_posts WHERE ID = 36") == ["wc-completed"])
        let note = try #require(try h.sql("SELECT comment_ID, comment_content, comment_type, comment_author, comment_date_gmt > '2026-11-28 15:45:13' FROM wp_comments WHERE comment_ID > \(notes)").first)
        #expect(note[1] == "Shipped today Order status changed from Processing to Completed.")
        #expect(note[2] == "order_note")
        #expect(note[3] == "WooCommerce")
        #expect(note[4] == "1")
        #expect(try h.sqlColumn("SELECT meta_value FROM wp_commentmeta WHERE comment_id = \(note[0]!) AND meta_key = 'is_customer_note'") == ["1"])
        let order = try await h.ok("order.info", query: "order_id=36&params=status,modified_at").result
        #expect(order["status"]?["id"] == "wc-completed")
        let history = try #require(order["status"]?["history"]?.arrayValue)
        #expect(history.last?["comment"] == "Shipped today Order status changed from Processing to Completed.")
        #expect(history.last?["id"] == "wc-completed")
        #expect(history.last?["notify"] == true)
        #expect(history.first?["id"] == "wc-processing")
        // A comment alone adds a note and leaves the status.
        _ = try await h.ok("order.update", verb: .put, query: "order_id=36&comment=Left%20at%20the%20door")
        #expect(try h.sqlColumn("SELECT status FROM wp_wc_orders WHERE id = 36") == ["wc-completed"])
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_comments WHERE comment_ID > \(notes) AND comment_content = 'Left at the door'") == 1)
        #expect(try await h.call("order.update", verb: .put, query: "order_id=999999&order_status=wc-completed").returnCode == 112)
        #expect(try await h.call("order.update", verb: .put, query: "order_id=36&order_status=wc-nonsense").returnCode == 109)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_comments WHERE comment_ID > \(notes)") == 2)
    }

    @Test func withPostsAuthoritativeOrdersAreReadAndWrittenThere() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        let notes = try h.sqlInt("SELECT COALESCE(MAX(comment_ID), 0) FROM wp_comments")
        defer { try? Self.restoreOrders(h, notesAbove: notes) }
        _ = try h.sql(
            "UPDATE wp_options SET option_value = 'no' WHERE option_name IN ('woocommerce_custom_orders_table_enabled', 'woocommerce_custom_orders_table_data_sync_enabled')"
        )
        // Reads come from the posts now: counts, filters, and the order itself.
        let orders = try h.sqlInt("SELECT COUNT(*) FROM wp_posts WHERE post_type = 'shop_order' AND post_status NOT IN ('trash','auto-draft','draft')")
        #expect(try await h.ok("order.count").result["orders_count"] == .int(Int64(orders)))
        #expect(Self.ids(try await h.walk("order.list", itemsKey: "order", query: "params=order_id", count: 1)) == (try h.sqlColumn("SELECT ID FROM wp_posts WHERE post_type = 'shop_order' ORDER BY ID")))
        let listed = try await h.ok("order.info", query: "order_id=37&params=force_all").result
        #expect(Self.number(listed["totals"]?["total"]) == Double(try h.sqlColumn("SELECT meta_value FROM wp_postmeta WHERE post_id = 37 AND meta_key = '_order_total'").first ?? ""))
        #expect(listed["billing_address"]?["city"] == .string(try h.sqlColumn("SELECT meta_value FROM wp_postmeta WHERE post_id = 37 AND meta_key = '_billing_city'").first ?? ""))
        #expect(listed["customer"]?["id"] == "2")
        #expect(listed["order_products"]?.arrayValue?.count == 2)
        #expect(Self.ids(try await h.ok("order.list", query: "customer_id=2&params=order_id").result["order"]?.arrayValue ?? []) == ["36", "37"])
        #expect(Self.ids(try await h.ok("order.list", query: "order_status=wc-processing&params=order_id").result["order"]?.arrayValue ?? []) == ["36"])

        _ = try await h.ok("order.update", verb: .put, query: "order_id=36&order_status=wc-completed")
        #expect(try h.sqlColumn("SELECT post_status FROM wp_posts WHERE ID = 36") == ["wc-completed"])
        #expect(try h.sqlInt("SELECT post_modified > '2026-11-28 15:45:13' FROM wp_posts WHERE ID = 36") == 1)
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_postmeta WHERE post_id = 36 AND meta_key = '_date_completed'") == 1)
        // Sync is off: the HPOS copy is left alone.
        #expect(try h.sqlColumn("SELECT status FROM wp_wc_orders WHERE id = 36") == ["wc-processing"])
        #expect(try h.sqlColumn("SELECT comment_content FROM wp_comments WHERE comment_ID > \(notes)") == ["Order status changed from Processing to Completed."])
        let order = try await h.ok("order.info", query: "order_id=36&params=status").result
        #expect(order["status"]?["id"] == "wc-completed")
        // Back to HPOS: the API reads the HPOS copy again, without a cache to clear.
        _ = try h.sql("UPDATE wp_options SET option_value = 'yes' WHERE option_name = 'woocommerce_custom_orders_table_enabled'")
        #expect(try await h.ok("order.info", query: "order_id=36&params=status").result["status"]?["id"] == "wc-processing")
    }

    // MARK: bad input

    @Test func badInputIsRefusedAndChangesNothing() async throws {
        let h = try await StoreHarness.make("wc995")
        defer { h.remove() }
        for (method, query) in [
            ("product.info", "id=999999"), ("product.info", "id=36"), ("product.info", "id=abc"), ("product.child_item.info", "product_id=12&id=999999"),
            ("category.info", "id=999999"), ("category.info", "id=2"), ("customer.info", "id=999999"), ("order.info", "order_id=999999"),
            ("order.info", "order_id=12"),
        ] {
            #expect(try await h.call(method, query: query).returnCode == 112, "\(method) \(query)")
        }
        #expect(try await h.call("product.update", verb: .put, body: #"{"id":"999999","price":1}"#).returnCode == 112)
        #expect(try await h.call("product.update", verb: .put, body: #"{"id":"36","quantity":1}"#).returnCode == 112)
        #expect(try await h.call("product.delete", verb: .delete, query: "id=36").returnCode == 112)
        for query in ["created_from=2024-13-01", "modified_to=yesterday", "count=-1", "sort_by=nonsense", "find_value=x&find_where=color", "category_id=abc", "store_id=5", "lang_id=xx"] {
            #expect(try await h.call("product.list", query: query).returnCode == 109, "\(query)")
        }
        #expect(try await h.call("product.list", query: "count=300").returnCode == 111)
        #expect(try await h.call("order.list", query: "customer_id=abc").returnCode == 109)
        #expect(try await h.call("order.list", query: "created_to=2024-02-30%2025:00:00").returnCode == 109)
        #expect(try await h.call("customer.list", query: "sort_by=name").returnCode == 109)

        let before = try h.sqlInt("SELECT COUNT(*) FROM wp_posts") + 1000 * (try h.sqlInt("SELECT COUNT(*) FROM wp_postmeta"))
        for value in ["'; DROP TABLE wp_posts; --", "%", "_", "\\", "100% \"cotton\" \\_", "Худи 🧢", "' OR '1'='1"] {
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let answer = try await h.ok("product.list", query: "find_value=\(encoded)&find_where=name,sku,description")
            #expect(answer.result["products_count"] == 0, "\(value)")
            #expect(answer.result["product"]?.arrayValue?.isEmpty == true)
            #expect(try await h.ok("product.find", query: "find_value=\(encoded)").result["product"]?.arrayValue?.isEmpty == true)
            #expect(try await h.ok("customer.list", query: "find_value=\(encoded)").result["customers_count"] == 0)
            #expect(try await h.call("product.info", query: "id=\(encoded)").returnCode == 112)
        }
        #expect(try h.sqlInt("SELECT COUNT(*) FROM wp_posts") + 1000 * (try h.sqlInt("SELECT COUNT(*) FROM wp_postmeta")) == before)
    }
}
