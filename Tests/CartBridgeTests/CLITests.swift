import CartBridgeCore
import Foundation
import Registry
import Testing

/// The `cartbridge` executable, run as an operator would.
@Suite struct CLITests {
    /// The binary built beside the test bundle.
    static let binary: URL? = {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent(), folder.deletingLastPathComponent().deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("cartbridge")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        print("SKIP CLI tests: the cartbridge executable was not found next to the tests (build it with swift build --build-tests)")
        return nil
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = try #require(Self.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test(.enabled(if: CLITests.binary != nil))
    func accountCreatePrintsTheKeyAloneOnTheLastLine() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let created = try Self.run(["account", "create", "--name", "Acme", "--data-dir", directory.path])
        #expect(created.status == 0, "\(created.err)")
        let lines = created.out.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        let key = try #require(lines.last.map(String.init))
        #expect(key.count == 32 && key.allSatisfy(\.isHexDigit))
        // Only its first characters are ever shown again.
        let listed = try Self.run(["account", "list"], environment: ["CARTBRIDGE_DATA_DIR": directory.path])
        #expect(listed.status == 0)
        #expect(listed.out.contains("Acme"))
        #expect(!listed.out.contains(key))
        #expect(listed.out.contains(String(key.prefix(4))))
        let disabled = try Self.run(["account", "disable", "--id", "1", "--data-dir", directory.path])
        #expect(disabled.status == 0)
        #expect(try Self.run(["account", "list", "--data-dir", directory.path]).out.contains("disabled"))
    }

    @Test(.enabled(if: CLITests.binary != nil))
    func wrongMasterKeyIsAClearErrorNotACrash() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        #expect(try Self.run(["account", "create", "--name", "A", "--data-dir", directory.path]).status == 0)
        let other = "v1:" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let refused = try Self.run(["account", "list", "--data-dir", directory.path], environment: ["CARTBRIDGE_MASTER_KEY": other])
        #expect(refused.status != 0)
        #expect(refused.err.contains("master key does not match"), "\(refused.err)")
        #expect(!refused.err.contains(other))
    }

    @Test(.enabled(if: CLITests.binary != nil && TestStores.named("ocmini") != nil))
    func storeValidateAndBridgePackageForARegisteredStore() async throws {
        let store = try #require(TestStores.named("ocmini"))
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let storeKey = try await StoreTests.register(store, on: server, apiKey: apiKey)

        let validated = try Self.run(["store", "validate", "--account-id", "1", "--store-key", storeKey, "--data-dir", server.directory.path])
        #expect(validated.status == 0, "\(validated.err)")
        let report = try JSONDecoder().decode(JSONValue.self, from: Data(validated.out.utf8))
        #expect(report["diagnosis"]?["cart_type"] == "opencart")
        #expect(report["diagnosis"]?["database_reachable"] == true)
        #expect(!validated.out.contains(store.bridge_key))

        let zipPath = server.directory.path + "/bridge.zip"
        let packaged = try Self.run(["bridge", "package", "--account-id", "1", "--store-key", storeKey, "-o", zipPath, "--data-dir", server.directory.path])
        #expect(packaged.status == 0, "\(packaged.err)")
        let attributes = try FileManager.default.attributesOfItem(atPath: zipPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(((attributes[.size] as? NSNumber)?.intValue ?? 0) > 10_000)

        let unknown = try Self.run(["store", "validate", "--account-id", "1", "--store-key", "nosuchstorekey", "--data-dir", server.directory.path])
        #expect(unknown.status != 0)
        #expect(unknown.err.contains("No store"))
    }

    @Test(.enabled(if: CLITests.binary != nil && RegistryBackend.postgresURL != nil))
    func commandsShareAPostgreSQLRegistry() async throws {
        let place = try TestRegistryLocation(.postgres)
        let directory = try TempDirectory()
        defer { directory.remove() }
        guard case .postgres(let location) = place.location else { return }
        let url = try #require(RegistryBackend.postgresURL) + "&schema=\(location.schema ?? "public")"
        // One process writes through --database, another reads through the environment variable.
        let created = try Self.run(["account", "create", "--name", "Shared", "--data-dir", directory.path, "--database", url])
        #expect(created.status == 0, "\(created.err)")
        let listed = try Self.run(["account", "list", "--data-dir", directory.path], environment: ["CARTBRIDGE_DATABASE_URL": url])
        #expect(listed.status == 0, "\(listed.err)")
        #expect(listed.out.contains("Shared"))
        // The embedded registry of the same data folder was never created.
        #expect(!FileManager.default.fileExists(atPath: (directory.path as NSString).appendingPathComponent("registry.sqlite")))
        await place.remove()
    }

    @Test(.enabled(if: CLITests.binary != nil))
    func aBadDatabaseURLIsRefusedWithoutRepeatingIt() throws {
        let result = try Self.run(["account", "list", "--data-dir", "/tmp/unused-cartbridge", "--database", "postgres://user:s3cretPassw0rd@db.example:5432/x?sslmode=sometimes"])
        #expect(result.status != 0)
        #expect(result.err.contains("sslmode"), "\(result.err)")
        #expect(!result.err.contains("s3cretPassw0rd"))
        let other = try Self.run(["account", "list", "--data-dir", "/tmp/unused-cartbridge"], environment: ["CARTBRIDGE_DATABASE_URL": "mysql://root:s3cretPassw0rd@db/x"])
        #expect(other.status != 0)
        #expect(other.err.contains("postgres://"), "\(other.err)")
        #expect(!other.err.contains("s3cretPassw0rd"))
    }

    @Test(.enabled(if: CLITests.binary != nil))
    func badOptionsAreRefusedWithAMessage() throws {
        let result = try Self.run(["serve", "--port", "70000", "--data-dir", "/tmp/unused-cartbridge"])
        #expect(result.status != 0)
        #expect(result.err.contains("port"))
    }
}
