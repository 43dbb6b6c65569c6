import CartBridgeCore
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `curl` for FTP, FTPS and SFTP: URLSession cannot do FTP on Linux, and curl with all three is on every
/// machine. Secrets never go on its command line or into its environment (both readable under `/proc`): the
/// account comes in a config on standard input (`-K -`), file contents through private named pipes.
public struct CurlRunner: Sendable {
    /// What one run of curl gave.
    struct Outcome: Sendable {
        let exitCode: Int32
        let output: [UInt8]
        /// The first line of curl's error output (its own message, e.g. `curl: (67) Access denied: 530`).
        let errorLine: String
    }

    public let executable: String
    /// Bounds each run: `--connect-timeout` and `--max-time`, and a kill shortly after as a last resort.
    public let connectTimeout: Duration
    public let maxTime: Duration
    /// A CA bundle curl trusts for FTPS instead of the system's (e.g. a test server's self-signed certificate).
    public let caFile: String?

    public init(executable: String? = nil, connectTimeout: Duration = .seconds(10), maxTime: Duration = .seconds(60), caFile: String? = nil) {
        self.executable = executable ?? Self.findCurl() ?? "/usr/bin/curl"
        self.connectTimeout = connectTimeout
        self.maxTime = maxTime
        self.caFile = caFile
        // A write to a pipe whose reader is gone (curl exited early) must be an EPIPE error, not a process kill.
        signal(SIGPIPE, SIG_IGN)
    }

    static func findCurl() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/curl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The options every run starts with: no `.curlrc` (`-q` must come first), the account on stdin, no progress
    /// meter, only the protocols of this target (no redirect elsewhere), the time limits, TLS and host key checks.
    func baseArguments(for target: FTPTarget) -> [String] {
        var arguments = [
            "-q", "-K", "-", "--silent", "--show-error",
            "--proto", "=\(target.ftpProtocol.urlScheme)",
            "--connect-timeout", String(Self.seconds(self.connectTimeout)),
            "--max-time", String(Self.seconds(self.maxTime)),
        ]
        switch target.ftpProtocol {
        case .ftp:
            break
        case .ftps:
            arguments += ["--ssl-reqd"]
            if let caFile = self.caFile { arguments += ["--cacert", caFile] }
        case .sftp:
            if let key = target.hostKeySHA256 { arguments += ["--hostpubsha256", key] }
        }
        return arguments
    }

    static func seconds(_ duration: Duration) -> Int64 { max(1, duration.components.seconds) }

    /// Runs curl with `arguments` after the base ones; `payloads` are written into their pipes as curl opens them.
    func run(
        target: FTPTarget,
        arguments: [String],
        payloads: [(pipe: String, bytes: [UInt8])] = [],
        logger: Logger
    ) async throws(CartBridgeError) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: self.executable)
        process.arguments = self.baseArguments(for: target) + arguments
        process.environment = Self.environment()
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors

        let exited = ExitFlag()
        let (exitStream, exitContinuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished in
            exited.set()
            exitContinuation.yield(finished.terminationStatus)
            exitContinuation.finish()
        }
        do {
            try process.run()
        } catch {
            throw CartBridgeError(.internalError, "The FTP client (curl) could not be started on the service's host.", detail: "curl at \(self.executable): \(error)")
        }
        // Output is read on threads of its own: a blocking read must never hold one of the few threads async code runs on.
        let collectedOutput = Self.collect(output.fileHandleForReading)
        let collectedErrors = Self.collect(errors.fileHandleForReading)
        if !payloads.isEmpty {
            _ = FIFOFolder.feed(payloads) { !exited.isSet }
        }
        let account = Data(target.credentialsConfig.utf8)
        try? input.fileHandleForWriting.write(contentsOf: account)
        try? input.fileHandleForWriting.close()

        // curl's own --max-time should end it; this is for a curl that hangs anyway. (The flag is set right after
        // the process is reaped, so the pid cannot have been reused while it is unset.)
        let pid = process.processIdentifier
        let deadline = self.maxTime + .seconds(5)
        let watchdog = Task {
            try await Task.sleep(for: deadline)
            if !exited.isSet { kill(pid, SIGKILL) }
        }
        var status: Int32 = -1
        for await code in exitStream { status = code }
        watchdog.cancel()
        let stdout = await collectedOutput.value
        let stderr = String(decoding: await collectedErrors.value, as: UTF8.self)
        let firstLine = stderr.split(separator: "\n").first.map(String.init) ?? ""
        let outcome = Outcome(exitCode: status, output: Array(stdout), errorLine: target.redacted(String(firstLine.prefix(300))))
        logger.debug("curl finished", metadata: ["ftp.exit_code": "\(status)", "ftp.server": "\(target)"])
        return outcome
    }

    /// Reads a pipe to its end on a thread outside the concurrency pool.
    static func collect(_ handle: FileHandle) -> Task<Data, Never> {
        Task {
            await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
                DispatchQueue.global().async {
                    continuation.resume(returning: handle.readDataToEndOfFile())
                }
            }
        }
    }

    /// curl sees PATH, HOME (its SSH known_hosts) and proxy settings; nothing else of this process's environment,
    /// which may hold the master key.
    static func environment() -> [String: String] {
        let own = ProcessInfo.processInfo.environment
        var environment = ["PATH": own["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"]
        for name in ["HOME", "ftp_proxy", "FTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"] {
            if let value = own[name] { environment[name] = value }
        }
        return environment
    }
}

/// Set once curl has exited; read by the pipe feeder and the watchdog.
private final class ExitFlag: Sendable {
    private let state = Mutex(false)

    var isSet: Bool { self.state.withLock { $0 } }

    func set() { self.state.withLock { $0 = true } }
}
