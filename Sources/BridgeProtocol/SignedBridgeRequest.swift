/// The headers that make a `cartbridge/1` request verifiable, and the base they were computed from.
public struct SignedBridgeRequest: Sendable {
    public let contentType: String
    public let contentDigest: String
    /// The whole `Signature-Input` field value: `cb=(...);created=...`.
    public let signatureInput: String
    /// The whole `Signature` field value: `cb=:<base64>:`.
    public let signature: String
    public let nonce: String
    public let created: Int64
    public let expires: Int64
    public let base: SignatureBase

    /// The four fields to send, in a stable order.
    public var headers: [HeaderField] {
        [
            HeaderField(CartBridgeProfile.contentTypeHeader, self.contentType),
            HeaderField(CartBridgeProfile.contentDigestHeader, self.contentDigest),
            HeaderField(CartBridgeProfile.signatureInputHeader, self.signatureInput),
            HeaderField(CartBridgeProfile.signatureHeader, self.signature),
        ]
    }
}
