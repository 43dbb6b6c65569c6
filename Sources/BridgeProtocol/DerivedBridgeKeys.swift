import Crypto

/// The four keys derived from a bridge key with HKDF-SHA256 (RFC 5869), empty salt, 32 bytes each, so that a request
/// MAC never verifies as a response and each direction of the encrypted mode has its own key.
public struct DerivedBridgeKeys: Sendable, CustomStringConvertible, CustomReflectable {
    /// `k_req`, info `cartbridge/1 request`: MACs requests.
    public let request: SymmetricKey
    /// `k_resp`, info `cartbridge/1 response`: MACs responses.
    public let response: SymmetricKey
    /// `k_enc_c2s`, info `cartbridge/1 enc-c2s`: encrypts request bodies.
    public let encryptClientToServer: SymmetricKey
    /// `k_enc_s2c`, info `cartbridge/1 enc-s2c`: encrypts response bodies.
    public let encryptServerToClient: SymmetricKey

    public static let requestInfo = "cartbridge/1 request"
    public static let responseInfo = "cartbridge/1 response"
    public static let encryptClientToServerInfo = "cartbridge/1 enc-c2s"
    public static let encryptServerToClientInfo = "cartbridge/1 enc-s2c"

    public init(bridgeKey: BridgeKey) {
        func derive(_ info: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: bridgeKey.symmetricKey,
                salt: [UInt8](),
                info: Array(info.utf8),
                outputByteCount: 32
            )
        }
        self.request = derive(Self.requestInfo)
        self.response = derive(Self.responseInfo)
        self.encryptClientToServer = derive(Self.encryptClientToServerInfo)
        self.encryptServerToClient = derive(Self.encryptServerToClientInfo)
    }

    public var description: String { "DerivedBridgeKeys(redacted)" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
