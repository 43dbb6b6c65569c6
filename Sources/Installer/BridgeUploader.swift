import CartBridgeCore
import Foundation
import Logging

/// Installs and updates the `cartbridge/` folder over FTP, FTPS or SFTP (the bridge removes itself: `self_remove`).
///
/// An install checks the folder is the store's root before it writes anything (104), uploads, sets the modes,
/// then lets the caller verify the bridge through the store's public URL; when any step after the first write
/// fails, it deletes what it wrote, so nothing is left half-installed.
public struct BridgeUploader: Sendable {
    public static let folderName = "cartbridge"
    /// Modes after upload: the folders and public files readable by the web server; the config (the bridge key)
    /// not readable by other users; the nonce folder the bridge's own (it creates it 0700 itself when missing).
    static let fileMode = 0o644
    static let configMode = 0o640
    static let folderMode = 0o755
    static let nonceFolderMode = 0o700

    public let runner: CurlRunner

    public init(runner: CurlRunner) {
        self.runner = runner
    }

    /// Uploads `package` into `target`'s store root and runs `verify`; on failure removes what it uploaded.
    public func install(
        _ package: BridgePackage,
        cart: CartType,
        target: FTPTarget,
        logger: Logger,
        verify: @Sendable () async throws -> Void
    ) async throws {
        let session = FTPSession(target: target, runner: self.runner, logger: logger)
        let root = target.storeDirectory
        let names = Set(try await session.list(root))
        if let missing = try await StoreRootCheck.missing(cart: cart, names: names, listConfigFolder: {
            try await session.list(root.appending("app/config"))
        }) {
            throw FTPError(
                step: .storeRoot, curlExitCode: nil, code: .wrongFTPStoreDir,
                message: "The folder ftp_store_dir is not the root of a \(cart.displayName) store (\(missing) not found there): give the folder that holds the store's own files.",
                note: "missing=\(missing)"
            )
        }
        guard !names.contains(Self.folderName) else {
            throw FTPError(
                step: .storeRoot, curlExitCode: nil, code: .storeError,
                message: "A cartbridge folder already exists in ftp_store_dir: remove it first, or use bridge.update for the store it belongs to.",
                note: "cartbridge folder present"
            )
        }
        let folder = root.appending(Self.folderName)
        logger.info("bridge upload started", metadata: ["ftp.server": "\(target)"])
        do {
            try await session.upload(UploadFile.from(package.files), into: folder)
            try await session.run(Self.modes(for: package, in: folder), bestEffort: true, in: root, step: .upload)
            try await verify()
        } catch {
            logger.notice("bridge install failed, removing the uploaded files", metadata: ["ftp.server": "\(target)"])
            await self.removeUploaded(package, from: folder, session: session, logger: logger)
            throw error
        }
        logger.info("bridge uploaded and verified", metadata: ["ftp.server": "\(target)"])
    }

    /// Replaces the shipped files of an installed bridge (never its config.php): each is uploaded beside the old
    /// one under a temporary name, then renamed over it, `bridge.php` last.
    public func update(_ files: [(path: String, bytes: [UInt8])], target: FTPTarget, logger: Logger) async throws {
        let session = FTPSession(target: target, runner: self.runner, logger: logger)
        let folder = target.storeDirectory.appending(Self.folderName)
        let installed = Set(try await session.list(folder))
        guard installed.contains("bridge.php"), installed.contains("config.php") else {
            throw FTPError(
                step: .storeRoot, curlExitCode: nil, code: .wrongFTPStoreDir,
                message: "No installed bridge was found in ftp_store_dir/cartbridge (bridge.php and config.php): check ftp_store_dir.",
                note: "no bridge installed"
            )
        }
        let ordered = files.filter { $0.path != "bridge.php" } + files.filter { $0.path == "bridge.php" }
        let suffix = Self.stagingSuffix()
        let staged = UploadFile.from(ordered).map { UploadFile(path: Self.stagingName($0.path, suffix: suffix), bytes: $0.bytes, diskCopy: $0.diskCopy) }
        do {
            try await session.upload(staged, into: folder, step: .replace)
        } catch {
            try? await session.run(staged.map { .deleteFile(folder.appending($0.path)) }, bestEffort: true, in: folder, step: .replace)
            throw error
        }
        var commands: [FTPSession.Command] = []
        for file in ordered {
            commands.append(.rename(from: folder.appending(Self.stagingName(file.path, suffix: suffix)), to: folder.appending(file.path)))
            commands.append(.chmod(folder.appending(file.path), mode: Self.fileMode))
        }
        do {
            try await session.run(commands, bestEffort: false, in: folder, step: .replace)
        } catch {
            try? await session.run(staged.map { .deleteFile(folder.appending($0.path)) }, bestEffort: true, in: folder, step: .replace)
            throw error
        }
        logger.info("bridge files replaced over FTP", metadata: ["ftp.server": "\(target)", "files": "\(files.count)"])
    }

    /// `var/nonces/.htaccess` → `var/nonces/..htaccess.tmp-<12 hex>`: beside the file it replaces, and named as the
    /// bridge names its own temporary files, so that one left behind by an interrupted update is still the bridge's
    /// own to `self_remove`.
    static func stagingName(_ path: String, suffix: String) -> String {
        var parts = path.split(separator: "/").map(String.init)
        let name = parts.removeLast()
        return (parts + [".\(name).tmp-\(suffix)"]).joined(separator: "/")
    }

    static func stagingSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Modes for every folder and file of the package.
    static func modes(for package: BridgePackage, in folder: RemotePath) -> [FTPSession.Command] {
        var commands: [FTPSession.Command] = []
        for directory in Self.folders(of: package) {
            let mode = directory == "var/nonces" ? Self.nonceFolderMode : Self.folderMode
            commands.append(.chmod(directory.isEmpty ? folder : folder.appending(directory), mode: mode))
        }
        for file in package.files {
            commands.append(.chmod(folder.appending(file.path), mode: file.path == "config.php" ? Self.configMode : Self.fileMode))
        }
        return commands
    }

    /// The package's folders, relative to `cartbridge/` (`""` is the folder itself), parents first.
    static func folders(of package: BridgePackage) -> [String] {
        var folders: Set<String> = [""]
        for file in package.files {
            var parts = file.path.split(separator: "/").dropLast()
            while !parts.isEmpty {
                folders.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        return folders.sorted { ($0.split(separator: "/").count, $0) < ($1.split(separator: "/").count, $1) }
    }

    /// Best effort: whatever of the package reached the server, and the nonce files a bridge that answered wrote,
    /// then the folders, deepest first. A failure here is logged; the error the caller sees is the original one.
    func removeUploaded(_ package: BridgePackage, from folder: RemotePath, session: FTPSession, logger: Logger) async {
        let nonces = (try? await session.list(folder.appending("var/nonces"))) ?? []
        var commands: [FTPSession.Command] = nonces.filter { name in !package.files.contains { $0.path == "var/nonces/" + name } }
            .map { .deleteFile(folder.appending("var/nonces/" + $0)) }
        commands += package.files.map { .deleteFile(folder.appending($0.path)) }
        commands += Self.folders(of: package).reversed().map { $0.isEmpty ? .removeFolder(folder) : .removeFolder(folder.appending($0)) }
        do {
            try await session.run(commands, bestEffort: true, in: session.target.storeDirectory, step: .upload)
        } catch {
            logger.warning("uploaded bridge files could not be removed", metadata: ["ftp.server": "\(session.target)", "error": "\(error)"])
        }
    }
}
