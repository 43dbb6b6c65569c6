/// Character classes of RFC 8941 and RFC 9110, over ASCII bytes.
enum StructuredFieldGrammar {
    static func isLowerAlpha(_ c: UInt8) -> Bool { c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") }
    static func isAlpha(_ c: UInt8) -> Bool { isLowerAlpha(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) }
    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// RFC 9110 tchar.
    static func isTChar(_ c: UInt8) -> Bool {
        if isAlpha(c) || isDigit(c) { return true }
        switch c {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// `key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )`
    static func isKeyStart(_ c: UInt8) -> Bool { isLowerAlpha(c) || c == UInt8(ascii: "*") }
    static func isKeyChar(_ c: UInt8) -> Bool {
        isLowerAlpha(c) || isDigit(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "*")
    }

    static func isKey(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, isKeyStart(first) else { return false }
        return bytes.dropFirst().allSatisfy(isKeyChar)
    }

    /// `sf-token = ( ALPHA / "*" ) *( tchar / ":" / "/" )`
    static func isTokenStart(_ c: UInt8) -> Bool { isAlpha(c) || c == UInt8(ascii: "*") }
    static func isTokenChar(_ c: UInt8) -> Bool { isTChar(c) || c == UInt8(ascii: ":") || c == UInt8(ascii: "/") }

    static func isToken(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, isTokenStart(first) else { return false }
        return bytes.dropFirst().allSatisfy(isTokenChar)
    }
}
