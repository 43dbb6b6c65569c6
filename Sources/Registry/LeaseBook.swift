import Synchronization

/// The lease rows this node holds, so it can renew them while their calls run.
final class LeaseBook: Sendable {
    private let held = Mutex<Set<Int64>>([])

    func add(_ id: Int64) {
        _ = self.held.withLock { $0.insert(id) }
    }

    func remove(_ id: Int64) {
        _ = self.held.withLock { $0.remove(id) }
    }

    var ids: [Int64] { self.held.withLock { Array($0) } }
}
