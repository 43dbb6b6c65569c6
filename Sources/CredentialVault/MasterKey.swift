import Crypto
import Foundation

/// One version of the operator's master key: 32 bytes that never enter the registry.
public struct MasterKey: Sendable {
    public let version: Int
    let key: SymmetricKey

    public init(version: Int, key: SymmetricKey) throws(VaultError) {
        guard version > 0, version <= 1_000_000 else { throw VaultError(.badKeyFile, detail: "key version out of range") }
        guard key.bitCount == 256 else { throw VaultError(.badKeyFile, detail: "a master key must be 32 bytes") }
        self.version = version
        self.key = key
    }

    /// A fresh key from the system CSPRNG.
    public static func generate(version: Int) -> MasterKey {
        // Both preconditions hold by construction.
        try! MasterKey(version: version, key: SymmetricKey(size: .bits256))
    }

    /// `v<N>:<base64 of 32 bytes>`, the line format of a keyring file and of `CARTBRIDGE_MASTER_KEY`.
    public var serialized: String {
        let bytes = self.key.withUnsafeBytes { Data($0) }
        return "v\(self.version):\(bytes.base64EncodedString())"
    }

    /// Parses `v<N>:<base64>`; a bare base64 value is version 1.
    public init(serialized text: String) throws(VaultError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var version = 1
        var encoded = Substring(trimmed)
        if trimmed.hasPrefix("v"), let colon = trimmed.firstIndex(of: ":") {
            guard let v = Int(trimmed[trimmed.index(after: trimmed.startIndex)..<colon]) else {
                throw VaultError(.badKeyFile, detail: "unreadable key version")
            }
            version = v
            encoded = trimmed[trimmed.index(after: colon)...]
        }
        guard let data = Data(base64Encoded: String(encoded)), data.count == 32 else {
            throw VaultError(.badKeyFile, detail: "a master key must be 32 bytes of base64")
        }
        try self.init(version: version, key: SymmetricKey(data: data))
    }
}
