import AsyncHTTPClient
import Foundation
import NIOCore

/// One `cartbridge serve` process of the release build, on a port of its own, with its own data folder (SQLite
/// registry and master key) or a shared PostgreSQL registry.
struct ServerNode: Sendable {
    let name: String
    let process: Subprocess
    let port: Int
    let dataDirectory: String
    let logPath: String

    var pid: Int32 { self.process.pid }
    var baseURL: String { "http://127.0.0.1:\(self.port)" }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Where and how the nodes run.
    struct Setup: Sendable {
        /// The `cartbridge` executable.
        var binary: String
        /// Parent of each node's data folder and log.
        var workDirectory: String
        /// Calls one store and one account may have in flight: above the bench's concurrency, so the limits
        /// (codes 7 and 10) never shape a figure.
        var concurrencyLimit: Int = 256
    }

    /// The environment of every child: the bench's own, without CARTBRIDGE_* settings that would change the node.
    static func environment(database: String?) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CARTBRIDGE_") }
        // The registry URL may hold a password: it goes through the environment, never a command line.
        if let database { environment["CARTBRIDGE_DATABASE_URL"] = database }
        return environment
    }

    static func commonArguments(dataDirectory: String, masterKeyFile: String?) -> [String] {
        ["--data-dir", dataDirectory] + (masterKeyFile.map { ["--master-key-file", $0] } ?? [])
    }

    /// `cartbridge account create`: the new account's API key (the last line printed).
    static func createAccount(setup: Setup, dataDirectory: String, database: String?, masterKeyFile: String?) async throws -> String {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let (status, output, errors) = try await Subprocess.run(
            setup.binary,
            ["account", "create", "--name", "bench"] + Self.commonArguments(dataDirectory: dataDirectory, masterKeyFile: masterKeyFile),
            environment: Self.environment(database: database),
            workDirectory: setup.workDirectory,
            timeout: .seconds(60)
        )
        guard status == 0, let key = output.split(separator: "\n").last.map(String.init), !key.isEmpty else {
            throw Failure(description: "account create failed (\(status)): \(errors.suffix(500))")
        }
        return key
    }

    /// Starts a node and waits until `/health` answers 200.
    static func start(
        _ name: String,
        setup: Setup,
        dataDirectory: String,
        database: String? = nil,
        masterKeyFile: String? = nil,
        http: HTTPClient
    ) async throws -> ServerNode {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let port = try FreePort.find()
        let log = (setup.workDirectory as NSString).appendingPathComponent("\(name).log")
        let limit = String(setup.concurrencyLimit)
        let process = try Subprocess.spawn(
            setup.binary,
            ["serve", "--host", "127.0.0.1", "--port", String(port), "--store-concurrency", limit, "--account-concurrency", limit]
                + Self.commonArguments(dataDirectory: dataDirectory, masterKeyFile: masterKeyFile),
            environment: Self.environment(database: database),
            stdout: log,
            stderr: log
        )
        let node = ServerNode(name: name, process: process, port: port, dataDirectory: dataDirectory, logPath: log)
        try? PidFile.record(node.pid, in: setup.workDirectory)
        let probe = APIClient(http: http, baseURL: node.baseURL, apiKey: "")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let status = await process.wait(timeout: .zero) {
                throw Failure(description: "\(name) exited with \(status) at start: \(node.logTail())")
            }
            if (try? await probe.get("/health", timeout: .seconds(2))) == 200 { return node }
            try await Task.sleep(for: .milliseconds(100))
        }
        await process.stop()
        throw Failure(description: "\(name) did not answer /health within 60 s: \(node.logTail())")
    }

    func stop() async {
        await self.process.stop()
    }

    func memory() -> ProcessMemory? {
        ProcessMemory.read(pid: self.pid)
    }

    func logTail() -> String {
        String(((try? String(contentsOfFile: self.logPath, encoding: .utf8)) ?? "").suffix(800))
    }
}
