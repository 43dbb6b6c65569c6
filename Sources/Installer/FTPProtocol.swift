/// How the bridge folder reaches a store: plain FTP, FTP with explicit TLS (`AUTH TLS` on the control port), or
/// SFTP over SSH. Every one of them is driven through `curl`.
public enum FTPProtocol: String, Sendable, CaseIterable {
    case ftp
    case ftps
    case sftp

    public var defaultPort: Int { self == .sftp ? 22 : 21 }

    /// Explicit FTPS is an `ftp://` URL with TLS required (`--ssl-reqd`); implicit FTPS (port 990) is not offered.
    var urlScheme: String { self == .sftp ? "sftp" : "ftp" }
}
