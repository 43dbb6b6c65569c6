import ArgumentParser
import AsyncHTTPClient
import Foundation

/// `cartbridge-bench`: runs the contenders side by side in one run and prints ratios (never absolute times
/// across runs: the machine is shared). `scripts/bench` prepares the stores and calls it.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cartbridge-bench",
        abstract: "CartBridge against the direct bridge call, a trivial route, the raw rows and itself on two nodes; prints ratios."
    )

    @Option(help: "The stores scripts/bench prepared (JSON).")
    var config: String

    @Option(help: "The cartbridge executable (the release build).")
    var cartbridge: String

    @Option(name: .customLong("work-dir"), help: "A folder for the nodes' data folders and logs (emptied first).")
    var workDirectory: String

    @Option(help: "The mariadb client, for the floor of the export.")
    var mariadb: String = "/usr/bin/mariadb"

    @Option(name: .customLong("mariadb-defaults-file"), help: "The mariadb client's option file (default: CARTBRIDGE_TEST_MARIADB_DEFAULTS_FILE).")
    var mariadbDefaultsFile: String?

    @Option(help: "Sections to run, comma-separated: overhead, throughput, export, nodes.")
    var sections: String = "overhead,throughput,export,nodes"

    @Flag(help: "Fewer iterations and shorter rounds: a smoke check.")
    var quick = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let defaults = self.mariadbDefaultsFile ?? environment["CARTBRIDGE_TEST_MARIADB_DEFAULTS_FILE"] else {
            throw ValidationError("--mariadb-defaults-file or CARTBRIDGE_TEST_MARIADB_DEFAULTS_FILE is needed.")
        }
        let wanted = Set(self.sections.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let unknown = wanted.subtracting(["overhead", "throughput", "export", "nodes"])
        guard unknown.isEmpty else { throw ValidationError("Unknown sections: \(unknown.sorted().joined(separator: ", ")).") }
        let work = (self.workDirectory as NSString).standardizingPath
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        let sizes = self.quick ? BenchSizes.quick : BenchSizes.full
        let apiHTTP = APIClient.makeHTTPClient(connections: max(sizes.throughputConnections, sizes.nodeConcurrency) * 2)
        let bridgeHTTP = DirectBridge.makeHTTPClient()
        let context = BenchContext(
            config: try BenchConfig.load(self.config),
            setup: ServerNode.Setup(binary: self.cartbridge, workDirectory: work),
            sizes: sizes,
            apiHTTP: apiHTTP,
            bridgeHTTP: bridgeHTTP,
            mariadb: self.mariadb,
            mariadbDefaultsFile: defaults,
            postgresURL: environment["CARTBRIDGE_BENCH_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
        )
        Self.say(Machine.describe())
        Self.say("stores: \(context.config.large.name) (\(context.config.large.products) products), \(context.config.small.name) (\(context.config.small.products)); "
            + "PHP workers per store: \(context.config.large.php_workers.map(String.init) ?? "?"); mode: \(self.quick ? "quick" : "full")")
        Self.say("")

        var report = Report()
        var failures: [String] = []
        let clock = ContinuousClock()
        let started = clock.now
        func section(_ name: String, _ body: (inout Report) async throws -> Void) async {
            guard wanted.contains(name) else { return }
            let sectionStart = clock.now
            Self.say("running \(name)...")
            do {
                try await body(&report)
            } catch {
                failures.append("\(name): \(error)")
                report.note("\(name) FAILED: \(error)")
            }
            Self.say("  \(name) took \(Report.number(Latencies.seconds(clock.now - sectionStart), 1)) s")
        }

        if wanted.contains("overhead") || wanted.contains("throughput") {
            do {
                let (node, client) = try await context.startNode("main", store: context.config.large)
                await section("overhead") { try await OverheadBench.run(context, client: client, report: &$0) }
                await section("throughput") { try await ThroughputBench.run(context, client: client, report: &$0) }
                await node.stop()
            } catch {
                failures.append("main node: \(error)")
                report.note("the main node FAILED: \(error)")
            }
        }
        await section("export") { try await ExportBench.run(context, report: &$0) }
        if let postgres = context.postgresURL {
            await section("nodes") { try await NodesBench.run(context, postgresURL: postgres, report: &$0) }
        } else if wanted.contains("nodes") {
            report.note("nodes: skipped, CARTBRIDGE_BENCH_POSTGRES_URL is not set")
        }

        try? await apiHTTP.shutdown()
        try? await bridgeHTTP.shutdown()
        Self.say("")
        Self.say(report.render())
        Self.say("")
        Self.say("load average at the end: \(Machine.loadAverage()); bench took \(Report.number(Latencies.seconds(clock.now - started), 0)) s")
        if !failures.isEmpty {
            throw ExitCode(2)
        }
    }

    /// One line to standard output, written at once (also into a pipe: scripts/bench tees it), so progress shows
    /// as it happens.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
