import CartBridgeCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import Registry

/// Turns an HTTP request into one API method call: keys, parameters, limits, the envelope, metrics, the log line.
struct APIDispatcher: Sendable {
    let services: Services
    let methods: [String: APIMethod]

    init(services: Services, methods: [APIMethod]) {
        self.services = services
        self.methods = Dictionary(methods.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func handle(_ request: Request, path: String, logger: Logger) async -> Response {
        let started = ContinuousClock.now
        let name = Self.methodName(path)
        var logger = logger
        logger[metadataKey: "method"] = "\(name.map { String($0.prefix(64)) } ?? "-")"
        var outcome: Result<APIOutcome, CartBridgeError>
        do {
            outcome = .success(try await self.run(request, methodName: name, logger: &logger))
        } catch let error as CartBridgeError {
            outcome = .failure(error)
        } catch {
            // Anything unexpected is logged in full here and reaches the client only as code 9.
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            outcome = .failure(CartBridgeError(.internalError))
        }
        let code: Int
        let response: Response
        switch outcome {
        case .success(.result(let result, let pagination)):
            code = 0
            response = Envelope.success(result, pagination: pagination)
        case .success(.file(let fileName, let contentType, let bytes)):
            code = 0
            response = Response(
                status: .ok,
                headers: [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(fileName)\""],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
            )
        case .failure(let error):
            code = error.code.rawValue
            if let detail = error.detail {
                logger.warning("call failed", metadata: ["return_code": "\(code)", "detail": "\(detail)"])
            }
            response = Envelope.failure(error)
        }
        let duration = ContinuousClock.now - started
        let metricName = name.flatMap { self.methods[$0] != nil ? $0 : nil } ?? "unknown"
        self.services.metrics.request(method: metricName, returnCode: code, duration: duration)
        logger.info("api call", metadata: ["return_code": "\(code)", "duration_ms": "\(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)"])
        return response
    }

    /// `product.list.json` → `product.list`; `bridge.download.file` → `bridge.download`.
    static func methodName(_ path: String) -> String? {
        for suffix in [".json", ".file"] where path.hasSuffix(suffix) {
            let name = String(path.dropLast(suffix.count))
            return name.isEmpty ? nil : name
        }
        return nil
    }

    func run(_ request: Request, methodName: String?, logger: inout Logger) async throws -> APIOutcome {
        guard let methodName, let method = self.methods[methodName] else {
            throw CartBridgeError(.methodNotSpecified, methodName == nil
                ? "Method is not specified: call /v1.1/<method>.json."
                : "Method '\(Parameters.safeName(methodName!))' is not supported.")
        }
        let parameters = try await self.parameters(of: request)
        let account = try await self.authenticate(request, parameters)
        logger[metadataKey: "account_id"] = "\(account.id)"
        return try await self.services.accountLimiter.withSlot(account.id, refusal: CartBridgeError(.accountRequestLimit)) {
            try await self.run(method, parameters, account: account, request: request, logger: &logger)
        }
    }

    /// The call itself, holding the account's slot; a store-level method also holds the store's slot.
    func run(_ method: APIMethod, _ parameters: Parameters, account: Account, request: Request, logger: inout Logger) async throws -> APIOutcome {
        var store: Store?
        if method.scope == .store {
            let found = try await self.store(of: account, request, parameters)
            logger[metadataKey: "store_id"] = "\(found.id)"
            store = found
        }
        let context = CallContext(method: method.name, parameters: parameters, account: account, store: store, services: self.services, logger: logger)
        if let store {
            return try await self.services.storeLimiter.withSlot(store.id, refusal: CartBridgeError(.storeRequestLimit)) {
                try await self.project(method.run(context), parameters)
            }
        }
        return try await self.project(method.run(context), parameters)
    }

    /// Applies `response_fields` to the envelope's `result` (the only part that varies by call).
    func project(_ outcome: APIOutcome, _ parameters: Parameters) throws -> APIOutcome {
        guard case .result(let result, let pagination) = outcome, let text = try parameters.string("response_fields", maxLength: ResponseFields.maxLength) else {
            return outcome
        }
        let fields = try ResponseFields.parse(text)
        guard let resultFields = fields.children["result"] else { return outcome }
        return .result(resultFields.apply(result), pagination: pagination)
    }

    /// Query parameters, then for writes a JSON or form body on top; the body of a GET is ignored.
    func parameters(of request: Request) async throws -> Parameters {
        var parameters = try Parameters.parse(query: Substring(request.uri.query ?? ""))
        guard request.method != .get, request.method != .head else { return parameters }
        let limit = self.services.configuration.maxBodyBytes
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            throw CartBridgeError(.incorrectParameters, "The request body is larger than \(limit) bytes.")
        }
        guard body.readableBytes > 0 else { return parameters }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            let form = try Parameters.parse(query: Substring(String(buffer: body)))
            try parameters.merge(form.values)
            return parameters
        }
        let decoded: JSONValue
        do {
            decoded = try JSONDecoder().decode(JSONValue.self, from: body)
        } catch {
            throw CartBridgeError(.incorrectParameters, "The request body is not valid JSON.")
        }
        guard case .object(let members) = decoded else {
            throw CartBridgeError(.incorrectParameters, "The request body must be a JSON object.")
        }
        try parameters.merge(members)
        return parameters
    }

    func authenticate(_ request: Request, _ parameters: Parameters) async throws -> Account {
        guard let key = try request.headers[.apiKey] ?? parameters.string("api_key", maxLength: 128), !key.isEmpty else {
            throw CartBridgeError(.incorrectAPIKey, "API key is missing: send it in the x-api-key header.")
        }
        guard key.utf8.count <= 128, let account = try await self.services.registry.account(apiKeyHash: APIKeys.hash(key)) else {
            throw CartBridgeError(.incorrectAPIKey)
        }
        guard account.status == .active else { throw CartBridgeError(.apiKeyDisabled) }
        return account
    }

    /// The store named by the store key, among the account's own stores only: a key of another
    /// account's store gets the same answer as a key that does not exist.
    func store(of account: Account, _ request: Request, _ parameters: Parameters) async throws -> Store {
        guard let key = try request.headers[.storeKey] ?? parameters.string("store_key", maxLength: 128), !key.isEmpty else {
            throw CartBridgeError(.requiredParameterMissing, "Store key is missing: send it in the x-store-key header.")
        }
        guard key.utf8.count <= 64, let store = try await self.services.registry.store(accountID: account.id, storeKey: key) else {
            throw CartBridgeError(.storeAccessDenied)
        }
        return store
    }
}

extension HTTPField.Name {
    static let apiKey = Self("x-api-key")!
    static let storeKey = Self("x-store-key")!
}
