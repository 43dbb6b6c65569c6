import Foundation

/// A process's memory as Linux reports it in /proc/<pid>/status, in KiB.
struct ProcessMemory: Sendable {
    /// Resident set now.
    var rssKiB: Int
    /// The resident set's high-water mark since the process started.
    var hwmKiB: Int

    static func read(pid: Int32) -> ProcessMemory? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var rss: Int?
        var hwm: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { rss = Self.kib(line) }
            if line.hasPrefix("VmHWM:") { hwm = Self.kib(line) }
        }
        guard let rss, let hwm else { return nil }
        return ProcessMemory(rssKiB: rss, hwmKiB: hwm)
    }

    /// `VmRSS:	   12345 kB` → 12345.
    static func kib(_ line: Substring) -> Int? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return fields.count >= 2 ? Int(fields[1]) : nil
    }
}
