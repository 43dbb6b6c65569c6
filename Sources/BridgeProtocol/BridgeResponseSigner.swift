import Foundation
import Crypto

/// Signs responses the way the bridge does (bridge side; used by tests and as the reference for `bridge.php`).
public struct BridgeResponseSigner: Sendable {
    public let keyID: String
    let keys: DerivedBridgeKeys

    public init(keyID: String, key: BridgeKey) {
        self.init(keyID: keyID, keys: key.derivedKeys())
    }

    public init(keyID: String, keys: DerivedBridgeKeys) {
        self.keyID = keyID
        self.keys = keys
    }

    /// Signs one response.
    ///
    /// - Parameters:
    ///   - status: the HTTP status that will be sent.
    ///   - body: the exact body bytes as sent (ciphertext in the encrypted mode).
    ///   - requestNonce: the nonce of the request being answered.
    ///   - created: the bridge's clock, unix seconds.
    public func sign(
        status: Int,
        contentType: String,
        body: some DataProtocol,
        requestNonce: String,
        created: Int64
    ) throws(SignatureBaseError) -> SignedBridgeResponse {
        let contentDigest = ContentDigest.sha256(body)
        let message = HTTPMessageComponents(
            status: status,
            fields: [
                HeaderField(CartBridgeProfile.contentTypeHeader, contentType),
                HeaderField(CartBridgeProfile.contentDigestHeader, contentDigest),
                HeaderField(CartBridgeProfile.requestNonceHeader, requestNonce),
            ]
        )
        let parameters = SignatureParameters(
            components: CartBridgeProfile.responseComponents,
            parameters: [
                StructuredParameter("created", .integer(created)),
                StructuredParameter("keyid", .string(self.keyID)),
                StructuredParameter("tag", .string(CartBridgeProfile.responseTag)),
            ]
        )
        let base = try SignatureBase(message: message, parameters: parameters)
        let mac = HMAC<SHA256>.authenticationCode(for: base.bytes, using: self.keys.response)
        return SignedBridgeResponse(
            status: status,
            contentType: contentType,
            contentDigest: contentDigest,
            requestNonce: requestNonce,
            signatureInput: base.signatureInputField(label: CartBridgeProfile.label),
            signature: CartBridgeProfile.label + "=:" + Base64.encode(mac) + ":",
            base: base
        )
    }
}
