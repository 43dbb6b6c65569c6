import Foundation
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

extension Dictionary where Key == String, Value == JSONValue {
    func int(_ column: String) -> Int64? {
        switch self[column] {
        case .int(let i): i
        case .double(let d): d.isFinite ? Int64(d) : nil
        case .string(let s): Int64(s) ?? Double(s).flatMap { $0.isFinite ? Int64($0) : nil }
        default: nil
        }
    }

    /// A number column as the contract's JSON number (null when NULL or unreadable).
    func number(_ column: String) -> JSONValue {
        self.double(column).map(JSONValue.double) ?? .null
    }

    /// A text column as JSON text (null when NULL).
    func string(_ column: String) -> JSONValue {
        self.text(column).map(JSONValue.string) ?? .null
    }

    /// A text column, null when NULL or empty (optional identifiers such as `u_upc`).
    func nonEmpty(_ column: String) -> JSONValue {
        guard let text = self.text(column), !text.isEmpty else { return .null }
        return .string(text)
    }

    /// A `DATETIME` column as the contract's date object.
    func date(_ column: String, _ zone: TimeZone) -> JSONValue {
        APIDate.value(database: self.text(column), timeZone: zone)
    }
}
