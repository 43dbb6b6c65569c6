/// One `;key=value` parameter of an RFC 8941 item or inner list.
public struct StructuredParameter: Sendable, Hashable {
    public var key: String
    public var value: BareItem

    public init(_ key: String, _ value: BareItem) {
        self.key = key
        self.value = value
    }

    /// `;key=value`, or `;key` for boolean true (RFC 8941 §4.1.1.2).
    public func serialized() throws(StructuredFieldError) -> String {
        guard StructuredFieldGrammar.isKey(self.key) else { throw StructuredFieldError("parameter key is not a valid key") }
        if case .boolean(true) = self.value { return ";" + self.key }
        return ";" + self.key + "=" + (try self.value.serialized())
    }
}

extension [StructuredParameter] {
    /// The first parameter named `key`.
    public subscript(key: String) -> BareItem? {
        self.first(where: { $0.key == key })?.value
    }

    func serialized() throws(StructuredFieldError) -> String {
        var out = ""
        for parameter in self { out += try parameter.serialized() }
        return out
    }
}
