import AsyncHTTPClient
import BridgeProtocol
import CartBridgeCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The service's client of store bridges: signs each request (encrypting it when the endpoint requires), posts it
/// with a deadline, reads a bounded response, verifies it before anything else, and learns the store's clock
/// offset from a signed `clock_skew` refusal (retrying once).
///
/// Every failure is a `CartBridgeError`: 106 (`storeURLNotReachable`) when the bridge cannot be reached or is not
/// at its URL, 105 (`bridgeResponseError`) for anything the bridge answered that is not a result. The bridge's own
/// error code stays available typed, through `CartBridgeError.bridgeErrorCode` or `send(...)`.
public struct BridgeClient: Sendable {
    /// Told the store's clock offset (store minus service, seconds) whenever a signed `clock_skew` reveals it.
    public typealias ClockOffsetHandler = @Sendable (Int64) async -> Void

    public let httpClient: HTTPClient
    public let configuration: Configuration
    let logger: Logger

    public init(httpClient: HTTPClient, logger: Logger, configuration: Configuration = Configuration()) {
        self.httpClient = httpClient
        self.logger = logger
        self.configuration = configuration
    }

    /// Runs `op` and returns its result; a bridge error becomes a `CartBridgeError` 105.
    public func call(
        _ op: String,
        args: JSONValue = [:],
        endpoint: BridgeEndpoint,
        onClockOffset: ClockOffsetHandler? = nil
    ) async throws(CartBridgeError) -> BridgeReply {
        switch try await self.send(op, args: args, endpoint: endpoint, onClockOffset: onClockOffset) {
        case .success(let reply):
            return reply
        case .failure(let remote):
            throw remote.cartBridgeError(op: op, endpoint: endpoint)
        }
    }

    /// Runs `op` and returns its result or the error the bridge signed (typed, with its details); throws only when
    /// no verified answer was obtained.
    public func send(
        _ op: String,
        args: JSONValue = [:],
        endpoint: BridgeEndpoint,
        onClockOffset: ClockOffsetHandler? = nil
    ) async throws(CartBridgeError) -> BridgeOutcome {
        var logger = self.logger
        logger[metadataKey: "bridge.op"] = "\(op)"
        logger[metadataKey: "bridge.authority"] = "\(endpoint.authority)"
        logger[metadataKey: "bridge.key_id"] = "\(endpoint.keyID)"

        let plaintext: [UInt8]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            plaintext = Array(try encoder.encode(JSONValue.object(["op": .string(op), "args": args])))
        } catch {
            throw CartBridgeError(.incorrectParameters, "The bridge call's arguments cannot be encoded as JSON.")
        }

        let keys = endpoint.key.derivedKeys()
        var offset = endpoint.clockOffset
        var attempts = 0
        while true {
            attempts += 1
            let result = try await self.exchange(
                op: op,
                plaintext: plaintext,
                endpoint: endpoint,
                keys: keys,
                offset: offset,
                logger: logger
            )
            switch result {
            case .success(let result, let encrypted, let bridgeTime):
                logger.debug("bridge call succeeded", metadata: ["bridge.attempts": "\(attempts)"])
                return .success(BridgeReply(result: result, encrypted: encrypted, bridgeTime: bridgeTime, attempts: attempts))
            case .failure(let remote):
                if remote.code == .clockSkew, attempts == 1, let bridgeTime = remote.bridgeTime {
                    let learned = bridgeTime - self.configuration.clock()
                    logger.notice(
                        "bridge clock offset learned",
                        metadata: ["bridge.clock_offset": "\(learned)", "bridge.previous_offset": "\(offset)"]
                    )
                    offset = learned
                    if let onClockOffset { await onClockOffset(learned) }
                    continue
                }
                logger.notice(
                    "bridge answered with an error",
                    metadata: ["bridge.error": "\(remote.code)", "bridge.http_status": "\(remote.httpStatus)"]
                )
                return .failure(remote)
            }
        }
    }

    enum ExchangeResult {
        case success(JSONValue, encrypted: Bool, bridgeTime: Int64)
        case failure(BridgeRemoteError)
    }

    /// One signed request and its verified answer.
    func exchange(
        op: String,
        plaintext: [UInt8],
        endpoint: BridgeEndpoint,
        keys: DerivedBridgeKeys,
        offset: Int64,
        logger: Logger
    ) async throws(CartBridgeError) -> ExchangeResult {
        let failure = BridgeFailure(op: op, endpoint: endpoint)
        let nonce = BridgeNonce.generate()
        let created = self.configuration.clock() + offset
        let expires = created + self.configuration.signatureLifetime

        let body: [UInt8]
        let contentType: String
        let signed: SignedBridgeRequest
        do {
            if endpoint.encrypts {
                body = try BridgeEnvelope.seal(
                    plaintext,
                    keys: keys,
                    direction: .clientToServer,
                    keyID: endpoint.keyID,
                    nonce: nonce
                )
                contentType = CartBridgeProfile.encryptedContentType
            } else {
                body = plaintext
                contentType = CartBridgeProfile.jsonContentType
            }
            signed = try BridgeRequestSigner(keyID: endpoint.keyID, keys: keys).sign(
                authority: endpoint.authority,
                path: endpoint.path,
                query: endpoint.query,
                contentType: contentType,
                body: body,
                created: created,
                expires: expires,
                nonce: nonce
            )
        } catch {
            throw CartBridgeError(
                .bridgeResponseError,
                "The request to the bridge could not be signed: check the store's key id.",
                detail: "bridge_error=\(BridgeErrorCode.internalError); op=\(op); host=\(endpoint.authority); signing failed"
            )
        }

        var request = HTTPClientRequest(url: endpoint.requestURL)
        request.method = .POST
        request.headers.add(name: "Host", value: endpoint.authority)
        request.headers.add(name: "User-Agent", value: "CartBridge (\(CartBridgeProfile.protocolName))")
        for field in signed.headers { request.headers.add(name: field.name, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: body))

        logger.debug(
            "bridge request sent",
            metadata: ["bridge.encrypted": "\(endpoint.encrypts)", "bridge.request_bytes": "\(body.count)"]
        )

        let response: HTTPClientResponse
        let received: [UInt8]
        do {
            response = try await self.httpClient.execute(
                request,
                deadline: .now() + self.configuration.requestTimeout,
                logger: logger
            )
        } catch {
            throw failure.transport(error, timeout: self.configuration.requestTimeout)
        }
        let status = Int(response.status.code)
        if let length = response.headers.first(name: "content-length").flatMap(Int.init),
            length > self.configuration.maxResponseBytes
        {
            throw failure.responseTooLarge(limit: self.configuration.maxResponseBytes, status: status)
        }
        do {
            var buffer = try await response.body.collect(upTo: self.configuration.maxResponseBytes)
            received = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            throw failure.responseTooLarge(limit: self.configuration.maxResponseBytes, status: status)
        } catch {
            throw failure.transport(error, timeout: self.configuration.requestTimeout)
        }

        // Verify before anything of the response is used.
        let fields = response.headers.map { HeaderField($0.name, $0.value) }
        let verified: VerifiedBridgeResponse
        do {
            verified = try BridgeResponseVerifier(keyID: endpoint.keyID, keys: keys).verify(
                status: status,
                fields: fields,
                body: received,
                expectedNonce: nonce
            )
        } catch {
            throw failure.unverified(error, status: status, body: received)
        }

        let json: [UInt8]
        if verified.isEncrypted {
            do {
                json = try BridgeEnvelope.open(
                    received,
                    keys: keys,
                    direction: .serverToClient,
                    keyID: endpoint.keyID,
                    nonce: nonce
                )
            } catch {
                throw failure.invalid("the signed response does not decrypt (\(error.code.rawValue))", status: status)
            }
        } else if MediaType.isJSON(verified.contentType) {
            json = received
        } else {
            throw failure.invalid("the signed response has content type \(verified.contentType)", status: status)
        }

        let document: JSONValue
        do {
            document = try JSONValue(parsing: json)
        } catch {
            throw failure.invalid("the signed response is not JSON", status: status)
        }
        if document["ok"]?.boolValue == true, let result = document["result"] {
            guard verified.isEncrypted || !endpoint.encrypts else {
                throw failure.invalid("an encrypted request was answered in plaintext", status: status)
            }
            guard (200..<300).contains(status) else {
                throw failure.invalid("a result came with HTTP \(status)", status: status)
            }
            return .success(result, encrypted: verified.isEncrypted, bridgeTime: verified.created)
        }
        guard let error = document["error"]?.objectValue, let code = error["code"]?.stringValue, !code.isEmpty else {
            throw failure.invalid("the signed response is neither a result nor an error", status: status)
        }
        var details = error
        details["code"] = nil
        details["message"] = nil
        return .failure(
            BridgeRemoteError(
                code: BridgeErrorCode(rawValue: code),
                message: error["message"]?.stringValue ?? "",
                details: details,
                bridgeTime: document["now"]?.intValue,
                httpStatus: status
            )
        )
    }
}
