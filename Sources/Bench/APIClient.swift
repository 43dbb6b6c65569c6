import AsyncHTTPClient
import CartBridgeCore
import Foundation
import NIOCore
import NIOHTTP1

/// A client of one CartBridge node's `/v1.1` API, as an application would use it: keys in headers, the envelope
/// decoded. Every request has a deadline.
struct APIClient: Sendable {
    let http: HTTPClient
    /// `http://127.0.0.1:<port>`
    let baseURL: String
    var apiKey: String
    var storeKey: String?
    var timeout: TimeAmount = .seconds(60)

    struct Answer: Sendable {
        var returnCode: Int64
        var message: String
        var result: JSONValue
        var pagination: JSONValue?
        var bytes: Int
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let maxBody = 64 << 20

    /// An HTTP client for API load: keep-alive connections, enough of them for `connections` concurrent calls.
    static func makeHTTPClient(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(120)),
            decompression: .disabled
        )
        configuration.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, connections))
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// `/v1.1/<method>.json`: GET with `query`, or POST with a JSON `body`. Throws when the HTTP exchange fails or the
    /// answer is not an envelope; a non-zero `return_code` is returned, not thrown.
    func call(_ method: String, query: [(String, String)] = [], body: JSONValue? = nil) async throws -> Answer {
        var url = self.baseURL + "/v1.1/" + method + ".json"
        if !query.isEmpty {
            url += "?" + query.map { Self.escape($0.0) + "=" + Self.escape($0.1) }.joined(separator: "&")
        }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "x-api-key", value: self.apiKey)
        if let storeKey = self.storeKey { request.headers.add(name: "x-store-key", value: storeKey) }
        if let body {
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        }
        let response = try await self.http.execute(request, deadline: .now() + self.timeout)
        var buffer = try await response.body.collect(upTo: Self.maxBody)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        guard response.status == .ok else {
            throw Failure(description: "\(method): HTTP \(response.status.code)")
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw Failure(description: "\(method): the answer is not JSON")
        }
        guard let code = document["return_code"]?.intValue else {
            throw Failure(description: "\(method): the answer has no return_code")
        }
        return Answer(
            returnCode: code,
            message: document["return_message"]?.stringValue ?? "",
            result: document["result"] ?? .null,
            pagination: document["pagination"],
            bytes: bytes.count
        )
    }

    /// Like `call`, but a non-zero return code is an error.
    func ok(_ method: String, query: [(String, String)] = [], body: JSONValue? = nil) async throws -> Answer {
        let answer = try await self.call(method, query: query, body: body)
        guard answer.returnCode == 0 else {
            throw Failure(description: "\(method): return_code \(answer.returnCode): \(answer.message)")
        }
        return answer
    }

    /// A plain GET of a path (e.g. `/health`); the status code, after reading the whole body.
    func get(_ path: String, timeout: TimeAmount? = nil) async throws -> Int {
        let request = HTTPClientRequest(url: self.baseURL + path)
        let response = try await self.http.execute(request, deadline: .now() + (timeout ?? self.timeout))
        _ = try await response.body.collect(upTo: Self.maxBody)
        return Int(response.status.code)
    }

    static let success = Array(#""return_code":0,"#.utf8)

    /// For load: one GET of `/v1.1/<method>.json`, the body read but not decoded; nil when it answered
    /// `return_code` 0, else what it answered.
    func quick(_ method: String) async -> String? {
        var request = HTTPClientRequest(url: self.baseURL + "/v1.1/" + method + ".json")
        request.headers.add(name: "x-api-key", value: self.apiKey)
        if let storeKey = self.storeKey { request.headers.add(name: "x-store-key", value: storeKey) }
        do {
            let response = try await self.http.execute(request, deadline: .now() + self.timeout)
            let body = try await response.body.collect(upTo: Self.maxBody)
            guard response.status == .ok else { return "HTTP \(response.status.code)" }
            let bytes = body.readableBytesView
            guard bytes.firstRange(of: Self.success) != nil else {
                return String(decoding: bytes.prefix(200), as: UTF8.self)
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// For load: a GET of a plain path; nil when it answered 200.
    func quickGet(_ path: String) async -> String? {
        do {
            let status = try await self.get(path)
            return status == 200 ? nil : "HTTP \(status)"
        } catch {
            return "\(error)"
        }
    }

    static let unreserved: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~,")
        return set
    }()

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? text
    }
}
