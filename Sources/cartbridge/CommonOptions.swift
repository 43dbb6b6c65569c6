import ArgumentParser
import CartBridgeServer
import Foundation
import Logging
import Registry

/// Options every command takes; each falls back to its `CARTBRIDGE_*` environment variable, then a default.
struct CommonOptions: ParsableArguments {
    @Option(help: "Address to listen on (CARTBRIDGE_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (CARTBRIDGE_PORT, default 8080).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Folder of the embedded registry and master key (CARTBRIDGE_DATA_DIR, default ./cartbridge-data).")
    var dataDir: String?

    @Option(
        name: .customLong("database"),
        help: "The registry: a postgres://user:password@host:5432/db URL to share one database between nodes, or sqlite:<path> (CARTBRIDGE_DATABASE_URL, default <data-dir>/registry.sqlite). Prefer the variable: a command line is visible to every user of the machine."
    )
    var database: String?

    @Option(name: .customLong("master-key-file"), help: "Keyring file of master keys (CARTBRIDGE_MASTER_KEY_FILE); CARTBRIDGE_MASTER_KEY holds the keys directly.")
    var masterKeyFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (CARTBRIDGE_LOG_LEVEL, default info).")
    var logLevel: String?

    func configuration() throws -> ServerConfiguration {
        let env = ProcessInfo.processInfo.environment
        var configuration = ServerConfiguration()
        configuration.host = self.host ?? env["CARTBRIDGE_HOST"] ?? configuration.host
        if let port = try self.port ?? env["CARTBRIDGE_PORT"].map(Self.parsePort) {
            guard (1...65535).contains(port) else { throw ValidationError("The port must be between 1 and 65535.") }
            configuration.port = port
        }
        configuration.dataDirectory = self.dataDir ?? env["CARTBRIDGE_DATA_DIR"] ?? configuration.dataDirectory
        configuration.masterKeyFile = self.masterKeyFile ?? env["CARTBRIDGE_MASTER_KEY_FILE"]
        configuration.masterKeyValue = env["CARTBRIDGE_MASTER_KEY"]
        if let text = self.database ?? env["CARTBRIDGE_DATABASE_URL"], !text.isEmpty {
            do {
                configuration.database = try RegistryLocation(parsing: text)
            } catch let error as RegistryError {
                // The detail never repeats the value (a URL may hold a password).
                throw ValidationError("--database / CARTBRIDGE_DATABASE_URL: \(error.detail).")
            }
        }
        return configuration
    }

    func makeLogger() throws -> Logger {
        let name = self.logLevel ?? ProcessInfo.processInfo.environment["CARTBRIDGE_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: name.lowercased()) else {
            throw ValidationError("Unknown log level '\(name)'.")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "cartbridge")
        logger.logLevel = level
        return logger
    }

    static func parsePort(_ text: String) throws -> Int {
        guard let port = Int(text) else { throw ValidationError("CARTBRIDGE_PORT must be a number.") }
        return port
    }
}
