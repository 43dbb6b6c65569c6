#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// CPU time of every process on the machine, from /proc/<pid>/stat (user + system, all threads), grouped by what
/// it is: the CartBridge nodes, the PHP bridge, MariaDB, PostgreSQL, this bench, and everything else (other
/// people's builds on a shared machine). Two snapshots around a run tell who used the cores.
struct CPUAccounting: Sendable {
    /// pid → (group, clock ticks)
    let ticks: [Int32: (group: String, ticks: Int)]
    let taken: ContinuousClock.Instant

    static let groups = ["cartbridge", "php", "mariadb", "postgres", "bench", "other"]

    static func snapshot() -> CPUAccounting {
        var ticks: [Int32: (group: String, ticks: Int)] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), let text = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8) else { continue }
            guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { continue }
            let comm = String(text[text.index(after: open)..<close])
            let rest = text[text.index(after: close)...].split(separator: " ")
            // rest[0] is field 3 (state); utime is field 14, stime field 15.
            guard rest.count > 12, let user = Int(rest[11]), let system = Int(rest[12]) else { continue }
            ticks[pid] = (group: Self.group(comm), ticks: user + system)
        }
        return CPUAccounting(ticks: ticks, taken: .now)
    }

    static func group(_ comm: String) -> String {
        switch comm {
        case "cartbridge": "cartbridge"
        case "cartbridge-benc", "cartbridge-bench": "bench"
        case "mariadbd", "mysqld": "mariadb"
        case "postgres": "postgres"
        default: comm.hasPrefix("php") ? "php" : "other"
        }
    }

    /// Cores each group kept busy on average between `self` and `later` (2.0 = both cores of a 2-core machine).
    func cores(until later: CPUAccounting) -> [String: Double] {
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        let seconds = Latencies.seconds(later.taken - self.taken)
        guard hz > 0, seconds > 0 else { return [:] }
        var used: [String: Int] = [:]
        for (pid, now) in later.ticks {
            // A process that started in between counts from zero.
            let before = self.ticks[pid]?.ticks ?? 0
            used[now.group, default: 0] += max(0, now.ticks - before)
        }
        return used.mapValues { Double($0) / hz / seconds }
    }

    /// `cartbridge 0.61, php 0.80, mariadb 0.35, bench 0.20, other 0.05 (of 2 cores)`
    static func describe(_ cores: [String: Double]) -> String {
        let total = ProcessInfo.processInfo.activeProcessorCount
        return Self.groups.compactMap { group in cores[group].map { "\(group) \(String(format: "%.2f", $0))" } }.joined(separator: ", ")
            + " (cores busy, of \(total))"
    }
}
