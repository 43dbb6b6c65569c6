import CartBridgeCore
import Foundation

/// Figure 3: every product by `page_cursor`, 250 a page, `params=force_all`, through a fresh node; against the
/// floor, the same products' rows (product and description) read with the `mariadb` client; and the node's
/// memory for the large store against a fresh node's for the store a tenth its size.
enum ExportBench {
    static let speedTarget = 0.25
    static let memoryTarget = 1.10

    struct Walk: Sendable {
        var items: Int
        var pages: Int
        var total: Int
        var elapsed: Duration
        /// VmHWM after registration, before the export (KiB).
        var hwmBefore: Int
        /// VmHWM after the export (KiB).
        var hwmAfter: Int
        /// The highest VmRSS sampled during the export (KiB).
        var sampledPeak: Int
        var cores: [String: Double]

        var perSecond: Double { Double(self.items) / max(Latencies.seconds(self.elapsed), 0.000_001) }
    }

    static func run(_ context: BenchContext, report: inout Report) async throws {
        let large = context.config.large
        let small = context.config.small
        var floors: [Duration] = []
        floors.append(try await Self.floor(context, store: large))
        let big = try await Self.export(context, store: large, name: "export-\(large.name)")
        for _ in 1..<max(context.sizes.floorRuns, 2) {
            floors.append(try await Self.floor(context, store: large))
        }
        let little = try await Self.export(context, store: small, name: "export-\(small.name)")

        let floor = floors.min() ?? .seconds(1)
        let floorRate = Double(big.total) / max(Latencies.seconds(floor), 0.000_001)
        report.info(
            "3. floor: mariadb --batch, \(large.name) product+description rows",
            value: "\(Report.number(floorRate, 0)) rows/s (best of \(floors.count): \(Report.number(Latencies.milliseconds(floor), 0)) ms)"
        )
        report.judged(
            "3. full export \(big.items) products, count=\(context.sizes.exportCount), force_all: CartBridge / floor",
            value: "\(Report.number(big.perSecond, 0)) items/s (\(Report.number(Latencies.seconds(big.elapsed), 1)) s, \(big.pages) pages)",
            ratio: big.perSecond / max(floorRate, 0.001), target: Self.speedTarget, atMost: false, ratioText: String(format: "%.3f×", big.perSecond / max(floorRate, 0.001))
        )
        report.info(
            "3. export \(little.items) products (\(small.name))",
            value: "\(Report.number(little.perSecond, 0)) items/s (\(Report.number(Latencies.seconds(little.elapsed), 1)) s)"
        )
        report.judged(
            "3. peak memory VmHWM: \(large.name) / \(small.name)",
            value: "\(Self.mib(big.hwmAfter)) / \(Self.mib(little.hwmAfter)) MiB",
            ratio: Double(big.hwmAfter) / Double(max(little.hwmAfter, 1)), target: Self.memoryTarget, atMost: true
        )
        report.info(
            "   sampled RSS peak during export: \(large.name) / \(small.name)",
            value: "\(Self.mib(big.sampledPeak)) / \(Self.mib(little.sampledPeak)) MiB",
            ratio: Report.ratio(Double(big.sampledPeak) / Double(max(little.sampledPeak, 1)))
        )
        report.info(
            "   VmHWM before the export (registered, idle): \(large.name) / \(small.name)",
            value: "\(Self.mib(big.hwmBefore)) / \(Self.mib(little.hwmBefore)) MiB"
        )
        report.note("export \(large.name): CPU during the walk: \(CPUAccounting.describe(big.cores))")
        report.note("export \(small.name): CPU during the walk: \(CPUAccounting.describe(little.cores))")
    }

    /// A fresh node: register, then walk every page, sampling its memory.
    static func export(_ context: BenchContext, store: BenchConfig.Store, name: String) async throws -> Walk {
        let (node, client) = try await context.startNode(name, store: store)
        do {
            let hwmBefore = node.memory()?.hwmKiB ?? 0
            let before = CPUAccounting.snapshot()
            let clock = ContinuousClock()
            let started = clock.now
            let (walked, peak) = try await MemorySampler.sampling(pid: node.pid) {
                try await Self.walk(client, count: context.sizes.exportCount)
            }
            let elapsed = clock.now - started
            let cores = before.cores(until: CPUAccounting.snapshot())
            let hwmAfter = node.memory()?.hwmKiB ?? 0
            await node.stop()
            guard walked.items == walked.total else {
                throw APIClient.Failure(description: "\(name): walked \(walked.items) items of \(walked.total)")
            }
            return Walk(
                items: walked.items, pages: walked.pages, total: walked.total, elapsed: elapsed,
                hwmBefore: hwmBefore, hwmAfter: hwmAfter, sampledPeak: peak.rssKiB, cores: cores
            )
        } catch {
            await node.stop()
            throw error
        }
    }

    /// Every page of `product.list` by `page_cursor`.
    static func walk(_ client: APIClient, count: Int) async throws -> (items: Int, pages: Int, total: Int) {
        var cursor: String?
        var items = 0
        var pages = 0
        var total = 0
        repeat {
            var query: [(String, String)] = [("params", "force_all")]
            if let cursor {
                query.append(("page_cursor", cursor))
            } else {
                query.append(("count", String(count)))
            }
            let answer = try await client.ok("product.list", query: query)
            if pages == 0 { total = Int(answer.result["products_count"]?.intValue ?? 0) }
            items += answer.result["product"]?.arrayValue?.count ?? 0
            pages += 1
            cursor = answer.pagination?["next"]?.stringValue
            guard pages <= 100_000 else { throw APIClient.Failure(description: "export: more than 100,000 pages") }
        } while cursor != nil
        return (items, pages, total)
    }

    /// The floor: the rows of the page statement's main tables with the `mariadb` client, to /dev/null.
    static func floor(_ context: BenchContext, store: BenchConfig.Store) async throws -> Duration {
        let sql = """
            SELECT p.*, pd.`name`, pd.`description`, pd.`meta_title`, pd.`meta_description`, pd.`meta_keyword`, pd.`tag` \
            FROM `oc_product` p LEFT JOIN `oc_product_description` pd ON pd.`product_id` = p.`product_id` AND pd.`language_id` = 1 \
            ORDER BY p.`product_id`
            """
        let clock = ContinuousClock()
        let started = clock.now
        let process = try Subprocess.spawn(
            context.mariadb,
            ["--defaults-file=\(context.mariadbDefaultsFile)", "--batch", "-e", sql, store.database],
            environment: ProcessInfo.processInfo.environment,
            stderr: (context.setup.workDirectory as NSString).appendingPathComponent("floor.err")
        )
        guard let status = await process.wait(timeout: .seconds(300)) else {
            await process.stop(grace: .seconds(2))
            throw APIClient.Failure(description: "the floor query did not finish within 300 s")
        }
        guard status == 0 else { throw APIClient.Failure(description: "the floor query failed (\(status)); see floor.err") }
        return clock.now - started
    }

    static func mib(_ kib: Int) -> String {
        String(format: "%.1f", Double(kib) / 1024)
    }
}
