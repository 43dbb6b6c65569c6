/// A strict split of an absolute http(s) URL into the parts `cartbridge/1` signs: printable ASCII only, no user
/// info, no fragment; the host lowercased; the port kept only when it is not the scheme's default.
struct URLParts: Sendable, Hashable {
    let scheme: String
    let host: String
    let port: Int
    let authority: String
    let path: String
    let query: String?

    init?(_ url: String) {
        guard !url.isEmpty, url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = url[schemeEnd.upperBound...]
        guard !rest.contains("#") else { return nil }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        guard !authority.isEmpty, !authority.contains("@") else { return nil }

        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
            guard host.count > 2, host.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." })
            else { return nil }
        } else {
            let pieces = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = pieces[0]
            portText = pieces.count > 1 ? pieces[1] : nil
            guard !host.isEmpty,
                host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" })
            else { return nil }
        }
        let defaultPort = scheme == "https" ? 443 : 80
        var port = defaultPort
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isNumber), let value = Int(portText),
                value > 0, value <= 65535
            else { return nil }
            port = value
        }
        let lowerHost = host.lowercased()
        let queryStart = rest.firstIndex(of: "?")
        let path = queryStart.map { rest[..<$0] } ?? rest

        self.scheme = scheme
        self.host = lowerHost
        self.port = port
        self.authority = port == defaultPort ? lowerHost : "\(lowerHost):\(port)"
        self.path = path.isEmpty ? "/" : String(path)
        self.query = queryStart.map { String(rest[rest.index(after: $0)...]) }
    }
}
