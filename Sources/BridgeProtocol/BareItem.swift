/// An RFC 8941 (Structured Field Values) bare item: the values that signature parameters and
/// component parameters take in RFC 9421.
public enum BareItem: Sendable, Hashable {
    case integer(Int64)
    case string(String)
    case token(String)
    case byteSequence([UInt8])
    case boolean(Bool)

    /// The RFC 8941 §4.1 serialization of this item.
    ///
    /// Values outside the grammar (an integer over 15 digits, a string with a control or non-ASCII character,
    /// a malformed token) cannot be serialized and throw.
    public func serialized() throws(StructuredFieldError) -> String {
        switch self {
        case .integer(let value):
            guard value >= -999_999_999_999_999, value <= 999_999_999_999_999 else {
                throw StructuredFieldError("integer out of range")
            }
            return String(value)
        case .string(let value):
            var out = "\""
            for scalar in value.unicodeScalars {
                guard scalar.value >= 0x20, scalar.value <= 0x7E else {
                    throw StructuredFieldError("string holds a character outside printable ASCII")
                }
                if scalar == "\"" || scalar == "\\" { out.append("\\") }
                out.unicodeScalars.append(scalar)
            }
            out.append("\"")
            return out
        case .token(let value):
            guard StructuredFieldGrammar.isToken(value) else { throw StructuredFieldError("not a token") }
            return value
        case .byteSequence(let bytes):
            return ":" + Base64.encode(bytes) + ":"
        case .boolean(let value):
            return value ? "?1" : "?0"
        }
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var byteSequenceValue: [UInt8]? {
        if case .byteSequence(let value) = self { return value }
        return nil
    }
}
