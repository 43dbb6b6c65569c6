/// One slot taken from a `ConcurrencyLimiter`, given back with `release`.
public struct ConcurrencySlot: Sendable, Hashable {
    public let key: Int64
    /// What the limiter needs to give this very slot back (a lease row's id); 0 for the in-memory limiter.
    public let lease: Int64

    public init(key: Int64, lease: Int64) {
        self.key = key
        self.lease = lease
    }
}
