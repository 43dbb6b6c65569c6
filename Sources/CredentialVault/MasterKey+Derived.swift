import Crypto
import Foundation

extension MasterKey {
    /// A key for another purpose than sealing (e.g. signing page cursors), derived with HKDF-SHA256 so the
    /// master key itself is used for one thing only. Every node holding the keyring derives the same key.
    public func derivedKey(purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: self.key,
            salt: Data("cartbridge-derived-key/1".utf8),
            info: Data(purpose.utf8),
            outputByteCount: 32
        )
    }
}
