import BridgeProtocol
import Crypto
import Foundation
import Testing

/// The bridge's check table, one negative test (at least) per row, each with its exact code and HTTP status.
@Suite("Request verification: the check table")
struct RequestVerifierTests {
    typealias Code = RequestVerificationError.Code

    static let components = #"("@method" "@authority" "@path" "@query" "content-type" "content-digest")"#
    static let parameters = #";created=1700000000;expires=1700000060;nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1";tag="cartbridge/1""#

    @Test func codesStatusesAndOrder() {
        #expect(Code.allCases.map(\.rawValue) == [
            "sig_missing", "sig_malformed", "sig_components", "sig_tag", "key_unknown", "clock_skew", "body_too_large",
            "digest_mismatch", "sig_invalid", "replayed",
        ])
        #expect(Code.allCases.map(\.httpStatus) == [401, 400, 401, 401, 401, 401, 413, 401, 401, 409])
    }

    @Test func aSignedRequestPassesOnceThenIsReplayed() async throws {
        let verifier = Fixture.verifier()
        let request = try Fixture.signedRequest()
        let verified = try await verifier.verify(request.0, body: request.1, now: Fixture.created)
        #expect(verified.keyID == "k1")
        // Row 10: the same bytes again.
        #expect(await Code.of(verifier, request) == .replayed)
        #expect(Code.replayed.httpStatus == 409)
    }

    // Row 1
    @Test func row1MissingHeaders() async throws {
        let verifier = Fixture.verifier()
        var (message, body) = try Fixture.signedRequest()
        message.fields = message.fields.removing("Signature")
        #expect(await Code.of(verifier, (message, body)) == .sigMissing)

        (message, body) = try Fixture.signedRequest()
        message.fields = message.fields.removing("Signature-Input")
        #expect(await Code.of(verifier, (message, body)) == .sigMissing)
    }

    // Row 2
    @Test func row2TwoMembersOrDuplicateLabel() async throws {
        let verifier = Fixture.verifier()
        let inner = Self.components + Self.parameters
        // Two members in one field.
        #expect(await Code.of(verifier, try Fixture.request(withSignatureInput: "cb=\(inner), cc=\(inner)")) == .sigMalformed)
        // The same label twice.
        #expect(await Code.of(verifier, try Fixture.request(withSignatureInput: "cb=\(inner), cb=\(inner)")) == .sigMalformed)
        // Two field lines.
        var (message, body) = try Fixture.signedRequest()
        message.fields.append(HeaderField("Signature-Input", "cb=\(inner)"))
        #expect(await Code.of(verifier, (message, body)) == .sigMalformed)
        // Two signatures.
        (message, body) = try Fixture.signedRequest()
        let signature = message.fields.values(named: "Signature")[0]
        message.fields.append(HeaderField("Signature", signature.replacingOccurrences(of: "cb=", with: "cc=")))
        #expect(await Code.of(verifier, (message, body)) == .sigMalformed)
        // Another label.
        #expect(await Code.of(verifier, try Fixture.request(withSignatureInput: "sig1=\(inner)")) == .sigMalformed)
    }

    @Test func truncatedSignature() async throws {
        // A shorter MAC still parses (row 2, as in bridge.php's pattern) and then fails the comparison (row 9).
        let verifier = Fixture.verifier()
        var (message, body) = try Fixture.signedRequest()
        let mac = try #require(message.fields.values(named: "Signature").first)
        let bytes = try #require(Data(base64Encoded: String(mac.dropFirst(4).dropLast())))
        message.fields = message.fields.replacing("Signature", with: "cb=:" + bytes.prefix(30).base64EncodedString() + ":")
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
        message.fields = message.fields.replacing("Signature", with: String(mac.prefix(20)) + ":")
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
        // Cut inside a base64 quantum: it no longer parses.
        message.fields = message.fields.replacing("Signature", with: String(mac.prefix(21)) + ":")
        #expect(await Code.of(verifier, (message, body)) == .sigMalformed)
        message.fields = message.fields.replacing("Signature", with: String(mac.prefix(21)))
        #expect(await Code.of(verifier, (message, body)) == .sigMalformed)
    }

    @Test func row2UnparseableOversizedOrOffShape() async throws {
        let verifier = Fixture.verifier()
        let inner = Self.components + Self.parameters
        for bad in [
            "cb=",  // no value
            "cb=(\"@method\"",  // unterminated
            "cb=(\"@method\" \"@authority\";created=1",  // unterminated list
            "cb=" + inner + ",",  // trailing comma
            "cb=( \"@method\" \"@authority\" \"@path\" \"@query\" \"content-type\" \"content-digest\")" + Self.parameters,  // not canonical
            "cb=" + inner.replacingOccurrences(of: "created=1700000000", with: "created=-1700000000"),  // negative
            "cb=" + inner.replacingOccurrences(of: "keyid=\"k1\"", with: "keyid=k1"),  // token
            "cb=" + inner.replacingOccurrences(of: "keyid=\"k1\"", with: "keyid=\"k\\\"1\""),  // escape
            "cb=" + inner.replacingOccurrences(of: "keyid=\"k1\"", with: "keyid"),  // boolean
            "cb=" + inner.replacingOccurrences(of: "\"@query\"", with: "\"@query\";req"),  // component parameter
            "cb=" + inner.replacingOccurrences(of: "created=1700000000", with: "created=1700000000.5"),  // decimal
            "cb=" + inner + ";x=\"" + String(repeating: "a", count: 2048) + "\"",  // over 2 KiB
        ] {
            #expect(await Code.of(verifier, try Fixture.request(withSignatureInput: bad)) == .sigMalformed, "\(bad.prefix(80))")
        }
        #expect(Code.sigMalformed.httpStatus == 400)
    }

    // Row 3
    @Test func row3Components() async throws {
        let verifier = Fixture.verifier()
        let missing = #"cb=("@method" "@authority" "@path" "@query" "content-type")"# + Self.parameters
        let extra = #"cb=("@method" "@authority" "@path" "@query" "content-type" "content-digest" "date")"# + Self.parameters
        let reordered = #"cb=("@authority" "@method" "@path" "@query" "content-type" "content-digest")"# + Self.parameters
        let empty = "cb=()" + Self.parameters
        for signatureInput in [missing, extra, reordered, empty] {
            #expect(await Code.of(verifier, try Fixture.request(withSignatureInput: signatureInput)) == .sigComponents)
        }
    }

    @Test func row3Parameters() async throws {
        let verifier = Fixture.verifier()
        let noTag = "cb=" + Self.components + #";created=1700000000;expires=1700000060;nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1""#
        let extraAlg = "cb=" + Self.components + Self.parameters + #";alg="hmac-sha256""#
        let noExpires = "cb=" + Self.components + #";created=1700000000;nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1";tag="cartbridge/1""#
        let reordered = "cb=" + Self.components + #";expires=1700000060;created=1700000000;nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1";tag="cartbridge/1""#
        // Types and the nonce's form are row 3 too (bridge.php's profile_params).
        let createdString = "cb=" + Self.components + Self.parameters.replacingOccurrences(of: "created=1700000000", with: #"created="1700000000""#)
        let nonceInteger = "cb=" + Self.components + Self.parameters.replacingOccurrences(of: #"nonce="QUJDREVGR0hJSktMTU5PUA""#, with: "nonce=1")
        let shortNonce = "cb=" + Self.components + Self.parameters.replacingOccurrences(of: "QUJDREVGR0hJSktMTU5PUA", with: "QUJDREVGR0hJSktMTU5PU")
        let nonceChars = "cb=" + Self.components + Self.parameters.replacingOccurrences(of: "QUJDREVGR0hJSktMTU5PUA", with: "QUJDREVGR0hJSktMTU5PU+")
        for signatureInput in [noTag, extraAlg, noExpires, reordered, createdString, nonceInteger, shortNonce, nonceChars] {
            #expect(await Code.of(verifier, try Fixture.request(withSignatureInput: signatureInput)) == .sigComponents)
        }
    }

    // Row 4
    @Test func row4WrongTag() async throws {
        let verifier = Fixture.verifier()
        for tag in ["cartbridge/1-resp", "cartbridge/2", ""] {
            let signatureInput = "cb=" + Self.components
                + Self.parameters.replacingOccurrences(of: #"tag="cartbridge/1""#, with: "tag=\"\(tag)\"")
            #expect(await Code.of(verifier, try Fixture.request(withSignatureInput: signatureInput)) == .sigTag)
        }
    }

    // Row 5
    @Test func row5UnknownKeyID() async throws {
        let verifier = Fixture.verifier()
        #expect(await Code.of(verifier, try Fixture.signedRequest(keyID: "k2")) == .keyUnknown)
        let oddKeyID = "cb=" + Self.components + Self.parameters.replacingOccurrences(of: #"keyid="k1""#, with: #"keyid="k 1""#)
        #expect(await Code.of(verifier, try Fixture.request(withSignatureInput: oddKeyID)) == .keyUnknown)
        // A second configured key verifies.
        let next = BridgeKey.generate()
        let rotating = BridgeRequestVerifier(keys: ["k1": Fixture.key, "k2": next], nonceStore: InMemoryNonceStore())
        #expect(await Code.of(rotating, try Fixture.signedRequest(keyID: "k2", key: next)) == nil)
    }

    // Row 6
    @Test func row6ClockSkew() async throws {
        let verifier = Fixture.verifier()
        let now = Fixture.created
        // Stale: expired one second ago.
        #expect(await Code.of(verifier, try Fixture.signedRequest(created: now - 61, expires: now - 1), now: now) == .clockSkew)
        // From the future: created more than 60 s ahead.
        #expect(await Code.of(verifier, try Fixture.signedRequest(created: now + 61), now: now) == .clockSkew)
        // Lifetime over 300 s.
        #expect(await Code.of(verifier, try Fixture.signedRequest(created: now, expires: now + 301), now: now) == .clockSkew)
        // Lifetime zero or negative.
        #expect(await Code.of(verifier, try Fixture.signedRequest(created: now, expires: now), now: now) == .clockSkew)
        #expect(await Code.of(verifier, try Fixture.signedRequest(created: now, expires: now - 5), now: now) == .clockSkew)
    }

    @Test func row6Boundaries() async throws {
        let now = Fixture.created
        var nonce: UInt8 = 0
        func fresh() -> String {
            nonce += 1
            return BridgeNonce.encode([UInt8](repeating: nonce, count: 16))
        }
        let verifier = Fixture.verifier()
        #expect(await Code.of(verifier, try Fixture.signedRequest(created: now + 60, nonce: fresh()), now: now) == nil)
        #expect(await Code.of(verifier, try Fixture.signedRequest(created: now - 60, expires: now, nonce: fresh()), now: now) == nil)
        #expect(await Code.of(verifier, try Fixture.signedRequest(created: now, expires: now + 300, nonce: fresh()), now: now) == nil)
    }

    // Row 7
    @Test func row7BodyTooLarge() async throws {
        let verifier = Fixture.verifier(maxBodyBytes: 12)
        #expect(await Code.of(verifier, try Fixture.signedRequest()) == .bodyTooLarge)
        #expect(Code.bodyTooLarge.httpStatus == 413)
        #expect(await Code.of(Fixture.verifier(maxBodyBytes: 13), try Fixture.signedRequest()) == nil)
    }

    // Row 8
    @Test func row8DigestMismatch() async throws {
        let verifier = Fixture.verifier()
        // The header does not match the body.
        var (message, body) = try Fixture.signedRequest()
        message.fields = message.fields.replacing("Content-Digest", with: ContentDigest.sha256(Array("{}".utf8)))
        #expect(await Code.of(verifier, (message, body)) == .digestMismatch)
        // The body changed in transit.
        (message, body) = try Fixture.signedRequest()
        body[body.count - 2] ^= 0x01
        #expect(await Code.of(verifier, (message, body)) == .digestMismatch)
        // No digest at all, or another algorithm.
        (message, body) = try Fixture.signedRequest()
        #expect(await Code.of(verifier, (HTTPMessageComponents(
            method: message.method, authority: message.authority, path: message.path,
            fields: message.fields.removing("Content-Digest")), body)) == .digestMismatch)
        message.fields = message.fields.replacing("Content-Digest", with: ContentDigest.sha512(body))
        #expect(await Code.of(verifier, (message, body)) == .digestMismatch)
    }

    // Row 9
    @Test func row9SignatureInvalid() async throws {
        let verifier = Fixture.verifier()
        // The body changed and its digest recomputed: the signature covers the digest.
        var (message, body) = try Fixture.signedRequest()
        body = Array(#"{"op":"drop"}"#.utf8)
        message.fields = message.fields.replacing("Content-Digest", with: ContentDigest.sha256(body))
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
        // A query added.
        (message, body) = try Fixture.signedRequest()
        message.query = "op=drop"
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
        // Another path, host, method or content type.
        (message, body) = try Fixture.signedRequest()
        message.path = "/other/cartbridge/bridge.php"
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
        (message, body) = try Fixture.signedRequest()
        message.authority = "evil.example.com"
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
        (message, body) = try Fixture.signedRequest()
        message.method = "PUT"
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
        (message, body) = try Fixture.signedRequest()
        message.fields = message.fields.replacing("Content-Type", with: "text/plain")
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
        // Signed with another key under the same key id.
        #expect(await Code.of(verifier, try Fixture.signedRequest(key: BridgeKey.generate())) == .sigInvalid)
        // A flipped MAC byte (still 32 bytes).
        (message, body) = try Fixture.signedRequest()
        var mac = try #require(Data(base64Encoded: String(message.fields.values(named: "Signature")[0].dropFirst(4).dropLast())))
        mac[0] ^= 0x80
        message.fields = message.fields.replacing("Signature", with: "cb=:" + mac.base64EncodedString() + ":")
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
    }

    @Test func row9ResponseMACIsNotARequestMAC() async throws {
        // A MAC under k_resp over the request base does not verify as a request.
        var (message, body) = try Fixture.signedRequest()
        let signed = try BridgeRequestSigner(keyID: "k1", key: Fixture.key).sign(
            authority: "shop.example.com", path: "/cartbridge/bridge.php", query: nil, contentType: "application/json",
            body: body, created: Fixture.created, expires: Fixture.created + 60, nonce: Fixture.nonce)
        let wrong = HMAC<SHA256>.authenticationCode(for: signed.base.bytes, using: Fixture.keys.response)
        message.fields = message.fields.replacing("Signature", with: "cb=:" + Data(wrong).base64EncodedString() + ":")
        #expect(await Code.of(Fixture.verifier(), (message, body)) == .sigInvalid)
    }

    // Row 10
    @Test func row10ReplayAfterAFailedAttemptStillPasses() async throws {
        // A request refused before row 10 does not burn its nonce.
        let verifier = Fixture.verifier()
        var (message, body) = try Fixture.signedRequest()
        message.query = "x=1"
        #expect(await Code.of(verifier, (message, body)) == .sigInvalid)
        (message, body) = try Fixture.signedRequest()
        #expect(await Code.of(verifier, (message, body)) == nil)
        #expect(await Code.of(verifier, (message, body)) == .replayed)
    }

    @Test func checksRunInTableOrder() async throws {
        let verifier = Fixture.verifier(maxBodyBytes: 1)
        // Wrong tag and unknown key: the tag is checked first.
        let both = "cb=" + Self.components
            + Self.parameters.replacingOccurrences(of: #"keyid="k1""#, with: #"keyid="k9""#)
            .replacingOccurrences(of: #"tag="cartbridge/1""#, with: #"tag="x""#)
        #expect(await Code.of(verifier, try Fixture.request(withSignatureInput: both)) == .sigTag)
        // Unknown key and stale: key first.
        #expect(await Code.of(verifier, try Fixture.signedRequest(keyID: "k9"), now: Fixture.created + 10_000) == .keyUnknown)
        // Stale and too large: clock first.
        #expect(await Code.of(verifier, try Fixture.signedRequest(), now: Fixture.created + 10_000) == .clockSkew)
        // Too large and digest wrong: size first.
        var (message, body) = try Fixture.signedRequest()
        body.append(0x20)
        #expect(await Code.of(verifier, (message, body)) == .bodyTooLarge)
        // Digest wrong and query added: digest first.
        (message, body) = try Fixture.signedRequest()
        message.query = "x"
        body.append(0x20)
        #expect(await Code.of(Fixture.verifier(), (message, body)) == .digestMismatch)
    }

    @Test func signaturesRefuseRedaction() {
        #expect("\(Fixture.key)" == "BridgeKey(redacted)")
        #expect(!String(reflecting: Fixture.key).contains(CartBridgeVectors.bridgeKey))
        #expect(!"\(Fixture.keys)".contains("89dacb"))
    }
}
