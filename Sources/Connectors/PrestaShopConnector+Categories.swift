import CartBridgeCore
import Foundation

extension PrestaShopConnector {
    /// Categories of one shop in one language. The tree's invisible "Root" (the one category with `id_parent = 0`)
    /// is left out; each shop's "Home" (`is_root_category`) is listed, with `parent_id` "0", because products link
    /// to it and the back office shows it as the top of the tree.
    func categorySQL(_ query: ListQuery, scope: Scope) throws(CartBridgeError) -> PageSQL {
        let sort: String
        switch query.sortBy {
        case "id": sort = "c.`id_category`"
        case "name": sort = "cl.`name`"
        case "sort_order", "position": sort = "cs.`position`"
        case "created_at", "create_at", "date_add": sort = "c.`date_add`"
        case "modified_at", "updated_at", "date_upd": sort = "c.`date_upd`"
        default: throw CartBridgeError.badParameter("sort_by", "expected id, name, sort_order, created_at or modified_at")
        }
        var sql = PageSQL(
            from: """
                \(scope.t("category")) c JOIN \(scope.t("category_shop")) cs ON cs.`id_category` = c.`id_category`
                JOIN \(scope.t("category_lang")) cl ON cl.`id_category` = c.`id_category` AND cl.`id_shop` = cs.`id_shop`
                LEFT JOIN \(scope.t("category")) par ON par.`id_category` = c.`id_parent`
                """,
            id: "c.`id_category`", sort: sort, query: query
        )
        sql.filter("cs.`id_shop` = ?", .int(scope.shopID))
        sql.filter("cl.`id_lang` = ?", .int(scope.langID))
        sql.filter("c.`id_parent` <> 0")
        sql.commonFilters(created: "c.`date_add`", modified: "c.`date_upd`")
        if let parent = query.parentID {
            if parent == "0" {
                sql.filter("par.`id_parent` = 0")
            } else {
                sql.filter("c.`id_parent` = ?", .int(Self.numericID(parent) ?? -1))
            }
        }
        if let enabled = query.enabled { sql.filter("c.`active` = ?", .int(enabled ? 1 : 0)) }
        if let find = try ListSQL.find(
            query, default: ["name"], columns: ["name": "cl.`name`", "description": "cl.`description`", "seo_url": "cl.`link_rewrite`", "link_rewrite": "cl.`link_rewrite`"]        ) {
            sql.filter(find.sql, params: find.params)
        }
        return sql
    }

    func listCategories(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let scope = try Scope(query, store: store)
        let sql = try self.categorySQL(query, scope: scope)
        let t = scope.t
        var statements = [
            sql.pageStatement(
                columns: """
                    c.`id_category`, c.`id_parent`, par.`id_parent` AS `grand_parent`, c.`level_depth`, c.`active`, c.`date_add`,
                    c.`date_upd`, c.`is_root_category`, c.`id_shop_default`, c.`position` AS `tree_position`, cs.`position`,
                    cl.`name`, cl.`description`, cl.`link_rewrite`, cl.`meta_title`, cl.`meta_description`,
                    \(scope.column("cl", "category_lang", "meta_keywords"))
                    """
            )
        ]
        if query.after == nil { statements.append(sql.countStatement) }
        var slot: [String: Int] = [:]
        func add(_ name: String, _ statement: SQLStatement) {
            slot[name] = statements.count
            statements.append(statement)
        }
        if query.wants("stores_ids") {
            add(
                "stores",
                sql.child {
                    """
                    SELECT s.`id_category`, s.`id_shop` FROM \($0) JOIN \(t("category_shop")) s ON s.`id_category` = page.page_id
                    ORDER BY s.`id_category`, s.`id_shop`
                    """
                }
            )
        }
        if query.wants("path") {
            // Ancestors from the nested set PrestaShop keeps (`nleft`/`nright`), Root left out, top first.
            add(
                "path",
                sql.child(
                    {
                        """
                        SELECT c.`id_category`, al.`name` FROM \($0)
                        JOIN \(t("category")) c ON c.`id_category` = page.page_id
                        JOIN \(t("category")) anc ON anc.`nleft` <= c.`nleft` AND anc.`nright` >= c.`nright` AND anc.`id_parent` <> 0
                        JOIN \(t("category_lang")) al ON al.`id_category` = anc.`id_category` AND al.`id_shop` = ? AND al.`id_lang` = ?
                        ORDER BY c.`id_category`, anc.`level_depth`
                        """
                    }, [.int(scope.shopID), .int(scope.langID)])
            )
        }

        let results = try await store.query(statements)
        let (records, next) = sql.page(results[0])
        func rows(_ name: String) -> [Int64: [[String: JSONValue]]] {
            slot[name].map { ContractShapes.group(results[$0].records, by: "id_category") } ?? [:]
        }
        let stores = rows("stores")
        let paths = rows("path")
        let items: [JSONValue] = records.map { row in
            let id = row.int("id_category") ?? 0
            let topLevel = row.int("grand_parent") == 0
            let path = (paths[id] ?? []).compactMap { $0.text("name") }
            return [
                "id": .string(String(id)),
                "parent_id": .string(topLevel ? "0" : row.text("id_parent", default: "0")),
                "created_at": row.date("date_add", scope.timeZone),
                "modified_at": row.date("date_upd", scope.timeZone),
                "name": .string(row.text("name", default: "")),
                "short_description": .null,
                "description": row.string("description"),
                "stores_ids": .array((stores[id] ?? []).compactMap { $0.text("id_shop").map(JSONValue.string) }),
                "keywords": row.nonEmpty("meta_keywords"),
                "meta_description": row.nonEmpty("meta_description"),
                "meta_title": row.nonEmpty("meta_title"),
                "avail": .bool(row.flag("active")),
                "path": path.isEmpty ? .null : .string(path.joined(separator: "/")),
                "seo_url": row.string("link_rewrite"),
                "sort_order": row.int("position").map(JSONValue.int) ?? .null,
                "images": [],
                "additional_fields": [
                    "id_parent": row.string("id_parent"),
                    "level_depth": row.number("level_depth"),
                    "is_root_category": .bool(row.flag("is_root_category")),
                    "id_shop_default": row.string("id_shop_default"),
                    "position": row.number("tree_position"),
                ],
            ]
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }
}
