import AsyncHTTPClient
import BridgeClient
import BridgeProtocol
import CartBridgeCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// The client against the real PHP bridge of each store of the test environment.
@Suite(
    "BridgeClient end to end",
    .enabled(if: TestEnvironment.isAvailable, "needs CARTBRIDGE_TEST_STORES from scripts/testenv/up"),
    .serialized
)
struct BridgeClientEndToEndTests {
    static let logger = Logger(label: "cartbridge.tests.bridge-client")

    /// Runs `body` with a client on its own `HTTPClient`, shut down afterwards.
    static func withClient<T>(
        _ configuration: BridgeClient.Configuration = BridgeClient.Configuration(),
        _ body: (BridgeClient) async throws -> T
    ) async throws -> T {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration.makeHTTPClientConfiguration())
        do {
            let result = try await body(BridgeClient(httpClient: http, logger: Self.logger, configuration: configuration))
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// The `CartBridgeError` that `body` throws.
    static func failure(_ body: () async throws -> Void) async -> CartBridgeError? {
        do {
            try await body()
            return nil
        } catch let error as CartBridgeError {
            return error
        } catch {
            Issue.record("not a CartBridgeError: \(error)")
            return nil
        }
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// Shows what an API client and an operator would see.
    static func show(_ label: String, _ error: CartBridgeError?) {
        guard let error else { return }
        print("BridgeClientTests: \(label): \(error.code.rawValue) \(error.message) [\(error.detail ?? "")]")
    }

    @Test func pingEveryStore() async throws {
        try await Self.withClient { client in
            for store in TestEnvironment.stores {
                let ping = try await client.ping(endpoint: try store.endpoint())
                #expect(ping.protocolName == "cartbridge/1", "\(store.name)")
                #expect(!ping.bridgeVersion.isEmpty)
                #expect(ping.phpVersion.hasPrefix("8.") || ping.phpVersion.hasPrefix("7."))
                #expect(abs(ping.time - Self.now) < 30, "\(store.name): bridge clock")
                // http:// bridge URLs are always encrypted, and the bridge answers in kind.
                #expect(ping.encrypted, "\(store.name)")
                #expect(!ping.readOnly)
            }
        }
    }

    @Test func detectEveryStore() async throws {
        let names = TestEnvironment.stores.map(\.name)
        print("BridgeClientTests: detect runs against \(names.joined(separator: ", "))")
        try await Self.withClient { client in
            for store in TestEnvironment.stores {
                let detection = try await client.detect(endpoint: try store.endpoint())
                #expect(detection.cartType == store.cartType, "\(store.name)")
                #expect(detection.cartVersion == store.cartVersion, "\(store.name)")
                #expect(detection.tablePrefix == store.tablePrefix, "\(store.name)")
                #expect(detection.dbServerVersion?.contains("MariaDB") == true, "\(store.name)")
                #expect(detection.dbCharset?.isEmpty == false, "\(store.name)")
            }
        }
        // The carts the environment is meant to hold, when present.
        let expected: [(String, String, String)] = [
            ("oc4104", "opencart", "4.1.0.4"), ("oc3051", "opencart", "3.0.5.1"), ("wc995", "woocommerce", "9.9.5"),
            ("ocmini", "opencart", "4.1.0.4"),
        ]
        for (name, cart, version) in expected {
            guard let store = TestEnvironment.store(name) else { continue }
            #expect(store.cartType == cart && store.cartVersion == version, "\(name)")
        }
        if let presta = TestEnvironment.stores.first(where: { $0.cartType == "prestashop" }) {
            #expect(!presta.cartVersion.isEmpty)
        }
    }

    @Test(.enabled(if: TestEnvironment.openCart != nil, "needs an OpenCart demo store loaded from ../shared/carts"))
    func detectWithExplicitTablePrefix() async throws {
        let store = try #require(TestEnvironment.openCart)
        try await Self.withClient { client in
            let detection = try await client.detect(endpoint: try store.endpoint(), tablePrefix: store.tablePrefix)
            #expect(detection.tablePrefix == store.tablePrefix)
        }
    }

    @Test(.enabled(if: TestEnvironment.openCart != nil, "needs an OpenCart demo store loaded from ../shared/carts"))
    func queryOpenCartProduct40() async throws {
        let stores = TestEnvironment.stores.filter { $0.cartType == "opencart" && $0.source != "generated" }
        try #require(!stores.isEmpty)
        try await Self.withClient { client in
            for store in stores {
                let results = try await client.query(
                    statements: [
                        BridgeStatement(
                            "SELECT product_id, model, price, quantity FROM \(store.tablePrefix)product WHERE product_id = ?",
                            params: [40]
                        ),
                        BridgeStatement(
                            "SELECT product_id FROM \(store.tablePrefix)product WHERE product_id > ? ORDER BY product_id LIMIT ?",
                            params: [40, 2]
                        ),
                    ],
                    endpoint: try store.endpoint()
                )
                #expect(results.count == 2)
                let product = results[0]
                #expect(product.columns == ["product_id", "model", "price", "quantity"], "\(store.name)")
                #expect(product.rowCount == 1)
                #expect(product.value("product_id", row: 0) == .int(40))
                #expect(product.value("model", row: 0) == "product 11", "\(store.name)")
                // DECIMAL(15,4) comes as its exact text.
                #expect(product.value("price", row: 0) == "101.0000", "\(store.name)")
                #expect(product.value("quantity", row: 0) == .int(970), "\(store.name)")
                #expect(results[1].rows == [[41], [42]])
            }
        }
    }

    @Test func queryOtherCarts() async throws {
        try await Self.withClient { client in
            if let wc = TestEnvironment.stores.first(where: { $0.cartType == "woocommerce" }) {
                let result = try await client.query(
                    statements: [BridgeStatement(
                        "SELECT option_value FROM \(wc.tablePrefix)options WHERE option_name = ?",
                        params: ["woocommerce_version"]
                    )],
                    endpoint: try wc.endpoint()
                )
                #expect(result[0].rows == [[.string(wc.cartVersion)]])
            }
            if let ps = TestEnvironment.stores.first(where: { $0.cartType == "prestashop" }) {
                let result = try await client.query(
                    statements: [BridgeStatement(
                        "SELECT value FROM \(ps.tablePrefix)configuration WHERE name = ?",
                        params: ["PS_VERSION_DB"]
                    )],
                    endpoint: try ps.endpoint()
                )
                #expect(result[0].rows == [[.string(ps.cartVersion)]])
            }
            if let mini = TestEnvironment.store("ocmini") {
                let result = try await client.query(
                    statements: [BridgeStatement("SELECT COUNT(*) AS n FROM \(mini.tablePrefix)product")],
                    endpoint: try mini.endpoint()
                )
                #expect((result[0].value("n", row: 0)?.intValue ?? 0) > 0)
            }
        }
    }

    @Test(.enabled(if: TestEnvironment.openCart != nil, "needs an OpenCart demo store loaded from ../shared/carts"))
    func writesInATransactionAndRollsBackOnFailure() async throws {
        let store = try #require(TestEnvironment.openCart)
        let table = "\(store.tablePrefix)product"
        try await Self.withClient { client in
            let endpoint = try store.endpoint()
            // The second statement fails, so the first one's update is rolled back.
            let error = await Self.failure {
                _ = try await client.query(
                    statements: [
                        BridgeStatement("UPDATE \(table) SET quantity = quantity + 1 WHERE product_id = ?", params: [40]),
                        BridgeStatement("SELECT no_such_column FROM \(table)"),
                    ],
                    transaction: true,
                    endpoint: endpoint
                )
            }
            // The store's database refused: 100, not a fault of the bridge.
            #expect(error?.code == .storeAPIAccessError)
            #expect(error?.bridgeErrorCode == .dbError)
            // Never the SQL, neither for the client nor in the log detail.
            #expect(error?.message.contains("no_such_column") == false)
            #expect(error?.detail?.contains("no_such_column") == false)
            #expect(error?.detail?.contains("statement_index=1") == true)
            Self.show("database error", error)

            let after = try await client.query(
                statements: [BridgeStatement("SELECT quantity FROM \(table) WHERE product_id = ?", params: [40])],
                endpoint: endpoint
            )
            #expect(after[0].rows == [[970]])
        }
    }

    @Test func queryStringIsSignedAndAccepted() async throws {
        let store = try #require(TestEnvironment.stores.first)
        try await Self.withClient { client in
            let ping = try await client.ping(endpoint: try store.endpoint(url: store.bridgeURL + "?v=1&x=%2F"))
            #expect(ping.protocolName == "cartbridge/1")
        }
    }

    @Test func responseAlteredInTransitIsRejected() async throws {
        let store = try #require(TestEnvironment.stores.first)
        let proxy = try TestProxy(upstreamPort: store.port, mode: .flipBodyByte)
        defer { proxy.stop() }
        let url = "http://127.0.0.1:\(proxy.port)/cartbridge/bridge.php"
        try await Self.withClient { client in
            let error = await Self.failure { _ = try await client.ping(endpoint: try store.endpoint(url: url)) }
            #expect(error?.code == .bridgeResponseError)
            #expect(error?.bridgeErrorCode == .bridgeResponseInvalid)
            #expect(error?.detail?.contains("check=digest_mismatch") == true, "\(error?.detail ?? "")")
            Self.show("altered response", error)
        }
    }

    @Test func capturedRequestSentAgainIsReplayed() async throws {
        let store = try #require(TestEnvironment.stores.first)
        let endpoint = try store.endpoint()
        let key = try BridgeKey(base64URL: store.bridgeKey)
        // A plaintext request (the bridge accepts JSON unless its config requires encryption).
        let body = Array(#"{"op":"ping","args":{}}"#.utf8)
        let nonce = BridgeNonce.generate()
        let signed = try BridgeRequestSigner(keyID: store.keyID, key: key).sign(
            authority: endpoint.authority,
            path: endpoint.path,
            query: endpoint.query,
            contentType: "application/json",
            body: body,
            created: Self.now,
            expires: Self.now + 60,
            nonce: nonce
        )
        var request = HTTPClientRequest(url: endpoint.requestURL)
        request.method = .POST
        for field in signed.headers { request.headers.add(name: field.name, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let verifier = BridgeResponseVerifier(keyID: store.keyID, key: key)

        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            var statuses: [Int] = []
            var replies: [JSONValue] = []
            for _ in 0..<2 {
                let response = try await http.execute(request, timeout: .seconds(30))
                var buffer = try await response.body.collect(upTo: 1 << 20)
                let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                let status = Int(response.status.code)
                let verified = try verifier.verify(
                    status: status,
                    fields: response.headers.map { HeaderField($0.name, $0.value) },
                    body: bytes,
                    expectedNonce: nonce
                )
                #expect(!verified.isEncrypted)
                statuses.append(status)
                replies.append(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)))
            }
            #expect(statuses == [200, 409])
            #expect(replies[0]["ok"] == true)
            #expect(replies[0]["result"]?["encrypted"] == false)
            #expect(replies[1]["error"]?["code"] == "replayed")
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    @Test func clockOffsetLearnedFromSignedClockSkew() async throws {
        let store = try #require(TestEnvironment.stores.first)
        let learned = Mutex<[Int64]>([])
        try await Self.withClient { client in
            // The service believes the store's clock is an hour behind: the first request is stale.
            let reply = try await client.call(
                "ping",
                endpoint: try store.endpoint(clockOffset: -3600),
                onClockOffset: { offset in learned.withLock { $0.append(offset) } }
            )
            #expect(reply.attempts == 2)
            #expect(reply.result["protocol"] == "cartbridge/1")
        }
        let offsets = learned.withLock { $0 }
        #expect(offsets.count == 1)
        #expect(abs(offsets.first ?? 9999) <= 5, "learned \(offsets)")

        // The service's own clock is 1000 s slow: the store's offset is about +1000.
        let slow = BridgeClient.Configuration(clock: { Int64(Date().timeIntervalSince1970) - 1000 })
        let learnedSlow = Mutex<[Int64]>([])
        try await Self.withClient(slow) { client in
            let ping = try await client.ping(
                endpoint: try store.endpoint(),
                onClockOffset: { offset in learnedSlow.withLock { $0.append(offset) } }
            )
            #expect(ping.protocolName == "cartbridge/1")
        }
        let slowOffsets = learnedSlow.withLock { $0 }
        #expect(slowOffsets.count == 1)
        #expect(abs((slowOffsets.first ?? 0) - 1000) <= 5, "learned \(slowOffsets)")

        // With the right offset no retry is needed.
        try await Self.withClient(slow) { client in
            let reply = try await client.call("ping", endpoint: try store.endpoint(clockOffset: slowOffsets.first ?? 1000))
            #expect(reply.attempts == 1)
        }
    }

    @Test func wrongKeyIsAKeyError() async throws {
        let store = try #require(TestEnvironment.stores.first)
        try await Self.withClient { client in
            // The right key id with another key: the bridge's signed sig_invalid does not verify under our key.
            let wrongKey = await Self.failure { _ = try await client.ping(endpoint: try store.endpoint(key: BridgeKey.generate())) }
            #expect(wrongKey?.code == .bridgeResponseError)
            #expect(wrongKey?.bridgeErrorCode == .sigInvalid)
            #expect(wrongKey?.message.contains("key") == true, "\(wrongKey?.message ?? "")")
            #expect(wrongKey.map { !"\($0)".contains(store.bridgeKey) } == true)
            Self.show("wrong key", wrongKey)

            // A key id the bridge does not have: an unsigned key_unknown.
            let unknown = await Self.failure { _ = try await client.ping(endpoint: try store.endpoint(keyID: "k9")) }
            #expect(unknown?.code == .bridgeResponseError)
            #expect(unknown?.bridgeErrorCode == .keyUnknown)
            Self.show("unknown key id", unknown)
            #expect(
                unknown?.message
                    == "The bridge rejected the request signature: check that the bridge config holds this store's current key (key_unknown)."
            )
        }
    }

    @Test func unreachableAndMissingBridges() async throws {
        let store = try #require(TestEnvironment.stores.first)
        let closed = try TestProxy.closedPort()
        // HTTPClient retries a refused connection until its connect timeout: keep that short here.
        try await Self.withClient(BridgeClient.Configuration(connectTimeout: .seconds(2))) { client in
            let refused = await Self.failure {
                _ = try await client.ping(endpoint: try store.endpoint(url: "http://127.0.0.1:\(closed)/cartbridge/bridge.php"))
            }
            #expect(refused?.code == .storeURLNotReachable)
            #expect(refused?.bridgeErrorCode == .bridgeUnreachable)
            Self.show("closed port", refused)

            let notFound = await Self.failure {
                _ = try await client.ping(endpoint: try store.endpoint(url: store.storeURL + "no-such-folder/bridge.php"))
            }
            #expect(notFound?.code == .storeURLNotReachable)
            #expect(notFound?.bridgeErrorCode == .bridgeNotFound)
            #expect(notFound?.message.contains("404") == true)
            Self.show("no bridge at the URL", notFound)
        }
    }

    @Test func timeoutAndResponseLimit() async throws {
        let store = try #require(TestEnvironment.stores.first)
        let proxy = try TestProxy(upstreamPort: store.port, mode: .blackhole)
        defer { proxy.stop() }
        let impatient = BridgeClient.Configuration(connectTimeout: .seconds(2), requestTimeout: .seconds(1))
        try await Self.withClient(impatient) { client in
            let started = ContinuousClock.now
            let error = await Self.failure {
                _ = try await client.ping(endpoint: try store.endpoint(url: "http://127.0.0.1:\(proxy.port)/cartbridge/bridge.php"))
            }
            #expect(error?.code == .storeURLNotReachable)
            #expect(error?.message.contains("did not answer") == true, "\(error?.message ?? "")")
            #expect(ContinuousClock.now - started < .seconds(10))
            Self.show("no answer", error)
        }
        let stingy = BridgeClient.Configuration(maxResponseBytes: 64)
        try await Self.withClient(stingy) { client in
            let error = await Self.failure { _ = try await client.ping(endpoint: try store.endpoint()) }
            #expect(error?.code == .bridgeResponseError)
            #expect(error?.bridgeErrorCode == .responseTooLarge)
            Self.show("response over the limit", error)
        }
    }

    @Test func signedBridgeErrorsStayTyped() async throws {
        let store = try #require(TestEnvironment.stores.first)
        try await Self.withClient { client in
            let outcome = try await client.send("no_such_op", endpoint: try store.endpoint())
            guard case .failure(let remote) = outcome else {
                Issue.record("an unknown op succeeded")
                return
            }
            #expect(remote.code == .unknownOp)
            #expect(remote.httpStatus == 400)
            #expect(remote.bridgeTime.map { abs($0 - Self.now) < 30 } == true)

            let error = await Self.failure { _ = try await client.call("no_such_op", endpoint: try store.endpoint()) }
            #expect(error?.code == .bridgeResponseError)
            #expect(error?.bridgeErrorCode == .unknownOp)
        }
    }
}
