import BridgeProtocol
import Crypto
import Foundation
import Testing

@Suite("Response verification")
struct ResponseVerifierTests {
    typealias Code = ResponseVerificationError.Code

    static let verifier = BridgeResponseVerifier(keyID: "k1", key: Fixture.key)
    static let body = Array(CartBridgeVectors.s1Body.utf8)

    static func signed(status: Int = 200, body: [UInt8] = Self.body, nonce: String = CartBridgeVectors.r1Nonce) throws
        -> [HeaderField]
    {
        try BridgeResponseSigner(keyID: "k1", key: Fixture.key).sign(
            status: status,
            contentType: "application/json",
            body: body,
            requestNonce: nonce,
            created: 1_700_000_001
        ).headers
    }

    static func code(
        status: Int = 200,
        _ fields: [HeaderField],
        body: [UInt8] = Self.body,
        expecting nonce: String = CartBridgeVectors.r1Nonce,
        verifier: BridgeResponseVerifier = Self.verifier
    ) -> Code? {
        do {
            _ = try verifier.verify(status: status, fields: fields, body: body, expectedNonce: nonce)
            return nil
        } catch {
            return error.code
        }
    }

    /// Headers whose MAC is right under k_resp but whose Signature-Input is `signatureInput`.
    static func fields(signatureInput: String, mac key: SymmetricKey = Fixture.keys.response, status: Int = 200) throws
        -> [HeaderField]
    {
        let dictionary = try StructuredDictionary(parsing: signatureInput)
        let parameters = try SignatureParameters(try #require(dictionary.members.first).value)
        var fields = try Self.signed()
        fields = fields.replacing("Signature-Input", with: signatureInput)
        let base = try SignatureBase(message: HTTPMessageComponents(status: status, fields: fields), parameters: parameters)
        let mac = HMAC<SHA256>.authenticationCode(for: base.bytes, using: key)
        return fields.replacing("Signature", with: "cb=:" + Data(mac).base64EncodedString() + ":")
    }

    @Test func validResponsePasses() throws {
        #expect(Self.code(try Self.signed()) == nil)
    }

    @Test func wrongNonceEchoed() throws {
        // Signed correctly, but for another request.
        let other = BridgeNonce.generate()
        #expect(Self.code(try Self.signed(nonce: other)) == .nonceMismatch)
        // Or the header rewritten.
        #expect(Self.code(try Self.signed().replacing("Bridge-Request-Nonce", with: other)) == .nonceMismatch)
        #expect(Self.code(try Self.signed().removing("Bridge-Request-Nonce")) == .nonceMismatch)
    }

    @Test func wrongTag() throws {
        let requestTag =
            #"cb=("@status" "content-type" "content-digest" "bridge-request-nonce");created=1700000001;keyid="k1";tag="cartbridge/1""#
        #expect(Self.code(try Self.fields(signatureInput: requestTag)) == .tag)
    }

    @Test func wrongComponentsOrParameters() throws {
        let noNonce = #"cb=("@status" "content-type" "content-digest");created=1700000001;keyid="k1";tag="cartbridge/1-resp""#
        let extra =
            #"cb=("@status" "content-type" "content-digest" "bridge-request-nonce");created=1700000001;keyid="k1";tag="cartbridge/1-resp";nonce="x""#
        #expect(Self.code(try Self.fields(signatureInput: noNonce)) == .components)
        #expect(Self.code(try Self.fields(signatureInput: extra)) == .components)
    }

    @Test func otherKeyID() throws {
        let k2 = #"cb=("@status" "content-type" "content-digest" "bridge-request-nonce");created=1700000001;keyid="k2";tag="cartbridge/1-resp""#
        #expect(Self.code(try Self.fields(signatureInput: k2)) == .keyMismatch)
    }

    @Test func tamperedBodyByte() throws {
        var tampered = Self.body
        tampered[20] ^= 0x01
        #expect(Self.code(try Self.signed(), body: tampered) == .digestMismatch)
        // Body and digest both replaced: the MAC covers the digest.
        let fields = try Self.signed().replacing("Content-Digest", with: ContentDigest.sha256(tampered))
        #expect(Self.code(fields, body: tampered) == .signatureInvalid)
    }

    @Test func unsignedResponse() {
        let plain = [HeaderField("Content-Type", "application/json"), HeaderField("Content-Digest", ContentDigest.sha256(Self.body))]
        #expect(Self.code(plain) == .unsigned)
        #expect(Self.code((try? Self.signed().removing("Signature")) ?? []) == .unsigned)
        #expect(Self.code((try? Self.signed().removing("Signature-Input")) ?? []) == .unsigned)
    }

    @Test func statusChangedOrOtherKey() throws {
        #expect(Self.code(status: 500, try Self.signed()) == .signatureInvalid)
        let otherKey = BridgeResponseVerifier(keyID: "k1", key: BridgeKey.generate())
        #expect(Self.code(try Self.signed(), verifier: otherKey) == .signatureInvalid)
    }

    @Test func requestMACIsNotAResponseMAC() throws {
        let input = CartBridgeVectors.s1SignatureInput
        #expect(Self.code(try Self.fields(signatureInput: input, mac: Fixture.keys.request)) == .signatureInvalid)
        #expect(Self.code(try Self.fields(signatureInput: input)) == nil)
    }

    @Test func malformedSignatures() throws {
        var fields = try Self.signed()
        let input = fields.values(named: "Signature-Input")[0]
        fields.append(HeaderField("Signature-Input", input.replacingOccurrences(of: "cb=", with: "cc=")))
        #expect(Self.code(fields) == .malformed)
        let truncated = try Self.signed().replacing("Signature", with: "cb=:PV8SPFwnPT5bTqhKwfFHgsmX2v2eLSLU:")
        #expect(Self.code(truncated) == .signatureInvalid)
        #expect(Self.code(try Self.signed().replacing("Signature", with: "cb=:PV8SPFwnPT5bTqhKwfFHgsmX2v2eLSLU2:")) == .malformed)
    }
}
