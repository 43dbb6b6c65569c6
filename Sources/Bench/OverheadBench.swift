import CartBridgeCore
import Connectors
import Foundation

/// Figure 1: `product.list` count=50 through a node against exactly the statements the OpenCart connector sends
/// for it, replayed straight to the bridge by the minimal signed client. One call of each in turn, the order
/// swapped every iteration; both sides include reading and decoding the JSON answer.
enum OverheadBench {
    struct Variant: Sendable {
        var label: String
        var parameters: [(String, String)]
        var fields: Set<String>?
    }

    static let variants = [
        Variant(label: "default params", parameters: [("count", "50")], fields: ["id", "name", "description", "price", "categories_ids"]),
        Variant(label: "params=force_all", parameters: [("count", "50"), ("params", "force_all")], fields: nil),
    ]

    static let target = 1.15

    static func run(_ context: BenchContext, client: APIClient, report: inout Report) async throws {
        try await Self.breakdown(context, client: client, report: &report)
        let direct = try DirectBridge(store: context.config.large, http: context.bridgeHTTP)
        let config = try await direct.storeConfig()
        for variant in Self.variants {
            // Record the connector's statements for this call, once.
            var query = ListQuery()
            query.count = 50
            query.fields = variant.fields
            let recorder = StatementRecorder()
            let page = try await Connectors.connector(for: config.cartType).list(
                .product, query, store: StoreAccess(channel: RecordingChannel(bridge: direct, recorder: recorder), config: config)
            )
            let recorded = await recorder.queries
            guard recorded.count == 1, let args = recorded.first else {
                throw APIClient.Failure(description: "the connector sent \(recorded.count) query batches for one product.list")
            }
            let statements = args["statements"]?.arrayValue?.count ?? 0
            // The node answers the same page.
            let answer = try await client.ok("product.list", query: variant.parameters)
            let nodeIDs = answer.result["product"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            let connectorIDs = page.items.compactMap { $0["id"]?.stringValue }
            guard nodeIDs == connectorIDs, nodeIDs.count == 50 else {
                throw APIClient.Failure(description: "the node's page (\(nodeIDs.count) items) is not the recorded one (\(connectorIDs.count))")
            }

            let nodeCall: @Sendable () async throws -> Void = {
                let answer = try await client.call("product.list", query: variant.parameters)
                guard answer.returnCode == 0 else { throw APIClient.Failure(description: "product.list: \(answer.returnCode) \(answer.message)") }
            }
            let directCall: @Sendable () async throws -> Void = {
                let result = try await direct.call("query", args: args)
                guard result["results"]?.arrayValue?.count == statements else { throw APIClient.Failure(description: "query: unexpected reply") }
            }
            for _ in 0..<context.sizes.overheadWarmup {
                try await nodeCall()
                try await directCall()
            }
            var node = Latencies()
            var straight = Latencies()
            let clock = ContinuousClock()
            let cpuBefore = CPUAccounting.snapshot()
            for iteration in 0..<context.sizes.overheadIterations {
                for side in iteration % 2 == 0 ? [0, 1] : [1, 0] {
                    let started = clock.now
                    if side == 0 {
                        try await nodeCall()
                        node.add(clock.now - started)
                    } else {
                        try await directCall()
                        straight.add(clock.now - started)
                    }
                }
            }
            let cores = cpuBefore.cores(until: CPUAccounting.snapshot())
            let ratio50 = node.p50 / max(straight.p50, 0.001)
            let ratio99 = node.p99 / max(straight.p99, 0.001)
            report.judged(
                "1. product.list count=50, \(variant.label): p50 CartBridge / direct",
                value: "\(Report.number(node.p50, 2)) / \(Report.number(straight.p50, 2)) ms",
                ratio: ratio50, target: Self.target, atMost: true
            )
            report.info(
                "   same, p99 CartBridge / direct",
                value: "\(Report.number(node.p99, 2)) / \(Report.number(straight.p99, 2)) ms",
                ratio: Report.ratio(ratio99)
            )
            report.note(
                "overhead, \(variant.label): \(context.sizes.overheadIterations) calls each, alternating; the replayed batch has \(statements) statements "
                    + "(\(answer.bytes) bytes of CartBridge answer); CPU during the run: \(CPUAccounting.describe(cores))"
            )
        }
    }

    /// What one call costs the node without a store call, alternating: `/health` (the HTTP hop to the node) and a
    /// cached `cart.info` (keys, limits, the config cache, the envelope). Sequential, one at a time.
    static func breakdown(_ context: BenchContext, client: APIClient, report: inout Report) async throws {
        var health = Latencies()
        var info = Latencies()
        let clock = ContinuousClock()
        for iteration in 0..<(context.sizes.overheadIterations + context.sizes.overheadWarmup) {
            for side in iteration % 2 == 0 ? [0, 1] : [1, 0] {
                let started = clock.now
                if side == 0 {
                    guard try await client.get("/health") == 200 else { throw APIClient.Failure(description: "/health did not answer 200") }
                    if iteration >= context.sizes.overheadWarmup { health.add(clock.now - started) }
                } else {
                    _ = try await client.ok("cart.info")
                    if iteration >= context.sizes.overheadWarmup { info.add(clock.now - started) }
                }
            }
        }
        report.info(
            "1. one call without a store call, p50: /health / cached cart.info",
            value: "\(Report.number(health.p50, 2)) / \(Report.number(info.p50, 2)) ms"
        )
    }
}
