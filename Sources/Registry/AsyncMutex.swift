/// A FIFO lock for async code: one SQLite connection serves every task, and a transaction's statements
/// must not interleave with another task's (an actor alone would allow that at each `await`).
actor AsyncMutex {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        if !self.locked {
            self.locked = true
            return
        }
        await withCheckedContinuation { self.waiters.append($0) }
    }

    func unlock() {
        if self.waiters.isEmpty {
            self.locked = false
        } else {
            self.waiters.removeFirst().resume()
        }
    }

    nonisolated func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await self.lock()
        do {
            let result = try await body()
            await self.unlock()
            return result
        } catch {
            await self.unlock()
            throw error
        }
    }
}
