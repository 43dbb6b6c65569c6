import Crypto

/// The 32-byte secret shared by the service and one store's bridge, written as base64url without padding.
///
/// Its description never shows the key.
public struct BridgeKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let byteCount = 32

    let symmetricKey: SymmetricKey

    /// Reads a key from exactly 32 bytes.
    public init(bytes: some Collection<UInt8>) throws(BridgeKeyError) {
        guard bytes.count == Self.byteCount else { throw BridgeKeyError("a bridge key is 32 bytes") }
        self.symmetricKey = SymmetricKey(data: Array(bytes))
    }

    /// Reads the canonical base64url form: 43 characters of `A-Z a-z 0-9 - _`, no padding.
    public init(base64URL text: String) throws(BridgeKeyError) {
        guard text.utf8.count == 43, let bytes = Base64.decodeURL(text), bytes.count == Self.byteCount else {
            throw BridgeKeyError("a bridge key is 43 characters of unpadded base64url encoding 32 bytes")
        }
        self.symmetricKey = SymmetricKey(data: bytes)
    }

    /// A new key from the system's CSPRNG.
    public static func generate() -> BridgeKey {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: Self.byteCount)
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        defer { for index in bytes.indices { bytes[index] = 0 } }
        // Cannot fail: the length is right.
        return BridgeKey(uncheckedBytes: bytes)
    }

    private init(uncheckedBytes bytes: [UInt8]) {
        self.symmetricKey = SymmetricKey(data: bytes)
    }

    /// The canonical text form, for the bridge's config file and the credential vault only.
    public var base64URL: String {
        self.symmetricKey.withUnsafeBytes { Base64.encodeURL($0) }
    }

    /// The four keys of the protocol, derived with HKDF-SHA256.
    public func derivedKeys() -> DerivedBridgeKeys {
        DerivedBridgeKeys(bridgeKey: self)
    }

    public var description: String { "BridgeKey(redacted)" }
    public var debugDescription: String { self.description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
