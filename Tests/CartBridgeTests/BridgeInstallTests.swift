import BridgeClient
import BridgeProtocol
import CartBridgeCore
import Foundation
import Installer
import Logging
import Synchronization
import Testing

@testable import CartBridgeServer

/// The bridge installed, updated, re-keyed and removed over real FTP, FTPS and SFTP servers on loopback, each
/// serving a store root that PHP serves too: what an API client sees, and what is left on the server.
///
/// Serialized: every test works in the same three store roots.
@Suite(.serialized, .enabled(if: TestFTPServers.available, "\(TestFTPServers.skipReason)"))
struct BridgeInstallTests {
    static func makeServer(for ftp: TestFTPServers.Server, logs: CapturedLogs? = nil, curl: String? = nil) async throws -> TestServer {
        try await TestServer.make(
            configure: {
                $0.ftpsCAFile = ftp.ca_file
                $0.ftpTimeout = .seconds(20)
                $0.keyRotationGrace = .milliseconds(300)
                if let curl { $0.curlPath = curl }
            },
            logHandler: logs.map { $0.handler(label:) }
        )
    }

    /// Runs `body` with the named FTP server (its store root bare again), a fresh CartBridge server and an account.
    static func with(
        _ name: String,
        logs: CapturedLogs? = nil,
        curl: String? = nil,
        _ body: (TestFTPServers.Server, TestServer, _ apiKey: String) async throws -> Void
    ) async throws {
        let ftp = try #require(TestFTPServers.named(name))
        ftp.removeLeftovers()
        let server = try await Self.makeServer(for: ftp, logs: logs, curl: curl)
        defer { server.directory.remove() }
        try await body(ftp, server, try await server.newAccount())
    }

    /// `account.cart.add` with the server's FTP fields (or `fields` instead).
    static func add(
        _ ftp: TestFTPServers.Server,
        on server: TestServer,
        apiKey: String,
        cartID: String = "Opencart14",
        storeURL: String? = nil,
        fields: String? = nil,
        extra: String = ""
    ) async throws -> APIAnswer {
        let body = #"{"cart_id":"\#(cartID)","store_url":"\#(storeURL ?? ftp.store_url)",\#(fields ?? ftp.fields())\#(extra)}"#
        return try await server.test { try await $0.call("account.cart.add.json", verb: .post, apiKey: apiKey, body: body) }
    }

    /// Installs the bridge and returns the store key.
    static func install(_ ftp: TestFTPServers.Server, on server: TestServer, apiKey: String, extra: String = "") async throws -> String {
        let added = try await Self.add(ftp, on: server, apiKey: apiKey, extra: extra)
        try #require(added.returnCode == 0, "\(ftp): \(added.raw)")
        return try #require(added.result["store_key"]?.stringValue)
    }

    /// Nothing of a failed install is left: no bridge folder in the store root, no store, no credential.
    static func expectNothingLeft(_ ftp: TestFTPServers.Server, _ server: TestServer) async throws {
        #expect(!FileManager.default.fileExists(atPath: ftp.bridgeFolder), "\(ftp): a cartbridge folder was left in the store root")
        #expect(try await server.services.registry.stores(accountID: 1).isEmpty, "\(ftp): a store was kept")
        #expect(try await server.services.registry.allCredentials().isEmpty, "\(ftp): a credential was kept")
    }

    /// A `curl` in `folder` that runs the real curl, with the same arguments, 0.3 s after it starts.
    static func slowCurl(in folder: TempDirectory) throws -> String {
        let wrapper = folder.path + "/curl"
        let realCurl = ["/usr/bin/curl", "/bin/curl", "/usr/local/bin/curl"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "curl"
        try "#!/bin/sh\nsleep 0.3\nexec \(realCurl) \"$@\"\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: wrapper)
        return wrapper
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    static func contains(file path: String, _ secret: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return ProcessWatcher.contains(Array(data), Array(secret.utf8))
    }

    // MARK: - install

    @Test(arguments: TestFTPServers.all.map(\.name))
    func uploadedBridgeAnswersAndThePasswordIsNowhere(name: String) async throws {
        let logs = CapturedLogs()
        // The real curl, started through a wrapper that holds each run for a moment, so the watcher (which polls
        // /proc) sees every invocation even on a fast loopback server.
        let wrapperFolder = try TempDirectory()
        defer { wrapperFolder.remove() }
        try await Self.with(name, logs: logs, curl: try Self.slowCurl(in: wrapperFolder)) { ftp, server, apiKey in

            let watcher = ProcessWatcher(secret: ftp.password)
            let added = try await Self.add(ftp, on: server, apiKey: apiKey)
            let report = await watcher.stop()
            try #require(added.returnCode == 0, "\(ftp): \(added.raw)")
            let storeKey = try #require(added.result["store_key"]?.stringValue)

            // The folder is in the store root, with its modes.
            #expect(FileManager.default.fileExists(atPath: ftp.bridgeFolder + "/bridge.php"))
            #expect(Self.mode(ftp.bridgeFolder + "/config.php") == 0o640)
            #expect(Self.mode(ftp.bridgeFolder + "/bridge.php") == 0o644)
            #expect(Self.mode(ftp.bridgeFolder + "/var/nonces") == 0o700)

            // The uploaded bridge, served by PHP from that folder, answers the service.
            let info = try await server.test { try await $0.call("cart.info.json", apiKey: apiKey, storeKey: storeKey, query: "params=force_all") }
            #expect(info.returnCode == 0, "\(info.raw)")
            #expect(info.result["additional_fields"]?["cart_type"] == "opencart")
            #expect(info.result["bridge_version"]?.stringValue == BridgePackage.bundledVersion)

            // The password never was on a command line, in curl's environment, in the registry, a log line or an answer.
            let ours = report.curlCommandLines.filter { $0.contains("127.0.0.1:\(ftp.port)") }
            #expect(!ours.isEmpty, "\(ftp): the watch (\(report.scans) scans) saw no curl run, so it proved nothing")
            #expect(ours.allSatisfy { $0.contains(" -K - ") }, "\(ours)")
            #expect(report.leaks.isEmpty, "\(ftp): \(report.leaks)")
            for file in ["registry.sqlite", "registry.sqlite-wal", "registry.sqlite-shm"] {
                #expect(!Self.contains(file: server.directory.path + "/" + file, ftp.password), "\(ftp): the password is in \(file)")
            }
            #expect(logs.all.contains { $0.contains("bridge uploaded and verified") })
            #expect(!logs.all.contains { $0.contains(ftp.password) }, "\(ftp): a log line holds the FTP password")
            #expect(!added.raw.contains(ftp.password))

            // cart.delete with delete_bridge: the bridge removes its own folder, the credentials leave the vault.
            let deleted = try await server.test {
                try await $0.call("cart.delete.json", verb: .delete, apiKey: apiKey, storeKey: storeKey, query: "delete_bridge=true")
            }
            #expect(deleted.returnCode == 0, "\(deleted.raw)")
            try await Self.expectNothingLeft(ftp, server)
        }
    }

    // MARK: - failures: their codes, and nothing left behind

    @Test(arguments: TestFTPServers.all.map(\.name))
    func wrongPasswordIs102(name: String) async throws {
        try await Self.with(name) { ftp, server, apiKey in
            let wrong = "wrong-\(UUID().uuidString)"
            let answer = try await Self.add(ftp, on: server, apiKey: apiKey, fields: ftp.fields(password: wrong))
            #expect(answer.returnCode == 102, "\(ftp): \(answer.raw)")
            #expect(answer.message.contains("refused the login"), "\(answer.message)")
            #expect(!answer.raw.contains(wrong))
            try await Self.expectNothingLeft(ftp, server)
        }
    }

    @Test func serverIdentityIsCheckedFTPSCertificateAndSFTPHostKey() async throws {
        // FTPS without the test CA: the self-signed certificate is refused, never silently accepted.
        if let ftps = TestFTPServers.named("ftps") {
            let server = try await TestServer.make()
            defer { server.directory.remove() }
            let apiKey = try await server.newAccount()
            let answer = try await Self.add(ftps, on: server, apiKey: apiKey)
            #expect(answer.returnCode == 102, "\(answer.raw)")
            #expect(answer.message.contains("certificate"), "\(answer.message)")
            try await Self.expectNothingLeft(ftps, server)
        }
        // SFTP with another host key pinned.
        if TestFTPServers.named("sftp") != nil {
            try await Self.with("sftp") { sftp, server, apiKey in
                let fields = sftp.fields(hostKey: "SHA256:" + String(repeating: "A", count: 43))
                #expect(fields.contains("SHA256:AAAA"))
                let answer = try await Self.add(sftp, on: server, apiKey: apiKey, fields: fields)
                #expect(answer.returnCode == 102, "\(answer.raw)")
                #expect(answer.message.contains("host key"), "\(answer.message)")
                try await Self.expectNothingLeft(sftp, server)
            }
        }
    }

    @Test(arguments: TestFTPServers.all.map(\.name))
    func readOnlyAccountIs103(name: String) async throws {
        try await Self.with(name) { ftp, server, apiKey in
            let answer = try await Self.add(
                ftp, on: server, apiKey: apiKey,
                fields: ftp.fields(user: ftp.readonly_user, password: ftp.readonly_password, storeDir: ftp.readonly_store_dir)
            )
            #expect(answer.returnCode == 103, "\(ftp): \(answer.raw)")
            try await Self.expectNothingLeft(ftp, server)
        }
    }

    @Test(arguments: TestFTPServers.all.map(\.name))
    func folderThatIsNotAStoreRootIs104(name: String) async throws {
        try await Self.with(name) { ftp, server, apiKey in
            for folder in [ftp.not_store_dir, ftp.store_dir + "/no-such-folder"] {
                let answer = try await Self.add(ftp, on: server, apiKey: apiKey, fields: ftp.fields(storeDir: folder))
                #expect(answer.returnCode == 104, "\(ftp) \(folder): \(answer.raw)")
                #expect(!FileManager.default.fileExists(atPath: ftp.store_root + "/notastore/cartbridge"))
            }
            // An OpenCart root is not a WooCommerce one.
            let wrongCart = try await Self.add(ftp, on: server, apiKey: apiKey, cartID: "Woocommerce")
            #expect(wrongCart.returnCode == 104, "\(wrongCart.raw)")
            #expect(wrongCart.message.contains("wp-config.php"))
            try await Self.expectNothingLeft(ftp, server)
        }
    }

    @Test(arguments: TestFTPServers.all.map(\.name))
    func storeURLNotReachableAfterUploadIs106AndTheUploadIsRemoved(name: String) async throws {
        let logs = CapturedLogs()
        try await Self.with(name, logs: logs) { ftp, server, apiKey in
            let answer = try await Self.add(ftp, on: server, apiKey: apiKey, storeURL: "http://127.0.0.1:9")
            #expect(answer.returnCode == 106, "\(ftp): \(answer.raw)")
            #expect(answer.message.contains("removed again"), "\(answer.message)")
            #expect(logs.all.contains { $0.contains("bridge upload started") }, "the upload ran before the check")
            #expect(logs.all.contains { $0.contains("removing the uploaded files") })
            try await Self.expectNothingLeft(ftp, server)
        }
    }

    @Test func bridgeAnsweringWronglyIs105AndTheUploadIsRemoved() async throws {
        let other = try #require(TestStores.named("ocmini"))
        try await Self.with("ftp") { ftp, server, apiKey in
            // The bridge URL points at another store's bridge, which holds another key.
            let answer = try await Self.add(ftp, on: server, apiKey: apiKey, extra: #","bridge_url":"\#(other.bridge_url)""#)
            #expect(answer.returnCode == 105, "\(answer.raw)")
            try await Self.expectNothingLeft(ftp, server)
        }
    }

    @Test func existingBridgeFolderIsNotOverwritten() async throws {
        let ftp = try #require(TestFTPServers.named("ftp"))
        ftp.removeLeftovers()
        try FileManager.default.createDirectory(atPath: ftp.bridgeFolder, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: ftp.bridgeFolder + "/notes.txt"))
        defer { ftp.removeLeftovers() }
        let server = try await Self.makeServer(for: ftp)
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let answer = try await Self.add(ftp, on: server, apiKey: apiKey)
        #expect(answer.returnCode == 107, "\(answer.raw)")
        #expect(try String(contentsOfFile: ftp.bridgeFolder + "/notes.txt", encoding: .utf8) == "mine")
        #expect(try await server.services.registry.stores(accountID: 1).isEmpty)
    }

    // MARK: - update and removal

    @Test(arguments: TestFTPServers.all.map(\.name))
    func updateReplacesTheBridgeAndKeepsItsConfig(name: String) async throws {
        try await Self.with(name) { ftp, server, apiKey in
            let storeKey = try await Self.install(ftp, on: server, apiKey: apiKey)
            let bridgePath = ftp.bridgeFolder + "/bridge.php"
            let shipped = try String(contentsOfFile: bridgePath, encoding: .utf8)
            let config = try Data(contentsOf: URL(fileURLWithPath: ftp.bridgeFolder + "/config.php"))
            let version = try #require(BridgePackage.bundledVersion)
            let olderBridge = { try shipped.replacingOccurrences(of: "const VERSION = '\(version)';", with: "const VERSION = '1.0.9';")
                .write(toFile: bridgePath, atomically: false, encoding: .utf8) }

            // Through the bridge's own signed bridge_update, then over FTP.
            for (via, fields) in [("bridge", ""), (ftp.protocol, ftp.fields())] {
                try olderBridge()
                let body = fields.isEmpty ? "{}" : "{\(fields)}"
                let updated = try await server.test {
                    try await $0.call("bridge.update.json", verb: .post, apiKey: apiKey, storeKey: storeKey, body: body)
                }
                #expect(updated.returnCode == 0, "\(ftp) via \(via): \(updated.raw)")
                #expect(updated.result["updated"] == true)
                #expect(updated.result["via"]?.stringValue == via)
                #expect(updated.result["bridge_version"]?.stringValue == version)
                if via == "bridge" { #expect(updated.result["previous_version"] == "1.0.9", "the version that ran until now") }
                #expect(try String(contentsOfFile: bridgePath, encoding: .utf8) == shipped, "\(via): the shipped bridge.php is back")
                #expect(try Data(contentsOf: URL(fileURLWithPath: ftp.bridgeFolder + "/config.php")) == config, "\(via): config.php kept")
                let staged = try FileManager.default.contentsOfDirectory(atPath: ftp.bridgeFolder).filter { $0.contains(".tmp-") }
                #expect(staged.isEmpty, "\(via): \(staged)")
            }
            let validated = try await server.test { try await $0.call("cart.validate.json", apiKey: apiKey, storeKey: storeKey) }
            #expect(validated.returnCode == 0, "\(validated.raw)")

            let deleted = try await server.test { try await $0.call("bridge.delete.json", verb: .post, apiKey: apiKey, storeKey: storeKey) }
            #expect(deleted.returnCode == 0, "\(deleted.raw)")
            #expect(deleted.result["deleted"] == true)
            try await Self.expectNothingLeft(ftp, server)
        }
    }

    @Test func bridgeDeleteRefusesWhenForeignFilesAreInTheFolder() async throws {
        try await Self.with("ftp") { ftp, server, apiKey in
            let storeKey = try await Self.install(ftp, on: server, apiKey: apiKey)
            let foreign = ftp.bridgeFolder + "/notes.txt"
            try Data("the merchant's".utf8).write(to: URL(fileURLWithPath: foreign))

            let refused = try await server.test { try await $0.call("bridge.delete.json", verb: .post, apiKey: apiKey, storeKey: storeKey) }
            #expect(refused.returnCode == 105, "\(refused.raw)")
            #expect(refused.message.contains("notes.txt"), "\(refused.message)")
            #expect(FileManager.default.fileExists(atPath: ftp.bridgeFolder + "/bridge.php"), "nothing was removed")
            let stillThere = try await server.test { try await $0.call("cart.validate.json", apiKey: apiKey, storeKey: storeKey) }
            #expect(stillThere.returnCode == 0, "the store stays registered and reachable: \(stillThere.raw)")

            try FileManager.default.removeItem(atPath: foreign)
            let deleted = try await server.test { try await $0.call("bridge.delete.json", verb: .post, apiKey: apiKey, storeKey: storeKey) }
            #expect(deleted.returnCode == 0, "\(deleted.raw)")
            try await Self.expectNothingLeft(ftp, server)
        }
    }

    // MARK: - key rotation

    @Test func keyRotationUnderLoadThenTheOldKeyIsRefused() async throws {
        try await Self.with("ftp") { ftp, server, apiKey in
            let firstKey = (0..<32).map { _ in UInt8.random(in: 0...255) }
            let storeKey = try await Self.install(ftp, on: server, apiKey: apiKey, extra: #","bridge_key":"\#(Base64URL.encode(firstKey))""#)
            let bridgeURL = ftp.store_url + "/cartbridge/bridge.php"

            // Three clients call the store without pause (cart.validate reads the store: ping, detect, settings)
            // while the key rotates.
            let load = Load()
            let running = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<3 {
                        group.addTask {
                            while !load.stopped {
                                let answer = try await server.test { try await $0.call("cart.validate.json", apiKey: apiKey, storeKey: storeKey) }
                                load.record(answer.returnCode ?? -1)
                                if answer.returnCode != 0 { print("during rotation: \(answer.raw)") }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let before = try #require(try await server.services.registry.stores(accountID: 1).first)
            try await Task.sleep(for: .milliseconds(400))
            let rotated = try await server.test {
                try await $0.call("account.config.update.json", verb: .put, apiKey: apiKey, storeKey: storeKey, query: "rotate_bridge_key=true")
            }
            try await Task.sleep(for: .milliseconds(400))
            load.stop()
            try await running.value

            #expect(rotated.returnCode == 0, "\(rotated.raw)")
            #expect(rotated.result["key_id"] == "k2")
            let seen = load.codes
            #expect(seen.count >= 6, "the load ran: \(seen.count) calls")
            #expect(seen.allSatisfy { $0 == 0 }, "every call during the rotation succeeded: \(seen)")
            let config = try String(contentsOfFile: ftp.bridgeFolder + "/config.php", encoding: .utf8)
            #expect(config.contains("'k2'") && !config.contains("'k1'"), "only the new key is left in config.php")

            // A request that read the store before the switch signs as k1, is refused (key_unknown), reads the store
            // again and succeeds with k2.
            #expect(before.keyID == "k1")
            let stale = try await server.services.channel(for: before).call("ping", args: [:])
            #expect(stale["protocol"] == "cartbridge/1")

            // The old key is refused by the bridge itself.
            let client = BridgeClient(httpClient: TestServer.httpClient, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let oldEndpoint = try BridgeEndpoint(url: bridgeURL, keyID: "k1", key: BridgeKey(bytes: firstKey))
            do throws(CartBridgeError) {
                _ = try await client.call("ping", endpoint: oldEndpoint)
                Issue.record("the old key still works")
            } catch {
                #expect(error.bridgeErrorCode == .keyUnknown, "\(error)")
            }

            // The CLI rotates too, on the same data folder, while this server keeps serving.
            if CLITests.binary != nil {
                let cli = try CLITests.run(["store", "rotate-key", "--data-dir", server.directory.path, "--account-id", "1", "--store-key", storeKey])
                #expect(cli.status == 0, "\(cli.err)")
                #expect(cli.out.contains("k3"), "\(cli.out)")
                let after = try await server.test { try await $0.call("cart.validate.json", apiKey: apiKey, storeKey: storeKey) }
                #expect(after.returnCode == 0, "\(after.raw)")
                let k2Config = try String(contentsOfFile: ftp.bridgeFolder + "/config.php", encoding: .utf8)
                #expect(k2Config.contains("'k3'") && !k2Config.contains("'k2'"))
            }

            let deleted = try await server.test {
                try await $0.call("cart.delete.json", verb: .delete, apiKey: apiKey, storeKey: storeKey, query: "delete_bridge=1")
            }
            #expect(deleted.returnCode == 0, "\(deleted.raw)")
            try await Self.expectNothingLeft(ftp, server)
        }
    }
}

/// Return codes of the calls made while a key rotates, and the signal to stop making them.
final class Load: Sendable {
    private let state = Mutex((stopped: false, codes: [Int64]()))

    var stopped: Bool { self.state.withLock { $0.stopped } }
    var codes: [Int64] { self.state.withLock { $0.codes } }

    func stop() { self.state.withLock { $0.stopped = true } }
    func record(_ code: Int64) { self.state.withLock { $0.codes.append(code) } }
}
