import CartBridgeCore
import Foundation
import Registry
import Testing

@testable import CartBridgeServer

/// Two nodes (two `Services`, two routers, each with its own pool) on one PostgreSQL registry, as behind a load
/// balancer: what one node writes, the other serves, and the limits hold across both.
@Suite(.enabled(if: RegistryBackend.postgresURL != nil, "\(RegistryBackend.postgresSkipReason)"))
struct TwoNodeTests {
    /// Runs `body` with node A on a fresh schema and node B on the same schema with A's keyring (every node needs
    /// the same master key), then closes both and drops the schema.
    static func withNodes(
        configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
        channels: (any StoreChannelFactory)? = nil,
        _ body: (TestServer, TestServer) async throws -> Void
    ) async throws {
        let place = try TestRegistryLocation(.postgres)
        let nodeA = try await TestServer.make(
            configure: {
                $0.database = place.location
                configure(&$0)
            },
            channels: channels
        )
        let nodeB = try await TestServer.make(
            configure: {
                $0.database = place.location
                $0.masterKeyFile = nodeA.configuration.defaultKeyringPath
                configure(&$0)
            },
            channels: channels
        )
        let shutDown = {
            for node in [nodeA, nodeB] {
                try? await node.services.registry.close()
                node.directory.remove()
            }
            await place.remove()
        }
        do {
            try await body(nodeA, nodeB)
        } catch {
            await shutDown()
            throw error
        }
        await shutDown()
    }

    @Test func aStoreAddedThroughNodeAIsServedByNodeB() async throws {
        try await Self.withNodes { nodeA, nodeB in
            let apiKey = try await nodeA.newAccount()
            // The account made on A is known to B.
            let listed = try await nodeB.test { try await $0.call("account.cart.list.json", apiKey: apiKey) }
            #expect(listed.returnCode == 0, "\(listed.raw)")
            #expect(listed.result["carts"]?.arrayValue?.isEmpty == true, "\(listed.raw)")

            // A store recorded through A is listed by B, with the bridge key A generated.
            let added = try await nodeA.test {
                try await $0.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: #"{"cart_id":"Opencart14","store_url":"https://two-nodes.example","verify":false}"#)
            }
            #expect(added.returnCode == 0, "\(added.raw)")
            let again = try await nodeB.test { try await $0.call("account.cart.list.json", apiKey: apiKey) }
            #expect(again.raw.contains("https://two-nodes.example"), "\(again.raw)")
            let storeKey = try #require(added.result["store_key"]?.stringValue)
            let zip = try await nodeB.test { try await $0.execute(uri: "/v1.1/bridge.download.file", method: .get, headers: [.init("x-api-key")!: apiKey, .init("x-store-key")!: storeKey]) }
            #expect(zip.status == .ok)
            #expect(zip.headers[.contentType] == "application/zip")

            // With the real bridge: a store registered (and its configuration read) through A answers cart.info
            // through B, from the configuration A cached: B itself makes no call to the store.
            if let entry = TestStores.named("ocmini") ?? TestStores.all.first {
                let realKey = try await StoreTests.register(entry, on: nodeA, apiKey: apiKey)
                let info = try await nodeB.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: realKey, query: "params=force_all") }
                #expect(info.returnCode == 0, "\(info.raw)")
                #expect(info.result["db_prefix"] == .string(entry.table_prefix))
                #expect(info.result["additional_fields"]?["cart_type"] == .string(entry.cart_type))
                #expect(StoreTests.storeCalls(nodeB) == 0)
                // B validates (reads the store itself, signing with the key from the shared vault).
                let validated = try await nodeB.test { try await $0.call("cart.validate.json", apiKey: apiKey, storeKey: realKey) }
                #expect(validated.returnCode == 0, "\(validated.raw)")
                #expect(StoreTests.storeCalls(nodeB) == 3)
            } else {
                print("SKIP two-node cart.info through the real bridge: \(TestStores.skipReason)")
            }
        }
    }

    @Test func aLimitReachedThroughNodeAHoldsForNodeB() async throws {
        let gates = GatedChannels()
        try await Self.withNodes(
            configure: {
                $0.perStoreConcurrency = 2
                $0.perAccountConcurrency = 3
            },
            channels: gates
        ) { nodeA, nodeB in
            let apiKey = try await nodeA.newAccount()
            let keys = try await LimitTests.addStores(2, on: nodeA, apiKey: apiKey)
            // Calls held through A fill the slots; B, asked next, refuses with 7 and 10; the slots come back on both.
            try await nodeA.test { clientA in
                try await nodeB.test { clientB in
                    try await LimitTests.fillAndFree(limitsOf: apiKey, storeKeys: keys, holdingThrough: clientA, checkingThrough: clientB, gates: gates)
                }
            }
        }
    }
}
