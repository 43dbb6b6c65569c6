/// A response whose signature, tag, echoed nonce and digest all check out.
public struct VerifiedBridgeResponse: Sendable, Hashable {
    public let status: Int
    /// The `Content-Type` as received.
    public let contentType: String
    /// The bridge's clock when it signed, unix seconds.
    public let created: Int64
    public let keyID: String

    /// Whether the body is an encrypted envelope.
    public var isEncrypted: Bool {
        MediaType.essence(of: self.contentType) == CartBridgeProfile.encryptedContentType
    }
}
