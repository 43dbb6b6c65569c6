import CartBridgeCore
import Foundation
import HTTPTypes
import Registry
import Testing

@testable import CartBridgeServer

/// Return codes and bad input, sent the way clients of the contract send them.
@Suite struct APIEnvelopeTests {
    @Test func unknownMethodIsCode3() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let key = try await server.newAccount()
        let answer = try await server.test { try await $0.call("product.teleport.json", apiKey: key) }
        #expect(answer.status == .ok)
        #expect(answer.contentType?.hasPrefix("application/json") == true)
        #expect(answer.returnCode == 3)
        #expect(answer.message.contains("product.teleport"))
        #expect(answer.result == [:])
    }

    @Test func missingOrWrongAPIKeyIsCode2AndDisabledIsCode6() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let (account, key) = try await Admin(services: server.services).createAccount(name: "acme")
        let missing = try await server.test { try await $0.call("account.cart.list.json") }
        #expect(missing.returnCode == 2)
        let wrong = try await server.test { try await $0.call("account.cart.list.json", apiKey: "0123456789abcdef0123456789abcdef") }
        #expect(wrong.returnCode == 2)
        let viaQuery = try await server.test { try await $0.call("account.cart.list.json", query: "api_key=\(key)") }
        #expect(viaQuery.returnCode == 0)
        #expect(viaQuery.result["carts_count"] == 0)
        #expect(try await Admin(services: server.services).setStatus(accountID: account.id, .disabled))
        let disabled = try await server.test { try await $0.call("account.cart.list.json", apiKey: key) }
        #expect(disabled.returnCode == 6)
    }

    @Test func addListAndUpdateStores() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let key = try await server.newAccount()
        let added = try await server.test {
            try await $0.call("account.cart.add.json", verb: .post, apiKey: key, body: #"{"cart_id":"Opencart14","store_url":"https://shop.example.com/","verify":false,"custom_label":"Магазин ☕","avail":true,"clear_cache":true}"#)
        }
        #expect(added.returnCode == 0, "\(added.raw)")
        let storeKey = try #require(added.result["store_key"]?.stringValue)
        #expect(storeKey.count == 32)

        let duplicate = try await server.test {
            try await $0.call("account.cart.add.json", verb: .post, apiKey: key, body: #"{"cart_id":"Opencart14","store_url":"https://shop.example.com","verify":false}"#)
        }
        #expect(duplicate.returnCode == 8)

        let list = try await server.test { try await $0.call("account.cart.list.json", apiKey: key, query: "params=url,store_key,custom_label") }
        #expect(list.result["carts_count"] == 1)
        let cart = try #require(list.result["carts"]?.arrayValue?.first)
        #expect(cart["url"] == "https://shop.example.com")
        #expect(cart["custom_label"] == "Магазин ☕")
        #expect(cart["cart_id"] == nil)

        let updated = try await server.test {
            try await $0.call("account.config.update.json", verb: .put, apiKey: key, storeKey: storeKey, query: "new_store_url=https%3A%2F%2Fnew.example.com&db_tables_prefix=oc_")
        }
        #expect(updated.returnCode == 0)
        #expect(updated.result["updated_items"] == 2)
        let store = try #require(try await server.services.registry.stores(accountID: 1).first)
        #expect(store.storeURL == "https://new.example.com")
        #expect(store.tablePrefix == "oc_")

        let badPrefix = try await server.test {
            try await $0.call("account.config.update.json", verb: .put, apiKey: key, storeKey: storeKey, query: "db_tables_prefix=oc_%60;DROP")
        }
        #expect(badPrefix.returnCode == 109)
    }

    @Test func anotherAccountsStoreIsCode4AndMissingStoreKeyIs114() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let owner = try await server.newAccount("owner")
        let intruder = try await server.newAccount("intruder")
        let added = try await server.test {
            try await $0.call("account.cart.add.json", verb: .post, apiKey: owner, body: #"{"cart_id":"Prestashop","store_url":"https://ps.example.com","verify":false}"#)
        }
        let storeKey = try #require(added.result["store_key"]?.stringValue)
        for method in ["cart.info.json", "cart.methods.json", "bridge.download.file", "cart.delete.json"] {
            let answer = try await server.test { try await $0.call(method, apiKey: intruder, storeKey: storeKey) }
            #expect(answer.returnCode == 4, "\(method)")
        }
        let missing = try await server.test { try await $0.call("cart.methods.json", apiKey: owner) }
        #expect(missing.returnCode == 114)
        let methods = try await server.test { try await $0.call("cart.methods.json", apiKey: owner, storeKey: storeKey) }
        #expect(methods.returnCode == 0)
        #expect(methods.result["method"]?.arrayValue?.contains("cart.info") == true)
        // The store is still there for its owner: the intruder's cart.delete did nothing.
        #expect(try await server.services.registry.stores(accountID: 1).count == 1)
    }

    @Test(arguments: [
        (#"{"cart_id":"Opencart14""#, 109, "not valid JSON"),
        ("", 114, "cart_id"),
        (#"[1,2,3]"#, 109, "JSON object"),
        (#"{"cart_id":"Opencart14"}"#, 114, "store_url"),
        (#"{"cart_id":"NoSuchCart","store_url":"https://x.example"}"#, 109, "cart_id"),
        (#"{"cart_id":"Opencart14","store_url":"ftp://x.example"}"#, 109, "store_url"),
        (#"{"cart_id":"Opencart14","store_url":"https://x.example","verify":"maybe"}"#, 109, "verify"),
        (#"{"cart_id":{"a":1},"store_url":"https://x.example"}"#, 109, "cart_id"),
        (#"{"cart_id":"Opencart14","store_url":"https://x.example","store_key":"a b"}"#, 109, "store_key"),
        (#"{"cart_id":"Opencart14","store_url":"https://x.example","bridge_key":"short"}"#, 109, "bridge_key"),
        (#"{"cart_id":"Opencart14","store_url":"https://x.example","db_tables_prefix":"x' OR 1=1 --"}"#, 109, "db_tables_prefix"),
    ])
    func badInputToCartAdd(body: String, code: Int, mentions: String) async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let key = try await server.newAccount()
        let answer = try await server.test { try await $0.call("account.cart.add.json", verb: .post, apiKey: key, body: body) }
        #expect(answer.status == .ok)
        #expect(answer.returnCode == Int64(code), "\(answer.raw)")
        #expect(answer.message.contains(mentions), "\(answer.message)")
        #expect(try await server.services.registry.stores(accountID: 1).isEmpty)
        Self.expectNoLeak(answer)
    }

    @Test func hugeBodiesAndValuesAreRefusedCleanly() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let key = try await server.newAccount()
        let tenMegabytes = #"{"cart_id":"Opencart14","store_url":"https://x.example","custom_label":""# + String(repeating: "x", count: 10 << 20) + #""}"#
        let huge = try await server.test { try await $0.call("account.cart.add.json", verb: .post, apiKey: key, body: tenMegabytes) }
        #expect(huge.returnCode == 109)
        #expect(huge.message.contains("larger than"))
        let longURL = try await server.test {
            try await $0.call("account.cart.add.json", verb: .post, apiKey: key, body: #"{"cart_id":"Opencart14","store_url":"https://\#(String(repeating: "a", count: 100_000)).example"}"#)
        }
        #expect(longURL.returnCode == 109)
        let hugeNumber = try await server.test {
            try await $0.call("account.cart.list.json", apiKey: key, query: "params=\(String(repeating: "9", count: 70_000))")
        }
        #expect(hugeNumber.returnCode == 109)
        #expect(try await server.services.registry.stores(accountID: 1).isEmpty)
        // The server still answers after all that.
        let list = try await server.test { try await $0.call("account.cart.list.json", apiKey: key) }
        #expect(list.returnCode == 0)
    }

    @Test func queryStyleArraysBooleansAndFormBodies() async throws {
        let parsed = try Parameters.parse(query: "a=1&b=x+y%20z&c[]=1&c[]=2&d[0]=p&d[1]=q&e=r&e=s&f=true&g=%E2%98%95")
        #expect(parsed["a"] == "1")
        #expect(parsed["b"] == "x y z")
        #expect(parsed["c"] == ["1", "2"])
        #expect(parsed["d"] == ["p", "q"])
        #expect(parsed["e"] == ["r", "s"])
        #expect(try parsed.bool("f", default: false))
        #expect(parsed["g"] == "☕")
        #expect(try parsed.list("c") == ["1", "2"])

        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let key = try await server.newAccount()
        let form = try await server.test {
            try await $0.call(
                "account.cart.add.json", verb: .post, apiKey: key,
                body: "cart_id=Woocommerce&store_url=https%3A%2F%2Fwoo.example.com&verify=0",
                contentType: "application/x-www-form-urlencoded"
            )
        }
        #expect(form.returnCode == 0, "\(form.raw)")
        // A GET's body is ignored, whatever content type it claims.
        let get = try await server.test { try await $0.call("account.cart.list.json", apiKey: key, body: "{not json") }
        #expect(get.returnCode == 0)
        #expect(get.result["carts_count"] == 1)
    }

    @Test func supportedPlatformsAndCartList() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let key = try await server.newAccount()
        let platforms = try await server.test { try await $0.call("account.supported_platforms.json", apiKey: key) }
        #expect(platforms.returnCode == 0)
        let ids = platforms.result["supported_platforms"]?.arrayValue?.compactMap { $0["cart_id"]?.stringValue }
        #expect(ids == ["Opencart14", "Woocommerce", "Prestashop"])
        let carts = try await server.test { try await $0.call("cart.list.json", apiKey: key) }
        #expect(carts.result["supported_carts_count"] == 3)
    }

    @Test func responseFieldsProjectsTheResult() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let key = try await server.newAccount()
        _ = try await server.test {
            try await $0.call("account.cart.add.json", verb: .post, apiKey: key, body: #"{"cart_id":"Opencart14","store_url":"https://a.example","verify":false}"#)
        }
        let projected = try await server.test {
            try await $0.call("account.cart.list.json", apiKey: key, query: "response_fields={result{carts{url}}}")
        }
        #expect(projected.returnCode == 0)
        #expect(projected.result == ["carts": [["url": "https://a.example"]]])
        let broken = try await server.test { try await $0.call("account.cart.list.json", apiKey: key, query: "response_fields={result{carts") }
        #expect(broken.returnCode == 109)
    }

    @Test func healthMetricsAndOpenAPIDocument() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let key = try await server.newAccount()
        _ = try await server.test { try await $0.call("account.cart.list.json", apiKey: key) }
        let (health, metrics, openapi) = try await server.test { client in
            (
                try await client.execute(uri: "/health", method: .get),
                try await client.execute(uri: "/metrics", method: .get),
                try await client.execute(uri: "/openapi.json", method: .get)
            )
        }
        #expect(health.status == .ok)
        let exposition = String(buffer: metrics.body)
        #expect(exposition.contains(#"cartbridge_requests_total{method="account.cart.list",return_code="0"} 1"#))
        #expect(exposition.contains("cartbridge_request_duration_seconds_bucket"))
        let document = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: openapi.body).utf8))
        let paths = try #require(document["paths"]?.objectValue)
        // Every method the server dispatches is in its document, and the document names no other API method.
        let documented = Set(paths.keys.filter { $0.hasPrefix("/v1.1/") }.map { String($0.dropFirst(6)).replacingOccurrences(of: ".json", with: "").replacingOccurrences(of: ".file", with: "") })
        #expect(documented == Set(CartBridgeApp.methodNames))
    }

    static func expectNoLeak(_ answer: APIAnswer) {
        for marker in ["SELECT ", "INSERT ", "Swift/", ".swift:", "Fatal", "stack", "sqlite"] {
            #expect(!answer.raw.contains(marker), "response leaks '\(marker)': \(answer.raw)")
        }
    }
}
