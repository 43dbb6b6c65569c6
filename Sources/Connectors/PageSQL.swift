import CartBridgeCore

/// One list call as SQL: the filtered set, its order, the page (keyset after a cursor position, else
/// `LIMIT/OFFSET`), and the page's ids as a derived table that child statements join, so the whole page is
/// read in one batch whatever fields are asked.
///
/// Every value goes in as a parameter; the only text spliced in is the connector's own SQL (with the validated
/// table prefix).
struct PageSQL: Sendable {
    /// `FROM` text without the keyword, e.g. "`oc_product` p".
    let from: String
    /// The item's numeric id, e.g. "p.`product_id`".
    let id: String
    /// The sort expression (never NULL: wrap nullable columns in COALESCE), e.g. "p.`date_added`".
    let sort: String
    let query: ListQuery
    /// Parameters of `from` (e.g. the language of a joined description), before every filter's.
    let fromParams: [JSONValue]
    private(set) var conditions: [String] = []
    private(set) var params: [JSONValue] = []

    init(from: String, fromParams: [JSONValue] = [], id: String, sort: String? = nil, query: ListQuery) {
        self.from = from
        self.fromParams = fromParams
        self.id = id
        self.sort = sort ?? id
        self.query = query
    }

    /// Adds a condition with its parameters.
    mutating func filter(_ sql: String, _ params: JSONValue...) {
        self.conditions.append(sql)
        self.params.append(contentsOf: params)
    }

    /// Adds a condition with a list of parameters.
    mutating func filter(_ sql: String, params: [JSONValue]) {
        self.conditions.append(sql)
        self.params.append(contentsOf: params)
    }

    /// `column IN (?, ?, ...)`; an empty list matches nothing.
    mutating func filter(_ column: String, in values: [JSONValue]) {
        guard !values.isEmpty else {
            self.conditions.append("1 = 0")
            return
        }
        self.conditions.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))")
        self.params.append(contentsOf: values)
    }

    /// The common filters: ids, since_id, and the creation and modification windows on the given columns.
    mutating func commonFilters(created: String?, modified: String?) {
        if let ids = ListQuery.numeric(self.query.ids) { self.filter(self.id, in: ids.map(JSONValue.int)) }
        if let since = self.query.sinceID { self.filter("\(self.id) > ?", .int(since)) }
        if let created {
            if let from = self.query.createdFrom { self.filter("\(created) >= ?", .string(from)) }
            if let to = self.query.createdTo { self.filter("\(created) <= ?", .string(to)) }
        }
        if let modified {
            if let from = self.query.modifiedFrom { self.filter("\(modified) >= ?", .string(from)) }
            if let to = self.query.modifiedTo { self.filter("\(modified) <= ?", .string(to)) }
        }
    }

    var whereClause: String {
        self.conditions.isEmpty ? "" : " WHERE " + self.conditions.joined(separator: " AND ")
    }

    /// `SELECT COUNT(*) AS total ...` over the filtered set.
    var countStatement: SQLStatement {
        SQLStatement("SELECT COUNT(*) AS total FROM \(self.from)\(self.whereClause)", self.fromParams + self.params)
    }

    /// What the count statement answered.
    static func total(_ result: QueryResult) -> Int {
        Int(result.records.first?.int("total") ?? 0)
    }

    /// The count alone, in its own round trip (`*.count` methods).
    func count(in store: StoreAccess) async throws -> Int {
        Self.total(try await store.query([self.countStatement], transaction: false)[0])
    }

    /// The keyset condition and order, and the page bounds (one row more than asked, to know whether more follow).
    private var pageTail: (keyset: String, params: [JSONValue], order: String, limit: [JSONValue]) {
        let descending = self.query.direction == .desc
        let op = descending ? "<" : ">"
        let dir = descending ? "DESC" : "ASC"
        let order = self.sort == self.id ? " ORDER BY \(self.id) \(dir)" : " ORDER BY \(self.sort) \(dir), \(self.id) \(dir)"
        guard let after = self.query.after else {
            return ("", [], order, [.int(Int64(self.query.count + 1)), .int(Int64(self.query.start))])
        }
        let limit: [JSONValue] = [.int(Int64(self.query.count + 1)), .int(0)]
        if self.sort == self.id {
            return ("\(self.id) \(op) ?", [.int(after.id)], order, limit)
        }
        return ("(\(self.sort) \(op) ? OR (\(self.sort) = ? AND \(self.id) \(op) ?))", [after.sortValue, after.sortValue, .int(after.id)], order, limit)
    }

    private var pageWhere: (sql: String, params: [JSONValue]) {
        let tail = self.pageTail
        var conditions = self.conditions
        if !tail.keyset.isEmpty { conditions.append(tail.keyset) }
        let sql = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return (sql, self.fromParams + self.params + tail.params)
    }

    /// The page itself: `columns` plus the keyset columns `cb_sort` and `cb_id`. `joins` (one-to-one, with their
    /// own `joinParams`) add columns only the page statement reads.
    func pageStatement(columns: String, joins: String = "", joinParams: [JSONValue] = []) -> SQLStatement {
        let tail = self.pageTail
        let filter = self.pageWhere
        let params = Array(filter.params.prefix(self.fromParams.count)) + joinParams + filter.params.dropFirst(self.fromParams.count) + tail.limit
        return SQLStatement(
            "SELECT \(columns), \(self.sort) AS cb_sort, \(self.id) AS cb_id FROM \(self.from)\(joins)\(filter.sql)\(tail.order) LIMIT ? OFFSET ?",
            params
        )
    }

    /// The page's ids as a derived table `(SELECT ... ) AS <alias>` with one column `page_id`, for child statements.
    func pageIDs(alias: String = "page") -> (sql: String, params: [JSONValue]) {
        let tail = self.pageTail
        let filter = self.pageWhere
        return (
            "(SELECT \(self.id) AS page_id FROM \(self.from)\(filter.sql)\(tail.order) LIMIT ? OFFSET ?) AS \(alias)",
            filter.params + tail.limit
        )
    }

    /// A child statement: `build` receives the derived table of page ids and returns the SQL; `params` follow the
    /// derived table's own.
    func child(_ build: (String) -> String, _ params: [JSONValue] = []) -> SQLStatement {
        let page = self.pageIDs()
        return SQLStatement(build(page.sql), page.params + params)
    }

    /// Cuts the extra row off and says where the next page starts.
    func page(_ result: QueryResult) -> (records: [[String: JSONValue]], next: ListQuery.Position?) {
        var records = result.records
        // `count=0` asks for the total alone: no items, and no position to go on from.
        guard self.query.count > 0 else { return ([], nil) }
        guard records.count > self.query.count else { return (records, nil) }
        records.removeLast(records.count - self.query.count)
        let last = records[records.count - 1]
        guard let id = last["cb_id"]?.intValue else { return (records, nil) }
        return (records, ListQuery.Position(sortValue: last["cb_sort"] ?? .null, id: id))
    }
}

/// Text helpers for SQL parameters.
enum SQLText {
    /// `%value%` for LIKE with `%`, `_` and the escape character itself escaped (MariaDB's default escape is `\`).
    static func contains(_ value: String) -> JSONValue {
        .string("%" + Self.escapeLike(value) + "%")
    }

    static func escapeLike(_ value: String) -> String {
        var out = ""
        for c in value {
            if c == "\\" || c == "%" || c == "_" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// `?, ?, ?` for n values.
    static func placeholders(_ n: Int) -> String {
        Array(repeating: "?", count: n).joined(separator: ", ")
    }
}
