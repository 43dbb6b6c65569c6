import BridgeProtocol
import Foundation
import Testing

@Suite("Encrypted mode")
struct EnvelopeTests {
    static let wire = Hex.decode(CartBridgeVectors.e1WireHex)

    static func open(_ body: [UInt8], direction: BridgeEnvelope.Direction = .clientToServer, nonce: String = CartBridgeVectors.r1Nonce, keyID: String = "k1")
        -> EnvelopeError.Code?
    {
        do {
            _ = try BridgeEnvelope.open(body, keys: Fixture.keys, direction: direction, keyID: keyID, nonce: nonce)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func truncatedGCMTag() {
        // The last 4 tag bytes cut off: what is left is not an authentic envelope.
        #expect(Self.open(Array(Self.wire.dropLast(4))) == .authenticationFailed)
        // Given as parts, a 12-byte tag is refused before decrypting.
        do {
            _ = try BridgeEnvelope.open(
                iv: Self.wire[..<12],
                ciphertext: Self.wire[12..<25],
                tag: Self.wire[25..<37],
                keys: Fixture.keys,
                direction: .clientToServer,
                keyID: "k1",
                nonce: CartBridgeVectors.r1Nonce
            )
            Issue.record("a 12-byte tag was accepted")
        } catch {
            #expect(error.code == .tagLength)
        }
        // The full 16-byte tag as parts works.
        #expect(
            (try? BridgeEnvelope.open(
                iv: Self.wire[..<12], ciphertext: Self.wire[12..<25], tag: Self.wire[25...], keys: Fixture.keys,
                direction: .clientToServer, keyID: "k1", nonce: CartBridgeVectors.r1Nonce))
                == Array(CartBridgeVectors.r1Body.utf8)
        )
        // Shorter than IV + tag.
        #expect(Self.open(Array(Self.wire.prefix(27))) == .tooShort)
    }

    @Test func boundToDirectionKeyIDAndNonce() {
        #expect(Self.open(Self.wire) == nil)
        #expect(Self.open(Self.wire, direction: .serverToClient) == .authenticationFailed)
        #expect(Self.open(Self.wire, nonce: CartBridgeVectors.r2Nonce) == .authenticationFailed)
        #expect(Self.open(Self.wire, keyID: "k2") == .authenticationFailed)
        var flipped = Self.wire
        flipped[14] ^= 0x01
        #expect(Self.open(flipped) == .authenticationFailed)
    }

    @Test func responseRoundTripWithFreshIV() throws {
        let plaintext = Array(CartBridgeVectors.s1Body.utf8)
        let a = try BridgeEnvelope.seal(plaintext, keys: Fixture.keys, direction: .serverToClient, keyID: "k1", nonce: Fixture.nonce)
        let b = try BridgeEnvelope.seal(plaintext, keys: Fixture.keys, direction: .serverToClient, keyID: "k1", nonce: Fixture.nonce)
        #expect(a != b)
        #expect(a.count == 12 + plaintext.count + 16)
        #expect(try BridgeEnvelope.open(a, keys: Fixture.keys, direction: .serverToClient, keyID: "k1", nonce: Fixture.nonce) == plaintext)
        #expect(String(decoding: BridgeEnvelope.additionalData(direction: .serverToClient, keyID: "k1", nonce: Fixture.nonce), as: UTF8.self)
            == "cartbridge/1|s2c|k1|QUJDREVGR0hJSktMTU5PUA")
    }

    @Test func badIVLengthRefused() {
        #expect(throws: EnvelopeError.self) {
            try BridgeEnvelope.seal([1, 2, 3], keys: Fixture.keys, direction: .clientToServer, keyID: "k1", nonce: Fixture.nonce, iv: [0, 1, 2])
        }
    }
}
