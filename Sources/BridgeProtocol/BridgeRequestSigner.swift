import Foundation
import Crypto

/// Signs requests to a bridge (the service side): `Content-Digest`, `Signature-Input`, `Signature` with `k_req`.
public struct BridgeRequestSigner: Sendable {
    public let keyID: String
    let keys: DerivedBridgeKeys

    public init(keyID: String, key: BridgeKey) {
        self.init(keyID: keyID, keys: key.derivedKeys())
    }

    public init(keyID: String, keys: DerivedBridgeKeys) {
        self.keyID = keyID
        self.keys = keys
    }

    /// Signs one request.
    ///
    /// - Parameters:
    ///   - authority: the `Host` value as it will be sent (lowercase host, port only when not the default).
    ///   - path: the raw path as it will be sent.
    ///   - query: the raw query without `?`, or `nil`.
    ///   - body: the exact body bytes that will be sent (ciphertext in the encrypted mode).
    ///   - nonce: a fresh `BridgeNonce.generate()` for every request, retries included.
    public func sign(
        method: String = "POST",
        authority: String,
        path: String,
        query: String?,
        contentType: String,
        body: some DataProtocol,
        created: Int64,
        expires: Int64,
        nonce: String
    ) throws(SignatureBaseError) -> SignedBridgeRequest {
        guard BridgeNonce.isWellFormed(nonce) else { throw SignatureBaseError("the nonce is not 16 bytes of base64url") }
        let contentDigest = ContentDigest.sha256(body)
        let message = HTTPMessageComponents(
            method: method,
            authority: authority,
            path: path,
            query: query,
            fields: [
                HeaderField(CartBridgeProfile.contentTypeHeader, contentType),
                HeaderField(CartBridgeProfile.contentDigestHeader, contentDigest),
            ]
        )
        let parameters = SignatureParameters(
            components: CartBridgeProfile.requestComponents,
            parameters: [
                StructuredParameter("created", .integer(created)),
                StructuredParameter("expires", .integer(expires)),
                StructuredParameter("nonce", .string(nonce)),
                StructuredParameter("keyid", .string(self.keyID)),
                StructuredParameter("tag", .string(CartBridgeProfile.requestTag)),
            ]
        )
        let base = try SignatureBase(message: message, parameters: parameters)
        let mac = HMAC<SHA256>.authenticationCode(for: base.bytes, using: self.keys.request)
        return SignedBridgeRequest(
            contentType: contentType,
            contentDigest: contentDigest,
            signatureInput: base.signatureInputField(label: CartBridgeProfile.label),
            signature: CartBridgeProfile.label + "=:" + Base64.encode(mac) + ":",
            nonce: nonce,
            created: created,
            expires: expires,
            base: base
        )
    }
}
