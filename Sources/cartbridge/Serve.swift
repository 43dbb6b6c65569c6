import ArgumentParser
import AsyncHTTPClient
import CartBridgeServer
import Foundation
import Hummingbird
import Registry
import Logging
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the API server.")

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("store-concurrency"), help: "Concurrent calls one store may receive (default 5).")
    var storeConcurrency: Int?

    @Option(name: .customLong("account-concurrency"), help: "Concurrent calls one account may make (default 10).")
    var accountConcurrency: Int?

    @Option(name: .customLong("config-cache-ttl"), help: "Seconds a store's cached configuration stays fresh (default 3600).")
    var configCacheTTL: Int?

    @Option(name: .customLong("bridge-timeout"), help: "Seconds a call to a store's bridge may take (default 30).")
    var bridgeTimeout: Int?

    @Option(name: .customLong("ftp-timeout"), help: "Seconds each FTP/FTPS/SFTP step of a bridge install may take (default 60).")
    var ftpTimeout: Int?

    @Option(name: .customLong("ftps-ca-file"), help: "A CA bundle to trust for FTPS servers instead of the system's (CARTBRIDGE_FTPS_CA_FILE).")
    var ftpsCAFile: String?

    @Option(name: .customLong("curl"), help: "The curl executable used for FTP, FTPS and SFTP (default: curl on the PATH).")
    var curlPath: String?

    func run() async throws {
        let logger = try self.common.makeLogger()
        var configuration = try self.common.configuration()
        if let value = self.storeConcurrency {
            guard value > 0 else { throw ValidationError("--store-concurrency must be positive.") }
            configuration.perStoreConcurrency = value
        }
        if let value = self.accountConcurrency {
            guard value > 0 else { throw ValidationError("--account-concurrency must be positive.") }
            configuration.perAccountConcurrency = value
        }
        if let value = self.configCacheTTL {
            guard value >= 0 else { throw ValidationError("--config-cache-ttl must not be negative.") }
            configuration.configCacheTTL = .seconds(value)
        }
        if let value = self.bridgeTimeout {
            guard value > 0 else { throw ValidationError("--bridge-timeout must be positive.") }
            configuration.bridgeTimeout = .seconds(value)
        }
        if let value = self.ftpTimeout {
            guard value > 0 else { throw ValidationError("--ftp-timeout must be positive.") }
            configuration.ftpTimeout = .seconds(value)
        }
        configuration.ftpsCAFile = self.ftpsCAFile ?? ProcessInfo.processInfo.environment["CARTBRIDGE_FTPS_CA_FILE"]
        if let file = configuration.ftpsCAFile, !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("The FTPS CA file \(file) cannot be read.")
        }
        configuration.curlPath = self.curlPath
        let httpClient = CartBridgeApp.makeHTTPClient(configuration: configuration)
        let services: Services
        do {
            services = try await CartBridgeApp.makeServices(configuration: configuration, httpClient: httpClient, logger: logger)
        } catch {
            try? await httpClient.shutdown()
            throw CommandFailure(error)
        }
        let app = CartBridgeApp.makeApplication(services: services, logger: logger, extraServices: [ShutdownService(httpClient: httpClient, services: services)])
        logger.info(
            "cartbridge listening",
            metadata: [
                "host": "\(configuration.host)", "port": "\(configuration.port)", "data_dir": "\(configuration.dataDirectory)",
                // The location's description leaves the password out.
                "registry": "\(configuration.registryLocation)",
            ]
        )
        try await app.runService()
    }
}

/// Holds the outbound HTTP client and the registry for the server's lifetime and closes both on graceful shutdown.
/// Listed before the HTTP server in the ServiceGroup, so it is told to stop only after the server has finished
/// its calls in flight: no call loses its bridge client or its database (a PostgreSQL registry's pool stops here).
struct ShutdownService: Service {
    let httpClient: HTTPClient
    let services: Services

    func run() async throws {
        try? await gracefulShutdown()
        try await self.httpClient.shutdown()
        try await self.services.registry.close()
    }
}
