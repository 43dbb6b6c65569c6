#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A child process started with `posix_spawn`: only its pid is kept, so it is a plain `Sendable` value. Output goes
/// to files (or nowhere); the bench waits with a deadline and ends it by its own pid, never by name.
struct Subprocess: Sendable {
    let pid: pid_t
    let executable: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `executable` with `arguments`; stdin is /dev/null, stdout and stderr go to the given files (created
    /// 0600, truncated) or to /dev/null.
    static func spawn(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        stdout: String? = nil,
        stderr: String? = nil
    ) throws -> Subprocess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let stderr, stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        return Subprocess(pid: pid, executable: executable)
    }

    /// Waits for the process to end, polling; its exit status, or nil when it still runs at the deadline.
    func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            var status: Int32 = 0
            let rc = waitpid(self.pid, &status, WNOHANG)
            if rc == self.pid {
                // WIFEXITED / WEXITSTATUS by hand: the C macros are not imported.
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal
            }
            if rc < 0 { return -1 }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// SIGTERM, then SIGKILL when it has not ended within `grace`; reaps it. Returns its exit status.
    @discardableResult
    func stop(grace: Duration = .seconds(10)) async -> Int32? {
        kill(self.pid, SIGTERM)
        if let status = await self.wait(timeout: grace) { return status }
        kill(self.pid, SIGKILL)
        return await self.wait(timeout: .seconds(5))
    }

    /// Runs a command to its end (or kills it at the deadline) and returns its exit status and standard output.
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        workDirectory: String,
        timeout: Duration
    ) async throws -> (status: Int32, output: String, errors: String) {
        let token = UUID().uuidString.prefix(8)
        let out = (workDirectory as NSString).appendingPathComponent("run-\(token).out")
        let err = (workDirectory as NSString).appendingPathComponent("run-\(token).err")
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        let process = try Self.spawn(executable, arguments, environment: environment, stdout: out, stderr: err)
        guard let status = await process.wait(timeout: timeout) else {
            await process.stop(grace: .seconds(2))
            throw Failure(description: "\((executable as NSString).lastPathComponent) did not finish within \(timeout)")
        }
        let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        return (status, output, errors)
    }
}
