import CartBridgeCore

extension CartBridgeError {
    /// The `cartbridge/1` code behind an error thrown by `BridgeClient` (`prefix_ambiguous`, `read_only`,
    /// `db_error`, `key_unknown`, `bridge_unreachable`, ...), or `nil` for errors from elsewhere.
    public var bridgeErrorCode: BridgeErrorCode? {
        guard let detail = self.detail, detail.hasPrefix("bridge_error=") else { return nil }
        let value = detail.dropFirst("bridge_error=".count).prefix(while: { $0 != ";" })
        return value.isEmpty ? nil : BridgeErrorCode(rawValue: String(value))
    }
}
