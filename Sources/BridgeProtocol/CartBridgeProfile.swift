/// The fixed choices of the `cartbridge/1` profile of RFC 9421 (see `shared/design/bridge-protocol.md`).
public enum CartBridgeProfile {
    public static let protocolName = "cartbridge/1"
    public static let requestTag = "cartbridge/1"
    public static let responseTag = "cartbridge/1-resp"
    /// The one dictionary label used in `Signature-Input` and `Signature`.
    public static let label = "cb"

    public static let jsonContentType = "application/json"
    public static let encryptedContentType = "application/cartbridge-aead"

    public static let contentTypeHeader = "Content-Type"
    public static let contentDigestHeader = "Content-Digest"
    public static let signatureInputHeader = "Signature-Input"
    public static let signatureHeader = "Signature"
    public static let requestNonceHeader = "Bridge-Request-Nonce"

    /// The covered components of a request, in this order.
    public static let requestComponents: [ComponentIdentifier] = [
        .method, .authority, .path, .query, .field("content-type"), .field("content-digest"),
    ]
    /// The signature parameters of a request, in this order.
    public static let requestParameterKeys = ["created", "expires", "nonce", "keyid", "tag"]

    /// The covered components of a response, in this order.
    public static let responseComponents: [ComponentIdentifier] = [
        .status, .field("content-type"), .field("content-digest"), .field("bridge-request-nonce"),
    ]
    /// The signature parameters of a response, in this order.
    public static let responseParameterKeys = ["created", "keyid", "tag"]

    /// Each of `Signature-Input` and `Signature` must be shorter than this many bytes.
    public static let maxSignatureHeaderBytes = 2048
    /// How far `created` may be ahead of the verifier's clock, in seconds.
    public static let maxCreatedAhead: Int64 = 60
    /// The longest allowed `expires - created`, in seconds.
    public static let maxLifetime: Int64 = 300
    /// The `expires - created` the service uses.
    public static let defaultLifetime: Int64 = 60
    /// How long after `expires` a nonce is remembered.
    public static let nonceRetention: Int64 = 60
    /// The request body limit a verifier applies unless configured otherwise.
    public static let defaultMaxBodyBytes = 8 * 1024 * 1024
}
