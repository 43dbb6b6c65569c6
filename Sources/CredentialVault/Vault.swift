import Crypto
import Foundation

/// AES-256-GCM envelope encryption of store credentials.
///
/// A sealed value is `0x01 | key version (4 bytes, big endian) | IV (12) | ciphertext | tag (16)`.
/// The associated data binds it to its record (`binding`, e.g. `store:42:bridge_key`), so a ciphertext
/// copied to another row does not decrypt, and to its key version, so the version byte cannot be swapped.
public struct Vault: Sendable {
    public let keyring: Keyring
    static let formatVersion: UInt8 = 1
    static let headerSize = 1 + 4 + 12

    public init(keyring: Keyring) {
        self.keyring = keyring
    }

    public func seal(_ plaintext: some DataProtocol, binding: String) throws(VaultError) -> [UInt8] {
        let key = self.keyring.current
        do {
            let box = try AES.GCM.seal(plaintext, using: key.key, authenticating: Self.aad(binding: binding, version: key.version))
            var out: [UInt8] = [Self.formatVersion]
            out.append(contentsOf: Self.bigEndian(UInt32(key.version)))
            out.append(contentsOf: box.nonce)
            out.append(contentsOf: box.ciphertext)
            out.append(contentsOf: box.tag)
            return out
        } catch {
            throw VaultError(.malformedCiphertext, detail: "sealing failed")
        }
    }

    public func open(_ sealed: [UInt8], binding: String) throws(VaultError) -> [UInt8] {
        guard sealed.count >= Self.headerSize + 16, sealed[0] == Self.formatVersion else {
            throw VaultError(.malformedCiphertext, detail: "not a vault ciphertext")
        }
        let version = Int(Self.keyVersion(of: sealed)!)
        guard let key = self.keyring.key(version: version) else {
            throw VaultError(.unknownKeyVersion, detail: "ciphertext sealed with master key version \(version), which the keyring does not hold")
        }
        do {
            let nonce = try AES.GCM.Nonce(data: sealed[5..<17])
            let box = try AES.GCM.SealedBox(nonce: nonce, ciphertext: sealed[17..<(sealed.count - 16)], tag: sealed[(sealed.count - 16)...])
            return Array(try AES.GCM.open(box, using: key.key, authenticating: Self.aad(binding: binding, version: version)))
        } catch {
            throw VaultError(.authenticationFailed, detail: "credential did not authenticate under master key version \(version) for its record")
        }
    }

    /// The master key version a sealed value names, without opening it.
    public static func keyVersion(of sealed: [UInt8]) -> UInt32? {
        guard sealed.count >= 5 else { return nil }
        return sealed[1..<5].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A value derived from the current key, stored beside the data, so that starting with the
    /// wrong master key fails at once instead of when a credential is first needed.
    public func keyCheck(version: Int) -> String? {
        guard let key = self.keyring.key(version: version) else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("cartbridge-vault/1 key check".utf8), using: key.key)
        return Data(mac).base64EncodedString()
    }

    static func aad(binding: String, version: Int) -> Data {
        Data("cartbridge-vault/1|v\(version)|\(binding)".utf8)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
