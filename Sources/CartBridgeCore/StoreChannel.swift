/// A signed line to one store's bridge. Connectors speak SQL through it and never see keys or URLs.
public protocol StoreChannel: Sendable {
    /// Runs one bridge operation and returns its `result`, or throws a `CartBridgeError` (105/106/115).
    func call(_ op: String, args: JSONValue) async throws -> JSONValue
}

/// One parameterized statement of a `query` batch.
public struct SQLStatement: Sendable, Hashable {
    public var sql: String
    public var params: [JSONValue]

    public init(_ sql: String, _ params: [JSONValue] = []) {
        self.sql = sql
        self.params = params
    }

    var json: JSONValue { ["sql": .string(self.sql), "params": .array(self.params)] }
}

/// The answer to one statement: columns, then rows in column order.
public struct QueryResult: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[JSONValue]]
    public var affectedRows: Int64
    public var lastInsertID: String?

    public init(columns: [String], rows: [[JSONValue]], affectedRows: Int64 = 0, lastInsertID: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows
        self.lastInsertID = lastInsertID
    }

    /// Rows keyed by column name, for mapping code that reads a few columns by name.
    public var records: [[String: JSONValue]] {
        self.rows.map { row in
            var record: [String: JSONValue] = [:]
            for (index, column) in self.columns.enumerated() where index < row.count {
                record[column] = row[index]
            }
            return record
        }
    }
}

extension StoreChannel {
    /// Runs a batch of statements in one round trip.
    public func query(_ statements: [SQLStatement], transaction: Bool = false) async throws -> [QueryResult] {
        let result = try await self.call(
            "query",
            args: ["statements": .array(statements.map(\.json)), "transaction": .bool(transaction)]
        )
        guard let results = result["results"]?.arrayValue, results.count == statements.count else {
            throw CartBridgeError(.bridgeResponseError, "The bridge answered a query with an unexpected shape.", detail: "query results missing or miscounted")
        }
        return try results.map { item in
            guard let columns = item["columns"]?.arrayValue, let rows = item["rows"]?.arrayValue else {
                throw CartBridgeError(.bridgeResponseError, "The bridge answered a query with an unexpected shape.", detail: "query result lacks columns or rows")
            }
            return QueryResult(
                columns: columns.compactMap(\.stringValue),
                rows: rows.map { $0.arrayValue ?? [] },
                affectedRows: item["affected_rows"]?.intValue ?? 0,
                lastInsertID: item["last_insert_id"]?.textValue
            )
        }
    }
}
