import Foundation

/// Strict base64 (RFC 4648 §4, padded) and base64url (§5, unpadded) coding.
///
/// Decoding accepts only the canonical encoding: no whitespace, no missing or extra padding, no stray bits.
enum Base64 {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        guard text.utf8.count % 4 == 0, let data = Data(base64Encoded: String(text)) else { return nil }
        let bytes = [UInt8](data)
        // Reject non-canonical forms (non-zero pad bits).
        guard Self.encode(bytes) == text else { return nil }
        return bytes
    }

    static func encodeURL(_ bytes: some Sequence<UInt8>) -> String {
        var text = Self.encode(bytes)
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    static func decodeURL(_ text: some StringProtocol) -> [UInt8]? {
        guard
            text.utf8.allSatisfy({
                StructuredFieldGrammar.isAlpha($0) || StructuredFieldGrammar.isDigit($0) || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: "_")
            })
        else { return nil }
        guard text.utf8.count % 4 != 1 else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard.append("=") }
        guard let data = Data(base64Encoded: standard) else { return nil }
        let bytes = [UInt8](data)
        guard Self.encodeURL(bytes) == text else { return nil }
        return bytes
    }
}
