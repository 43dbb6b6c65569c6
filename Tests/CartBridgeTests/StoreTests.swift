import CartBridgeCore
import Foundation
import HTTPTypes
import Registry
import Testing

@testable import CartBridgeServer

/// Store-level methods against the real PHP bridge in real store roots (MariaDB with the carts' data).
@Suite(.enabled(if: TestStores.available, "\(TestStores.skipReason)"))
struct StoreTests {
    /// Registers a test store through the API, verified against its bridge, and returns its store key.
    static func register(_ store: TestStores.Entry, on server: TestServer, apiKey: String) async throws -> String {
        let cartID = CartType(rawValue: store.cart_type)!.cartID
        let answer = try await server.test {
            try await $0.call(
                "account.cart.add.json", verb: .post, apiKey: apiKey,
                body: #"{"cart_id":"\#(cartID)","store_url":"\#(store.store_url)","bridge_url":"\#(store.bridge_url)","bridge_key":"\#(store.bridge_key)"}"#
            )
        }
        try #require(answer.returnCode == 0, "\(store.name): \(answer.raw)")
        return try #require(answer.result["store_key"]?.stringValue)
    }

    /// Calls to stores' bridges so far, from the server's own metrics.
    static func storeCalls(_ server: TestServer) -> Int {
        let text = String(decoding: server.services.metrics.exposition(), as: UTF8.self)
        return text.split(separator: "\n")
            .filter { $0.hasPrefix("cartbridge_store_calls_total{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
            .reduce(0, +)
    }

    @Test(arguments: TestStores.all.map(\.name))
    func cartInfoMatchesTheStore(name: String) async throws {
        let entry = try #require(TestStores.named(name))
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let storeKey = try await Self.register(entry, on: server, apiKey: apiKey)
        let info = try await server.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: storeKey, query: "params=force_all") }
        #expect(info.returnCode == 0, "\(info.raw)")
        #expect(info.result["db_prefix"] == .string(entry.table_prefix))
        #expect(info.result["version"]?.stringValue?.hasPrefix(String(entry.cart_version.prefix(3))) == true, "\(info.raw)")
        #expect(info.result["additional_fields"]?["cart_type"] == .string(entry.cart_type))
        let views = try #require(info.result["stores_info"]?.arrayValue)
        #expect(!views.isEmpty)
        #expect(views[0]["store_languages"]?.arrayValue?.isEmpty == false)
        #expect(views[0]["store_currencies"]?.arrayValue?.isEmpty == false)
        // The contract's default params: store_name, store_url, db_prefix (its own spelling for name and url).
        let defaults = try await server.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: storeKey) }
        #expect(Set(defaults.result.objectValue?.keys.map { $0 } ?? []) == ["name", "url", "db_prefix"])
    }

    @Test func secondCartInfoWithinTheTTLMakesNoStoreCallAndValidateMakesOne() async throws {
        let entry = try #require(TestStores.named("ocmini") ?? TestStores.all.first)
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let storeKey = try await Self.register(entry, on: server, apiKey: apiKey)
        // Registration read the store once (ping, detect, settings) and cached what it read.
        let afterAdd = Self.storeCalls(server)
        #expect(afterAdd == 3)
        let first = try await server.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: storeKey) }
        let second = try await server.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: storeKey) }
        #expect(first.returnCode == 0)
        #expect(second.raw == first.raw)
        #expect(Self.storeCalls(server) == afterAdd)

        let validate = try await server.test { try await $0.call("cart.validate.json", apiKey: apiKey, storeKey: storeKey) }
        #expect(validate.returnCode == 0, "\(validate.raw)")
        #expect(Self.storeCalls(server) == afterAdd + 3)
        let diagnosis = try #require(validate.result["diagnosis"])
        #expect(diagnosis["bridge_reachable"] == true)
        #expect(diagnosis["database_reachable"] == true)
        #expect(diagnosis["cart_type"] == .string(entry.cart_type))
        #expect(diagnosis["table_prefix"] == .string(entry.table_prefix))
        #expect(diagnosis["encrypted"] == true)  // the test stores are served over http://

        let cleared = try await server.test { try await $0.call("cart.clear_cache.json", verb: .post, apiKey: apiKey, storeKey: storeKey, query: "cache_type=storage_cache") }
        #expect(cleared.returnCode == 0)
        _ = try await server.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: storeKey) }
        #expect(Self.storeCalls(server) == afterAdd + 6)
        let missingType = try await server.test { try await $0.call("cart.clear_cache.json", verb: .post, apiKey: apiKey, storeKey: storeKey) }
        #expect(missingType.returnCode == 114)
    }

    @Test func expiredCacheIsReadAgain() async throws {
        let entry = try #require(TestStores.named("ocmini") ?? TestStores.all.first)
        let server = try await TestServer.make(configure: { $0.configCacheTTL = .zero })
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let storeKey = try await Self.register(entry, on: server, apiKey: apiKey)
        let before = Self.storeCalls(server)
        _ = try await server.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: storeKey) }
        #expect(Self.storeCalls(server) == before + 3)
    }

    @Test func wrongBridgeKeyIsRefusedAndNothingIsKept() async throws {
        let entry = try #require(TestStores.named("ocmini") ?? TestStores.all.first)
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let wrongKey = Base64URL.encode([UInt8](repeating: 7, count: 32))
        let answer = try await server.test {
            try await $0.call(
                "account.cart.add.json", verb: .post, apiKey: apiKey,
                body: #"{"cart_id":"Opencart14","store_url":"\#(entry.store_url)","bridge_url":"\#(entry.bridge_url)","bridge_key":"\#(wrongKey)"}"#
            )
        }
        #expect(answer.returnCode == 105, "\(answer.raw)")
        #expect(!answer.message.isEmpty)
        #expect(!answer.raw.contains(wrongKey))
        #expect(try await server.services.registry.stores(accountID: 1).isEmpty)
    }

    @Test func unreachableStoreIsCode106() async throws {
        let server = try await TestServer.make(configure: { $0.bridgeTimeout = .seconds(5) })
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let answer = try await server.test {
            try await $0.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: #"{"cart_id":"Opencart14","store_url":"http://127.0.0.1:9"}"#)
        }
        #expect(answer.returnCode == 106, "\(answer.raw)")
        #expect(try await server.services.registry.stores(accountID: 1).isEmpty)
    }

    @Test func wrongCartIDIsCalledOut() async throws {
        let entry = try #require(TestStores.named("ocmini") ?? TestStores.all.first)
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let answer = try await server.test {
            try await $0.call(
                "account.cart.add.json", verb: .post, apiKey: apiKey,
                body: #"{"cart_id":"Prestashop","store_url":"\#(entry.store_url)","bridge_url":"\#(entry.bridge_url)","bridge_key":"\#(entry.bridge_key)"}"#
            )
        }
        #expect(answer.returnCode == 107)
        #expect(answer.message.contains("OpenCart"))
    }

    @Test func unknownStoreViewIs112AndACopiedCiphertextIs9() async throws {
        let entry = try #require(TestStores.named("ocmini") ?? TestStores.all.first)
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let storeKey = try await Self.register(entry, on: server, apiKey: apiKey)
        let missingView = try await server.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: storeKey, query: "store_id=999") }
        #expect(missingView.returnCode == 112)

        // A second store whose sealed key is replaced by the first store's ciphertext: the vault binds a
        // ciphertext to its row, so it does not open there, and the client gets a plain internal error.
        let other = try await server.test {
            try await $0.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: #"{"cart_id":"Opencart14","store_url":"https://other.example.com","bridge_url":"\#(entry.bridge_url)","verify":false}"#)
        }
        let otherKey = try #require(other.result["store_key"]?.stringValue)
        let registry = server.services.registry
        let stolen = try #require(try await registry.credential(storeID: 1, name: StoreCredentials.bridgeKey))
        try await registry.putCredential(SealedCredential(storeID: 2, name: StoreCredentials.bridgeKey, sealed: stolen.sealed))
        let refused = try await server.test { try await $0.call("cart.validate.json", apiKey: apiKey, storeKey: otherKey) }
        #expect(refused.returnCode == 9)
        #expect(refused.message.contains("could not be read"))
        APIEnvelopeTests.expectNoLeak(refused)
    }

    @Test func deleteForgetsTheStoreAndItsCredentials() async throws {
        let entry = try #require(TestStores.named("ocmini") ?? TestStores.all.first)
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let storeKey = try await Self.register(entry, on: server, apiKey: apiKey)
        let deleted = try await server.test { try await $0.call("cart.delete.json", verb: .delete, apiKey: apiKey, storeKey: storeKey) }
        #expect(deleted.returnCode == 0)
        #expect(try await server.services.registry.allCredentials().isEmpty)
        #expect(try await server.services.registry.cachedConfig(storeID: 1) == nil)
        let after = try await server.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: storeKey) }
        #expect(after.returnCode == 4)
    }
}
