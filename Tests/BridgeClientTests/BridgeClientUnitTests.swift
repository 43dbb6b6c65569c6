import BridgeClient
import BridgeProtocol
import CartBridgeCore
import Testing

@testable import BridgeClient

/// Parts of the client that need no bridge.
@Suite("BridgeClient without a bridge")
struct BridgeClientUnitTests {
    static let key = try! BridgeKey(base64URL: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")

    @Test func endpointSplitsTheURLAsSigned() throws {
        let plain = try BridgeEndpoint(url: "http://Shop.Example:80/cartbridge/bridge.php", keyID: "k1", key: Self.key)
        #expect(plain.authority == "shop.example")
        #expect(plain.path == "/cartbridge/bridge.php")
        #expect(plain.query == nil)
        #expect(plain.encrypts)
        #expect(plain.requestURL == "http://shop.example/cartbridge/bridge.php")

        let tls = try BridgeEndpoint(url: "https://127.0.0.1:8088/shop/cartbridge/bridge.php?v=1", keyID: "k1", key: Self.key)
        #expect(tls.authority == "127.0.0.1:8088")
        #expect(tls.path == "/shop/cartbridge/bridge.php")
        #expect(tls.query == "v=1")
        #expect(!tls.encrypts)
        let forced = try BridgeEndpoint(url: "https://shop.example/b.php", keyID: "k1", key: Self.key, encrypt: true)
        #expect(forced.encrypts)
        #expect(forced.authority == "shop.example")

        let v6 = try BridgeEndpoint(url: "http://[::1]:8080/b.php", keyID: "k1", key: Self.key)
        #expect(v6.authority == "[::1]:8080")
        let bare = try BridgeEndpoint(url: "https://shop.example", keyID: "k1", key: Self.key)
        #expect(bare.path == "/")
        #expect(!"\(bare)".contains("AAECAw"))
    }

    @Test func endpointRefusesOtherURLs() {
        for url in [
            "ftp://shop.example/b.php", "shop.example/b.php", "https://user:pw@shop.example/b.php",
            "https://shop.example/b.php#x", "https://shop.example:0/", "https://shop.example:99999/",
            "https://shop example/", "https://shöp.example/", "https:///b.php", "https://[::1/",
        ] {
            #expect(throws: CartBridgeError.self, "\(url)") {
                try BridgeEndpoint(url: url, keyID: "k1", key: Self.key)
            }
        }
    }

    @Test func bridgeErrorCodeReadsBackFromTheDetail() throws {
        let endpoint = try BridgeEndpoint(url: "https://shop.example/b.php", keyID: "k1", key: Self.key)
        let remote = BridgeRemoteError(
            code: .prefixAmbiguous,
            message: "several table prefixes fit; send args.table_prefix",
            details: ["candidates": ["oc_", "oc2_"]],
            bridgeTime: 1_700_000_000,
            httpStatus: 422
        )
        let error = remote.cartBridgeError(op: "detect", endpoint: endpoint)
        #expect(error.code == .ambiguousTablePrefix)
        #expect(error.bridgeErrorCode == .prefixAmbiguous)
        #expect(error.message.contains("db_tables_prefix"))
        #expect(error.message.contains("oc_, oc2_"))
        #expect(CartBridgeError(.internalError, "x", detail: "other").bridgeErrorCode == nil)

        let readOnly = BridgeRemoteError(code: .readOnly, message: "statement 0 is not a read", httpStatus: 403)
            .cartBridgeError(op: "query", endpoint: endpoint)
        #expect(readOnly.bridgeErrorCode == .readOnly)
        #expect(readOnly.message.contains("read-only"))
    }

    @Test func databaseErrorsNeverCarrySQL() throws {
        let endpoint = try BridgeEndpoint(url: "https://shop.example/b.php", keyID: "k1", key: Self.key)
        let message =
            "SQLSTATE[42000]: Syntax error or access violation: 1064 You have an error in your SQL syntax; check the manual near 'FROM secret_table WHERE' at line 1"
        let error = BridgeRemoteError(code: .dbError, message: message, details: ["statement_index": 2], httpStatus: 500)
            .cartBridgeError(op: "query", endpoint: endpoint)
        #expect(!error.message.contains("secret_table"))
        #expect(error.detail?.contains("secret_table") == false)
        #expect(error.detail?.contains("sqlstate=42000/1064") == true, "\(error.detail ?? "")")
        #expect(error.detail?.contains("statement_index=2") == true)
        #expect(BridgeRemoteError.sqlState(in: "SQLSTATE[HY000] [2002] Connection refused") == "HY000/2002")
    }

    @Test func configurationClampsTheLifetime() {
        #expect(BridgeClient.Configuration(signatureLifetime: 1000).signatureLifetime == 300)
        #expect(BridgeClient.Configuration(signatureLifetime: 0).signatureLifetime == 1)
        #expect(BridgeClient.Configuration().maxResponseBytes == 32 * 1024 * 1024)
    }
}
