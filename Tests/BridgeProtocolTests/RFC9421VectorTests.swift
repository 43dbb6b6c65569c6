import BridgeProtocol
import Crypto
import Foundation
import Testing

/// RFC 9421 Appendix B and §2 examples, built with the generic signature-base builder.
@Suite("RFC 9421 vectors")
struct RFC9421VectorTests {
    /// B.2 test-request.
    static let testRequest = HTTPMessageComponents(
        method: "POST",
        scheme: "https",
        authority: "example.com",
        path: "/foo",
        query: "param=Value&Pet=dog",
        fields: [
            HeaderField("Host", "example.com"),
            HeaderField("Date", RFCVectors.requestDate),
            HeaderField("Content-Type", "application/json"),
            HeaderField("Content-Digest", RFCVectors.requestDigestSHA512),
            HeaderField("Content-Length", "18"),
        ]
    )

    /// B.2 test-response.
    static let testResponse = HTTPMessageComponents(
        status: 200,
        fields: [
            HeaderField("Date", RFCVectors.responseDate),
            HeaderField("Content-Type", "application/json"),
            HeaderField("Content-Digest", RFCVectors.responseDigestSHA512),
            HeaderField("Content-Length", "23"),
        ]
    )

    static var sharedSecret: [UInt8] { [UInt8](Data(base64Encoded: RFCVectors.sharedSecretBase64)!) }

    static func fields(_ names: String...) -> [ComponentIdentifier] { names.map { ComponentIdentifier($0) } }

    static func base(
        _ message: HTTPMessageComponents,
        _ components: [ComponentIdentifier],
        _ parameters: [StructuredParameter]
    ) throws -> SignatureBase {
        try SignatureBase(message: message, parameters: SignatureParameters(components: components, parameters: parameters))
    }

    static func signatureValue(_ field: String) throws -> [UInt8] {
        let dictionary = try StructuredDictionary(parsing: field)
        guard case .item(let item) = try #require(dictionary.members.first).value,
            case .byteSequence(let bytes) = item.value
        else { throw StructuredFieldError("not a byte sequence") }
        return bytes
    }

    @Test func sharedSecretDecodes() {
        #expect(Hex.encode(Self.sharedSecret) == RFCVectors.sharedSecretHex)
        #expect(Self.sharedSecret.count == 64)
    }

    @Test func b21MinimalBase() throws {
        let base = try Self.base(
            Self.testRequest,
            [],
            [
                StructuredParameter("created", .integer(1_618_884_473)),
                StructuredParameter("keyid", .string("test-key-rsa-pss")),
                StructuredParameter("nonce", .string("b3k2pp5k7z-50gnwp.yemd")),
            ]
        )
        #expect(base.text == RFCVectors.b21Base)
    }

    @Test func b22SelectiveComponentsWithQueryParam() throws {
        let base = try Self.base(
            Self.testRequest,
            [.authority, .field("content-digest"), .queryParameter("Pet")],
            [
                StructuredParameter("created", .integer(1_618_884_473)),
                StructuredParameter("keyid", .string("test-key-rsa-pss")),
                StructuredParameter("tag", .string("header-example")),
            ]
        )
        #expect(base.text == RFCVectors.b22Base)
    }

    @Test func b23FullCoverage() throws {
        let base = try Self.base(
            Self.testRequest,
            [
                .field("date"), .method, .path, .query, .authority, .field("content-type"), .field("content-digest"),
                .field("content-length"),
            ],
            [
                StructuredParameter("created", .integer(1_618_884_473)),
                StructuredParameter("keyid", .string("test-key-rsa-pss")),
            ]
        )
        #expect(base.text == RFCVectors.b23Base)
    }

    @Test func b24ResponseStatus() throws {
        let base = try Self.base(
            Self.testResponse,
            [.status, .field("content-type"), .field("content-digest"), .field("content-length")],
            [
                StructuredParameter("created", .integer(1_618_884_473)),
                StructuredParameter("keyid", .string("test-key-ecc-p256")),
            ]
        )
        #expect(base.text == RFCVectors.b24Base)
        // The body's real digest is the one B.2.4 uses, not the erratum value.
        #expect(ContentDigest.sha512(Array(RFCVectors.responseBody.utf8)) == RFCVectors.responseDigestSHA512)
        #expect(ContentDigest.sha512(Array(RFCVectors.responseBody.utf8)) != RFCVectors.responseDigestErratum)
    }

    @Test func b25HMACSHA256() throws {
        let base = try Self.base(
            Self.testRequest,
            [.field("date"), .authority, .field("content-type")],
            [
                StructuredParameter("created", .integer(1_618_884_473)),
                StructuredParameter("keyid", .string("test-shared-secret")),
            ]
        )
        #expect(base.text == RFCVectors.b25Base)
        #expect(base.bytes.count == RFCVectors.b25BaseLength)
        #expect(Hex.encode(SHA256.hash(data: base.bytes)) == RFCVectors.b25BaseSHA256Hex)
        #expect(base.signatureInputField(label: "sig-b25") == RFCVectors.b25SignatureInput)

        let mac = base.hmacSHA256(key: Self.sharedSecret)
        #expect(Hex.encode(mac) == RFCVectors.b25HMACHex)
        #expect("sig-b25=:" + Data(mac).base64EncodedString() + ":" == RFCVectors.b25Signature)
        #expect(base.isValidHMACSHA256(try Self.signatureValue(RFCVectors.b25Signature), key: Self.sharedSecret))
    }

    @Test func b25NegativeChecks() throws {
        let expected = try Self.signatureValue(RFCVectors.b25Signature)
        let key = SymmetricKey(data: Self.sharedSecret)
        func mac(_ text: String) -> String {
            Data(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key)).base64EncodedString()
        }

        let created474 = try Self.base(
            Self.testRequest,
            [.field("date"), .authority, .field("content-type")],
            [
                StructuredParameter("created", .integer(1_618_884_474)),
                StructuredParameter("keyid", .string("test-shared-secret")),
            ]
        )
        #expect(mac(created474.text) == RFCVectors.b25NegativeCreated474)
        #expect(!created474.isValidHMACSHA256(expected, key: Self.sharedSecret))

        let trailingLF = RFCVectors.b25Base + "\n"
        #expect(mac(trailingLF) == RFCVectors.b25NegativeTrailingLF)
        #expect(!HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: Array(trailingLF.utf8), using: key))

        let crlf = RFCVectors.b25Base.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(mac(crlf) == RFCVectors.b25NegativeCRLF)
        #expect(!HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: Array(crlf.utf8), using: key))
    }

    @Test func b26Ed25519() throws {
        let seed = try #require(Data(base64Encoded: RFCVectors.ed25519PrivateKeyPEMBody)).suffix(32)
        let publicKeyDER = try #require(Data(base64Encoded: RFCVectors.ed25519PublicKeyPEMBody)).suffix(32)
        #expect(Self.base64url(seed) == RFCVectors.ed25519JWKd)
        #expect(Self.base64url(publicKeyDER) == RFCVectors.ed25519JWKx)

        let privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        #expect(privateKey.publicKey.rawRepresentation == publicKeyDER)

        let base = try Self.base(
            Self.testRequest,
            [.field("date"), .method, .path, .authority, .field("content-type"), .field("content-length")],
            [
                StructuredParameter("created", .integer(1_618_884_473)),
                StructuredParameter("keyid", .string("test-key-ed25519")),
            ]
        )
        #expect(base.text == RFCVectors.b26Base)
        #expect(base.signatureInputField(label: "sig-b26") == RFCVectors.b26SignatureInput)
        let expected = try Self.signatureValue(RFCVectors.b26Signature)
        #expect(privateKey.publicKey.isValidSignature(expected, for: base.bytes))
        // Ed25519 is deterministic: the signature reproduces byte for byte.
        let signature = try privateKey.signature(for: base.bytes)
        #expect("sig-b26=:" + signature.base64EncodedString() + ":" == RFCVectors.b26Signature)
    }

    @Test func section25ExampleBase() throws {
        let base = try Self.base(
            Self.testRequest,
            [.method, .authority, .path, .field("content-digest"), .field("content-length"), .field("content-type")],
            [
                StructuredParameter("created", .integer(1_618_884_473)),
                StructuredParameter("keyid", .string("test-key-rsa-pss")),
            ]
        )
        #expect(base.text == RFCVectors.section25Base)
    }

    @Test func httpsignThirdPartyHMACVectors() throws {
        let response = HTTPMessageComponents(
            status: 200,
            fields: [HeaderField("Date", RFCVectors.responseDate), HeaderField("Content-Type", "application/json")]
        )
        let responseBase = try Self.base(
            response,
            [.status, .field("date"), .field("content-type")],
            [
                StructuredParameter("created", .integer(1_618_889_999)),
                StructuredParameter("alg", .string("hmac-sha256")),
                StructuredParameter("keyid", .string("test-shared-secret")),
            ]
        )
        #expect(responseBase.text == RFCVectors.httpsignResponseBase)
        #expect(
            "sig1=:" + Data(responseBase.hmacSHA256(key: Self.sharedSecret)).base64EncodedString() + ":"
                == RFCVectors.httpsignResponseSignature
        )

        let requestBase = try Self.base(
            Self.testRequest,
            [.authority, .field("date"), .field("content-type")],
            [
                StructuredParameter("created", .integer(1_618_884_475)),
                StructuredParameter("keyid", .string("test-shared-secret")),
            ]
        )
        #expect(requestBase.text == RFCVectors.httpsignRequestBase)
        #expect(
            "sig1=:" + Data(requestBase.hmacSHA256(key: Self.sharedSecret)).base64EncodedString() + ":"
                == RFCVectors.httpsignRequestSignature
        )
    }

    @Test func section22DerivedComponents() {
        let https = HTTPMessageComponents(
            method: "POST",
            scheme: "https",
            authority: "www.example.com",
            path: "/path",
            query: "param=value"
        )
        #expect(https.value(of: .method) == "POST")
        #expect(https.value(of: .targetURI) == "https://www.example.com/path?param=value")
        #expect(https.value(of: .authority) == "www.example.com")
        #expect(https.value(of: .requestTarget) == "/path?param=value")
        #expect(https.value(of: .path) == "/path")
        #expect(https.value(of: .query) == "?param=value")

        var http = https
        http.scheme = "http"
        #expect(http.value(of: .scheme) == "http")

        // Host is lowercased; an empty path is "/".
        let mixed = HTTPMessageComponents(method: "GET", authority: "WWW.Example.COM", path: "")
        #expect(mixed.value(of: .authority) == "www.example.com")
        #expect(mixed.value(of: .path) == "/")

        let encoded = HTTPMessageComponents(method: "GET", path: "/path", query: "param=value&foo=bar&baz=bat%2Dman")
        #expect(encoded.value(of: .query) == "?param=value&foo=bar&baz=bat%2Dman")
        let bare = HTTPMessageComponents(method: "POST", path: "/path", query: "queryString")
        #expect(bare.value(of: .query) == "?queryString")
        let none = HTTPMessageComponents(method: "POST", path: "/path", query: nil)
        #expect(none.value(of: .query) == "?")
    }

    @Test func section21FieldCanonicalization() throws {
        let message = HTTPMessageComponents(fields: [
            HeaderField("Host", "www.example.com"),
            HeaderField("Date", "Tue, 20 Apr 2021 02:07:56 GMT"),
            HeaderField("X-OWS-Header", "   Leading and trailing whitespace.   "),
            HeaderField("X-Obs-Fold-Header", "Obsolete\r\n      line folding."),
            HeaderField("Cache-Control", "max-age=60"),
            HeaderField("Cache-Control", "   must-revalidate"),
            HeaderField("Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c)"),
            HeaderField("X-Empty-Header", ""),
        ])
        let names = ["host", "date", "x-ows-header", "x-obs-fold-header", "cache-control", "example-dict", "x-empty-header"]
        let base = try SignatureBase(
            message: message,
            parameters: SignatureParameters(components: names.map { ComponentIdentifier($0) }, parameters: [])
        )
        let lines = base.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(lines.prefix(7)) == [
                #""host": www.example.com"#,
                #""date": Tue, 20 Apr 2021 02:07:56 GMT"#,
                #""x-ows-header": Leading and trailing whitespace."#,
                #""x-obs-fold-header": Obsolete line folding."#,
                #""cache-control": max-age=60, must-revalidate"#,
                #""example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)"#,
                #""x-empty-header": "#,
            ]
        )
    }

    @Test func builderRefusesBadInput() {
        #expect(throws: SignatureBaseError.self) {
            try SignatureBase(components: [(.method, "POST"), (.method, "GET")], parameters: [])
        }
        #expect(throws: SignatureBaseError.self) {
            try SignatureBase(components: [(.field("x-a"), "line\nbreak")], parameters: [])
        }
        #expect(throws: SignatureBaseError.self) {
            try SignatureBase(message: HTTPMessageComponents(), parameters: SignatureParameters(components: [.field("date")], parameters: []))
        }
    }

    @Test func rfc9530Digests() throws {
        let body18 = Array(RFCVectors.requestBody.utf8)
        #expect(body18.count == 18)
        #expect(ContentDigest.sha512(body18) == "sha-512=" + RFCVectors.digest18SHA512)
        #expect(ContentDigest.sha256(body18) == "sha-256=" + RFCVectors.digest18SHA256)
        #expect(":" + Data(Insecure.MD5.hash(data: body18)).base64EncodedString() + ":" == RFCVectors.digest18MD5)
        #expect(":" + Data(Insecure.SHA1.hash(data: body18)).base64EncodedString() + ":" == RFCVectors.digest18SHA1)
        #expect(RFCVectors.requestDigestSHA512 == "sha-512=" + RFCVectors.digest18SHA512)

        let body19 = body18 + [0x0A]
        #expect(ContentDigest.sha256(body19) == RFCVectors.digest19SHA256Field)
        #expect(ContentDigest.sha512(body19) == RFCVectors.section2Field1)
        #expect(ContentDigest.sha256([UInt8]()) == "sha-256=" + RFCVectors.emptySHA256)

        // Section 2 field values as dictionary parser vectors.
        let one = try StructuredDictionary(parsing: RFCVectors.section2Field1)
        #expect(one.members.map(\.key) == ["sha-512"])
        let two = try StructuredDictionary(parsing: RFCVectors.section2Field2)
        #expect(two.members.map(\.key) == ["sha-256", "sha-512"])
        guard case .item(let sha256) = two.members[0].value, case .byteSequence(let bytes) = sha256.value else {
            Issue.record("sha-256 member is not a byte sequence")
            return
        }
        #expect(bytes.count == 32)
        // d435Qo... matches neither body variant.
        #expect(bytes != Array(SHA256.hash(data: body18)))
        #expect(bytes != Array(SHA256.hash(data: body19)))
        #expect(!ContentDigest.matchesSHA256(RFCVectors.section2Field2, body: body19))
    }

    static func base64url(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
