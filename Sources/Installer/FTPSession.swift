import CartBridgeCore
import Foundation
import Logging

/// One FTP, FTPS or SFTP account at work on a server: listing folders, uploading files, and the few commands an
/// install needs (change mode, delete, remove folder, rename), each one run of curl.
public struct FTPSession: Sendable {
    public let target: FTPTarget
    public let runner: CurlRunner
    let logger: Logger

    public init(target: FTPTarget, runner: CurlRunner, logger: Logger) {
        self.target = target
        self.runner = runner
        self.logger = logger
    }

    /// The names in a folder, without `.` and `..`; the login happens here, so this is where 102 shows first.
    public func list(_ folder: RemotePath, step: FTPError.Step = .list) async throws -> [String] {
        let outcome = try await self.runner.run(
            target: self.target,
            arguments: ["--list-only", self.target.url(folder, isFolder: true)],
            logger: self.logger
        )
        guard outcome.exitCode == 0 else { throw FTPError.curl(outcome.exitCode, step: step, target: self.target, note: outcome.errorLine) }
        return String(decoding: outcome.output, as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { String($0).trimmingCharacters(in: .whitespaces) }
            .map { $0.split(separator: "/").last.map(String.init) ?? $0 }
            .filter { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// Writes files under `folder` (creating missing folders), in the given order, stopping at the first refusal.
    /// A file without a copy on disk reaches curl through a private named pipe, so no copy of it lands on disk.
    public func upload(_ files: [UploadFile], into folder: RemotePath, step: FTPError.Step = .upload) async throws {
        guard !files.isEmpty else { return }
        let piped = files.indices.filter { files[$0].diskCopy == nil }
        let pipes = try FIFOFolder.make(names: piped.map(String.init))
        defer { pipes.remove() }
        var arguments = ["--ftp-create-dirs", "--fail-early"]
        var payloads: [(pipe: String, bytes: [UInt8])] = []
        for (index, file) in files.enumerated() {
            let source = file.diskCopy ?? pipes.pipe(String(index))
            arguments += ["-T", source, self.target.url(folder.appending(file.path), isFolder: false)]
            if file.diskCopy == nil { payloads.append((pipe: source, bytes: file.bytes)) }
        }
        let outcome = try await self.runner.run(target: self.target, arguments: arguments, payloads: payloads, logger: self.logger)
        guard outcome.exitCode == 0 else { throw FTPError.curl(outcome.exitCode, step: step, target: self.target, note: outcome.errorLine) }
    }

    /// A command of the server's own language for one remote path.
    public enum Command: Sendable {
        case chmod(RemotePath, mode: Int)
        case deleteFile(RemotePath)
        case removeFolder(RemotePath)
        /// Replaces `to` with `from`. FTP renames over the old file in one step; an SFTP version 3 server refuses to
        /// rename onto an existing name, so there the old file is deleted first.
        case rename(from: RemotePath, to: RemotePath)
    }

    /// Runs commands before listing `folder`; those marked `bestEffort` may fail without failing the run.
    public func run(_ commands: [Command], bestEffort: Bool, in folder: RemotePath, step: FTPError.Step) async throws {
        guard !commands.isEmpty else { return }
        var arguments: [String] = []
        for line in commands.flatMap({ self.lines($0, bestEffort: bestEffort) }) {
            arguments += ["-Q", line]
        }
        arguments += ["--list-only", self.target.url(folder, isFolder: true)]
        let outcome = try await self.runner.run(target: self.target, arguments: arguments, logger: self.logger)
        guard outcome.exitCode == 0 else { throw FTPError.curl(outcome.exitCode, step: step, target: self.target, note: outcome.errorLine) }
    }

    /// curl quote lines: FTP commands take the rest of the line as the path; SFTP ones a quoted path. A leading `*`
    /// tells curl to go on when the server refuses that command.
    func lines(_ command: Command, bestEffort: Bool) -> [String] {
        let star = bestEffort ? "*" : ""
        let sftp = self.target.ftpProtocol == .sftp
        func name(_ path: RemotePath) -> String { sftp ? "\"\(path.commandPath)\"" : path.commandPath }
        switch command {
        case .chmod(let path, let mode):
            let octal = String(mode, radix: 8)
            return [sftp ? "\(star)chmod \(octal) \(name(path))" : "\(star)SITE CHMOD \(octal) \(name(path))"]
        case .deleteFile(let path):
            return [sftp ? "\(star)rm \(name(path))" : "\(star)DELE \(name(path))"]
        case .removeFolder(let path):
            return [sftp ? "\(star)rmdir \(name(path))" : "\(star)RMD \(name(path))"]
        case .rename(let from, let to):
            if sftp { return ["*rm \(name(to))", "\(star)rename \(name(from)) \(name(to))"] }
            return ["\(star)RNFR \(name(from))", "\(star)RNTO \(name(to))"]
        }
    }
}
