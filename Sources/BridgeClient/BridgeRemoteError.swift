import CartBridgeCore

/// An error the bridge answered with, from a response that passed verification.
public struct BridgeRemoteError: Error, Sendable, Hashable {
    public let code: BridgeErrorCode
    /// The bridge's own words: for the service's logic and logs, never for API clients (it may quote SQL).
    public let message: String
    /// Other members of the `error` object (`candidates` of `prefix_ambiguous`, `statement_index`, ...).
    public let details: [String: JSONValue]
    /// The bridge's clock (`now`), unix seconds.
    public let bridgeTime: Int64?
    public let httpStatus: Int

    public init(
        code: BridgeErrorCode,
        message: String,
        details: [String: JSONValue] = [:],
        bridgeTime: Int64? = nil,
        httpStatus: Int
    ) {
        self.code = code
        self.message = message
        self.details = details
        self.bridgeTime = bridgeTime
        self.httpStatus = httpStatus
    }
}
