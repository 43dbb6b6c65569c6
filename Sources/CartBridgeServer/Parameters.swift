import CartBridgeCore
import Foundation

/// The parameters of one API call: query string, then a JSON or form body on top.
///
/// Clients of the contract send booleans as `true/false/1/0`, arrays as repeated keys or `k[0]=`,
/// and often every default of the spec; unknown names are ignored, as they are by the contract.
public struct Parameters: Sendable {
    public private(set) var values: [String: JSONValue]

    public static let maxParameters = 500
    public static let maxValueLength = 65_536

    public init(_ values: [String: JSONValue] = [:]) {
        self.values = values
    }

    /// Parses `a=1&b=x+y&c[]=1&c[]=2&d[0]=z` into values; percent-decoding, `+` as space.
    public static func parse(query: Substring) throws(CartBridgeError) -> Parameters {
        var values: [String: JSONValue] = [:]
        var count = 0
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            count += 1
            guard count <= maxParameters else {
                throw CartBridgeError(.incorrectParameters, "Too many parameters (at most \(maxParameters)).")
            }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            guard value.utf8.count <= maxValueLength else {
                throw CartBridgeError(.incorrectParameters, "Parameter '\(Self.safeName(rawName))' is too long.")
            }
            let (name, isArray) = Self.arrayName(rawName)
            guard !name.isEmpty else { continue }
            if isArray {
                var items = values[name]?.arrayValue ?? values[name].map { [$0] } ?? []
                items.append(.string(value))
                values[name] = .array(items)
            } else if let existing = values[name] {
                // A repeated key is an array: `k=a&k=b`.
                values[name] = .array((existing.arrayValue ?? [existing]) + [.string(value)])
            } else {
                values[name] = .string(value)
            }
        }
        return Parameters(values)
    }

    /// Adds a body's members over the query's (the body states the write; the query may carry keys).
    public mutating func merge(_ other: [String: JSONValue]) throws(CartBridgeError) {
        guard self.values.count + other.count <= Self.maxParameters else {
            throw CartBridgeError(.incorrectParameters, "Too many parameters (at most \(Self.maxParameters)).")
        }
        self.values.merge(other) { _, new in new }
    }

    public subscript(name: String) -> JSONValue? { self.values[name] }

    public func contains(_ name: String) -> Bool { self.values[name] != nil }

    /// A text value; numbers and booleans are accepted as their text. Empty text counts as absent.
    public func string(_ name: String, maxLength: Int = 2048) throws(CartBridgeError) -> String? {
        guard let value = self.values[name] else { return nil }
        let text: String
        switch value {
        case .null: return nil
        case .string(let s): text = s
        case .int, .double, .bool: text = value.textValue ?? ""
        case .array(let items) where items.count == 1:
            return try Parameters([name: items[0]]).string(name, maxLength: maxLength)
        case .array, .object: throw CartBridgeError.badParameter(name, "expected a single text value")
        }
        guard text.utf8.count <= maxLength else {
            throw CartBridgeError.badParameter(name, "longer than \(maxLength) bytes")
        }
        return text.isEmpty ? nil : text
    }

    public func requiredString(_ name: String, maxLength: Int = 2048) throws(CartBridgeError) -> String {
        guard let value = try self.string(name, maxLength: maxLength) else { throw CartBridgeError.missingParameter(name) }
        return value
    }

    public func bool(_ name: String, default defaultValue: Bool) throws(CartBridgeError) -> Bool {
        guard let value = self.values[name] else { return defaultValue }
        switch value {
        case .null: return defaultValue
        case .bool(let b): return b
        case .int(let i) where i == 0 || i == 1: return i == 1
        case .string(let s):
            switch s.lowercased() {
            case "": return defaultValue
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: throw CartBridgeError.badParameter(name, "expected true or false")
            }
        default: throw CartBridgeError.badParameter(name, "expected true or false")
        }
    }

    public func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(CartBridgeError) -> Int {
        guard let value = self.values[name] else { return defaultValue }
        let number: Int?
        switch value {
        case .null: return defaultValue
        case .int(let i): number = Int(exactly: i)
        case .double(let d): number = d.rounded() == d && abs(d) < 1e15 ? Int(d) : nil
        case .string(let s): number = s.isEmpty ? defaultValue : Int(s.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number else { throw CartBridgeError.badParameter(name, "expected a whole number") }
        guard range.contains(number) else {
            throw CartBridgeError.badParameter(name, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    /// A number (money, weight, quantity); texts of numbers are accepted, as clients send them both ways.
    public func double(_ name: String, in range: ClosedRange<Double>) throws(CartBridgeError) -> Double? {
        guard let value = self.values[name] else { return nil }
        let number: Double?
        switch value {
        case .null: return nil
        case .int(let i): number = Double(i)
        case .double(let d): number = d
        case .string(let s):
            if s.isEmpty { return nil }
            number = Double(s.trimmingCharacters(in: .whitespaces))
        default: number = nil
        }
        guard let number, number.isFinite else { throw CartBridgeError.badParameter(name, "expected a number") }
        guard range.contains(number) else {
            throw CartBridgeError.badParameter(name, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    /// A whole number that may be absent (unlike `int(_:default:in:)`, absence stays visible).
    public func optionalInt(_ name: String, in range: ClosedRange<Int>) throws(CartBridgeError) -> Int? {
        guard self.values[name] != nil, self.values[name] != .null, self.values[name] != .string("") else { return nil }
        return try self.int(name, default: 0, in: range)
    }

    /// A comma list (`params=a,b`) or an array of texts.
    public func list(_ name: String) throws(CartBridgeError) -> [String]? {
        guard let value = self.values[name] else { return nil }
        let texts: [String]
        switch value {
        case .null: return nil
        case .array(let items): texts = try items.map { item throws(CartBridgeError) in
            guard let text = item.textValue else { throw CartBridgeError.badParameter(name, "expected a list of texts") }
            return text
        }
        default:
            guard let text = value.textValue else { throw CartBridgeError.badParameter(name, "expected a comma-separated list") }
            texts = [text]
        }
        let items = texts.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return items.isEmpty ? nil : items
    }

    static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// `k[]` and `k[3]` name the array `k`.
    static func arrayName(_ raw: String) -> (String, Bool) {
        guard raw.hasSuffix("]"), let open = raw.firstIndex(of: "[") else { return (raw, false) }
        let inside = raw[raw.index(after: open)..<raw.index(before: raw.endIndex)]
        guard inside.isEmpty || inside.allSatisfy(\.isNumber) else { return (raw, false) }
        return (String(raw[..<open]), true)
    }

    /// A parameter name as it may appear in a message: short and printable.
    static func safeName(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.properties.isAlphabetic || $0 == "_" || $0 == "." || ("0"..."9").contains($0) }.prefix(64).map(Character.init))
    }
}
