import CartBridgeCore
import Foundation

/// Products and their option values (the child items) of OpenCart 3.0 and 4.x.
extension OpenCartConnector {
    static let productSorts: [String: String] = [
        "id": "p.`product_id`", "name": "COALESCE(pd.`name`, '')", "price": "p.`price`", "quantity": "p.`quantity`",
        "create_at": "p.`date_added`", "created_at": "p.`date_added`", "date_added": "p.`date_added`",
        "modified_at": "p.`date_modified`", "date_modified": "p.`date_modified`", "sort_order": "p.`sort_order`", "model": "p.`model`",
    ]

    static let codeNames = ["SKU": "sku", "UPC": "upc", "EAN": "ean", "JAN": "jan", "ISBN": "isbn", "MPN": "mpn"]

    /// The filtered product set: `product` with its description in the call's language (one row per product).
    func productSet(_ query: ListQuery, _ s: OpenCartSchema, language: String?) throws(CartBridgeError) -> PageSQL {
        let sort = try ListSQL.sort(query, Self.productSorts)
        var set = PageSQL(
            from: "\(s.t("product")) p LEFT JOIN \(s.t("product_description")) pd ON pd.`product_id` = p.`product_id` AND pd.`language_id` = ?",
            fromParams: [.string(language ?? "1")], id: "p.`product_id`", sort: sort, query: query
        )
        set.commonFilters(created: "p.`date_added`", modified: "p.`date_modified`")
        if let category = query.categoryID {
            set.filter("EXISTS (SELECT 1 FROM \(s.t("product_to_category")) pc WHERE pc.`product_id` = p.`product_id` AND pc.`category_id` = ?)", .string(category))
        }
        if let store = query.storeID {
            set.filter("EXISTS (SELECT 1 FROM \(s.t("product_to_store")) ps WHERE ps.`product_id` = p.`product_id` AND ps.`store_id` = ?)", .string(store))
        }
        if let enabled = query.enabled { set.filter("p.`status` = ?", .int(enabled ? 1 : 0)) }
        if let sku = query.sku { self.skuFilter(&set, s, equals: .string(sku)) }
        let sku = s.codesInTable
            ? "(SELECT GROUP_CONCAT(c.`value`) FROM \(s.t("product_code")) c WHERE c.`product_id` = p.`product_id` AND c.`code` = 'SKU')"
            : "p.`sku`"
        if let find = try ListSQL.find(
            Self.storedForm(query), default: ["name"], columns: ["name": "pd.`name`", "description": "pd.`description`", "model": "p.`model`", "sku": sku]
        ) {
            set.filter(find.sql, params: find.params)
        }
        return set
    }

    func skuFilter(_ set: inout PageSQL, _ s: OpenCartSchema, equals sku: JSONValue) {
        if s.codesInTable {
            set.filter("EXISTS (SELECT 1 FROM \(s.t("product_code")) c WHERE c.`product_id` = p.`product_id` AND c.`code` = 'SKU' AND c.`value` = ?)", sku)
        } else {
            set.filter("p.`sku` = ?", sku)
        }
    }

    func listProducts(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let s = OpenCartSchema(config: store.config)
        let language = try store.languageID(query.langID)
        let lang: JSONValue = .string(language ?? "1")
        let set = try self.productSet(query, s, language: language)
        var statements = [
            set.pageStatement(
                columns: "p.*, pd.`name`, pd.`description`, pd.`meta_title`, pd.`meta_description`, pd.`meta_keyword`, pd.`tag`, m.`name` AS manufacturer, wcd.`unit` AS weight_unit, lcd.`unit` AS length_unit",
                joins: """
                     LEFT JOIN \(s.t("manufacturer")) m ON m.`manufacturer_id` = p.`manufacturer_id`\
                     LEFT JOIN \(s.t("weight_class_description")) wcd ON wcd.`weight_class_id` = p.`weight_class_id` AND wcd.`language_id` = ?\
                     LEFT JOIN \(s.t("length_class_description")) lcd ON lcd.`length_class_id` = p.`length_class_id` AND lcd.`language_id` = ?
                    """,
                joinParams: [lang, lang]
            )
        ]
        var slots: [String: Int] = [:]
        func add(_ name: String, _ statement: SQLStatement) {
            slots[name] = statements.count
            statements.append(statement)
        }
        if query.after == nil { add("count", set.countStatement) }
        if query.wants("categories_ids") {
            add("categories", set.child { "SELECT pc.`product_id`, pc.`category_id` FROM \($0) JOIN \(s.t("product_to_category")) pc ON pc.`product_id` = page.page_id ORDER BY pc.`category_id`" })
        }
        if query.wants("stores_ids") {
            add("stores", set.child { "SELECT ps.`product_id`, ps.`store_id` FROM \($0) JOIN \(s.t("product_to_store")) ps ON ps.`product_id` = page.page_id ORDER BY ps.`store_id`" })
        }
        if query.wants("images") {
            add("images", set.child { "SELECT i.`product_image_id`, i.`product_id`, i.`image`, i.`sort_order` FROM \($0) JOIN \(s.t("product_image")) i ON i.`product_id` = page.page_id ORDER BY i.`sort_order`, i.`product_image_id`" })
        }
        if query.wants("special_price") {
            let table = s.specialTable ? "product_special" : "product_discount"
            let special = s.specialTable ? "" : " AND d.`special` = 1"
            // 4.x rows have a `type`: F a fixed price, S an amount off, P a percentage off.
            let type = s.specialTable ? "'F'" : "d.`type`"
            add("specials", set.child {
                """
                SELECT d.`product_id`, d.`price`, \(type) AS type, d.`date_start`, d.`date_end`, d.`customer_group_id` FROM \($0) JOIN \(s.t(table)) d ON d.`product_id` = page.page_id\(special)
                WHERE (d.`date_start` = '0000-00-00' OR d.`date_start` <= CURDATE()) AND (d.`date_end` = '0000-00-00' OR d.`date_end` > CURDATE())
                ORDER BY d.`priority`, d.`price`
                """
            })
        }
        if query.wants("product_options") {
            add("options", set.child({
                """
                SELECT po.`product_option_id`, po.`product_id`, po.`option_id`, po.`required`, o.`type`, o.`sort_order`, od.`name` FROM \($0)
                JOIN \(s.t("product_option")) po ON po.`product_id` = page.page_id JOIN \(s.t("option")) o ON o.`option_id` = po.`option_id`
                LEFT JOIN \(s.t("option_description")) od ON od.`option_id` = po.`option_id` AND od.`language_id` = ? ORDER BY o.`sort_order`, po.`product_option_id`
                """
            }, [lang]))
            add("values", set.child({
                """
                SELECT pov.`product_option_value_id`, pov.`product_option_id`, pov.`product_id`, pov.`option_value_id`, pov.`quantity`, pov.`price`,
                pov.`price_prefix`, pov.`weight`, pov.`weight_prefix`, ov.`sort_order`, ovd.`name` FROM \($0)
                JOIN \(s.t("product_option_value")) pov ON pov.`product_id` = page.page_id LEFT JOIN \(s.t("option_value")) ov ON ov.`option_value_id` = pov.`option_value_id`
                LEFT JOIN \(s.t("option_value_description")) ovd ON ovd.`option_value_id` = pov.`option_value_id` AND ovd.`language_id` = ?
                ORDER BY ov.`sort_order`, pov.`product_option_value_id`
                """
            }, [lang]))
        }
        if s.codesInTable && query.wants("u_sku", "u_upc", "u_ean", "u_isbn", "u_mpn", "additional_fields") {
            add("codes", set.child { "SELECT c.`product_id`, c.`code`, c.`value` FROM \($0) JOIN \(s.t("product_code")) c ON c.`product_id` = page.page_id" })
        }
        if query.wants("seo_url", "url") {
            if s.seoKeyValue {
                // Compared as text so the `(key, value)` index serves it (a number would convert every row).
                add("seo", set.child({ "SELECT page.page_id AS product_id, u.`keyword` FROM \($0) JOIN \(s.t("seo_url")) u ON u.`key` = 'product_id' AND u.`value` = CONCAT(page.page_id) AND u.`store_id` = 0 AND u.`language_id` = ?" }, [lang]))
            } else {
                // Compared as text so the `(key, value)` index serves it (a number would convert every row).
                add("seo", set.child({ "SELECT page.page_id AS product_id, u.`keyword` FROM \($0) JOIN \(s.t("seo_url")) u ON u.`query` = CONCAT('product_id=', page.page_id) AND u.`store_id` = 0 AND u.`language_id` = ?" }, [lang]))
            }
        }
        let results = try await store.query(statements)
        let (records, next) = set.page(results[0])
        func rows(_ name: String, by column: String = "product_id") -> [Int64: [[String: JSONValue]]] {
            slots[name].map { ContractShapes.group(results[$0].records, by: column) } ?? [:]
        }
        let categories = rows("categories"), stores = rows("stores"), images = rows("images"), specials = rows("specials")
        let options = rows("options"), values = rows("values", by: "product_option_id"), codes = rows("codes"), seo = rows("seo")
        let zone = store.timeZone
        let imageBase = Self.imageBase(store)
        let items: [JSONValue] = records.map { row in
            let id = row.int("product_id") ?? 0
            var code: [String: String] = [:]
            if s.codesInTable {
                for c in codes[id] ?? [] { if let name = c.text("code").flatMap({ Self.codeNames[$0] }) { code[name] = c.text("value") } }
            } else {
                for name in Self.codeNames.values { code[name] = row.text(name) }
            }
            func codeValue(_ name: String) -> JSONValue { code[name].flatMap { $0.isEmpty ? nil : JSONValue.string($0) } ?? .null }
            var pictures: [JSONValue] = []
            if let main = row.text("image"), !main.isEmpty {
                pictures.append(ContractShapes.image(id: nil, url: imageBase + main, sortOrder: 0, type: "base"))
            }
            for image in images[id] ?? [] {
                pictures.append(ContractShapes.image(id: image.text("product_image_id"), url: imageBase + image.text("image", default: ""), sortOrder: image.int("sort_order"), type: "additional"))
            }
            let special = specials[id]?.first.map { sp -> JSONValue in
                [
                    "value": .double(Self.specialValue(sp, price: row.double("price") ?? 0)), "avail": true, "created_at": sp.date("date_start", zone), "modified_at": .null,
                    "expired_at": sp.date("date_end", zone),
                ]
            } ?? .null
            let quantity = row.double("quantity") ?? 0
            let enabled = row.flag("status")
            let keyword = seo[id]?.first?.text("keyword")
            var item: [String: JSONValue] = [
                "id": .string(String(id)),
                "type": "simple",
                "u_model": row.string("model"),
                "u_sku": codeValue("sku"),
                "u_upc": codeValue("upc"), "u_ean": codeValue("ean"), "u_isbn": codeValue("isbn"), "u_mpn": codeValue("mpn"),
                "name": .string(HTMLText.decode(row.text("name", default: ""))),
                "description": .string(HTMLText.decode(row.text("description", default: ""))),
                "short_description": .null,
                "price": row.number("price"),
                "quantity": .double(quantity),
                "in_stock": .bool(quantity > 0),
                "manage_stock": .string(row.flag("subtract") ? "yes" : "no"),
                "is_stock_managed": .bool(row.flag("subtract")),
                "avail_sale": .bool(enabled), "avail_view": .bool(enabled),
                "is_virtual": .bool(!row.flag("shipping")),
                "weight": row.number("weight"), "weight_unit": row.string("weight_unit"),
                "width": row.number("width"), "height": row.number("height"), "length": row.number("length"),
                "dimensions_unit": row.string("length_unit"),
                "sort_order": row.int("sort_order").map(JSONValue.int) ?? .null,
                "u_brand_id": row.int("manufacturer_id").flatMap { $0 == 0 ? nil : JSONValue.string(String($0)) } ?? .null,
                "u_brand": row.string("manufacturer"),
                "tax_class_id": row.string("tax_class_id"),
                "create_at": row.date("date_added", zone), "modified_at": row.date("date_modified", zone),
                "meta_title": .string(HTMLText.decode(row.text("meta_title", default: ""))),
                "meta_description": .string(HTMLText.decode(row.text("meta_description", default: ""))),
                "meta_keywords": .string(HTMLText.decode(row.text("meta_keyword", default: ""))),
                "seo_url": keyword.map(JSONValue.string) ?? .null,
                "url": .string(Self.storeBase(store) + "index.php?route=product/product&product_id=\(id)"),
                "categories_ids": .array((categories[id] ?? []).map { .string($0.text("category_id", default: "")) }),
                "stores_ids": .array((stores[id] ?? []).map { .string($0.text("store_id", default: "")) }),
                "images": .array(pictures),
                "special_price": special,
                "product_options": .array((options[id] ?? []).map { Self.option($0, values: values) }),
            ]
            item["additional_fields"] = [
                "master_id": row.string("master_id"), "location": row.string("location"), "points": row.number("points"),
                "minimum": row.number("minimum"), "stock_status_id": row.string("stock_status_id"), "date_available": row.string("date_available"),
                "tag": row.string("tag"), "jan": codeValue("jan"),
            ]
            return .object(item)
        }
        return ListPage(items: items, total: slots["count"].map { PageSQL.total(results[$0]) }, next: next)
    }

    /// The price a special makes: 3.0 rows and 4.x `F` rows hold the price itself; `S` an amount off, `P` a percentage off.
    static func specialValue(_ row: [String: JSONValue], price: Double) -> Double {
        let value = row.double("price") ?? 0
        switch row.text("type")?.uppercased() {
        case "S": return price - value
        case "P": return (price * (100 - value) / 100 * 10_000).rounded() / 10_000
        default: return value
        }
    }

    static func option(_ row: [String: JSONValue], values: [Int64: [[String: JSONValue]]]) -> JSONValue {
        let productOptionID = row.int("product_option_id") ?? 0
        return [
            "id": .string(row.text("option_id", default: "")),
            "product_option_id": .string(String(productOptionID)),
            "name": .string(HTMLText.decode(row.text("name", default: ""))),
            "type": row.string("type"),
            "sort_order": row.int("sort_order").map(JSONValue.int) ?? .null,
            "required": .bool(row.flag("required")),
            "available": true,
            "used_in_combination": false,
            "option_items": .array((values[productOptionID] ?? []).map { value in
                let sign: Double = value.text("price_prefix") == "-" ? -1 : 1
                return [
                    "id": .string(value.text("option_value_id", default: "")),
                    "product_option_item_id": .string(value.text("product_option_value_id", default: "")),
                    "name": .string(HTMLText.decode(value.text("name", default: ""))),
                    "sort_order": value.int("sort_order").map(JSONValue.int) ?? .null,
                    "price": .double(sign * (value.double("price") ?? 0)),
                    "weight": value.number("weight"),
                    "quantity": value.int("quantity").map(JSONValue.int) ?? .null,
                    "type_price": "fixed",
                ]
            }),
        ]
    }

    func countProducts(_ query: ListQuery, store: StoreAccess) async throws -> Int {
        let s = OpenCartSchema(config: store.config)
        let set = try self.productSet(query, s, language: try store.languageID(query.langID))
        return try await set.count(in: store)
    }

    /// The store's address with a trailing slash: where OpenCart serves `index.php` and `image/`.
    static func storeBase(_ store: StoreAccess) -> String {
        let url = store.config.storeURL ?? ""
        return url.hasSuffix("/") ? url : url + "/"
    }

    static func imageBase(_ store: StoreAccess) -> String { Self.storeBase(store) + "image/" }

    // MARK: child items: one per product option value

    static let childSorts: [String: String] = ["id": "pov.`product_option_value_id`", "price": "pov.`price`", "quantity": "pov.`quantity`"]

    func childSet(_ query: ListQuery, _ s: OpenCartSchema, language: String?) throws(CartBridgeError) -> PageSQL {
        let sort = try ListSQL.sort(query, Self.childSorts)
        var set = PageSQL(
            from: "\(s.t("product_option_value")) pov JOIN \(s.t("product")) p ON p.`product_id` = pov.`product_id`",
            id: "pov.`product_option_value_id`", sort: sort, query: query
        )
        // An option value has no dates of its own: its product's count.
        set.commonFilters(created: "p.`date_added`", modified: "p.`date_modified`")
        if let products = ListQuery.numeric(query.productIDs) { set.filter("pov.`product_id`", in: products.map(JSONValue.int)) }
        return set
    }

    func listChildren(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let s = OpenCartSchema(config: store.config)
        let language = try store.languageID(query.langID)
        let lang: JSONValue = .string(language ?? "1")
        let set = try self.childSet(query, s, language: language)
        var statements = [
            set.pageStatement(
                columns: """
                    pov.*, p.`model`, p.`price` AS product_price, p.`date_added`, p.`date_modified`, p.`status`, pd.`name` AS product_name,
                    od.`name` AS option_name, ovd.`name` AS value_name
                    """,
                joins: """
                     LEFT JOIN \(s.t("product_description")) pd ON pd.`product_id` = p.`product_id` AND pd.`language_id` = ?\
                     LEFT JOIN \(s.t("option_description")) od ON od.`option_id` = pov.`option_id` AND od.`language_id` = ?\
                     LEFT JOIN \(s.t("option_value_description")) ovd ON ovd.`option_value_id` = pov.`option_value_id` AND ovd.`language_id` = ?
                    """,
                joinParams: [lang, lang, lang]
            )
        ]
        if query.after == nil { statements.append(set.countStatement) }
        let results = try await store.query(statements)
        let (records, next) = set.page(results[0])
        let zone = store.timeZone
        let items: [JSONValue] = records.map { row in
            let sign: Double = row.text("price_prefix") == "-" ? -1 : 1
            let quantity = row.double("quantity") ?? 0
            let productName = HTMLText.decode(row.text("product_name", default: ""))
            let valueName = HTMLText.decode(row.text("value_name", default: ""))
            return [
                "id": .string(row.text("product_option_value_id", default: "")),
                "parent_id": .string(row.text("product_id", default: "")),
                "sku": row.string("model"),
                "name": .string(valueName.isEmpty ? productName : "\(productName) - \(valueName)"),
                "default_price": .double((row.double("product_price") ?? 0) + sign * (row.double("price") ?? 0)),
                "inventory_level": .double(quantity),
                "in_stock": .bool(quantity > 0),
                "manage_stock": .bool(row.flag("subtract")),
                "avail_for_sale": .bool(row.flag("status")),
                "weight": row.number("weight"),
                "created_time": row.date("date_added", zone),
                "modified_time": row.date("date_modified", zone),
                "combination": [["option_id": .string(row.text("option_id", default: "")), "option_value_id": .string(row.text("option_value_id", default: ""))]],
                "images": [],
                "additional_fields": [
                    "product_option_id": row.string("product_option_id"), "option_name": .string(HTMLText.decode(row.text("option_name", default: ""))),
                    "option_value_name": .string(valueName), "price_prefix": row.string("price_prefix"), "price": row.number("price"),
                ],
            ]
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }

    func countChildren(_ query: ListQuery, store: StoreAccess) async throws -> Int {
        let s = OpenCartSchema(config: store.config)
        let set = try self.childSet(query, s, language: nil)
        return try await set.count(in: store)
    }
}
