import CartBridgeCore
import CredentialVault
import Foundation
import Logging
import Registry
import Testing

@testable import CartBridgeServer

@Suite struct VaultTests {
    @Test func sealedValueOpensOnlyForItsRecord() throws {
        let vault = Vault(keyring: try Keyring([MasterKey.generate(version: 1)]))
        let secret = Array("bridge-key-material".utf8)
        let sealed = try vault.seal(secret, binding: "store:1:bridge_key")
        #expect(try vault.open(sealed, binding: "store:1:bridge_key") == secret)
        #expect(throws: VaultError.self) { try vault.open(sealed, binding: "store:2:bridge_key") }
        #expect(Vault.keyVersion(of: sealed) == 1)
    }

    @Test func wrongMasterKeyFailsLoudly() throws {
        let sealed = try Vault(keyring: try Keyring([MasterKey.generate(version: 1)])).seal(Array("x".utf8), binding: "store:1:k")
        let other = Vault(keyring: try Keyring([MasterKey.generate(version: 1)]))
        do {
            _ = try other.open(sealed, binding: "store:1:k")
            Issue.record("opening under another master key must fail")
        } catch {
            #expect(error.code == .authenticationFailed)
        }
    }

    @Test func tamperedCiphertextAndVersionSwapAreRejected() throws {
        let keyring = try Keyring([MasterKey.generate(version: 1), MasterKey.generate(version: 2)])
        let vault = Vault(keyring: keyring)
        var sealed = try vault.seal(Array("secret".utf8), binding: "b")
        #expect(Vault.keyVersion(of: sealed) == 2)
        var flipped = sealed
        flipped[flipped.count - 20] ^= 0x01
        #expect(throws: VaultError.self) { try vault.open(flipped, binding: "b") }
        sealed[4] = 1  // claim key version 1
        #expect(throws: VaultError.self) { try vault.open(sealed, binding: "b") }
    }

    @Test func keyringRoundTripsThroughItsFileFormat() throws {
        let keyring = try Keyring([MasterKey.generate(version: 1), MasterKey.generate(version: 3)])
        let again = try Keyring(serialized: keyring.serialized)
        #expect(again.current.version == 3)
        #expect(again.current.serialized == keyring.current.serialized)
        #expect(throws: VaultError.self) { try Keyring(serialized: "v1:not-base64!") }
        #expect(throws: VaultError.self) { try Keyring(serialized: "") }
    }

    @Test func startingWithAnotherMasterKeyIsRefused() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        try await server.services.registry.close()
        var configuration = server.configuration
        configuration.masterKeyValue = MasterKey.generate(version: 1).serialized
        do {
            _ = try await CartBridgeApp.makeServices(configuration: configuration, httpClient: TestServer.httpClient, logger: server.logger)
            Issue.record("a registry sealed under one master key must not open under another")
        } catch let error as VaultError {
            #expect(error.code == .wrongMasterKey)
        }
    }

    @Test func generatedKeyringFileIsPrivate() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let attributes = try FileManager.default.attributesOfItem(atPath: server.configuration.defaultKeyringPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func credentialStoredThroughTheAPIIsNotInTheRegistryFileInClear() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let bridgeKey = Array(repeating: UInt8(0x5A), count: 16) + Array(0..<16).map { UInt8($0) * 7 }
        let encoded = Base64URL.encode(bridgeKey)
        let answer = try await server.test { client in
            try await client.call(
                "account.cart.add.json", verb: .post, apiKey: apiKey,
                body: #"{"cart_id":"Opencart14","store_url":"https://shop.example.com","verify":false,"bridge_key":"\#(encoded)"}"#
            )
        }
        #expect(answer.returnCode == 0, "\(answer.raw)")
        let stored = try await server.services.credentials.get(storeID: 1, name: StoreCredentials.bridgeKey)
        #expect(stored == bridgeKey)
        var fileBytes: [UInt8] = []
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: server.configuration.registryPath + suffix) { fileBytes += data }
        }
        #expect(fileBytes.count > 1000)
        #expect(!Self.contains(fileBytes, bridgeKey))
        #expect(!Self.contains(fileBytes, Array(encoded.utf8)))
        #expect(!Self.contains(fileBytes, Array(apiKey.utf8)))
    }

    @Test func rotationKeepsEveryCredentialReadable() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let credentials = server.services.credentials
        let apiKey = try await server.newAccount()
        var keys: [Int64: [UInt8]] = [:]
        for index in 1...3 {
            let answer = try await server.test { client in
                try await client.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: #"{"cart_id":"Woocommerce","store_url":"https://shop\#(index).example.com","verify":false}"#)
            }
            #expect(answer.returnCode == 0)
            keys[Int64(index)] = try await credentials.get(storeID: Int64(index), name: StoreCredentials.bridgeKey)
        }
        try await server.services.registry.close()
        let report = try await Admin.rotateVault(configuration: server.configuration, keepOld: false, logger: server.logger)
        #expect(report.resealed == 3)
        let keyring = try Keyring(serialized: String(contentsOfFile: server.configuration.defaultKeyringPath, encoding: .utf8))
        #expect(keyring.keys.count == 1)
        #expect(keyring.current.version == 2)
        // A fresh start with the rotated keyring reads every credential, and each is sealed under version 2.
        let restarted = try await CartBridgeApp.makeServices(configuration: server.configuration, httpClient: TestServer.httpClient, logger: server.logger)
        for (storeID, key) in keys {
            #expect(try await restarted.credentials.get(storeID: storeID, name: StoreCredentials.bridgeKey) == key)
            let sealed = try await restarted.registry.credential(storeID: storeID, name: StoreCredentials.bridgeKey)
            #expect(sealed.flatMap { Vault.keyVersion(of: $0.sealed) } == 2)
        }
        try await restarted.registry.close()
    }

    @Test func rotationWhileTheServerRunsLosesNothing() async throws {
        let server = try await TestServer.make(configure: { $0.keyringCheckInterval = .milliseconds(50) })
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let add = { @Sendable (index: Int) async throws -> Int64? in
            try await server.test { client in
                try await client.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: #"{"cart_id":"Opencart14","store_url":"https://r\#(index).example.com","verify":false}"#)
            }.returnCode
        }
        for index in 0..<5 { #expect(try await add(index) == 0) }
        let report = try await withThrowingTaskGroup(of: VaultRotation.Report?.self) { group in
            group.addTask { try await Admin.rotateVault(configuration: server.configuration, keepOld: false, logger: server.logger) }
            group.addTask {
                // Stores keep being added, and credentials read, while the rotation runs.
                for index in 5..<25 {
                    #expect(try await add(index) == 0)
                    #expect(try await server.services.credentials.get(storeID: Int64(index % 5 + 1), name: StoreCredentials.bridgeKey) != nil)
                    try await Task.sleep(for: .milliseconds(10))
                }
                return nil
            }
            var report: VaultRotation.Report?
            for try await result in group { report = report ?? result }
            return try #require(report)
        }
        #expect(report.resealed + report.alreadyCurrent >= 5)
        let keyring = try Keyring(serialized: String(contentsOfFile: server.configuration.defaultKeyringPath, encoding: .utf8))
        #expect(keyring.keys.count == 1)
        #expect(keyring.current.version == 2)
        // Every credential, old or written during the rotation, is sealed under the new key and still opens.
        let all = try await server.services.registry.allCredentials()
        #expect(all.count == 25)
        for credential in all {
            #expect(Vault.keyVersion(of: credential.sealed) == 2)
            #expect(try await server.services.credentials.get(storeID: credential.storeID, name: credential.name)?.count == 32)
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}
