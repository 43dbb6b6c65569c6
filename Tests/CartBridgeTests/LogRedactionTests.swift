import CartBridgeCore
import Foundation
import HTTPTypes
import Logging
import Synchronization
import Testing

@testable import CartBridgeServer

/// Keeps every log line (message and metadata) a server writes, to check no secret is among them.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { self.lines.withLock { $0 } }

    func handler(label: String) -> any LogHandler {
        Handler(sink: self, metadata: [:], logLevel: .trace)
    }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata
        var logLevel: Logger.Level

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { _, new in new }
            let line = "\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
            self.sink.lines.withLock { $0.append(line) }
        }
    }
}

@Suite struct LogRedactionTests {
    @Test func noKeyReachesALogLine() async throws {
        let logs = CapturedLogs()
        let server = try await TestServer.make(logHandler: logs.handler(label:))
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let bridgeKey = Base64URL.encode((0..<32).map { UInt8(($0 * 37 + 11) % 256) })
        let store = TestStores.named("ocmini")
        let body = store.map {
            #"{"cart_id":"Opencart14","store_url":"\#($0.store_url)","bridge_url":"\#($0.bridge_url)","bridge_key":"\#($0.bridge_key)"}"#
        } ?? #"{"cart_id":"Opencart14","store_url":"https://shop.example.com","verify":false,"bridge_key":"\#(bridgeKey)"}"#
        let secrets = [apiKey, bridgeKey] + (store.map { [$0.bridge_key] } ?? [])
        try await server.test { client in
            let added = try await client.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: body)
            #expect(added.returnCode == 0, "\(added.raw)")
            let storeKey = added.result["store_key"]?.stringValue ?? ""
            _ = try await client.call("cart.info.json", apiKey: apiKey, storeKey: storeKey)
            _ = try await client.call("cart.validate.json", apiKey: apiKey, storeKey: storeKey)
            _ = try await client.call("account.config.update.json", verb: .put, apiKey: apiKey, storeKey: storeKey, query: "bridge_key=\(bridgeKey)")
            _ = try await client.call("cart.info.json", apiKey: apiKey, storeKey: storeKey)  // fails: the bridge has the other key
            _ = try await client.call("account.cart.list.json", query: "api_key=\(apiKey)x")
            _ = try await client.call("bridge.download.file", apiKey: apiKey, storeKey: storeKey)
        }
        let lines = logs.all
        #expect(lines.contains { $0.contains("api call") })
        for secret in secrets {
            #expect(!lines.contains { $0.contains(secret) }, "a log line holds a secret")
        }
    }
}
