import BridgeProtocol
import Crypto
import Foundation
import Testing

/// shared/vectors/cartbridge-1.txt, every value.
@Suite("cartbridge/1 vectors")
struct CartBridgeVectorTests {
    @Test func derivedKeys() throws {
        let key = try BridgeKey(base64URL: CartBridgeVectors.bridgeKey)
        #expect(key.base64URL == CartBridgeVectors.bridgeKey)
        let keys = key.derivedKeys()
        #expect(Fixture.hex(keys.request) == CartBridgeVectors.kReqHex)
        #expect(Fixture.hex(keys.response) == CartBridgeVectors.kRespHex)
        #expect(Fixture.hex(keys.encryptClientToServer) == CartBridgeVectors.kEncC2SHex)
        #expect(Fixture.hex(keys.encryptServerToClient) == CartBridgeVectors.kEncS2CHex)
    }

    @Test func r1PingRequest() throws {
        let body = Array(CartBridgeVectors.r1Body.utf8)
        #expect(body.count == 13)
        let signed = try BridgeRequestSigner(keyID: "k1", key: Fixture.key).sign(
            authority: "shop.example.com",
            path: "/cartbridge/bridge.php",
            query: nil,
            contentType: "application/json",
            body: body,
            created: 1_700_000_000,
            expires: 1_700_000_060,
            nonce: CartBridgeVectors.r1Nonce
        )
        #expect(signed.contentDigest == CartBridgeVectors.r1Digest)
        #expect(signed.base.text == CartBridgeVectors.r1Base)
        #expect(signed.signatureInput == CartBridgeVectors.r1SignatureInput)
        #expect(signed.signature == CartBridgeVectors.r1Signature)
        #expect(BridgeNonce.encode(Array("ABCDEFGHIJKLMNOP".utf8)) == CartBridgeVectors.r1Nonce)
    }

    @Test func r2QueryRequestWithQueryStringAndPort() throws {
        let body = Array(CartBridgeVectors.r2Body.utf8)
        #expect(body.count == 157)
        let signed = try BridgeRequestSigner(keyID: "k1", key: Fixture.key).sign(
            authority: "127.0.0.1:8088",
            path: "/shop/cartbridge/bridge.php",
            query: "v=1",
            contentType: "application/json",
            body: body,
            created: 1_700_000_100,
            expires: 1_700_000_160,
            nonce: CartBridgeVectors.r2Nonce
        )
        #expect(signed.contentDigest == CartBridgeVectors.r2Digest)
        #expect(signed.base.text == CartBridgeVectors.r2Base)
        #expect(signed.signatureInput == CartBridgeVectors.r2SignatureInput)
        #expect(signed.signature == CartBridgeVectors.r2Signature)
        #expect(BridgeNonce.encode(Array("0123456789abcdef".utf8)) == CartBridgeVectors.r2Nonce)
    }

    @Test func vectorRequestsVerify() async throws {
        let verifier = Fixture.verifier()
        let r1 = HTTPMessageComponents(
            method: "POST",
            authority: "shop.example.com",
            path: "/cartbridge/bridge.php",
            fields: [
                HeaderField("Host", "shop.example.com"),
                HeaderField("Content-Type", "application/json"),
                HeaderField("Content-Digest", CartBridgeVectors.r1Digest),
                HeaderField("Signature-Input", CartBridgeVectors.r1SignatureInput),
                HeaderField("Signature", CartBridgeVectors.r1Signature),
            ]
        )
        let verified = try await verifier.verify(r1, body: Array(CartBridgeVectors.r1Body.utf8), now: 1_700_000_030)
        #expect(verified.keyID == "k1")
        #expect(verified.nonce == CartBridgeVectors.r1Nonce)
        #expect(verified.created == 1_700_000_000 && verified.expires == 1_700_000_060)
        #expect(!verified.isEncrypted)

        let r2 = HTTPMessageComponents(
            method: "POST",
            authority: "127.0.0.1:8088",
            path: "/shop/cartbridge/bridge.php",
            query: "v=1",
            fields: [
                HeaderField("content-type", "application/json"),
                HeaderField("content-digest", CartBridgeVectors.r2Digest),
                HeaderField("signature-input", CartBridgeVectors.r2SignatureInput),
                HeaderField("signature", CartBridgeVectors.r2Signature),
            ]
        )
        _ = try await verifier.verify(r2, body: Array(CartBridgeVectors.r2Body.utf8), now: 1_700_000_100)
    }

    @Test func s1Response() throws {
        let body = Array(CartBridgeVectors.s1Body.utf8)
        #expect(body.count == 48)
        let signed = try BridgeResponseSigner(keyID: "k1", key: Fixture.key).sign(
            status: 200,
            contentType: "application/json",
            body: body,
            requestNonce: CartBridgeVectors.r1Nonce,
            created: 1_700_000_001
        )
        #expect(signed.contentDigest == CartBridgeVectors.s1Digest)
        #expect(signed.base.text == CartBridgeVectors.s1Base)
        #expect(signed.signatureInput == CartBridgeVectors.s1SignatureInput)
        #expect(signed.signature == CartBridgeVectors.s1Signature)

        let verified = try BridgeResponseVerifier(keyID: "k1", key: Fixture.key).verify(
            status: 200,
            fields: [
                HeaderField("Content-Type", "application/json"),
                HeaderField("Content-Digest", CartBridgeVectors.s1Digest),
                HeaderField("Bridge-Request-Nonce", CartBridgeVectors.r1Nonce),
                HeaderField("Signature-Input", CartBridgeVectors.s1SignatureInput),
                HeaderField("Signature", CartBridgeVectors.s1Signature),
            ],
            body: body,
            expectedNonce: CartBridgeVectors.r1Nonce
        )
        #expect(verified.created == 1_700_000_001)
        #expect(verified.status == 200)
        #expect(!verified.isEncrypted)
    }

    @Test func s2SignedErrorResponse() throws {
        let body = Array(CartBridgeVectors.s2Body.utf8)
        #expect(body.count == 98)
        let signed = try BridgeResponseSigner(keyID: "k1", key: Fixture.key).sign(
            status: 401,
            contentType: "application/json",
            body: body,
            requestNonce: CartBridgeVectors.r1Nonce,
            created: 1_700_000_400
        )
        #expect(signed.contentDigest == CartBridgeVectors.s2Digest)
        #expect(signed.base.text == CartBridgeVectors.s2Base)
        #expect(signed.signatureInput == CartBridgeVectors.s2SignatureInput)
        #expect(signed.signature == CartBridgeVectors.s2Signature)

        let verified = try BridgeResponseVerifier(keyID: "k1", key: Fixture.key).verify(
            status: 401,
            fields: signed.headers,
            body: body,
            expectedNonce: CartBridgeVectors.r1Nonce
        )
        #expect(verified.created == 1_700_000_400)
    }

    @Test func e1EncryptedRequest() async throws {
        let aad = BridgeEnvelope.additionalData(direction: .clientToServer, keyID: "k1", nonce: CartBridgeVectors.r1Nonce)
        #expect(String(decoding: aad, as: UTF8.self) == CartBridgeVectors.e1AAD)

        let wire = try BridgeEnvelope.seal(
            Array(CartBridgeVectors.r1Body.utf8),
            keys: Fixture.keys,
            direction: .clientToServer,
            keyID: "k1",
            nonce: CartBridgeVectors.r1Nonce,
            iv: Hex.decode(CartBridgeVectors.e1IVHex)
        )
        #expect(wire.count == 41)
        #expect(Hex.encode(wire) == CartBridgeVectors.e1WireHex)

        let opened = try BridgeEnvelope.open(
            wire,
            keys: Fixture.keys,
            direction: .clientToServer,
            keyID: "k1",
            nonce: CartBridgeVectors.r1Nonce
        )
        #expect(String(decoding: opened, as: UTF8.self) == CartBridgeVectors.r1Body)

        let signed = try BridgeRequestSigner(keyID: "k1", key: Fixture.key).sign(
            authority: "shop.example.com",
            path: "/cartbridge/bridge.php",
            query: nil,
            contentType: "application/cartbridge-aead",
            body: wire,
            created: 1_700_000_000,
            expires: 1_700_000_060,
            nonce: CartBridgeVectors.r1Nonce
        )
        #expect(signed.contentDigest == CartBridgeVectors.e1Digest)
        #expect(signed.base.text == CartBridgeVectors.e1Base)
        #expect(signed.signatureInput == CartBridgeVectors.e1SignatureInput)
        #expect(signed.signature == CartBridgeVectors.e1Signature)

        let message = HTTPMessageComponents(
            method: "POST",
            authority: "shop.example.com",
            path: "/cartbridge/bridge.php",
            fields: signed.headers
        )
        let verified = try await Fixture.verifier().verify(message, body: wire, now: 1_700_000_000)
        #expect(verified.isEncrypted)
        let plaintext = try BridgeEnvelope.open(
            wire,
            keys: verified.keys,
            direction: .clientToServer,
            keyID: verified.keyID,
            nonce: verified.nonce
        )
        #expect(plaintext == Array(CartBridgeVectors.r1Body.utf8))
    }
}
