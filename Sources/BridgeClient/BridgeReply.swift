import CartBridgeCore

/// A verified successful reply: `{"ok": true, "result": ...}`.
public struct BridgeReply: Sendable, Hashable {
    public let result: JSONValue
    /// Whether the reply came encrypted.
    public let encrypted: Bool
    /// The bridge's clock when it signed the reply, unix seconds.
    public let bridgeTime: Int64
    /// The requests sent for this call: 1, or 2 after a clock correction.
    public let attempts: Int
}
