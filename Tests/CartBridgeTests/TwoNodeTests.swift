import CartBridgeCore
import Foundation
import Registry
import Testing

@testable import CartBridgeServer

/// Two nodes (two `Services`, two routers, each with its own pool) on one PostgreSQL registry, as behind a load
/// balancer: what one node writes, the other serves, and the limits hold across both.
@Suite(.enabled(if: RegistryBackend.postgresURL != nil, "\(RegistryBackend.postgresSkipReason)"))
struct TwoNodeTests {
    /// Node A on a fresh schema, node B on the same schema with A's keyring (every node needs the same master key).
    static func nodes(
        configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
        channels: (any StoreChannelFactory)? = nil
    ) async throws -> (TestServer, TestServer, TestRegistryLocation) {
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
        return (nodeA, nodeB, place)
    }

    static func shutDown(_ nodes: TestServer..., place: TestRegistryLocation) async {
        for node in nodes {
            try? await node.services.registry.close()
            node.directory.remove()
        }
        await place.remove()
    }

    @Test func aStoreAddedThroughNodeAIsServedByNodeB() async throws {
        let (nodeA, nodeB, place) = try await Self.nodes()
        do {
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
        } catch {
            await Self.shutDown(nodeA, nodeB, place: place)
            throw error
        }
        await Self.shutDown(nodeA, nodeB, place: place)
    }

    @Test func aLimitReachedThroughNodeAHoldsForNodeB() async throws {
        let gates = GatedChannels()
        let (nodeA, nodeB, place) = try await Self.nodes(
            configure: {
                $0.perStoreConcurrency = 2
                $0.perAccountConcurrency = 3
            },
            channels: gates
        )
        do {
            let apiKey = try await nodeA.newAccount()
            var storeKeys: [String] = []
            for index in 1...2 {
                let added = try await nodeA.test {
                    try await $0.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: #"{"cart_id":"Opencart14","store_url":"https://limit\#(index).example","verify":false}"#)
                }
                storeKeys.append(try #require(added.result["store_key"]?.stringValue))
            }
            let keys = storeKeys
            try await nodeA.test { clientA in
                try await nodeB.test { clientB in
                    try await withThrowingTaskGroup(of: Int64?.self) { group in
                        // Two calls through A hold store 1's two slots: the next call through B gets 7.
                        for _ in 0..<2 {
                            group.addTask { try await clientA.call("cart.validate.json", apiKey: apiKey, storeKey: keys[0]).returnCode }
                        }
                        while gates.arrived < 2 { try await Task.sleep(for: .milliseconds(5)) }
                        let third = try await clientB.call("cart.validate.json", apiKey: apiKey, storeKey: keys[0])
                        #expect(third.returnCode == 7, "\(third.raw)")

                        // One more through B on store 2 fills the account's three slots: the next call of the
                        // account gets 10 on either node.
                        group.addTask { try await clientB.call("cart.validate.json", apiKey: apiKey, storeKey: keys[1]).returnCode }
                        while gates.arrived < 3 { try await Task.sleep(for: .milliseconds(5)) }
                        #expect(try await clientB.call("account.cart.list.json", apiKey: apiKey).returnCode == 10)
                        #expect(try await clientA.call("account.cart.list.json", apiKey: apiKey).returnCode == 10)

                        gates.open()
                        var codes: [Int64?] = []
                        for try await code in group { codes.append(code) }
                        #expect(codes == [106, 106, 106])
                    }
                    // The slots are given back in the database: both nodes answer again.
                    #expect(try await clientB.call("account.cart.list.json", apiKey: apiKey).returnCode == 0)
                    #expect(try await clientA.call("account.cart.list.json", apiKey: apiKey).returnCode == 0)
                }
            }
        } catch {
            await Self.shutDown(nodeA, nodeB, place: place)
            throw error
        }
        await Self.shutDown(nodeA, nodeB, place: place)
    }
}
