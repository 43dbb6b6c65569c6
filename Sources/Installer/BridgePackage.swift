import BridgeFiles
import CartBridgeCore
import Foundation
import ZIPFoundation

/// The `cartbridge/` folder a merchant puts in the store root, with a config holding the store's
/// bridge key: what `bridge.download.file`, `cartbridge bridge package` and the uploaders deliver.
public struct BridgePackage: Sendable {
    /// Files of the bridge folder, by path inside `cartbridge/`.
    public let files: [(path: String, bytes: [UInt8])]

    /// Builds the folder's files for one store. `keys` maps key ids (`k1`, `k2`) to 32-byte keys.
    /// `requireEncryption` makes the bridge refuse plaintext: set for stores the service always encrypts for
    /// (`http://` bridge URLs, or encryption forced by the operator).
    public init(keys: [String: [UInt8]], readOnly: Bool = false, requireEncryption: Bool = false, storeURL: String? = nil) throws(CartBridgeError) {
        guard !keys.isEmpty, keys.count <= 2, keys.allSatisfy({ $0.value.count == 32 && Self.isKeyID($0.key) }) else {
            throw CartBridgeError(.internalError, detail: "a bridge package needs one or two 32-byte keys named k<N>")
        }
        var files = try Self.bridgeSourceFiles()
        let config = Self.config(keys: keys, readOnly: readOnly, requireEncryption: requireEncryption, storeURL: storeURL)
        files.append((path: "config.php", bytes: Array(config.utf8)))
        self.files = files
    }

    /// The folder as a zip archive: `cartbridge/bridge.php`, `cartbridge/config.php`, ...
    public func zip() throws(CartBridgeError) -> [UInt8] {
        do {
            let archive = try Archive(accessMode: .create)
            try archive.addEntry(with: "cartbridge/", type: .directory, uncompressedSize: Int64(0), provider: { _, _ in Data() })
            for file in self.files {
                let data = Data(file.bytes)
                try archive.addEntry(
                    with: "cartbridge/" + file.path,
                    type: .file,
                    uncompressedSize: Int64(data.count),
                    permissions: file.path == "config.php" ? 0o640 : 0o644,
                    compressionMethod: .deflate,
                    provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
                )
            }
            guard let bytes = archive.data else { throw CartBridgeError(.internalError, detail: "zip archive has no data") }
            return Array(bytes)
        } catch let error as CartBridgeError {
            throw error
        } catch {
            throw CartBridgeError(.internalError, detail: "zip archive failed: \(error)")
        }
    }

    /// Writes the folder into a directory (the store root gets `cartbridge/`).
    public func write(into storeRoot: URL) throws {
        let folder = storeRoot.appendingPathComponent("cartbridge", isDirectory: true)
        for file in self.files {
            let url = folder.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.bytes).write(to: url)
        }
    }

    /// `<?php return [...];`: a browser that requests it gets nothing, since PHP runs it and prints nothing.
    static func config(keys: [String: [UInt8]], readOnly: Bool, requireEncryption: Bool, storeURL: String?) -> String {
        let keyLines = keys.keys.sorted().map { "        '\($0)' => '\(Base64URL.encode(keys[$0]!))'," }.joined(separator: "\n")
        let comment = storeURL.map { " for \(Self.phpCommentSafe($0))" } ?? ""
        return """
            <?php
            // CartBridge bridge configuration\(comment).
            // Keep this file private: the keys below let whoever holds them read and write the store.
            return [
                'keys' => [
            \(keyLines)
                ],
                'read_only' => \(readOnly ? "true" : "false"),
                'require_encryption' => \(requireEncryption ? "true" : "false"),
            ];

            """
    }

    /// The files an update replaces: every shipped file of the bridge folder, never a store's `config.php`.
    public static func shippedFiles() throws(CartBridgeError) -> [(path: String, bytes: [UInt8])] {
        try Self.bridgeSourceFiles()
    }

    /// The `VERSION` of the bridge.php this build ships (what `ping` reports once it is installed).
    public static let bundledVersion: String? = {
        guard let files = try? Self.bridgeSourceFiles(), let bridge = files.first(where: { $0.path == "bridge.php" }) else { return nil }
        let text = String(decoding: bridge.bytes, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("const VERSION = '") }) else { return nil }
        return line.dropFirst("const VERSION = '".count).prefix(while: { $0 != "'" }).description
    }()

    /// Where this build keeps a shipped file on disk (the module's resources) when its bytes there are `bytes`;
    /// never for config.php, which holds a store's key and exists only in memory.
    static func bundledCopy(of path: String, bytes: [UInt8]) -> String? {
        guard path != "config.php", !path.contains(".."), let root = BridgeFiles.folder else { return nil }
        let full = root.standardizedFileURL.resolvingSymlinksInPath().path + "/" + path
        guard let data = FileManager.default.contents(atPath: full), Array(data) == bytes else { return nil }
        return full
    }

    /// The bridge's own files, shipped inside this module (a developer's config.php and nonce files are left out).
    static func bridgeSourceFiles() throws(CartBridgeError) -> [(path: String, bytes: [UInt8])] {
        guard let root = BridgeFiles.folder else {
            throw CartBridgeError(.internalError, detail: "the bridge files are missing from this build")
        }
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: rootPath) else {
            throw CartBridgeError(.internalError, detail: "the bridge folder cannot be read")
        }
        var files: [(path: String, bytes: [UInt8])] = []
        while let relative = enumerator.nextObject() as? String {
            let full = rootPath + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            // A developer's own config and nonce files never ship; the nonce folder's guards do.
            let isNonceFile = relative.hasPrefix("var/nonces/") && relative != "var/nonces/.htaccess" && relative != "var/nonces/index.php"
            guard relative != "config.php", !isNonceFile else { continue }
            guard let data = FileManager.default.contents(atPath: full) else {
                throw CartBridgeError(.internalError, detail: "bridge file \(relative) cannot be read")
            }
            files.append((path: relative, bytes: Array(data)))
        }
        guard files.contains(where: { $0.path == "bridge.php" }) else {
            throw CartBridgeError(.internalError, detail: "bridge.php is missing from this build")
        }
        return files.sorted { $0.path < $1.path }
    }

    static func isKeyID(_ id: String) -> Bool {
        id.count >= 2 && id.count <= 7 && id.hasPrefix("k") && id.dropFirst().allSatisfy(\.isNumber)
    }

    static func phpCommentSafe(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0 != "?" && $0 != ">" }.prefix(200).map(Character.init))
    }
}
