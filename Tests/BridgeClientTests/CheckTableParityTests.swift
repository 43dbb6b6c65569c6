import AsyncHTTPClient
import BridgeClient
import BridgeProtocol
import CartBridgeCore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Every row of the check table, sent to the real PHP bridge and given to the Swift reference verifier: both must
/// answer with the same code.
@Suite(
    "Check table parity: bridge.php and BridgeRequestVerifier",
    .enabled(if: TestEnvironment.isAvailable, "needs CARTBRIDGE_TEST_STORES from scripts/testenv/up"),
    .serialized
)
struct CheckTableParityTests {
    /// One crafted request.
    struct Crafted {
        var path: String
        var query: String?
        var fields: [HeaderField]
        var body: [UInt8]
    }

    static let components = #"("@method" "@authority" "@path" "@query" "content-type" "content-digest")"#

    let store: TestStore
    let key: BridgeKey
    let authority: String
    let path: String

    init() throws {
        self.store = try #require(TestEnvironment.stores.first)
        self.key = try BridgeKey(base64URL: self.store.bridgeKey)
        let endpoint = try self.store.endpoint()
        self.authority = endpoint.authority
        self.path = endpoint.path
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// A correctly signed plaintext ping with a fresh nonce.
    func signed(
        body: String = #"{"op":"ping","args":{}}"#,
        created: Int64 = Self.now,
        expires: Int64? = nil,
        keyID: String? = nil,
        key: BridgeKey? = nil
    ) throws -> Crafted {
        let bytes = Array(body.utf8)
        let signed = try BridgeRequestSigner(keyID: keyID ?? self.store.keyID, key: key ?? self.key).sign(
            authority: self.authority,
            path: self.path,
            query: nil,
            contentType: "application/json",
            body: bytes,
            created: created,
            expires: expires ?? created + 60,
            nonce: BridgeNonce.generate()
        )
        return Crafted(path: self.path, query: nil, fields: signed.headers, body: bytes)
    }

    /// A signed request whose Signature-Input is replaced by `make(parameters)`, where `parameters` is the
    /// canonical `;created=...;tag="cartbridge/1"` with a fresh nonce.
    func withSignatureInput(_ make: (String) -> String) throws -> Crafted {
        var crafted = try self.signed()
        let input = crafted.fields.first { $0.name == "Signature-Input" }!.value
        let parameters = String(input.dropFirst(("cb=" + Self.components).count))
        crafted.fields = crafted.fields.map {
            $0.name == "Signature-Input" ? HeaderField($0.name, make(parameters)) : $0
        }
        return crafted
    }

    func replacing(_ crafted: Crafted, _ name: String, _ value: String?) -> Crafted {
        var copy = crafted
        copy.fields = crafted.fields.compactMap { field in
            guard field.name == name else { return field }
            return value.map { HeaderField(name, $0) }
        }
        return copy
    }

    /// What bridge.php answers: the HTTP status and `error.code` (nil for a result).
    func php(_ crafted: Crafted, http: HTTPClient) async throws -> (Int, String?) {
        var url = "http://\(self.authority)\(crafted.path)"
        if let query = crafted.query { url += "?" + query }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Host", value: self.authority)
        for field in crafted.fields { request.headers.add(name: field.name, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: crafted.body))
        let response = try await http.execute(request, timeout: .seconds(30))
        var buffer = try await response.body.collect(upTo: 1 << 20)
        let document = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readBytes(length: buffer.readableBytes) ?? []))
        return (Int(response.status.code), document["error"]?["code"]?.stringValue)
    }

    /// What the Swift verifier answers for the same request.
    func swift(_ crafted: Crafted, verifier: BridgeRequestVerifier) async -> (Int, String?) {
        let message = HTTPMessageComponents(
            method: "POST",
            authority: self.authority,
            path: crafted.path,
            query: crafted.query,
            fields: [HeaderField("Host", self.authority)] + crafted.fields
        )
        do {
            _ = try await verifier.verify(message, body: crafted.body, now: Self.now)
            return (200, nil)
        } catch let error as RequestVerificationError {
            return (error.httpStatus, error.code.rawValue)
        } catch {
            return (0, "\(error)")
        }
    }

    @Test func everyRowGivesTheSameCodeOnBothSides() async throws {
        let now = Self.now
        var cases: [(String, String?, Crafted)] = []
        func add(_ name: String, _ expected: String?, _ crafted: Crafted) { cases.append((name, expected, crafted)) }

        add("valid", nil, try self.signed())
        // 1
        add("no Signature", "sig_missing", self.replacing(try self.signed(), "Signature", nil))
        add("no Signature-Input", "sig_missing", self.replacing(try self.signed(), "Signature-Input", nil))
        // 2
        add("two members", "sig_malformed", try self.withSignatureInput { "cb=\(Self.components)\($0), cc=\(Self.components)\($0)" })
        add("label twice", "sig_malformed", try self.withSignatureInput { "cb=\(Self.components)\($0), cb=\(Self.components)\($0)" })
        add("other label", "sig_malformed", try self.withSignatureInput { "sig1=\(Self.components)\($0)" })
        add("over 2 KiB", "sig_malformed", try self.withSignatureInput { "cb=\(Self.components)\($0);x=\"\(String(repeating: "a", count: 2048))\"" })
        add("whitespace", "sig_malformed", try self.withSignatureInput { "cb=( \"@method\" \"@authority\" \"@path\" \"@query\" \"content-type\" \"content-digest\")\($0)" })
        add("token keyid", "sig_malformed", try self.withSignatureInput { "cb=\(Self.components)\($0.replacingOccurrences(of: "keyid=\"\(store.keyID)\"", with: "keyid=\(store.keyID)"))" })
        add("negative created", "sig_malformed", try self.withSignatureInput { "cb=\(Self.components)\($0.replacingOccurrences(of: "created=", with: "created=-"))" })
        add("component parameter", "sig_malformed", try self.withSignatureInput { "cb=\(Self.components.replacingOccurrences(of: "\"@query\"", with: "\"@query\";req"))\($0)" })
        var twoLines = try self.signed()
        twoLines.fields.append(twoLines.fields.first { $0.name == "Signature-Input" }!)
        add("Signature-Input sent twice", "sig_malformed", twoLines)
        add("signature not base64", "sig_malformed", self.replacing(try self.signed(), "Signature", "cb=:abc*:"))
        // 3
        add("missing component", "sig_components", try self.withSignatureInput { "cb=(\"@method\" \"@authority\" \"@path\" \"@query\" \"content-type\")\($0)" })
        add("extra component", "sig_components", try self.withSignatureInput { "cb=(\"@method\" \"@authority\" \"@path\" \"@query\" \"content-type\" \"content-digest\" \"date\")\($0)" })
        add("reordered components", "sig_components", try self.withSignatureInput { "cb=(\"@authority\" \"@method\" \"@path\" \"@query\" \"content-type\" \"content-digest\")\($0)" })
        add("no tag", "sig_components", try self.withSignatureInput { "cb=\(Self.components)\($0.replacingOccurrences(of: ";tag=\"cartbridge/1\"", with: ""))" })
        add("extra alg", "sig_components", try self.withSignatureInput { "cb=\(Self.components)\($0);alg=\"hmac-sha256\"" })
        add("created as string", "sig_components", try self.withSignatureInput {
            "cb=\(Self.components)\($0.replacingOccurrences(of: ";created=\(now)", with: ";created=\"\(now)\""))"
        })
        add("short nonce", "sig_components", try self.withSignatureInput {
            "cb=\(Self.components)\($0.replacingOccurrences(of: #"nonce="[^"]*""#, with: "nonce=\"\(BridgeNonce.generate().prefix(21))\"", options: .regularExpression))"
        })
        add("nonce with '+'", "sig_components", try self.withSignatureInput {
            "cb=\(Self.components)\($0.replacingOccurrences(of: #"nonce="[^"]*""#, with: "nonce=\"\(BridgeNonce.generate().prefix(21))+\"", options: .regularExpression))"
        })
        // 4
        add("response tag", "sig_tag", try self.withSignatureInput { "cb=\(Self.components)\($0.replacingOccurrences(of: "tag=\"cartbridge/1\"", with: "tag=\"cartbridge/1-resp\""))" })
        // 5
        add("unknown keyid", "key_unknown", try self.signed(keyID: "k9"))
        add("keyid with a space", "key_unknown", try self.withSignatureInput { "cb=\(Self.components)\($0.replacingOccurrences(of: "keyid=\"\(store.keyID)\"", with: "keyid=\"k 1\""))" })
        // 6
        add("stale", "clock_skew", try self.signed(created: now - 400, expires: now - 340))
        add("future", "clock_skew", try self.signed(created: now + 120))
        add("lifetime over 300", "clock_skew", try self.signed(created: now, expires: now + 301))
        // 7
        add("body too large", "body_too_large", try self.signed(body: #"{"op":"ping","pad":""# + String(repeating: "x", count: 1_048_576) + #""}"#))
        // 8
        var tampered = try self.signed()
        tampered.body[2] ^= 0x20
        add("body changed", "digest_mismatch", tampered)
        add("digest header wrong", "digest_mismatch", self.replacing(try self.signed(), "Content-Digest", ContentDigest.sha256(Array("{}".utf8))))
        // 9
        var swapped = try self.signed()
        swapped.body = Array(#"{"op":"detect","args":{}}"#.utf8)
        swapped = self.replacing(swapped, "Content-Digest", ContentDigest.sha256(swapped.body))
        add("body and digest changed", "sig_invalid", swapped)
        var queried = try self.signed()
        queried.query = "x=1"
        add("query added", "sig_invalid", queried)
        let full = try self.signed()
        let mac = full.fields.first { $0.name == "Signature" }!.value
        let truncated = Array(Data(base64Encoded: String(mac.dropFirst(4).dropLast()))!.prefix(30))
        add("truncated signature", "sig_invalid", self.replacing(full, "Signature", "cb=:" + Data(truncated).base64EncodedString() + ":"))
        add("other key", "sig_invalid", try self.signed(key: BridgeKey.generate()))
        add("content type changed", "sig_invalid", self.replacing(try self.signed(), "Content-Type", "text/plain"))

        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let verifier = BridgeRequestVerifier(keys: [self.store.keyID: self.key], maxBodyBytes: 1_048_576, nonceStore: InMemoryNonceStore())
        do {
            for (name, expected, crafted) in cases {
                let fromPHP = try await self.php(crafted, http: http)
                let fromSwift = await self.swift(crafted, verifier: verifier)
                #expect(fromPHP.1 == expected, "\(name): bridge.php said \(fromPHP)")
                #expect(fromSwift.1 == expected, "\(name): Swift said \(fromSwift)")
                #expect(fromPHP.0 == fromSwift.0, "\(name): statuses \(fromPHP.0) / \(fromSwift.0)")
            }
            // 10: the valid request again.
            let replay = cases[0].2
            let fromPHP = try await self.php(replay, http: http)
            let fromSwift = await self.swift(replay, verifier: verifier)
            #expect(fromPHP.1 == "replayed" && fromPHP.0 == 409)
            #expect(fromSwift.1 == "replayed" && fromSwift.0 == 409)
            print("BridgeClientTests: check table parity: \(cases.count + 1) requests, same code from bridge.php and Swift")
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}
