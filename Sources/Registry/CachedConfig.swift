import Foundation

/// A store's configuration as last read from the store (JSON), with when it stops being fresh.
public struct CachedConfig: Sendable, Hashable {
    public var payload: String
    public var fetchedAt: Date
    public var expiresAt: Date

    public init(payload: String, fetchedAt: Date, expiresAt: Date) {
        self.payload = payload
        self.fetchedAt = fetchedAt
        self.expiresAt = expiresAt
    }

    public func isFresh(at now: Date = Date()) -> Bool { now < self.expiresAt }
}
