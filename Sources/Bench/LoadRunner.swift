/// A closed loop: `concurrency` workers, each sending its next request as soon as the last one is answered,
/// until the time is up. Bounded in time, and each request has its own deadline (the clients').
enum LoadRunner {
    struct Result: Sendable {
        var ok: Int
        var failed: Int
        var elapsed: Duration
        var firstError: String?

        var perSecond: Double {
            let seconds = Latencies.seconds(self.elapsed)
            return seconds > 0 ? Double(self.ok) / seconds : 0
        }

        static func + (a: Result, b: Result) -> Result {
            Result(ok: a.ok + b.ok, failed: a.failed + b.failed, elapsed: a.elapsed + b.elapsed, firstError: a.firstError ?? b.firstError)
        }

        static let zero = Result(ok: 0, failed: 0, elapsed: .zero)
    }

    /// `request(worker, sequence)` returns nil on success, else what went wrong.
    static func run(
        concurrency: Int,
        duration: Duration,
        _ request: @escaping @Sendable (Int, Int) async -> String?
    ) async -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + duration
        let totals = await withTaskGroup(of: Result.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var result = Result.zero
                    var sequence = 0
                    while clock.now < deadline {
                        if let error = await request(worker, sequence) {
                            result.failed += 1
                            if result.firstError == nil { result.firstError = error }
                        } else {
                            result.ok += 1
                        }
                        sequence += 1
                    }
                    return result
                }
            }
            var sum = Result.zero
            for await part in group { sum = Result(ok: sum.ok + part.ok, failed: sum.failed + part.failed, elapsed: .zero, firstError: sum.firstError ?? part.firstError) }
            return sum
        }
        return Result(ok: totals.ok, failed: totals.failed, elapsed: clock.now - started, firstError: totals.firstError)
    }
}
