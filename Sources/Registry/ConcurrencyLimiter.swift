/// Counts calls in flight per key (a store, an account) and refuses one more than the limit, so one busy
/// client cannot overload a merchant's store, or one account the whole service.
///
/// The registry makes its limiters (`Registry.makeConcurrencyLimiter`): the embedded registry counts in the
/// process's memory, a shared one counts in the database so that the limit holds across every node.
public protocol ConcurrencyLimiter: Sendable {
    var limit: Int { get }

    /// Takes a slot for `key`; nil (and nothing taken) when all `limit` slots are in use.
    func acquire(_ key: Int64) async throws -> ConcurrencySlot?

    /// Gives a slot back. It does not throw: a slot that cannot be given back (the database is gone) frees
    /// itself when its lease runs out.
    func release(_ slot: ConcurrencySlot) async
}

extension ConcurrencyLimiter {
    /// Runs `body` holding a slot for `key`, or throws `refusal` at once when none is free. The slot is
    /// given back however `body` ends.
    public func withSlot<T: Sendable>(
        _ key: Int64,
        refusal: @autoclosure () -> any Error,
        _ body: () async throws -> T
    ) async throws -> T {
        guard let slot = try await self.acquire(key) else { throw refusal() }
        do {
            let result = try await body()
            await self.release(slot)
            return result
        } catch {
            await self.release(slot)
            throw error
        }
    }
}
