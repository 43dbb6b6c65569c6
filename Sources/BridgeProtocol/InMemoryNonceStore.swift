import Synchronization

/// A `NonceStore` in memory, for tests and single-process verifiers.
public final class InMemoryNonceStore: NonceStore {
    private let entries = Mutex<[String: Int64]>([:])

    public init() {}

    public func insert(nonce: String, retainUntil: Int64, now: Int64) async throws -> Bool {
        self.entries.withLock { entries in
            if entries.count > 1024 { entries = entries.filter { $0.value >= now } }
            if let until = entries[nonce], until >= now { return false }
            entries[nonce] = retainUntil
            return true
        }
    }

    public var count: Int { self.entries.withLock { $0.count } }
}
