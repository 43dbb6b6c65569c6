import CartBridgeCore
import Foundation
import Hummingbird
import NIOCore

/// The API2Cart v1.1 envelope: always HTTP 200, the outcome in `return_code`.
enum Envelope {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    static func success(_ result: JSONValue, pagination: JSONValue? = nil) -> Response {
        var body: [String: JSONValue] = ["return_code": 0, "return_message": "", "result": Self.objectOrEmpty(result)]
        if let pagination { body["pagination"] = pagination }
        return Self.response(.object(body))
    }

    static func failure(_ error: CartBridgeError) -> Response {
        Self.response(["return_code": .int(Int64(error.code.rawValue)), "return_message": .string(error.message), "result": [:]])
    }

    static func response(_ body: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        // Encoding a JSONValue cannot fail: it holds only JSON-representable values (non-finite doubles are
        // never produced by the decoders that fill it); fall back to a fixed body to stay total.
        // The same bytes as `encoder` writes (JSONWriter), several times faster on large pages.
        let bytes = (try? body.jsonBytes(capacity: 16 * 1024)) ?? Array(#"{"return_code":9,"return_message":"Internal service error.","result":{}}"#.utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// `result` is `{}` when empty, never `[]` or null: strict clients reject both.
    static func objectOrEmpty(_ value: JSONValue) -> JSONValue {
        if case .object = value { return value }
        return [:]
    }
}
