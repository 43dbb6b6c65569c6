import Crypto

/// Verifies bridge responses (service side): signature under `k_resp`, tag `cartbridge/1-resp`, the echoed nonce
/// and the digest of the raw bytes received. Nothing of a response may be used before this passes.
public struct BridgeResponseVerifier: Sendable {
    public let keyID: String
    let keys: DerivedBridgeKeys

    public init(keyID: String, key: BridgeKey) {
        self.init(keyID: keyID, keys: key.derivedKeys())
    }

    public init(keyID: String, keys: DerivedBridgeKeys) {
        self.keyID = keyID
        self.keys = keys
    }

    /// - Parameters:
    ///   - status: the HTTP status received.
    ///   - fields: every response field line as received.
    ///   - body: the raw body bytes received, before any decoding.
    ///   - expectedNonce: the nonce of the request this answers.
    public func verify(
        status: Int,
        fields: [HeaderField],
        body: some Collection<UInt8>,
        expectedNonce: String
    ) throws(ResponseVerificationError) -> VerifiedBridgeResponse {
        let signatureFields: SignatureFields
        do {
            signatureFields = try SignatureFields(fields: fields)
        } catch {
            switch error {
            case .missing: throw ResponseVerificationError(.unsigned, "the response is not signed")
            case .malformed(let reason): throw ResponseVerificationError(.malformed, reason)
            }
        }
        let parameters = signatureFields.parameters
        guard parameters.components == CartBridgeProfile.responseComponents,
            parameters.parameters.map(\.key) == CartBridgeProfile.responseParameterKeys,
            let created = parameters[parameter: "created"]?.integerValue,
            let keyID = parameters[parameter: "keyid"]?.stringValue,
            let tag = parameters[parameter: "tag"]?.stringValue
        else {
            throw ResponseVerificationError(.components, "not the components and parameters of a cartbridge/1 response")
        }
        guard tag == CartBridgeProfile.responseTag else {
            throw ResponseVerificationError(.tag, "tag is not \(CartBridgeProfile.responseTag)")
        }
        guard keyID == self.keyID else {
            throw ResponseVerificationError(.keyMismatch, "signed with another key id than the request's")
        }
        guard fields.canonicalValue(named: CartBridgeProfile.requestNonceHeader) == expectedNonce else {
            throw ResponseVerificationError(.nonceMismatch, "Bridge-Request-Nonce is not the nonce of the request")
        }
        guard ContentDigest.matchesSHA256(fields.canonicalValue(named: "content-digest"), body: Array(body)) else {
            throw ResponseVerificationError(.digestMismatch, "Content-Digest is not the SHA-256 of the bytes received")
        }
        let base: SignatureBase
        do {
            base = try SignatureBase(message: HTTPMessageComponents(status: status, fields: fields), parameters: parameters)
        } catch {
            throw ResponseVerificationError(.signatureInvalid, error.reason)
        }
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                signatureFields.signature,
                authenticating: base.bytes,
                using: self.keys.response
            )
        else {
            throw ResponseVerificationError(.signatureInvalid, "the signature does not verify")
        }
        return VerifiedBridgeResponse(
            status: status,
            contentType: fields.canonicalValue(named: "content-type") ?? "",
            created: created,
            keyID: keyID
        )
    }
}
