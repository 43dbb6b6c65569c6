import Foundation
import Crypto

/// RFC 9530 `Content-Digest` values.
public enum ContentDigest {
    /// `sha-256=:<base64 SHA-256>:`, the only form `cartbridge/1` sends and accepts.
    public static func sha256(_ body: some DataProtocol) -> String {
        "sha-256=:" + Base64.encode(SHA256.hash(data: body)) + ":"
    }

    /// `sha-512=:<base64 SHA-512>:`.
    public static func sha512(_ body: some DataProtocol) -> String {
        "sha-512=:" + Base64.encode(SHA512.hash(data: body)) + ":"
    }

    /// Whether `fieldValue` is exactly the `sha-256` digest of `body` (one member, canonical base64).
    public static func matchesSHA256(_ fieldValue: String?, body: some DataProtocol) -> Bool {
        guard let fieldValue else { return false }
        let expected = Array(Self.sha256(body).utf8)
        let received = Array(fieldValue.utf8)
        guard expected.count == received.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ received[index] }
        return difference == 0
    }
}
