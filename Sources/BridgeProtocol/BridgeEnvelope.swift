import Foundation
import Crypto

/// The encrypted mode of `cartbridge/1`: AES-256-GCM, body = IV (12) || ciphertext || tag (16), under `k_enc_c2s`
/// for requests and `k_enc_s2c` for responses, with associated data `cartbridge/1|c2s|<keyid>|<request nonce>`
/// (or `|s2c|`). The digest and the signature cover the encrypted body.
public enum BridgeEnvelope {
    public static let ivByteCount = 12
    public static let tagByteCount = 16
    public static let contentType = CartBridgeProfile.encryptedContentType

    public enum Direction: String, Sendable, Hashable {
        /// Service to bridge (requests).
        case clientToServer = "c2s"
        /// Bridge to service (responses).
        case serverToClient = "s2c"
    }

    /// `cartbridge/1|<direction>|<keyid>|<request nonce>`
    public static func additionalData(direction: Direction, keyID: String, nonce: String) -> [UInt8] {
        Array("\(CartBridgeProfile.protocolName)|\(direction.rawValue)|\(keyID)|\(nonce)".utf8)
    }

    static func key(_ keys: DerivedBridgeKeys, _ direction: Direction) -> SymmetricKey {
        switch direction {
        case .clientToServer: keys.encryptClientToServer
        case .serverToClient: keys.encryptServerToClient
        }
    }

    /// Encrypts `plaintext`. `iv` is for test vectors only: leave it `nil` to draw a fresh random IV.
    public static func seal(
        _ plaintext: some DataProtocol,
        keys: DerivedBridgeKeys,
        direction: Direction,
        keyID: String,
        nonce: String,
        iv: [UInt8]? = nil
    ) throws(EnvelopeError) -> [UInt8] {
        do {
            let gcmNonce = try iv.map { try AES.GCM.Nonce(data: $0) } ?? AES.GCM.Nonce()
            let box = try AES.GCM.seal(
                plaintext,
                using: Self.key(keys, direction),
                nonce: gcmNonce,
                authenticating: Self.additionalData(direction: direction, keyID: keyID, nonce: nonce)
            )
            return Array(gcmNonce) + Array(box.ciphertext) + Array(box.tag)
        } catch {
            throw EnvelopeError(.sealFailed, "AES-GCM sealing failed")
        }
    }

    /// Decrypts a whole envelope body.
    public static func open(
        _ body: some Collection<UInt8>,
        keys: DerivedBridgeKeys,
        direction: Direction,
        keyID: String,
        nonce: String
    ) throws(EnvelopeError) -> [UInt8] {
        let bytes = Array(body)
        guard bytes.count >= Self.ivByteCount + Self.tagByteCount else {
            throw EnvelopeError(.tooShort, "an envelope is at least 28 bytes")
        }
        return try Self.open(
            iv: bytes[..<Self.ivByteCount],
            ciphertext: bytes[Self.ivByteCount..<(bytes.count - Self.tagByteCount)],
            tag: bytes[(bytes.count - Self.tagByteCount)...],
            keys: keys,
            direction: direction,
            keyID: keyID,
            nonce: nonce
        )
    }

    /// Decrypts from separate parts; a tag that is not exactly 16 bytes is refused before any decryption.
    public static func open(
        iv: some Collection<UInt8>,
        ciphertext: some Collection<UInt8>,
        tag: some Collection<UInt8>,
        keys: DerivedBridgeKeys,
        direction: Direction,
        keyID: String,
        nonce: String
    ) throws(EnvelopeError) -> [UInt8] {
        guard iv.count == Self.ivByteCount else { throw EnvelopeError(.ivLength, "the IV is not 12 bytes") }
        guard tag.count == Self.tagByteCount else { throw EnvelopeError(.tagLength, "the GCM tag is not 16 bytes") }
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: Array(iv)), ciphertext: Array(ciphertext), tag: Array(tag))
            let plaintext = try AES.GCM.open(
                box,
                using: Self.key(keys, direction),
                authenticating: Self.additionalData(direction: direction, keyID: keyID, nonce: nonce)
            )
            return Array(plaintext)
        } catch {
            throw EnvelopeError(.authenticationFailed, "the envelope does not authenticate")
        }
    }
}
