import Foundation
import Synchronization

/// The FTP, FTPS and SFTP servers `scripts/testenv/up` starts (`CARTBRIDGE_TEST_FTP`): each one's folder is a
/// store root (OpenCart on the ocmini database) that PHP serves at `store_url`, with no bridge in it.
struct TestFTPServers {
    struct Server: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let `protocol`: String
        let host: String
        let port: Int
        let user: String
        let password: String
        /// An account that may read but not write the folder `readonly_store_dir`.
        let readonly_user: String
        let readonly_password: String
        let store_dir: String
        let readonly_store_dir: String
        /// A folder under the store root that is not a store root.
        let not_store_dir: String
        /// The store root on this machine, to check what the installer left there.
        let store_root: String
        let store_url: String
        /// FTPS: the test server's self-signed certificate, for the service to trust.
        let ca_file: String?
        /// SFTP: the host key fingerprint (`SHA256:...`).
        let host_key: String?

        var description: String { self.name }

        /// The JSON members of `account.cart.add` (or `bridge.update`) that name this server and account.
        func fields(user: String? = nil, password: String? = nil, storeDir: String? = nil, hostKey: String? = nil) -> String {
            var members: [String: String] = [
                "ftp_host": self.protocol == "ftp" ? self.host : "\(self.protocol)://\(self.host)",
                "ftp_port": String(self.port),
                "ftp_user": user ?? self.user,
                "ftp_password": password ?? self.password,
                "ftp_store_dir": storeDir ?? self.store_dir,
            ]
            if let key = hostKey ?? self.host_key { members["ftp_host_key"] = key }
            let data = try! JSONSerialization.data(withJSONObject: members, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        }

        var bridgeFolder: String { self.store_root + "/cartbridge" }

        /// Removes a bridge folder an earlier, interrupted run left, so each test starts from a bare store root.
        func removeLeftovers() {
            try? FileManager.default.removeItem(atPath: self.bridgeFolder)
        }
    }

    struct File: Decodable {
        let servers: [Server]
    }

    static let all: [Server] = {
        guard let path = ProcessInfo.processInfo.environment["CARTBRIDGE_TEST_FTP"],
            let data = FileManager.default.contents(atPath: path),
            let file = try? JSONDecoder().decode(File.self, from: data)
        else { return [] }
        return file.servers
    }()

    static var available: Bool { !all.isEmpty && TestStores.available }

    static func named(_ name: String) -> Server? { all.first { $0.name == name } }

    /// Why the installer tests do not run, printed once so a skip is never silent.
    static let skipReason: String = {
        let reason = "CARTBRIDGE_TEST_FTP is not set: run the suite through scripts/test, which starts the FTP, FTPS and SFTP servers"
        if !available { print("SKIP installer tests: \(reason)") }
        return reason
    }()
}

/// Watches every process's command line (and curl's environment) while an upload runs, for a secret.
final class ProcessWatcher: Sendable {
    struct Report: Sendable {
        var scans = 0
        /// Command lines of curl processes seen during the watch (there must be some, or the watch proved nothing).
        var curlCommandLines: Set<String> = []
        /// Processes whose command line or environment held the secret.
        var leaks: [String] = []
    }

    private let secret: [UInt8]
    private let state = Mutex(Report())
    private let stopped = Mutex(false)
    private let done = Mutex(false)

    init(secret: String) {
        self.secret = Array(secret.utf8)
        let thread = Thread { [self] in
            while !self.stopped.withLock({ $0 }) { self.scan() }
            self.done.withLock { $0 = true }
        }
        thread.start()
    }

    /// Stops watching and returns what was seen.
    func stop() async -> Report {
        self.stopped.withLock { $0 = true }
        while !self.done.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
        return self.state.withLock { $0 }
    }

    private func scan() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var curl: [String] = []
        var leaks: [String] = []
        for pid in entries where pid.allSatisfy(\.isNumber) {
            guard let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !commandLine.isEmpty else { continue }
            let bytes = Array(commandLine)
            let text = String(decoding: bytes.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            if Self.contains(bytes, self.secret) { leaks.append("cmdline of \(pid): \(text.prefix(80))") }
            if text.hasPrefix("curl ") || text.contains("/curl ") {
                curl.append(text)
                if let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ"), Self.contains(Array(environment), self.secret) {
                    leaks.append("environment of curl \(pid)")
                }
            }
        }
        self.state.withLock { report in
            report.scans += 1
            if report.curlCommandLines.count < 100 { report.curlCommandLines.formUnion(curl) }
            if report.leaks.count < 100 { report.leaks += leaks }
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in haystack[start..<start + needle.count].elementsEqual(needle) }
    }
}
