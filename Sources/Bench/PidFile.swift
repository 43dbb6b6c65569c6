import Foundation

/// `<work dir>/pids`: every server the bench starts, one pid a line, so `scripts/bench` can end by pid whatever
/// the bench left running if it was killed itself.
enum PidFile {
    static func record(_ pid: Int32, in workDirectory: String) throws {
        let path = (workDirectory as NSString).appendingPathComponent("pids")
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\(pid)\n".utf8))
    }
}
