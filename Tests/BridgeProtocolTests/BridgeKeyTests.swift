import BridgeProtocol
import Foundation
import Testing

@Suite("Bridge keys, nonces, structured fields")
struct BridgeKeyTests {
    @Test func parsesAndFormatsBase64URL() throws {
        let key = try BridgeKey(base64URL: CartBridgeVectors.bridgeKey)
        #expect(key.base64URL == CartBridgeVectors.bridgeKey)
        let fromBytes = try BridgeKey(bytes: Array(0..<32))
        #expect(fromBytes.base64URL == CartBridgeVectors.bridgeKey)
    }

    @Test func refusesMalformedKeys() {
        let good = CartBridgeVectors.bridgeKey
        for bad in [
            good + "=",  // padding
            String(good.dropLast()),  // 42 characters
            good + "A",  // 44 characters
            String(good.dropLast()) + "9",  // non-zero spare bits
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd/h8",  // '/' is not base64url
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd+h8",  // '+' is not base64url
            "",
        ] {
            #expect(throws: BridgeKeyError.self, "\(bad)") { try BridgeKey(base64URL: bad) }
        }
        #expect(throws: BridgeKeyError.self) { try BridgeKey(bytes: [UInt8](repeating: 0, count: 31)) }
    }

    @Test func generatesDistinctKeys() throws {
        let a = BridgeKey.generate()
        let b = BridgeKey.generate()
        #expect(a.base64URL.count == 43)
        #expect(a.base64URL != b.base64URL)
        #expect(try BridgeKey(base64URL: a.base64URL).base64URL == a.base64URL)
    }

    @Test func noncesAre16RandomBytes() {
        let a = BridgeNonce.generate()
        #expect(a.count == 22)
        #expect(BridgeNonce.isWellFormed(a))
        #expect(a != BridgeNonce.generate())
        #expect(!BridgeNonce.isWellFormed("QUJDREVGR0hJSktMTU5PUA="))
        #expect(!BridgeNonce.isWellFormed("QUJDREVGR0hJSktMTU5PU"))
        #expect(!BridgeNonce.isWellFormed("QUJDREVGR0hJSktMTU5PU+"))
    }

    @Test func dictionaryParserIsStrict() throws {
        let parsed = try StructuredDictionary(parsing: #"a=1, b="x\"y";p, c=(1 "s" tok);q=?0, d=:AQID:"#)
        #expect(parsed.members.map(\.key) == ["a", "b", "c", "d"])
        #expect(parsed.members[1].value == .item(.init(.string("x\"y"), parameters: [StructuredParameter("p", .boolean(true))])))
        #expect(
            parsed.members[2].value
                == .innerList([.init(.integer(1)), .init(.string("s")), .init(.token("tok"))], parameters: [StructuredParameter("q", .boolean(false))])
        )
        #expect(parsed.members[3].value == .item(.init(.byteSequence([1, 2, 3]))))
        for bad in ["", "A=1", "a=1,", "a=(1", "a=\"unterminated", "a=:AQI:", "a=1.5", "a=1234567890123456", "a=?2", "a=(1)(2)"] {
            #expect(throws: StructuredFieldError.self, "\(bad)") { try StructuredDictionary(parsing: bad) }
        }
        #expect(throws: StructuredFieldError.self) { try StructuredDictionary(parsing: "a=1", maxLength: 2) }
    }

    @Test func bareItemSerialization() throws {
        #expect(try BareItem.string(#"a"b\c"#).serialized() == #""a\"b\\c""#)
        #expect(try BareItem.integer(-42).serialized() == "-42")
        #expect(try BareItem.byteSequence([1, 2, 3]).serialized() == ":AQID:")
        #expect(try StructuredParameter("x", .boolean(true)).serialized() == ";x")
        #expect(try StructuredParameter("x", .boolean(false)).serialized() == ";x=?0")
        #expect(throws: StructuredFieldError.self) { try BareItem.string("é").serialized() }
        #expect(throws: StructuredFieldError.self) { try BareItem.token("1abc").serialized() }
    }

    @Test func inMemoryNonceStore() async throws {
        let store = InMemoryNonceStore()
        #expect(try await store.insert(nonce: "a", retainUntil: 100, now: 10))
        #expect(try await !store.insert(nonce: "a", retainUntil: 100, now: 50))
        // Remembered until its time has passed.
        #expect(try await store.insert(nonce: "a", retainUntil: 300, now: 101))
    }
}
