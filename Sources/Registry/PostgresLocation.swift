import Foundation
import PostgresNIO

/// Where a PostgreSQL registry is, from a `postgres://user:password@host:port/database?options` URL.
///
/// Options: `sslmode` (`disable`, `prefer` (the default, as libpq), `require` (encrypted, certificate not
/// checked, as libpq), `verify-full`), `host` (a Unix socket folder instead of TCP), `schema` (the schema the
/// registry's tables live in, created when missing; default `public`), `pool_max` (connections per node,
/// default 20), `connect_timeout` (seconds, default 10).
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public enum TLSMode: String, Sendable {
        case disable
        case prefer
        case require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    /// A Unix socket folder (`?host=/run/postgresql`); wins over `host` and `port`.
    public var socketDirectory: String?
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var schema: String?
    public var maximumConnections: Int
    public var connectTimeout: Duration

    /// Parses the URL; a failure names what is wrong but never repeats the URL (it may hold a password).
    public init(url text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw RegistryError(.badLocation, detail: "a PostgreSQL URL looks like postgres://user:password@host:5432/database")
        }
        var options: [String: String] = [:]
        for item in components.queryItems ?? [] {
            options[item.name] = item.value ?? ""
        }
        let known: Set = ["sslmode", "host", "schema", "pool_max", "connect_timeout"]
        if let unknown = options.keys.sorted().first(where: { !known.contains($0) }) {
            throw RegistryError(.badLocation, detail: "unknown PostgreSQL URL option '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        self.host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        self.port = components.port ?? 5432
        guard (1...65535).contains(self.port) else { throw RegistryError(.badLocation, detail: "the PostgreSQL port must be between 1 and 65535") }
        self.socketDirectory = options["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        guard let user = components.user, !user.isEmpty else {
            throw RegistryError(.badLocation, detail: "the PostgreSQL URL names no user (postgres://user:password@host/database)")
        }
        self.username = user
        self.password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? user : path
        guard let tls = TLSMode(rawValue: options["sslmode"] ?? TLSMode.prefer.rawValue) else {
            throw RegistryError(.badLocation, detail: "sslmode must be disable, prefer, require or verify-full")
        }
        self.tls = tls
        if let schema = options["schema"] {
            guard Self.isPlainIdentifier(schema) else {
                throw RegistryError(.badLocation, detail: "schema must be lowercase letters, digits and _ (at most 63), starting with a letter or _")
            }
            self.schema = schema
        }
        self.maximumConnections = 20
        if let value = options["pool_max"] {
            guard let count = Int(value), (1...1000).contains(count) else {
                throw RegistryError(.badLocation, detail: "pool_max must be a number of connections from 1 to 1000")
            }
            self.maximumConnections = count
        }
        self.connectTimeout = .seconds(10)
        if let value = options["connect_timeout"] {
            guard let seconds = Int(value), (1...600).contains(seconds) else {
                throw RegistryError(.badLocation, detail: "connect_timeout must be seconds from 1 to 600")
            }
            self.connectTimeout = .seconds(seconds)
        }
    }

    /// The schema name goes into DDL and the connection's `search_path`, where no value can be bound:
    /// only plain lowercase identifiers are accepted, so it never needs quoting.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63 else { return false }
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || c == "_" }
        return isLetter(first) && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// Without the password: for logs and messages.
    public var description: String {
        let target = self.socketDirectory.map { "socket \($0)" } ?? "\(self.host):\(self.port)"
        return "postgres://\(self.username)@\(target)/\(self.database)" + (self.schema.map { " schema \($0)" } ?? "")
    }

    /// The pooled client's configuration.
    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socket = self.socketDirectory {
            let path = (socket as NSString).appendingPathComponent(".s.PGSQL.\(self.port)")
            configuration = .init(unixSocketPath: path, username: self.username, password: self.password, database: self.database)
        } else {
            configuration = .init(
                host: self.host, port: self.port, username: self.username, password: self.password, database: self.database,
                tls: Self.tls(self.tls)
            )
        }
        configuration.options.maximumConnections = self.maximumConnections
        configuration.options.connectTimeout = self.connectTimeout
        if let schema = self.schema {
            // A startup parameter sets the connection's search_path before any statement runs, so every
            // pooled connection reads and writes the registry's schema.
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        configuration.options.additionalStartupParameters.append(("application_name", "cartbridge"))
        return configuration
    }

    static func tls(_ mode: TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable:
            return .disable
        case .prefer, .require:
            // As libpq: these modes encrypt but do not check the server's certificate; verify-full does.
            var unchecked = TLSConfiguration.makeClientConfiguration()
            unchecked.certificateVerification = .none
            return mode == .prefer ? .prefer(unchecked) : .require(unchecked)
        case .verifyFull:
            return .require(.makeClientConfiguration())
        }
    }
}
