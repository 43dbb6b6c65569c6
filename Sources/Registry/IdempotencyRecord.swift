import Foundation

/// The answer a write gave for one idempotency key, so a retried call gets the same answer instead of
/// writing twice. Keyed by account, key and method: the same key sent to another method is another record.
public struct IdempotencyRecord: Sendable, Hashable {
    public let accountID: Int64
    public let key: String
    public let method: String
    /// The stored answer (the response body as sent), returned as it is to a retry.
    public var answer: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(accountID: Int64, key: String, method: String, answer: String, createdAt: Date, expiresAt: Date) {
        self.accountID = accountID
        self.key = key
        self.method = method
        self.answer = answer
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    public func isExpired(at now: Date) -> Bool { now >= self.expiresAt }
}
