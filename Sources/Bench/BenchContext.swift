import AsyncHTTPClient
import CartBridgeCore
import Foundation

/// What every section of the bench works with.
struct BenchContext: Sendable {
    var config: BenchConfig
    var setup: ServerNode.Setup
    var sizes: BenchSizes
    /// For calls to the nodes.
    var apiHTTP: HTTPClient
    /// For the direct bridge calls (the bridge client's own configuration).
    var bridgeHTTP: HTTPClient
    /// The `mariadb` client and its option file (for the floor of the export).
    var mariadb: String
    var mariadbDefaultsFile: String
    /// The shared registry of the two-node figure (a schema of its own), or nil to skip it.
    var postgresURL: String?

    func dataDirectory(_ name: String) -> String {
        (self.setup.workDirectory as NSString).appendingPathComponent("data-\(name)")
    }

    /// A fresh node on its own SQLite registry, with an account, and `store` registered through it.
    func startNode(_ name: String, store: BenchConfig.Store) async throws -> (ServerNode, APIClient) {
        let data = self.dataDirectory(name)
        try? FileManager.default.removeItem(atPath: data)
        let key = try await ServerNode.createAccount(setup: self.setup, dataDirectory: data, database: nil, masterKeyFile: nil)
        let node = try await ServerNode.start(name, setup: self.setup, dataDirectory: data, http: self.apiHTTP)
        do {
            let client = try await self.register(store, api: APIClient(http: self.apiHTTP, baseURL: node.baseURL, apiKey: key))
            return (node, client)
        } catch {
            await node.stop()
            throw error
        }
    }

    /// `account.cart.add` with the store's bridge URL and key (verified: the node reads the store's configuration,
    /// which fills its config cache); the client with the new store key.
    func register(_ store: BenchConfig.Store, api: APIClient) async throws -> APIClient {
        let answer = try await api.ok("account.cart.add", body: [
            "cart_id": "Opencart14",
            "store_url": .string(store.store_url),
            "bridge_url": .string(store.bridge_url),
            "bridge_key": .string(store.bridge_key),
        ])
        guard let storeKey = answer.result["store_key"]?.stringValue else {
            throw APIClient.Failure(description: "account.cart.add answered no store_key")
        }
        var client = api
        client.storeKey = storeKey
        return client
    }
}

/// How long and how much: the full run, or `--quick`.
struct BenchSizes: Sendable {
    var overheadIterations: Int
    var overheadWarmup: Int
    var throughputConnections: Int
    var throughputRounds: Int
    var throughputSeconds: Int
    var nodeConcurrency: Int
    var nodeRounds: Int
    var nodeSeconds: Int
    var exportCount = 250
    var floorRuns: Int

    static let full = BenchSizes(
        overheadIterations: 200, overheadWarmup: 10, throughputConnections: 16, throughputRounds: 3, throughputSeconds: 4,
        nodeConcurrency: 8, nodeRounds: 3, nodeSeconds: 6, floorRuns: 3
    )
    static let quick = BenchSizes(
        overheadIterations: 30, overheadWarmup: 3, throughputConnections: 16, throughputRounds: 1, throughputSeconds: 2,
        nodeConcurrency: 8, nodeRounds: 1, nodeSeconds: 3, floorRuns: 2
    )
}
