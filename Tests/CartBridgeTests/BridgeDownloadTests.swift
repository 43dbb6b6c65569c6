import CartBridgeCore
import Foundation
import Testing
import ZIPFoundation

@testable import CartBridgeServer

/// `bridge.download.file`: the zip, unpacked into a store root and served by PHP, works without any edit.
@Suite(.enabled(if: TestStores.available && ProcessInfo.processInfo.environment["CARTBRIDGE_TEST_PHP"] != nil, "\(TestStores.skipReason)"))
struct BridgeDownloadTests {
    @Test func downloadedBridgeWorksUnpackedInAStoreRoot() async throws {
        let template = try #require(TestStores.named("ocmini"))
        let php = try #require(ProcessInfo.processInfo.environment["CARTBRIDGE_TEST_PHP"])
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()

        // A new store root with the cart's own files (config.php pointing at the database), no bridge yet.
        let root = try TempDirectory()
        defer { root.remove() }
        for file in ["config.php", "index.php"] {
            try FileManager.default.copyItem(atPath: template.store_root + "/" + file, toPath: root.path + "/" + file)
        }
        let port = try Self.freePort()
        let storeURL = "http://127.0.0.1:\(port)"
        let added = try await server.test {
            try await $0.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: #"{"cart_id":"Opencart14","store_url":"\#(storeURL)","verify":false}"#)
        }
        let storeKey = try #require(added.result["store_key"]?.stringValue)

        let zipBytes = try await server.test { client in
            try await client.execute(uri: "/v1.1/bridge.download.file", method: .get, headers: [.init("x-api-key")!: apiKey, .init("x-store-key")!: storeKey])
        }
        try #require(zipBytes.headers[.contentType] == "application/zip", "\(String(buffer: zipBytes.body))")
        let archive = try Archive(data: Data(buffer: zipBytes.body), accessMode: .read)
        let names = Set(archive.map(\.path))
        #expect(names.isSuperset(of: ["cartbridge/bridge.php", "cartbridge/config.php", "cartbridge/.htaccess", "cartbridge/index.php"]))
        for entry in archive where entry.type == .file {
            let destination = URL(fileURLWithPath: root.path).appendingPathComponent(entry.path)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = try archive.extract(entry, to: destination)
        }
        // The config holds the store's key from the vault, in the shape the bridge reads.
        let config = try String(contentsOfFile: root.path + "/cartbridge/config.php", encoding: .utf8)
        let key = try #require(try await server.services.credentials.get(storeID: 1, name: StoreCredentials.bridgeKey))
        #expect(config.contains("'k1' => '\(Base64URL.encode(key))'"))
        // Served over plain http, the store is only ever sent encrypted bodies: its bridge refuses others.
        #expect(config.contains("'require_encryption' => true"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: php)
        process.arguments = ["-S", "127.0.0.1:\(port)", "-t", root.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // SIGKILL: the child inherits the test process's blocked signal mask, so SIGTERM may never arrive.
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try await Self.waitForHTTP(port: port)

        let validated = try await server.test { try await $0.call("cart.validate.json", apiKey: apiKey, storeKey: storeKey) }
        #expect(validated.returnCode == 0, "\(validated.raw)")
        #expect(validated.result["diagnosis"]?["cart_type"] == "opencart")
    }

    static func freePort() throws -> Int {
        let socket = try #require(Optional(Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)))
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        try #require(bound == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until something accepts connections on the port. A plain TCP probe, not an HTTP request: a kept-alive
    /// connection in a pool would hold `php -S`'s single worker and stall the bridge calls that follow.
    static func waitForHTTP(port: Int) async throws {
        for _ in 0..<200 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("php -S did not start on port \(port)")
    }
}
