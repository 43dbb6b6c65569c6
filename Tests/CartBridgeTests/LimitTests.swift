import CartBridgeCore
import Foundation
import HummingbirdTesting
import Registry
import Synchronization
import Testing

@testable import CartBridgeServer

/// A stand-in for the store's transport that holds every call until the test opens the gate, so a
/// test can keep calls in flight and see what the next caller gets. Only the transport is replaced:
/// the dispatcher and limiters under test are the real ones.
final class GatedChannels: StoreChannelFactory, Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>], arrived: Int)>((false, [], 0))

    func channel(for store: Store, bridgeKey: [UInt8], clockOffset: Int, services: Services) -> any StoreChannel {
        GatedChannel(gates: self)
    }

    var arrived: Int { self.state.withLock { $0.arrived } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = self.state.withLock { state -> Bool in
                state.arrived += 1
                if state.open { return true }
                state.waiting.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiting = self.state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        waiting.forEach { $0.resume() }
    }

    struct GatedChannel: StoreChannel {
        let gates: GatedChannels

        func call(_ op: String, args: JSONValue) async throws -> JSONValue {
            await self.gates.wait()
            throw CartBridgeError(.storeURLNotReachable, "gated test channel")
        }
    }
}

@Suite struct LimitTests {
    @Test func perStoreAndPerAccountLimitsAnswer7And10() async throws {
        let gates = GatedChannels()
        let server = try await TestServer.make(
            configure: {
                $0.perStoreConcurrency = 2
                $0.perAccountConcurrency = 3
            },
            channels: gates
        )
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let keys = try await Self.addStores(2, on: server, apiKey: apiKey)
        try await server.test { client in
            try await Self.fillAndFree(limitsOf: apiKey, storeKeys: keys, holdingThrough: client, checkingThrough: client, gates: gates)
        }
    }

    /// Records `count` stores (not verified) through `server`; returns their store keys.
    static func addStores(_ count: Int, on server: TestServer, apiKey: String) async throws -> [String] {
        var storeKeys: [String] = []
        for index in 1...count {
            let added = try await server.test {
                try await $0.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: #"{"cart_id":"Opencart14","store_url":"https://s\#(index).example","verify":false}"#)
            }
            storeKeys.append(try #require(added.result["store_key"]?.stringValue))
        }
        return storeKeys
    }

    /// With a store limit of 2 and an account limit of 3: holds store 1's two slots through `holding`, checks the
    /// next call gets 7 through `checking`, fills the account's third slot with a call to store 2 through
    /// `checking`, checks the account's next call gets 10 through both, then lets the calls finish and checks
    /// every slot came back. One node passes its client twice; two nodes pass one client each.
    static func fillAndFree(
        limitsOf apiKey: String,
        storeKeys keys: [String],
        holdingThrough holding: any TestClientProtocol,
        checkingThrough checking: any TestClientProtocol,
        gates: GatedChannels
    ) async throws {
        try await withThrowingTaskGroup(of: Int64?.self) { group in
            for _ in 0..<2 {
                group.addTask { try await holding.call("cart.validate.json", apiKey: apiKey, storeKey: keys[0]).returnCode }
            }
            while gates.arrived < 2 { try await Task.sleep(for: .milliseconds(5)) }
            let third = try await checking.call("cart.validate.json", apiKey: apiKey, storeKey: keys[0])
            #expect(third.returnCode == 7, "\(third.raw)")
            #expect(third.message.contains("concurrent"))

            group.addTask { try await checking.call("cart.validate.json", apiKey: apiKey, storeKey: keys[1]).returnCode }
            while gates.arrived < 3 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(try await checking.call("account.cart.list.json", apiKey: apiKey).returnCode == 10)
            #expect(try await holding.call("account.cart.list.json", apiKey: apiKey).returnCode == 10)

            gates.open()
            var codes: [Int64?] = []
            for try await code in group { codes.append(code) }
            #expect(codes == [106, 106, 106])
        }
        // Slots are given back: the account and the store answer again.
        #expect(try await checking.call("account.cart.list.json", apiKey: apiKey).returnCode == 0)
        #expect(try await holding.call("account.cart.list.json", apiKey: apiKey).returnCode == 0)
    }
}
