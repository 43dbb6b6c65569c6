/// Why the service refuses a bridge response. Every case means the same to the caller (`bridge_response_invalid`:
/// the response is not data); the code says which check failed, for logs and tests.
public struct ResponseVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// No `Signature-Input` or no `Signature`.
        case unsigned
        /// A signature field does not parse, is too long, or holds more than the one `cb` member.
        case malformed
        /// Not the four covered components or not the three parameters of a `cartbridge/1` response.
        case components
        /// `tag` is not `cartbridge/1-resp`.
        case tag
        /// Signed with another key id than the request's.
        case keyMismatch = "key_mismatch"
        /// `Bridge-Request-Nonce` is not the nonce the service sent.
        case nonceMismatch = "nonce_mismatch"
        /// `Content-Digest` is not the SHA-256 of the bytes received.
        case digestMismatch = "digest_mismatch"
        /// The MAC does not verify under `k_resp`.
        case signatureInvalid = "sig_invalid"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The protocol's name for every such failure.
    public static let protocolCode = "bridge_response_invalid"

    public var description: String { "ResponseVerificationError(\(self.code.rawValue)): \(self.reason)" }
}
