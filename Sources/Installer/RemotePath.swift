import CartBridgeCore
import Foundation

/// A folder or file on the FTP/SFTP server, as segments under the login folder or, when absolute, under `/`.
///
/// Segments are checked once here so that no path can leave its folder (`..`), break a URL, or smuggle a second
/// command into an FTP quote line (CR, LF) or out of an SFTP quoted name (`"`, `\`).
public struct RemotePath: Sendable, Hashable, CustomStringConvertible {
    public let segments: [String]
    public let isAbsolute: Bool

    public init(segments: [String], isAbsolute: Bool) {
        self.segments = segments
        self.isAbsolute = isAbsolute
    }

    /// Parses a client's `ftp_store_dir`: empty or `/` is the login folder.
    public init(parsing text: String, parameter: String) throws(CartBridgeError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        for part in parts {
            guard part != "..", part.count <= 255, part.unicodeScalars.allSatisfy(Self.isAllowed) else {
                throw CartBridgeError.badParameter(parameter, "use a folder path without '..', quotes, backslashes or control characters")
            }
        }
        guard parts.count <= 32 else { throw CartBridgeError.badParameter(parameter, "the folder path is too deep") }
        self.segments = parts
        self.isAbsolute = trimmed.hasPrefix("/") && !parts.isEmpty
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\"
    }

    public func appending(_ relative: String) -> RemotePath {
        RemotePath(segments: self.segments + relative.split(separator: "/").map(String.init), isAbsolute: self.isAbsolute)
    }

    /// The path as FTP commands (`SITE CHMOD`, `DELE`) and SFTP quote commands take it: relative to the login
    /// folder, or absolute.
    public var commandPath: String {
        let joined = self.segments.joined(separator: "/")
        return self.isAbsolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// The path part of a curl URL for this folder or file. FTP: `%2F` makes curl start at the server's root
    /// instead of the login folder. SFTP: URLs are absolute, `~` is the login (home) folder.
    func urlPath(for ftpProtocol: FTPProtocol, isFolder: Bool) -> String {
        let encoded = self.segments.map { $0.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? $0 }
        var path: String
        switch (ftpProtocol, self.isAbsolute) {
        case (.sftp, true): path = "/" + encoded.joined(separator: "/")
        case (.sftp, false): path = "/~/" + encoded.joined(separator: "/")
        case (_, true): path = "/%2F" + encoded.joined(separator: "/")
        case (_, false): path = "/" + encoded.joined(separator: "/")
        }
        if isFolder && !path.hasSuffix("/") { path += "/" }
        return path
    }

    /// ASCII letters, digits and the URL path characters that need no escape; everything else is percent-encoded.
    static let segmentCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=@")

    public var description: String { self.commandPath }
}
