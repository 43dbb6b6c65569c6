#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A tiny blocking HTTP/1.1 proxy on 127.0.0.1 for tests. Each connection carries one request, forwarded to the
/// upstream port; the upstream (`php -S`) answers with `Connection: close`, so its response ends at EOF.
///
/// `flipBodyByte` changes one byte of the response body in transit; `blackhole` reads the request and never
/// answers. Blocking sockets on their own threads keep it independent of NIO and of the test's executors.
final class TestProxy: Sendable {
    enum Mode: Sendable {
        case flipBodyByte
        case blackhole
    }

    let port: Int
    private let listener: Int32

    init(upstreamPort: Int, mode: Mode) throws {
        let listener = socket(AF_INET, Self.streamType, 0)
        guard listener >= 0 else { throw ProxyError("socket failed") }
        var one: Int32 = 1
        _ = setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw ProxyError("bind or listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                Thread.detachNewThread { Self.serve(client: client, upstreamPort: upstreamPort, mode: mode) }
            }
        }
    }

    func stop() {
        _ = shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }

    /// A port on 127.0.0.1 where nothing listens (bound, then closed).
    static func closedPort() throws -> Int {
        let proxy = try TestProxy(upstreamPort: 1, mode: .blackhole)
        let port = proxy.port
        proxy.stop()
        return port
    }

    private static func serve(client: Int32, upstreamPort: Int, mode: Mode) {
        defer { close(client) }
        guard let request = Self.readRequest(client) else { return }
        switch mode {
        case .blackhole:
            // Hold the connection until the client gives up.
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {}
        case .flipBodyByte:
            let upstream = socket(AF_INET, Self.streamType, 0)
            guard upstream >= 0 else { return }
            defer { close(upstream) }
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0, Self.writeAll(upstream, request) else { return }
            var response = Self.readToEnd(upstream)
            if let bodyStart = Self.headerEnd(response), bodyStart < response.count {
                response[bodyStart + (response.count - bodyStart) / 2] ^= 0x01
            }
            _ = Self.writeAll(client, response)
        }
    }

    private static var streamType: Int32 {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// The index just after `\r\n\r\n`.
    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// One request: the head, then `Content-Length` body bytes.
    private static func readRequest(_ fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = Self.headerEnd(bytes) {
                let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
                var length = 0
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                if bytes.count >= end + length { return bytes }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            bytes += chunk[..<count]
        }
    }

    private static func readToEnd(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return bytes }
            bytes += chunk[..<count]
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    struct ProxyError: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
