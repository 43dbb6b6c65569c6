import ArgumentParser
import AsyncHTTPClient
import CartBridgeCore
import CartBridgeServer
import Foundation
import Logging
import Registry

/// Runs `body` with the services of the configured data folder, then closes them.
func withAdmin<T>(_ common: CommonOptions, _ body: (Admin, Logger) async throws -> T) async throws -> T {
    let logger = try common.makeLogger()
    let configuration = try common.configuration()
    let httpClient = CartBridgeApp.makeHTTPClient(configuration: configuration)
    let services: Services
    do {
        services = try await CartBridgeApp.makeServices(configuration: configuration, httpClient: httpClient, logger: logger)
    } catch {
        try? await httpClient.shutdown()
        throw CommandFailure(error)
    }
    // The registry and the HTTP client are closed whether the command succeeds or not.
    let outcome: Result<T, any Error>
    do {
        outcome = .success(try await body(Admin(services: services), logger))
    } catch {
        outcome = .failure(error)
    }
    try? await services.registry.close()
    try? await httpClient.shutdown()
    switch outcome {
    case .success(let value): return value
    case .failure(let error): throw CommandFailure(error)
    }
}

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Create, list, disable and enable accounts.",
        subcommands: [Create.self, List.self, Disable.self, Enable.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; its API key is printed once, alone on the last line.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The account's name.") var name: String

        func run() async throws {
            let (account, key) = try await withAdmin(self.common) { admin, _ in try await admin.createAccount(name: self.name) }
            print("Created account \(account.id) (\(account.name)). Its API key is shown only now:")
            print(key)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts (keys are never shown, only their first characters).")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            let accounts = try await withAdmin(self.common) { admin, _ in try await admin.accounts() }
            print("id\tstatus\tkey\tname")
            for account in accounts {
                print("\(account.id)\t\(account.status.rawValue)\t\(account.keyHint)\t\(account.name)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: its API key gets return code 6.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The account id.") var id: Int64

        func run() async throws {
            let found = try await withAdmin(self.common) { admin, _ in try await admin.setStatus(accountID: self.id, .disabled) }
            guard found else { throw CommandFailure(message: "No account \(self.id).") }
            print("Account \(self.id) disabled.")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @OptionGroup var common: CommonOptions
        @Option(help: "The account id.") var id: Int64

        func run() async throws {
            let found = try await withAdmin(self.common) { admin, _ in try await admin.setStatus(accountID: self.id, .active) }
            guard found else { throw CommandFailure(message: "No account \(self.id).") }
            print("Account \(self.id) enabled.")
        }
    }
}

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Inspect registered stores and rotate their bridge keys.",
        subcommands: [Validate.self, RotateKey.self]
    )

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Give a store's bridge a new key without downtime: the bridge accepts both, the service switches, the old key is removed."
        )
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("account-id"), help: "The store's account id.") var accountID: Int64
        @Option(name: .customLong("store-key"), help: "The store key.") var storeKey: String

        func run() async throws {
            let keyID = try await withAdmin(self.common) { admin, logger in
                try await admin.rotateBridgeKey(accountID: self.accountID, storeKey: self.storeKey, logger: logger)
            }
            print("The store's bridge now uses key \(keyID); the previous key was removed from the bridge.")
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a store's bridge now and print the support diagnosis (no credentials shown).")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("account-id"), help: "The store's account id.") var accountID: Int64
        @Option(name: .customLong("store-key"), help: "The store key.") var storeKey: String

        func run() async throws {
            let result = try await withAdmin(self.common) { admin, logger in
                try await admin.validate(accountID: self.accountID, storeKey: self.storeKey, logger: logger)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }
}

struct VaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Manage the master key that encrypts store credentials.",
        subcommands: [Rotate.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a new master key, re-encrypt every credential under it, then drop the old key.")
        @OptionGroup var common: CommonOptions
        @Flag(name: .customLong("keep-old"), help: "Keep the older keys in the keyring file.") var keepOld = false

        func run() async throws {
            let logger = try self.common.makeLogger()
            do {
                let report = try await Admin.rotateVault(configuration: try self.common.configuration(), keepOld: self.keepOld, logger: logger)
                print("Re-encrypted \(report.resealed) credentials (\(report.alreadyCurrent) were already current).")
            } catch {
                throw CommandFailure(error)
            }
        }
    }
}

struct BridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "The bridge merchants install in their store root.",
        subcommands: [Package.self]
    )

    struct Package: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a store's bridge zip (the cartbridge/ folder with its key), as bridge.download.file does.")
        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("account-id"), help: "The store's account id.") var accountID: Int64
        @Option(name: .customLong("store-key"), help: "The store key.") var storeKey: String
        @Option(name: .shortAndLong, help: "The zip file to write.") var output: String = "cartbridge.zip"

        func run() async throws {
            let bytes = try await withAdmin(self.common) { admin, _ in
                try await admin.bridgePackage(accountID: self.accountID, storeKey: self.storeKey)
            }
            guard FileManager.default.createFile(atPath: self.output, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw CommandFailure(message: "Cannot write \(self.output).")
            }
            print("Wrote \(self.output) (\(bytes.count) bytes). It holds the store's bridge key: hand it to the merchant privately.")
        }
    }
}
