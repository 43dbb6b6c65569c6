import CartBridgeCore
import Foundation
import Logging
import Registry

/// `idempotency_key` on writes: the first answer for an account, key and method is kept for a day and
/// returned to every retry, so a client that lost an answer can send the write again without writing twice.
enum Idempotency {
    static let lifetime: TimeInterval = 24 * 3600
    static let maxKeyLength = 128

    static func once(_ call: CallContext, _ write: (CallContext) async throws -> JSONValue) async throws -> APIOutcome {
        guard let key = try call.parameters.string("idempotency_key", maxLength: Self.maxKeyLength) else {
            return .result(try await write(call))
        }
        let registry = call.services.registry
        // The record is per store too: the same key sent to two stores is two writes.
        let scopedKey = "\(try call.requiredStore.id):\(key)"
        if let record = try await registry.idempotencyRecord(accountID: call.account.id, key: scopedKey, method: call.method, now: Date()),
            let answer = Self.decode(record.answer)
        {
            call.logger.debug("idempotent retry answered from the record")
            return .result(answer)
        }
        let answer = try await write(call)
        let now = Date()
        let record = IdempotencyRecord(
            accountID: call.account.id, key: scopedKey, method: call.method, answer: Self.encode(answer), createdAt: now,
            expiresAt: now.addingTimeInterval(Self.lifetime)
        )
        let kept = try await registry.putIdempotencyRecord(record, now: now)
        return .result(Self.decode(kept.answer) ?? answer)
    }

    static func encode(_ value: JSONValue) -> String {
        String(decoding: (try? Envelope.encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
