/// A request that passed every check of the table: what the bridge needs to run it and to sign its answer.
public struct VerifiedBridgeRequest: Sendable {
    public let keyID: String
    public let nonce: String
    public let created: Int64
    public let expires: Int64
    /// The `Content-Type` as received.
    public let contentType: String
    /// The derived keys of `keyID`: to decrypt the body and to sign and encrypt the response.
    public let keys: DerivedBridgeKeys

    /// Whether the body is an encrypted envelope (`application/cartbridge-aead`).
    public var isEncrypted: Bool {
        MediaType.essence(of: self.contentType) == CartBridgeProfile.encryptedContentType
    }
}
