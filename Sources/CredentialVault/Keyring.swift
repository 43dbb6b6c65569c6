import Crypto
import Foundation

/// The master keys the service knows: the newest seals, every one of them opens.
///
/// Keeping older versions lets a rotation re-encrypt row by row while the service keeps running.
public struct Keyring: Sendable {
    public private(set) var keys: [Int: MasterKey]

    public init(_ keys: [MasterKey]) throws(VaultError) {
        guard !keys.isEmpty else { throw VaultError(.badKeyFile, detail: "the keyring is empty") }
        var byVersion: [Int: MasterKey] = [:]
        for key in keys {
            guard byVersion[key.version] == nil else {
                throw VaultError(.badKeyFile, detail: "key version \(key.version) appears twice")
            }
            byVersion[key.version] = key
        }
        self.keys = byVersion
    }

    /// The key new ciphertexts are sealed with.
    public var current: MasterKey {
        // Non-empty by construction.
        self.keys[self.keys.keys.max()!]!
    }

    public func key(version: Int) -> MasterKey? { self.keys[version] }

    /// One `v<N>:<base64>` line per key; blank lines and `#` comments are ignored.
    public init(serialized text: String) throws(VaultError) {
        var keys: [MasterKey] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            keys.append(try MasterKey(serialized: trimmed))
        }
        try self.init(keys)
    }

    public var serialized: String {
        self.keys.keys.sorted().map { self.keys[$0]!.serialized }.joined(separator: "\n") + "\n"
    }

    /// A keyring with one more, newer key.
    public func adding(_ key: MasterKey) throws(VaultError) -> Keyring {
        try Keyring(Array(self.keys.values) + [key])
    }

    /// A keyring holding only the current key: what remains once every row is re-sealed.
    public func currentOnly() -> Keyring {
        // Non-empty by construction.
        try! Keyring([self.current])
    }
}
