import BridgeProtocol
import Crypto
import Foundation

enum Fixture {
    static let key = try! BridgeKey(base64URL: CartBridgeVectors.bridgeKey)
    static let keys = Fixture.key.derivedKeys()
    static let created: Int64 = 1_700_000_000
    static let nonce = CartBridgeVectors.r1Nonce

    /// A request as the bridge would receive it, signed by the service's signer.
    static func signedRequest(
        body: String = CartBridgeVectors.r1Body,
        authority: String = "shop.example.com",
        path: String = "/cartbridge/bridge.php",
        query: String? = nil,
        contentType: String = "application/json",
        created: Int64 = Fixture.created,
        expires: Int64? = nil,
        nonce: String = Fixture.nonce,
        keyID: String = "k1",
        key: BridgeKey = Fixture.key
    ) throws -> (HTTPMessageComponents, [UInt8]) {
        let bytes = Array(body.utf8)
        let signed = try BridgeRequestSigner(keyID: keyID, key: key).sign(
            authority: authority,
            path: path,
            query: query,
            contentType: contentType,
            body: bytes,
            created: created,
            expires: expires ?? created + 60,
            nonce: nonce
        )
        let message = HTTPMessageComponents(
            method: "POST",
            authority: authority,
            path: path,
            query: query,
            fields: [HeaderField("Host", authority)] + signed.headers + [HeaderField("Content-Length", "\(bytes.count)")]
        )
        return (message, bytes)
    }

    /// A request whose `Signature-Input` is `signatureInput` and whose signature is the correct MAC of the base that
    /// input describes (so that only the shape is wrong).
    static func request(withSignatureInput signatureInput: String) throws -> (HTTPMessageComponents, [UInt8]) {
        var (message, body) = try Self.signedRequest()
        message.fields = message.fields.replacing(CartBridgeProfile.signatureInputHeader, with: signatureInput)
        return (message, body)
    }

    static func verifier(maxBodyBytes: Int = CartBridgeProfile.defaultMaxBodyBytes) -> BridgeRequestVerifier {
        BridgeRequestVerifier(keys: ["k1": Fixture.key], maxBodyBytes: maxBodyBytes, nonceStore: InMemoryNonceStore())
    }

    static func hex(_ key: SymmetricKey) -> String {
        key.withUnsafeBytes { Hex.encode($0) }
    }
}

extension [HeaderField] {
    func replacing(_ name: String, with value: String) -> [HeaderField] {
        self.map { $0.name.lowercased() == name.lowercased() ? HeaderField($0.name, value) : $0 }
    }

    func removing(_ name: String) -> [HeaderField] {
        self.filter { $0.name.lowercased() != name.lowercased() }
    }
}

extension RequestVerificationError.Code {
    /// Runs `verify` and returns the code it fails with, or nil when it passes.
    static func of(
        _ verifier: BridgeRequestVerifier,
        _ request: (HTTPMessageComponents, [UInt8]),
        now: Int64 = Fixture.created
    ) async -> RequestVerificationError.Code? {
        do {
            _ = try await verifier.verify(request.0, body: request.1, now: now)
            return nil
        } catch let error as RequestVerificationError {
            return error.code
        } catch {
            return nil
        }
    }
}
