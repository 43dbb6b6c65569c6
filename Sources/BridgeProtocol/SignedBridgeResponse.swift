/// The headers of a signed `cartbridge/1` response, and the base they were computed from.
public struct SignedBridgeResponse: Sendable {
    public let status: Int
    public let contentType: String
    public let contentDigest: String
    public let requestNonce: String
    /// The whole `Signature-Input` field value.
    public let signatureInput: String
    /// The whole `Signature` field value.
    public let signature: String
    public let base: SignatureBase

    /// The five fields to send, in a stable order.
    public var headers: [HeaderField] {
        [
            HeaderField(CartBridgeProfile.contentTypeHeader, self.contentType),
            HeaderField(CartBridgeProfile.contentDigestHeader, self.contentDigest),
            HeaderField(CartBridgeProfile.requestNonceHeader, self.requestNonce),
            HeaderField(CartBridgeProfile.signatureInputHeader, self.signatureInput),
            HeaderField(CartBridgeProfile.signatureHeader, self.signature),
        ]
    }
}
