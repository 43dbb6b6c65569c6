import CartBridgeCore

/// What one statement of a `query` batch returned.
public struct BridgeStatementResult: Sendable, Hashable {
    public let columns: [String]
    /// Rows in column order; integers stay integers, DECIMAL columns come as strings, NULL as `.null`.
    public let rows: [[JSONValue]]
    public let rowCount: Int
    public let affectedRows: Int
    public let lastInsertID: String

    init?(_ result: JSONValue) {
        guard let columns = result["columns"]?.arrayValue, let rows = result["rows"]?.arrayValue,
            let rowCount = result["row_count"]?.intValue, let affectedRows = result["affected_rows"]?.intValue
        else { return nil }
        var names: [String] = []
        for column in columns {
            guard let name = column.stringValue else { return nil }
            names.append(name)
        }
        var values: [[JSONValue]] = []
        values.reserveCapacity(rows.count)
        for row in rows {
            guard let cells = row.arrayValue, cells.count == names.count else { return nil }
            values.append(cells)
        }
        self.columns = names
        self.rows = values
        self.rowCount = Int(rowCount)
        self.affectedRows = Int(affectedRows)
        self.lastInsertID = result["last_insert_id"]?.textValue ?? ""
    }

    /// The value of `column` in row `index`.
    public func value(_ column: String, row index: Int) -> JSONValue? {
        guard let position = self.columns.firstIndex(of: column), self.rows.indices.contains(index) else { return nil }
        return self.rows[index][position]
    }
}
