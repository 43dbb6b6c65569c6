import CredentialVault
import Logging
import Registry

/// Re-seals every credential under the keyring's newest master key.
///
/// Each row is replaced only if it still holds what was read (compare and swap), so a credential written
/// meanwhile by a running server is never overwritten with an older value.
public enum VaultRotation {
    public struct Report: Sendable {
        public var resealed = 0
        public var alreadyCurrent = 0
        public var changedMeanwhile = 0
    }

    public static func reseal(registry: any Registry, keyring: Keyring, logger: Logger) async throws -> Report {
        let vault = Vault(keyring: keyring)
        let target = keyring.current.version
        var report = Report()
        for credential in try await registry.allCredentials() {
            if Vault.keyVersion(of: credential.sealed) == UInt32(target) {
                report.alreadyCurrent += 1
                continue
            }
            let plaintext = try vault.open(credential.sealed, binding: credential.binding)
            let resealed = SealedCredential(
                storeID: credential.storeID,
                name: credential.name,
                sealed: try vault.seal(plaintext, binding: credential.binding)
            )
            if try await registry.replaceCredential(credential, with: resealed) {
                report.resealed += 1
            } else {
                report.changedMeanwhile += 1
            }
        }
        if let check = vault.keyCheck(version: target) {
            try await registry.putSetting("vault.key_check", "\(target):\(check)")
        }
        logger.info(
            "vault rotation finished",
            metadata: ["key_version": "\(target)", "resealed": "\(report.resealed)", "already_current": "\(report.alreadyCurrent)"]
        )
        return report
    }
}
