import BridgeProtocol
import CartBridgeCore

/// Where and how to reach one store's bridge.
public struct BridgeEndpoint: Sendable, CustomStringConvertible {
    /// The bridge URL as registered, e.g. `https://shop.example/cartbridge/bridge.php`.
    public let url: String
    /// `http` or `https`.
    public let scheme: String
    /// The host in lowercase; an IPv6 literal keeps its brackets.
    public let host: String
    public let port: Int
    /// The `Host` value sent and signed: the host, and the port when it is not the scheme's default.
    public let authority: String
    /// The raw path, as sent and signed.
    public let path: String
    /// The raw query without `?`, or `nil`.
    public let query: String?

    public var keyID: String
    public var key: BridgeKey
    /// Whether the operator asked for the encrypted mode on an `https` store (always on for `http`).
    public var encryptionRequested: Bool
    /// The store's clock minus the service's, in seconds, as last learned.
    public var clockOffset: Int64

    /// - Throws: `CartBridgeError` 106 when `url` is not an absolute `http`/`https` URL without user info or fragment.
    public init(
        url: String,
        keyID: String,
        key: BridgeKey,
        encrypt: Bool = false,
        clockOffset: Int64 = 0
    ) throws(CartBridgeError) {
        guard let parts = URLParts(url) else {
            throw CartBridgeError(
                .storeURLNotReachable,
                "The bridge URL is not a valid http or https URL.",
                detail: "bridge_error=bridge_not_found; bridge URL rejected by the parser"
            )
        }
        self.url = url
        self.scheme = parts.scheme
        self.host = parts.host
        self.port = parts.port
        self.authority = parts.authority
        self.path = parts.path
        self.query = parts.query
        self.keyID = keyID
        self.key = key
        self.encryptionRequested = encrypt
        self.clockOffset = clockOffset
    }

    /// Whether bodies are encrypted: always for `http://`, on request for `https://`.
    public var encrypts: Bool { self.scheme == "http" || self.encryptionRequested }

    /// The URL the request goes to, rebuilt from the parts that are signed.
    public var requestURL: String {
        self.scheme + "://" + self.authority + self.path + (self.query.map { "?" + $0 } ?? "")
    }

    public var description: String {
        "BridgeEndpoint(\(self.requestURL), keyid: \(self.keyID), encrypts: \(self.encrypts), offset: \(self.clockOffset))"
    }
}
