import CartBridgeCore

/// Categories: `product_cat` terms (`wp_terms` + `wp_term_taxonomy`, one row each), ordered by the `order`
/// term meta WooCommerce keeps, with the `thumbnail_id` term meta as image. Terms have no dates, so the
/// created/modified filters do not apply to them.
extension WooCommerceConnector {
    func categorySQL(_ query: ListQuery, store: StoreAccess) throws(CartBridgeError) -> PageSQL {
        let p = store.prefix
        let order = "COALESCE((SELECT CAST(o.`meta_value` AS SIGNED) FROM `\(p)termmeta` o WHERE o.`term_id` = t.`term_id` AND o.`meta_key` = 'order' LIMIT 1), 0)"
        let sort = try ListSQL.sort(query, ["id": "t.`term_id`", "name": "t.`name`", "sort_order": order])
        var sql = PageSQL(
            from: "`\(p)term_taxonomy` tt JOIN `\(p)terms` t ON t.`term_id` = tt.`term_id`", id: "t.`term_id`", sort: sort, query: query
        )
        sql.filter("tt.`taxonomy` = ?", "product_cat")
        sql.commonFilters(created: nil, modified: nil)
        if let parent = query.parentID {
            guard let id = Int64(parent) else { throw CartBridgeError.badParameter("parent_id", "expected a category id") }
            sql.filter("tt.`parent` = ?", .int(id))
        }
        // Every WooCommerce category is shown; none is disabled.
        if query.enabled == false { sql.filter("1 = 0") }
        if let find = try ListSQL.find(
            query, default: ["name"], columns: ["name": "t.`name`", "description": "tt.`description`", "seo_url": "t.`slug`"]
        ) {
            sql.filter(find.sql, params: find.params)
        }
        return sql
    }

    func listCategories(_ query: ListQuery, store: StoreAccess) async throws -> ListPage {
        let p = store.prefix
        let sql = try self.categorySQL(query, store: store)
        var statements = [
            sql.pageStatement(
                columns: """
                    t.`term_id`, t.`name`, t.`slug`, tt.`parent`, tt.`description`, tt.`count`,
                    COALESCE((SELECT CAST(o.`meta_value` AS SIGNED) FROM `\(p)termmeta` o WHERE o.`term_id` = t.`term_id` AND o.`meta_key` = 'order' LIMIT 1), 0) AS sort_order,
                    n1.`name` AS path1, n2.`name` AS path2, n3.`name` AS path3, n4.`name` AS path4
                    """,
                joins: (1...4).map { level in
                    // Ancestors for `path`: a term has one row per taxonomy, so each join is one-to-one.
                    let child = level == 1 ? "tt" : "a\(level - 1)"
                    return " LEFT JOIN `\(p)term_taxonomy` a\(level) ON a\(level).`term_id` = \(child).`parent` AND \(child).`parent` <> 0 AND a\(level).`taxonomy` = 'product_cat' LEFT JOIN `\(p)terms` n\(level) ON n\(level).`term_id` = a\(level).`term_id`"
                }.joined()
            )
        ]
        if query.after == nil { statements.append(sql.countStatement) }
        var imagesIndex: Int?
        if query.wants("images") {
            imagesIndex = statements.count
            statements.append(
                sql.child { page in
                    """
                    SELECT tm.`term_id` AS owner_id, a.`ID` AS image_id, a.`guid`, a.`post_mime_type`, a.`post_date`, a.`post_modified`,
                    '_thumbnail_id' AS kind,
                    (SELECT f.`meta_value` FROM `\(p)postmeta` f WHERE f.`post_id` = a.`ID` AND f.`meta_key` = '_wp_attached_file' LIMIT 1) AS file,
                    (SELECT x.`meta_value` FROM `\(p)postmeta` x WHERE x.`post_id` = a.`ID` AND x.`meta_key` = '_wp_attachment_image_alt' LIMIT 1) AS alt
                    FROM `\(p)termmeta` tm JOIN \(page) ON page.page_id = tm.`term_id`
                    JOIN `\(p)posts` a ON a.`ID` = CAST(tm.`meta_value` AS UNSIGNED) AND a.`post_type` = 'attachment'
                    WHERE tm.`meta_key` = 'thumbnail_id' ORDER BY tm.`term_id`
                    """
                }
            )
        }
        let results = try await store.query(statements)
        let (records, next) = sql.page(results[0])
        let images = imagesIndex.map { Self.images(results[$0].records, store: store) } ?? [:]
        let home = Self.setting(store, Setting.homeURL) ?? store.config.storeURL ?? ""
        let items = records.map { r -> JSONValue in
            let id = r.int("term_id") ?? 0
            let parent = r.int("parent") ?? 0
            let name = r.text("name") ?? ""
            return [
                "id": .string(String(id)),
                "parent_id": .string(String(parent)),
                "created_at": .null,
                "modified_at": .null,
                "name": .string(name),
                "short_description": .null,
                "description": .string(r.text("description") ?? ""),
                "stores_ids": ["0"],
                "keywords": .null,
                "meta_description": .null,
                "meta_title": .null,
                "avail": true,
                "path": .string((["path4", "path3", "path2", "path1"].compactMap { r.text($0) } + [name]).joined(separator: "/")),
                "seo_url": r.string("slug"),
                "sort_order": .int(r.int("sort_order") ?? 0),
                "images": .array(images[id] ?? []),
                "additional_fields": [
                    "product_count": .int(r.int("count") ?? 0),
                    "url": .string("\(home)/?product_cat=\(r.text("slug") ?? "")"),
                ],
            ]
        }
        return ListPage(items: items, total: query.after == nil ? PageSQL.total(results[1]) : nil, next: next)
    }
}
