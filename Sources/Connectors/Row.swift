import CartBridgeCore

/// Reading columns of a bridge row by name, whatever JSON type the database driver chose.
extension Dictionary where Key == String, Value == JSONValue {
    func text(_ column: String) -> String? {
        guard let value = self[column], value != .null else { return nil }
        return value.textValue
    }

    func text(_ column: String, default fallback: String) -> String {
        self.text(column) ?? fallback
    }

    func double(_ column: String) -> Double? {
        switch self[column] {
        case .double(let d): d
        case .int(let i): Double(i)
        case .string(let s): Double(s)
        default: nil
        }
    }

    func flag(_ column: String) -> Bool {
        switch self[column] {
        case .bool(let b): b
        case .int(let i): i != 0
        case .string(let s): s == "1" || s.lowercased() == "true"
        default: false
        }
    }
}
