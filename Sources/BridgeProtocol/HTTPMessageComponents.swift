/// The parts of one HTTP message from which RFC 9421 component values are derived (§2.1, §2.2).
///
/// Fields are kept as received, one entry per field line; lookups are case-insensitive.
public struct HTTPMessageComponents: Sendable, Hashable {
    public var method: String?
    public var scheme: String?
    /// The authority as sent (`Host`), e.g. `shop.example` or `127.0.0.1:8088`.
    public var authority: String?
    /// The raw path, not percent-decoded.
    public var path: String?
    /// The raw query without its leading `?`, or `nil` when the target has none.
    public var query: String?
    public var status: Int?
    public var fields: [HeaderField]

    public init(
        method: String? = nil,
        scheme: String? = nil,
        authority: String? = nil,
        path: String? = nil,
        query: String? = nil,
        status: Int? = nil,
        fields: [HeaderField] = []
    ) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.status = status
        self.fields = fields
    }

    /// The value of `component` in this message, or `nil` when the message does not have it.
    public func value(of component: ComponentIdentifier) -> String? {
        if !component.isDerived {
            return component.parameters.isEmpty ? self.fields.canonicalValue(named: component.name) : nil
        }
        switch component.name {
        case "@method":
            return self.method
        case "@authority":
            return self.authority?.lowercased()
        case "@scheme":
            return self.scheme?.lowercased()
        case "@path":
            guard let path = self.path else { return nil }
            return path.isEmpty ? "/" : path
        case "@query":
            guard self.path != nil || self.query != nil else { return nil }
            return "?" + (self.query ?? "")
        case "@request-target":
            guard let path = self.value(of: .path) else { return nil }
            return self.query.map { path + "?" + $0 } ?? path
        case "@target-uri":
            guard let scheme = self.value(of: .scheme), let authority = self.value(of: .authority),
                let target = self.value(of: .requestTarget)
            else { return nil }
            return scheme + "://" + authority + target
        case "@status":
            return self.status.map { String($0) }
        case "@query-param":
            guard case .string(let wanted)? = component.parameters["name"], let query = self.query else { return nil }
            for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts[0] == wanted { return parts.count > 1 ? String(parts[1]) : "" }
            }
            return nil
        default:
            return nil
        }
    }
}
