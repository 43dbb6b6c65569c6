import Foundation

/// What the figures were measured on.
enum Machine {
    static func describe() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        let memory = ProcessInfo.processInfo.physicalMemory / (1 << 20)
        return "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores (\(model)), \(memory / 1024) GiB; "
            + "load average at the start: \(Self.loadAverage()); \(ISO8601DateFormatter().string(from: Date()))"
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}
