import Synchronization

/// Counts in the process's memory: the limiter of the embedded registry, where one process serves the
/// registry file. Several processes on one file each count their own calls.
public final class InMemoryConcurrencyLimiter: ConcurrencyLimiter {
    public let limit: Int
    private let inFlight = Mutex<[Int64: Int]>([:])

    public init(limit: Int) {
        self.limit = limit
    }

    public func acquire(_ key: Int64) async -> ConcurrencySlot? {
        let taken = self.inFlight.withLock { counts in
            let current = counts[key, default: 0]
            guard current < self.limit else { return false }
            counts[key] = current + 1
            return true
        }
        return taken ? ConcurrencySlot(key: key, lease: 0) : nil
    }

    public func release(_ slot: ConcurrencySlot) async {
        self.inFlight.withLock { counts in
            let remaining = counts[slot.key, default: 1] - 1
            counts[slot.key] = remaining > 0 ? remaining : nil
        }
    }
}
