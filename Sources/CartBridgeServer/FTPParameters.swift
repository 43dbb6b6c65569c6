import CartBridgeCore
import Foundation
import Installer

/// The contract's FTP fields (`ftp_host`, `ftp_user`, `ftp_password`, `ftp_port`, `ftp_store_dir`) and ours
/// (`ftp_protocol`, `ftp_host_key`) as an upload target. The password stays in this value, in memory, for the
/// length of the call: it is never stored, logged or echoed.
enum FTPParameters {
    /// The target, or nil when the call has no `ftp_host` (the bridge is then reached without FTP).
    static func target(_ p: Parameters) throws(CartBridgeError) -> FTPTarget? {
        guard let rawHost = try p.string("ftp_host", maxLength: 300) else { return nil }
        var host = rawHost.trimmingCharacters(in: .whitespaces)
        var schemeProtocol: FTPProtocol?
        if let range = host.range(of: "://") {
            guard let scheme = FTPProtocol(rawValue: host[..<range.lowerBound].lowercased()) else {
                throw CartBridgeError.badParameter("ftp_host", "the scheme may be ftp://, ftps:// or sftp://")
            }
            schemeProtocol = scheme
            host = String(host[range.upperBound...])
        }
        while host.hasSuffix("/") { host.removeLast() }
        var port = try p.string("ftp_port", maxLength: 5).map { text throws(CartBridgeError) -> Int in
            guard let number = Int(text) else { throw CartBridgeError.badParameter("ftp_port", "expected a port number") }
            return number
        }
        // "host:port" in ftp_host, as FTP clients accept it (not for a bracketed IPv6 address without a port).
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]"), host.filter({ $0 == ":" }).count == 1 || host.hasPrefix("[") {
            // (An address like "[2001:db8::1]:2121" ends in a port; a bare IPv6 address is left for FTPTarget to refuse.)
            guard let number = Int(host[host.index(after: colon)...]) else { throw CartBridgeError.badParameter("ftp_host", "the port after ':' must be a number") }
            port = port ?? number
            host = String(host[..<colon])
        }
        let named = try p.string("ftp_protocol", maxLength: 8).map { text throws(CartBridgeError) -> FTPProtocol in
            guard let value = FTPProtocol(rawValue: text.lowercased()) else { throw CartBridgeError.badParameter("ftp_protocol", "expected ftp, ftps or sftp") }
            return value
        }
        if let named, let schemeProtocol, named != schemeProtocol {
            throw CartBridgeError.badParameter("ftp_protocol", "it contradicts the scheme of ftp_host")
        }
        let ftpProtocol = named ?? schemeProtocol ?? .ftp
        let hostKey = try p.string("ftp_host_key", maxLength: 80)
        if ftpProtocol == .sftp, hostKey == nil, !Self.hasKnownHosts {
            throw CartBridgeError(
                .requiredParameterMissing,
                "SFTP needs the server's host key to be checked: pass ftp_host_key (its SHA256 fingerprint, as `ssh-keygen -lf` prints it), or add the server to the service's ~/.ssh/known_hosts."
            )
        }
        return try FTPTarget(
            ftpProtocol: ftpProtocol,
            host: host,
            port: port,
            user: try p.requiredString("ftp_user", maxLength: 256),
            password: try p.requiredString("ftp_password", maxLength: 1024),
            storeDirectory: try RemotePath(parsing: try p.string("ftp_store_dir", maxLength: 1024) ?? "/", parameter: "ftp_store_dir"),
            hostKeySHA256: hostKey
        )
    }

    /// curl checks SFTP host keys against `~/.ssh/known_hosts` when that file exists, and accepts any key when it
    /// does not: without the file, a pinned key is required instead.
    static var hasKnownHosts: Bool {
        guard let home = ProcessInfo.processInfo.environment["HOME"] else { return false }
        return FileManager.default.isReadableFile(atPath: home + "/.ssh/known_hosts")
    }

    /// Whether the call names any FTP field: a write of the bridge goes through FTP only when it does.
    static func present(_ p: Parameters) -> Bool {
        ["ftp_host", "ftp_user", "ftp_password", "ftp_port", "ftp_store_dir", "ftp_protocol", "ftp_host_key"].contains { p.contains($0) }
    }
}
