import CartBridgeCore
import Foundation

/// Where and as whom to upload: the FTP/FTPS/SFTP server, the account, and the store's root folder on it.
///
/// The password lives here, in memory, for one operation. It goes to `curl` only through a config on its standard
/// input, and `description` never shows it (nor the user name).
public struct FTPTarget: Sendable, CustomStringConvertible {
    public let ftpProtocol: FTPProtocol
    /// The host as a URL authority writes it (an IPv6 address in brackets).
    public let host: String
    public let port: Int
    let user: String
    let password: String
    /// The store's root folder on the server (`ftp_store_dir`).
    public let storeDirectory: RemotePath
    /// SFTP: the SHA-256 fingerprint of the server's host key, base64 without `SHA256:` (what `ssh-keygen -lf` prints).
    public let hostKeySHA256: String?

    public init(
        ftpProtocol: FTPProtocol,
        host: String,
        port: Int?,
        user: String,
        password: String,
        storeDirectory: RemotePath,
        hostKeySHA256: String? = nil
    ) throws(CartBridgeError) {
        guard Self.isValidHost(host) else {
            throw CartBridgeError.badParameter("ftp_host", "expected a host name or an IP address, optionally with ftp://, ftps:// or sftp://")
        }
        let port = port ?? ftpProtocol.defaultPort
        guard (1...65535).contains(port) else { throw CartBridgeError.badParameter("ftp_port", "must be between 1 and 65535") }
        // curl splits "user:password" at the first colon, and a config line ends at a line break.
        guard !user.isEmpty, user.count <= 256, !user.contains(":"), user.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw CartBridgeError.badParameter("ftp_user", "use 1 to 256 printable characters without ':'")
        }
        guard !password.isEmpty, password.utf8.count <= 1024, !password.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else {
            throw CartBridgeError.badParameter("ftp_password", "use 1 to 1024 bytes without line breaks")
        }
        if let key = hostKeySHA256 {
            guard ftpProtocol == .sftp, Self.isValidFingerprint(key) else {
                throw CartBridgeError.badParameter("ftp_host_key", "for SFTP only: the host key's SHA256 fingerprint, 43 characters of base64")
            }
        }
        self.ftpProtocol = ftpProtocol
        self.host = host.lowercased()
        self.port = port
        self.user = user
        self.password = password
        self.storeDirectory = storeDirectory
        self.hostKeySHA256 = hostKeySHA256.map(Self.bareFingerprint)
    }

    /// `ftp.example.com`, `192.0.2.7`, `[2001:db8::1]`: what may stand between `://` and `:port`.
    static func isValidHost(_ host: String) -> Bool {
        if host.hasPrefix("[") && host.hasSuffix("]") {
            let inner = host.dropFirst().dropLast()
            return !inner.isEmpty && inner.count <= 45 && inner.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        return !host.isEmpty && host.count <= 253 && !host.hasPrefix("-") && !host.hasPrefix(".")
            && host.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "." }
    }

    static func bareFingerprint(_ text: String) -> String {
        var bare = text.hasPrefix("SHA256:") ? String(text.dropFirst(7)) : text
        while bare.hasSuffix("=") { bare.removeLast() }
        return bare
    }

    static func isValidFingerprint(_ text: String) -> Bool {
        let bare = Self.bareFingerprint(text)
        return bare.count == 43 && bare.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "+" || $0 == "/") }
    }

    /// `ftp://host:port` (`sftp://` for SFTP): the URL prefix every operation builds on.
    var urlBase: String { "\(self.ftpProtocol.urlScheme)://\(self.host):\(self.port)" }

    func url(_ path: RemotePath, isFolder: Bool) -> String {
        self.urlBase + path.urlPath(for: self.ftpProtocol, isFolder: isFolder)
    }

    /// The curl config line with the account, quoted as curl's config format wants (`\\` and `\"` escaped).
    var credentialsConfig: String {
        let escaped = (self.user + ":" + self.password).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "user = \"\(escaped)\"\n"
    }

    /// Where the store root is, for logs and messages: protocol, host, port and folder, never the account.
    public var description: String { "\(self.ftpProtocol.rawValue)://\(self.host):\(self.port)/\(self.storeDirectory.commandPath)" }

    /// Text with the account's password and user name blanked, for a log line built from what a server said.
    func redacted(_ text: String) -> String {
        var text = text.replacingOccurrences(of: self.password, with: "***")
        if self.user.count >= 3 { text = text.replacingOccurrences(of: self.user, with: "***") }
        return text
    }
}
