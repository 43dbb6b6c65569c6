import CartBridgeCore
import Foundation
import Logging
import Registry

/// `idempotency_key` on writes: the first answer for an account, store, key and method is kept for a day and
/// returned to every retry, so a client that lost an answer can send the write again without writing twice.
///
/// The key is claimed before the write (a pending record with a short lease), so two identical writes sent at
/// once, to one node or to two, run once: the second waits for the first's answer. A writer that fails gives
/// the key up; one that dies leaves a claim that lapses with its lease.
enum Idempotency {
    static let lifetime: TimeInterval = 24 * 3600
    static let claimLease: TimeInterval = 120
    static let maxKeyLength = 128
    static let pendingPrefix = "pending:"

    static func once(_ call: CallContext, _ write: (CallContext) async throws -> JSONValue) async throws -> APIOutcome {
        guard let key = try call.parameters.string("idempotency_key", maxLength: Self.maxKeyLength) else {
            return .result(try await write(call))
        }
        let registry = call.services.registry
        // The same key sent to two stores is two writes.
        let scopedKey = "\(try call.requiredStore.id):\(key)"
        let claim = Self.pendingPrefix + UUID().uuidString
        let deadline = Date().addingTimeInterval(Self.claimLease)
        while true {
            let now = Date()
            let pending = IdempotencyRecord(
                accountID: call.account.id, key: scopedKey, method: call.method, answer: claim, createdAt: now,
                expiresAt: now.addingTimeInterval(Self.claimLease)
            )
            let inForce = try await registry.putIdempotencyRecord(pending, now: now)
            if inForce.answer == claim { break }
            if !inForce.answer.hasPrefix(Self.pendingPrefix), let answer = Self.decode(inForce.answer) {
                call.logger.debug("idempotent retry answered from the record")
                return .result(answer)
            }
            // Another call holds the key: wait for its answer (or for its claim to lapse).
            guard Date() < deadline else {
                throw CartBridgeError(.storeRequestLimit, "A write with this idempotency_key is still running; try again later.")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let answer: JSONValue
        do {
            answer = try await write(call)
        } catch {
            // Give the key up, so a retry can write.
            let now = Date()
            try? await registry.replaceIdempotencyRecord(
                IdempotencyRecord(accountID: call.account.id, key: scopedKey, method: call.method, answer: "", createdAt: now, expiresAt: now)
            )
            throw error
        }
        let now = Date()
        try await registry.replaceIdempotencyRecord(
            IdempotencyRecord(
                accountID: call.account.id, key: scopedKey, method: call.method, answer: Self.encode(answer), createdAt: now,
                expiresAt: now.addingTimeInterval(Self.lifetime)
            )
        )
        return .result(answer)
    }

    static func encode(_ value: JSONValue) -> String {
        String(decoding: (try? Envelope.encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
