/// Request nonces: 16 bytes from the system's CSPRNG, written as 22 characters of unpadded base64url.
public enum BridgeNonce {
    public static let byteCount = 16
    public static let textLength = 22

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<Self.byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64.encodeURL(bytes)
    }

    /// The form of `nonce` from raw bytes (tests, vectors).
    public static func encode(_ bytes: [UInt8]) -> String {
        Base64.encodeURL(bytes)
    }

    /// Whether `text` is a well-formed nonce: 22 base64url characters encoding 16 bytes.
    public static func isWellFormed(_ text: String) -> Bool {
        guard text.utf8.count == Self.textLength, let bytes = Base64.decodeURL(text) else { return false }
        return bytes.count == Self.byteCount
    }

    /// The form `bridge.php` checks: exactly 22 characters of `A-Z a-z 0-9 - _`.
    static func hasNonceForm(_ text: String) -> Bool {
        text.utf8.count == Self.textLength
            && text.utf8.allSatisfy {
                StructuredFieldGrammar.isAlpha($0) || StructuredFieldGrammar.isDigit($0) || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: "_")
            }
    }
}
