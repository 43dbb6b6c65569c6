import CartBridgeCore
import Foundation

/// Categories of OpenCart 3.0 and 4.x (4.x keeps no category dates).
extension OpenCartConnector {
    func categorySet(_ query: ListQuery, _ s: OpenCartSchema, language: String?) throws(CartBridgeError) -> PageSQL {
        var sorts = ["id": "c.`category_id`", "name": "COALESCE(cd.`name`, '')", "sort_order": "c.`sort_order`"]
        if s.categoryDates {
            sorts["created_at"] = "c.`date_added`"
            sorts["modified_at"] = "c.`date_modified`"
        }
        let sort = try ListSQL.sort(query, sorts)
        var set = PageSQL(
            from: "\(s.t("category")) c LEFT JOIN \(s.t("category_description")) cd ON cd.`category_id` = c.`category_id` AND cd.`language_id` = ?",
            fromParams: [.string(language ?? "1")], id: "c.`category_id`", sort: sort, query: query
        )
        set.commonFilters(created: s.categoryDates ? "c.`date_added`" : nil, modified: s.categoryDates ? "c.`date_modified`" : nil)
        if !s.categoryDates, query.createdFrom != nil || query.createdTo != nil || query.modifiedFrom != nil || query.modifiedTo != nil {
            // The cart keeps no category dates: no category can match a date filter.
            set.filter("1 = 0")
        }
        if let parent = query.parentID { set.filter("c.`parent_id` = ?", .string(parent)) }
        if let enabled = query.enabled { set.filter("c.`status` = ?", .int(enabled ? 1 : 0)) }
        if let store = query.storeID {
            set.filter("EXISTS (SELECT 1 FROM \(s.t("category_to_store")) cs WHERE cs.`category_id` = c.`category_id` AND cs.`store_id` = ?)", .string(store))
        }
        if let find = try ListSQL.find(Self.storedForm(query), default: ["name"], columns: ["name": "cd.`name`", "description": "cd.`description`"]) {
            set.filter(find.sql, params: find.params)
        }
        return set
    }

    func listCategories(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let s = OpenCartSchema(config: store.config)
        let language = try store.languageID(query.langID)
        let lang: JSONValue = .string(language ?? "1")
        let set = try self.categorySet(query, s, language: language)
        var statements = [set.pageStatement(columns: "c.*, cd.`name`, cd.`description`, cd.`meta_title`, cd.`meta_description`, cd.`meta_keyword`")]
        let counted = query.after == nil
        if counted { statements.append(set.countStatement) }
        statements.append(set.child { "SELECT cs.`category_id`, cs.`store_id` FROM \($0) JOIN \(s.t("category_to_store")) cs ON cs.`category_id` = page.page_id" })
        statements.append(set.child({
            """
            SELECT cp.`category_id`, cp.`level`, COALESCE(d.`name`, '') AS name FROM \($0) JOIN \(s.t("category_path")) cp ON cp.`category_id` = page.page_id
            LEFT JOIN \(s.t("category_description")) d ON d.`category_id` = cp.`path_id` AND d.`language_id` = ? ORDER BY cp.`level`
            """
        }, [lang]))
        if s.seoKeyValue {
            // 4.x keys a category's keyword by its path (`20_27`), built here from `category_path`.
            statements.append(set.child({
                """
                SELECT page.page_id AS category_id, u.`keyword` FROM \($0) JOIN \(s.t("seo_url")) u ON u.`key` = 'path' AND u.`store_id` = 0 AND u.`language_id` = ?
                AND u.`value` = (SELECT GROUP_CONCAT(cp.`path_id` ORDER BY cp.`level` SEPARATOR '_') FROM \(s.t("category_path")) cp WHERE cp.`category_id` = page.page_id)
                """
            }, [lang]))
        } else {
            statements.append(set.child({ "SELECT page.page_id AS category_id, u.`keyword` FROM \($0) JOIN \(s.t("seo_url")) u ON u.`query` = CONCAT('category_id=', page.page_id) AND u.`store_id` = 0 AND u.`language_id` = ?" }, [lang]))
        }
        let results = try await store.query(statements)
        let (records, next) = set.page(results[0])
        let base = counted ? 2 : 1
        let stores = ContractShapes.group(results[base].records, by: "category_id")
        let paths = ContractShapes.group(results[base + 1].records, by: "category_id")
        let seo = ContractShapes.group(results[base + 2].records, by: "category_id")
        let zone = store.timeZone
        let imageBase = Self.imageBase(store)
        let items: [JSONValue] = records.map { row in
            let id = row.int("category_id") ?? 0
            let parent = row.int("parent_id") ?? 0
            var images: [JSONValue] = []
            if let image = row.text("image"), !image.isEmpty { images.append(ContractShapes.image(id: nil, url: imageBase + image, sortOrder: 0, type: "base")) }
            return [
                "id": .string(String(id)),
                "parent_id": .string(String(parent)),
                "name": .string(HTMLText.decode(row.text("name", default: ""))),
                "description": .string(HTMLText.decode(row.text("description", default: ""))),
                "short_description": .null,
                "meta_title": .string(HTMLText.decode(row.text("meta_title", default: ""))),
                "meta_description": .string(HTMLText.decode(row.text("meta_description", default: ""))),
                "keywords": .string(HTMLText.decode(row.text("meta_keyword", default: ""))),
                "avail": .bool(row.flag("status")),
                "sort_order": row.int("sort_order").map(JSONValue.int) ?? .null,
                "created_at": row.date("date_added", zone),
                "modified_at": row.date("date_modified", zone),
                "stores_ids": .array((stores[id] ?? []).map { .string($0.text("store_id", default: "")) }),
                "path": .string((paths[id] ?? []).map { HTMLText.decode($0.text("name", default: "")) }.joined(separator: " > ")),
                "seo_url": seo[id]?.first.map { $0.string("keyword") } ?? .null,
                "images": .array(images),
                "additional_fields": ["top": row.flag("top") ? true : false, "column": row.number("column")],
            ]
        }
        return ListPage(items: items, total: counted ? PageSQL.total(results[1]) : nil, next: next)
    }

    func countCategories(_ query: ListQuery, store: StoreAccess) async throws -> Int {
        let set = try self.categorySet(query, OpenCartSchema(config: store.config), language: try store.languageID(query.langID))
        return try await set.count(in: store)
    }
}
