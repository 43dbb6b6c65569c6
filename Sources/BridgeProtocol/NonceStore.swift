/// Remembers request nonces so that a captured request cannot be played again.
public protocol NonceStore: Sendable {
    /// Atomically records `nonce` until `retainUntil` (unix seconds) and returns `true`, or returns `false` when the
    /// nonce is already recorded. `now` lets the store drop nonces whose time has passed.
    func insert(nonce: String, retainUntil: Int64, now: Int64) async throws -> Bool
}
