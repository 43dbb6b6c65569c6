/// Figure 2: cached `cart.info` (API key, store key, limits, the config cache, the envelope) against `/health`
/// of the same node, at the same concurrency, in alternating rounds.
enum ThroughputBench {
    static let target = 0.25

    static func run(_ context: BenchContext, client: APIClient, report: inout Report) async throws {
        let sizes = context.sizes
        let duration = Duration.seconds(sizes.throughputSeconds)
        // Warm both paths (connections opened, the config cache filled).
        _ = await LoadRunner.run(concurrency: sizes.throughputConnections, duration: .milliseconds(500)) { _, _ in await client.quick("cart.info") }
        _ = await LoadRunner.run(concurrency: sizes.throughputConnections, duration: .milliseconds(500)) { _, _ in await client.quickGet("/health") }
        var health = LoadRunner.Result.zero
        var info = LoadRunner.Result.zero
        var healthCores: [String: Double] = [:]
        var infoCores: [String: Double] = [:]
        for round in 0..<sizes.throughputRounds {
            for side in round % 2 == 0 ? [0, 1] : [1, 0] {
                let before = CPUAccounting.snapshot()
                if side == 0 {
                    health = health + (await LoadRunner.run(concurrency: sizes.throughputConnections, duration: duration) { _, _ in await client.quickGet("/health") })
                    healthCores = before.cores(until: CPUAccounting.snapshot())
                } else {
                    info = info + (await LoadRunner.run(concurrency: sizes.throughputConnections, duration: duration) { _, _ in await client.quick("cart.info") })
                    infoCores = before.cores(until: CPUAccounting.snapshot())
                }
            }
        }
        for (name, result) in [("/health", health), ("cart.info", info)] where result.failed > 0 {
            report.note("throughput: \(result.failed) failed \(name) calls, first: \(result.firstError ?? "?")")
        }
        let ratio = info.perSecond / max(health.perSecond, 0.001)
        report.info("2. /health, \(sizes.throughputConnections) connections", value: "\(Report.number(health.perSecond, 0)) req/s")
        report.judged(
            "2. cached cart.info, \(sizes.throughputConnections) connections: cart.info / health",
            value: "\(Report.number(info.perSecond, 0)) req/s", ratio: ratio, target: Self.target, atMost: false
        )
        report.note(
            "throughput: \(sizes.throughputRounds) round(s) of \(sizes.throughputSeconds) s each, alternating; CPU in the last /health round: "
                + CPUAccounting.describe(healthCores) + "; in the last cart.info round: " + CPUAccounting.describe(infoCores)
        )
    }
}
