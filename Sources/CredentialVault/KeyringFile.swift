import Foundation

/// Where the master keyring comes from: an environment variable, a file, or (embedded default)
/// a file generated on first start, readable by its owner only.
public enum KeyringSource: Sendable, Equatable {
    case environment(String)
    case file(path: String, createIfMissing: Bool)

    public static let environmentVariable = "CARTBRIDGE_MASTER_KEY"

    /// What happened while loading, for the caller to log (the keys themselves never leave here).
    public enum Outcome: Sendable, Equatable {
        case loaded
        case generated(path: String)
    }

    public func load() throws(VaultError) -> (Keyring, Outcome) {
        switch self {
        case .environment(let value):
            return (try Keyring(serialized: value.replacingOccurrences(of: ",", with: "\n")), .loaded)
        case .file(let path, let createIfMissing):
            if FileManager.default.fileExists(atPath: path) {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw VaultError(.badKeyFile, detail: "cannot read the master key file")
                }
                return (try Keyring(serialized: text), .loaded)
            }
            guard createIfMissing else { throw VaultError(.badKeyFile, detail: "the master key file does not exist") }
            let keyring = try Keyring([MasterKey.generate(version: 1)])
            try Self.write(keyring, to: path)
            return (keyring, .generated(path: path))
        }
    }

    /// Writes a keyring file atomically with mode 0600: readable by the service's user alone.
    public static func write(_ keyring: Keyring, to path: String) throws(VaultError) {
        let temp = path + ".tmp-\(UInt32.random(in: 0...UInt32.max))"
        let created = FileManager.default.createFile(
            atPath: temp,
            contents: Data(keyring.serialized.utf8),
            attributes: [.posixPermissions: 0o600]
        )
        guard created else { throw VaultError(.badKeyFile, detail: "cannot write the master key file") }
        if rename(temp, path) != 0 {
            try? FileManager.default.removeItem(atPath: temp)
            throw VaultError(.badKeyFile, detail: "cannot replace the master key file")
        }
    }
}
