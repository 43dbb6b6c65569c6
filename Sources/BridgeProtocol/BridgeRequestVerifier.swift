import Crypto

/// Verifies requests the way the bridge does (the reference for `bridge.php`): the check table of `cartbridge/1`,
/// in order, each failure with its code.
public struct BridgeRequestVerifier: Sendable {
    let keys: [String: DerivedBridgeKeys]
    public let maxBodyBytes: Int
    let nonceStore: any NonceStore

    /// - Parameters:
    ///   - keys: the configured keys by key id (the current one, and the next one during a rotation).
    ///   - maxBodyBytes: the largest body accepted.
    ///   - nonceStore: where nonces are remembered.
    public init(
        keys: [String: BridgeKey],
        maxBodyBytes: Int = CartBridgeProfile.defaultMaxBodyBytes,
        nonceStore: any NonceStore
    ) {
        self.keys = keys.mapValues { $0.derivedKeys() }
        self.maxBodyBytes = maxBodyBytes
        self.nonceStore = nonceStore
    }

    /// Runs the ten checks on a received request.
    ///
    /// - Parameters:
    ///   - request: method, authority (`Host`), raw path and query, and every field line as received.
    ///   - body: the raw body as received.
    ///   - now: the verifier's clock, unix seconds.
    /// - Throws: `RequestVerificationError` for the first failing check; whatever the nonce store throws.
    public func verify(
        _ request: HTTPMessageComponents,
        body: some Collection<UInt8>,
        now: Int64
    ) async throws -> VerifiedBridgeRequest {
        // 1 and 2: presence, then shape.
        let fields: SignatureFields
        do {
            fields = try SignatureFields(fields: request.fields)
        } catch {
            switch error {
            case .missing:
                throw RequestVerificationError(.sigMissing, "Signature-Input or Signature is missing")
            case .malformed(let reason):
                throw RequestVerificationError(.sigMalformed, reason)
            }
        }
        let parameters = fields.parameters

        // 3: exactly the six components and the five parameters, in order, each of its type; a nonce of 22
        // base64url characters.
        guard parameters.components == CartBridgeProfile.requestComponents else {
            throw RequestVerificationError(.sigComponents, "the covered components are not the six of cartbridge/1")
        }
        guard parameters.parameters.map(\.key) == CartBridgeProfile.requestParameterKeys,
            let created = parameters[parameter: "created"]?.integerValue,
            let expires = parameters[parameter: "expires"]?.integerValue,
            let nonce = parameters[parameter: "nonce"]?.stringValue,
            let keyID = parameters[parameter: "keyid"]?.stringValue,
            let tag = parameters[parameter: "tag"]?.stringValue
        else {
            throw RequestVerificationError(
                .sigComponents,
                "the signature parameters are not created, expires, nonce, keyid, tag with their types"
            )
        }
        guard BridgeNonce.hasNonceForm(nonce) else {
            throw RequestVerificationError(.sigComponents, "the nonce is not 22 base64url characters")
        }

        // 4: the request tag.
        guard tag == CartBridgeProfile.requestTag else {
            throw RequestVerificationError(.sigTag, "tag is not \(CartBridgeProfile.requestTag)", nonce: nonce)
        }

        // 5: a configured key.
        guard let keys = self.keys[keyID] else {
            throw RequestVerificationError(.keyUnknown, "keyid names no configured key", nonce: nonce)
        }

        // 6: the time window.
        guard created <= now + CartBridgeProfile.maxCreatedAhead, now <= expires, expires - created > 0,
            expires - created <= CartBridgeProfile.maxLifetime
        else {
            throw RequestVerificationError(
                .clockSkew,
                "created is outside the allowed window",
                keyID: keyID,
                nonce: nonce
            )
        }

        // 7: the body size.
        guard body.count <= self.maxBodyBytes else {
            throw RequestVerificationError(.bodyTooLarge, "the body is larger than allowed", keyID: keyID, nonce: nonce)
        }

        // 8: the digest of the raw body.
        guard ContentDigest.matchesSHA256(request.fields.canonicalValue(named: "content-digest"), body: Array(body))
        else {
            throw RequestVerificationError(
                .digestMismatch,
                "Content-Digest is not the SHA-256 of the body",
                keyID: keyID,
                nonce: nonce
            )
        }

        // 9: the MAC over the base rebuilt from the request as received.
        let base: SignatureBase
        do {
            base = try SignatureBase(message: request, parameters: parameters)
        } catch {
            throw RequestVerificationError(.sigInvalid, error.reason, keyID: keyID, nonce: nonce)
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(fields.signature, authenticating: base.bytes, using: keys.request)
        else {
            throw RequestVerificationError(.sigInvalid, "the signature does not verify", keyID: keyID, nonce: nonce)
        }

        // 10: the nonce, last.
        let fresh = try await self.nonceStore.insert(
            nonce: nonce,
            retainUntil: expires + CartBridgeProfile.nonceRetention,
            now: now
        )
        guard fresh else {
            throw RequestVerificationError(.replayed, "the nonce was seen before", keyID: keyID, nonce: nonce)
        }

        return VerifiedBridgeRequest(
            keyID: keyID,
            nonce: nonce,
            created: created,
            expires: expires,
            contentType: request.fields.canonicalValue(named: "content-type") ?? "",
            keys: keys
        )
    }
}
