import Synchronization

/// Counts calls in flight per key and refuses one more than the limit, so one busy client cannot
/// overload a merchant's store (or one account the whole service).
final class ConcurrencyLimiter: Sendable {
    let limit: Int
    private let inFlight = Mutex<[Int64: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot for `key`; returns false (and takes nothing) when all are in use.
    func acquire(_ key: Int64) -> Bool {
        self.inFlight.withLock { counts in
            let current = counts[key, default: 0]
            guard current < self.limit else { return false }
            counts[key] = current + 1
            return true
        }
    }

    func release(_ key: Int64) {
        self.inFlight.withLock { counts in
            let remaining = counts[key, default: 1] - 1
            counts[key] = remaining > 0 ? remaining : nil
        }
    }
}
