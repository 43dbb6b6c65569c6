import CartBridgeCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A private folder (0700) of named pipes through which `curl` reads the files it uploads, straight from this
/// process's memory: the bridge's config (with its key) is never written to a disk, not even as a temporary file.
struct FIFOFolder: Sendable {
    let path: String

    /// Creates the folder with one pipe (0600) per name.
    static func make(names: [String]) throws(CartBridgeError) -> FIFOFolder {
        var template = Array((NSTemporaryDirectory() + "/cartbridge-upload-XXXXXX").utf8CString)
        let created: String? = template.withUnsafeMutableBufferPointer { buffer in
            guard let pointer = mkdtemp(buffer.baseAddress!) else { return nil }
            return String(cString: pointer)
        }
        guard let path = created else {
            throw CartBridgeError(.internalError, detail: "cannot create a private upload folder: errno \(errno)")
        }
        let folder = FIFOFolder(path: path)
        for name in names where mkfifo(folder.pipe(name), 0o600) != 0 {
            let error = errno
            folder.remove()
            throw CartBridgeError(.internalError, detail: "cannot create an upload pipe: errno \(error)")
        }
        return folder
    }

    func pipe(_ name: String) -> String { self.path + "/" + name }

    /// Removes the pipes and the folder (they hold no data once read).
    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }

    /// Writes each payload into its pipe, in order, as the reader opens them. Runs on its own thread (blocking
    /// writes) and gives up on a pipe nobody opens once `stillReading` says the reader is gone.
    static func feed(_ payloads: [(pipe: String, bytes: [UInt8])], stillReading: @escaping @Sendable () -> Bool) -> Thread {
        let thread = Thread {
            for payload in payloads {
                guard Self.feedOne(path: payload.pipe, bytes: payload.bytes, stillReading: stillReading) else { return }
            }
        }
        thread.start()
        return thread
    }

    /// Opening a pipe for writing without a reader fails at once (non-blocking), so the thread polls until `curl`
    /// opens it, then writes blocking: `curl` reads steadily, and an early exit of `curl` ends the write with EPIPE.
    private static func feedOne(path: String, bytes: [UInt8], stillReading: @Sendable () -> Bool) -> Bool {
        var fd: Int32 = -1
        while fd < 0 {
            fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 { break }
            guard errno == ENXIO || errno == EINTR, stillReading() else { return false }
            usleep(2000)
        }
        defer { close(fd) }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
