import CartBridgeCore

/// The parts of a list's SQL every connector builds alike from the contract's `sort_by` and `find_where` names:
/// each name selects one of the connector's own expressions, and unknown names are refused (109).
enum ListSQL {
    /// `find_where` names onto SQL expressions, as one condition (`a LIKE ? OR b LIKE ?`) with its parameters;
    /// unknown names are refused.
    static func find(_ query: ListQuery, default defaults: [String], columns: [String: String]) throws(CartBridgeError) -> (sql: String, params: [JSONValue])? {
        guard let value = query.findValue, !value.isEmpty else { return nil }
        let names = query.findWhere.flatMap { $0.isEmpty ? nil : $0 } ?? defaults
        var parts: [String] = []
        for name in Set(names).sorted() {
            guard let column = columns[name] else {
                throw CartBridgeError.badParameter("find_where", "expected some of \(columns.keys.sorted().joined(separator: ", "))")
            }
            parts.append("\(column) LIKE ?")
        }
        return ("(" + parts.joined(separator: " OR ") + ")", Array(repeating: SQLText.contains(value), count: parts.count))
    }

    static func sort(_ query: ListQuery, _ names: [String: String]) throws(CartBridgeError) -> String {
        guard let sort = names[query.sortBy] else {
            throw CartBridgeError.badParameter("sort_by", "expected one of \(names.keys.sorted().joined(separator: ", "))")
        }
        return sort
    }
}
