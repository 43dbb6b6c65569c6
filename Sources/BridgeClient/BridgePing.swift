import CartBridgeCore

/// The result of `ping`.
public struct BridgePing: Sendable, Hashable {
    public let protocolName: String
    public let bridgeVersion: String
    public let phpVersion: String
    /// The bridge's clock, unix seconds.
    public let time: Int64
    public let readOnly: Bool
    public let requireEncryption: Bool
    /// Whether this exchange was encrypted.
    public let encrypted: Bool

    init?(_ result: JSONValue) {
        guard let protocolName = result["protocol"]?.stringValue,
            let bridgeVersion = result["bridge_version"]?.stringValue,
            let phpVersion = result["php_version"]?.stringValue,
            let time = result["time"]?.intValue,
            let readOnly = result["read_only"]?.boolValue,
            let requireEncryption = result["require_encryption"]?.boolValue,
            let encrypted = result["encrypted"]?.boolValue
        else { return nil }
        self.protocolName = protocolName
        self.bridgeVersion = bridgeVersion
        self.phpVersion = phpVersion
        self.time = time
        self.readOnly = readOnly
        self.requireEncryption = requireEncryption
        self.encrypted = encrypted
    }
}
