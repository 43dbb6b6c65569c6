import Crypto
import Foundation

extension SignatureBase {
    /// The RFC 9421 §3.3.3 `hmac-sha256` signature of this base.
    public func hmacSHA256(key: some ContiguousBytes) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: self.bytes, using: SymmetricKey(data: key)))
    }

    /// Whether `signature` is the `hmac-sha256` of this base, compared in constant time.
    public func isValidHMACSHA256(_ signature: some ContiguousBytes, key: some ContiguousBytes) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: self.bytes, using: SymmetricKey(data: key))
    }
}
