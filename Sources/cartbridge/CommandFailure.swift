import ArgumentParser
import CartBridgeCore
import CredentialVault
import Registry

/// A failure shown to the operator as one clear line, without a stack trace.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        switch error {
        case let vault as VaultError where vault.code == .wrongMasterKey:
            self.description = "The master key does not match this registry (\(vault.detail)). Start with the keyring this registry was sealed with."
        case let vault as VaultError:
            self.description = "Master key problem: \(vault.detail)."
        case let failure as CommandFailure:
            self.description = failure.description
        case let api as CartBridgeError:
            self.description = api.message
        case let registry as RegistryError:
            self.description = "Registry problem: \(registry.detail)."
        default:
            self.description = "\(error)"
        }
    }

    init(message: String) {
        self.description = message
    }
}
