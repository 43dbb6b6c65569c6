import Logging

/// Which registry a node uses: the embedded SQLite file (the default) or a shared PostgreSQL database.
public enum RegistryLocation: Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// `postgres://...` / `postgresql://...` (see `PostgresLocation`), or `sqlite:<path>` for a file elsewhere than
    /// the data folder. A failure never repeats the value: it may hold a password.
    public init(parsing text: String) throws {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: text))
        } else if lowered.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw RegistryError(.badLocation, detail: "sqlite: needs a file path, e.g. sqlite:/var/lib/cartbridge/registry.sqlite") }
            self = .sqlite(path: path)
        } else {
            throw RegistryError(.badLocation, detail: "the database must be a postgres:// URL or sqlite:<path>")
        }
    }

    /// Without any password: for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let location): return location.description
        }
    }

    /// Opens the registry and brings its schema up to date.
    public func open(logger: Logger) async throws -> any Registry {
        switch self {
        case .sqlite(let path):
            return try await SQLiteRegistry.open(path: path, logger: logger)
        case .postgres(let location):
            return try await PostgresRegistry.open(location, logger: logger)
        }
    }
}
