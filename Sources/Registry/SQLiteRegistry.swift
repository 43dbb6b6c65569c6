import Foundation
import Logging
import NIOCore
import SQLiteNIO

/// The embedded registry: one SQLite file, no setup. One process serves it (the admin commands may open it
/// beside the server); for several nodes use `PostgresRegistry`.
public final class SQLiteRegistry: Registry {
    let connection: SQLiteConnection
    let mutex = AsyncMutex()

    /// The schema, one entry per version; `PRAGMA user_version` records how far a file has come.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                api_key_hash BLOB NOT NULL UNIQUE,
                key_hint TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE stores (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                store_key TEXT NOT NULL,
                cart_id TEXT NOT NULL,
                store_url TEXT NOT NULL,
                bridge_url TEXT NOT NULL,
                store_root TEXT,
                table_prefix TEXT,
                custom_label TEXT,
                key_id TEXT NOT NULL,
                force_encryption INTEGER NOT NULL,
                bridge_version TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (account_id, store_key),
                UNIQUE (account_id, store_url)
            )
            """,
            """
            CREATE TABLE credentials (
                store_id INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                sealed BLOB NOT NULL,
                PRIMARY KEY (store_id, name)
            )
            """,
            """
            CREATE TABLE config_cache (
                store_id INTEGER PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
                payload TEXT NOT NULL,
                fetched_at REAL NOT NULL,
                expires_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE clock_offsets (
                store_id INTEGER PRIMARY KEY REFERENCES stores(id) ON DELETE CASCADE,
                seconds INTEGER NOT NULL
            )
            """,
            "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ],
        [
            """
            CREATE TABLE idempotency_records (
                account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                idempotency_key TEXT NOT NULL,
                method TEXT NOT NULL,
                answer TEXT NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                PRIMARY KEY (account_id, idempotency_key, method)
            )
            """,
            "CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at)",
        ],
    ]

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// Opens (creating if needed) the registry file and brings its schema up to date.
    public static func open(path: String, logger: Logger) async throws -> SQLiteRegistry {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let registry = SQLiteRegistry(connection: connection)
        do {
            // The busy timeout first: switching to WAL needs the file to itself, and another process may be
            // opening it at the same moment.
            _ = try await connection.query("PRAGMA busy_timeout = 5000")
            _ = try await connection.query("PRAGMA journal_mode = WAL")
            _ = try await connection.query("PRAGMA foreign_keys = ON")
            try await registry.migrate(logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        return registry
    }

    public func close() async throws {
        try await self.connection.close()
    }

    /// Applies the missing migrations, each in its own transaction. The version is read inside the
    /// transaction (which holds the write lock from BEGIN IMMEDIATE), so of two processes opening a new file
    /// at once, the second finds the work done instead of creating the tables again.
    func migrate(logger: Logger) async throws {
        while true {
            let applied: Int? = try await self.transaction {
                let current = try await self.connection.query("PRAGMA user_version").first?.column("user_version")?.integer ?? 0
                guard current <= Self.migrations.count else {
                    throw RegistryError(.schemaTooNew, detail: "registry schema version \(current) is newer than this build knows")
                }
                guard current < Self.migrations.count else { return nil }
                for statement in Self.migrations[current] {
                    _ = try await self.connection.query(statement)
                }
                _ = try await self.connection.query("PRAGMA user_version = \(current + 1)")
                return current + 1
            }
            guard let applied else { return }
            logger.info("registry schema migrated", metadata: ["version": "\(applied)", "backend": "sqlite"])
        }
    }

    func transaction<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await self.mutex.withLock {
            _ = try await self.connection.query("BEGIN IMMEDIATE")
            do {
                let result = try await body()
                _ = try await self.connection.query("COMMIT")
                return result
            } catch {
                _ = try? await self.connection.query("ROLLBACK")
                throw error
            }
        }
    }

    /// One statement, serialized with transactions so it never lands inside another task's.
    func run(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await self.mutex.withLock {
            try await self.connection.query(sql, binds)
        }
    }

    // MARK: Accounts

    public func createAccount(name: String, apiKeyHash: [UInt8], keyHint: String) async throws -> Account {
        let now = Date()
        let rows = try await self.run(
            "INSERT INTO accounts (name, api_key_hash, key_hint, status, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            [.text(name), .blob(ByteBuffer(bytes: apiKeyHash)), .text(keyHint), .text(Account.Status.active.rawValue), .integer(Int(now.timeIntervalSince1970))]
        )
        guard let id = rows.first?.column("id")?.integer else { throw RegistryError(.storage, detail: "insert returned no id") }
        return Account(id: Int64(id), name: name, status: .active, keyHint: keyHint, createdAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
    }

    public func accounts() async throws -> [Account] {
        try await self.run("SELECT id, name, status, key_hint, created_at FROM accounts ORDER BY id").map(Self.account(from:))
    }

    public func account(apiKeyHash: [UInt8]) async throws -> Account? {
        try await self.run(
            "SELECT id, name, status, key_hint, created_at FROM accounts WHERE api_key_hash = ?",
            [.blob(ByteBuffer(bytes: apiKeyHash))]
        ).first.map(Self.account(from:))
    }

    public func setAccountStatus(id: Int64, _ status: Account.Status) async throws -> Bool {
        let rows = try await self.run(
            "UPDATE accounts SET status = ? WHERE id = ? RETURNING id",
            [.text(status.rawValue), .integer(Int(id))]
        )
        return !rows.isEmpty
    }

    static func account(from row: SQLiteRow) -> Account {
        Account(
            id: Int64(row.column("id")?.integer ?? 0),
            name: row.column("name")?.string ?? "",
            status: Account.Status(rawValue: row.column("status")?.string ?? "") ?? .disabled,
            keyHint: row.column("key_hint")?.string ?? "",
            createdAt: Date(timeIntervalSince1970: Double(row.column("created_at")?.integer ?? 0))
        )
    }

    // MARK: Stores

    static let storeColumns =
        "id, account_id, store_key, cart_id, store_url, bridge_url, store_root, table_prefix, custom_label, key_id, force_encryption, bridge_version, created_at, updated_at"

    public func addStore(_ draft: StoreDraft) async throws -> Store {
        let now = Int(Date().timeIntervalSince1970)
        do {
            let rows = try await self.run(
                """
                INSERT INTO stores (account_id, store_key, cart_id, store_url, bridge_url, store_root, table_prefix,
                    custom_label, key_id, force_encryption, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING \(Self.storeColumns)
                """,
                [
                    .integer(Int(draft.accountID)), .text(draft.storeKey), .text(draft.cartID), .text(draft.storeURL),
                    .text(draft.bridgeURL), Self.optional(draft.storeRoot), Self.optional(draft.tablePrefix),
                    Self.optional(draft.customLabel), .text(draft.keyID), .integer(draft.forceEncryption ? 1 : 0),
                    .integer(now), .integer(now),
                ]
            )
            guard let row = rows.first else { throw RegistryError(.storage, detail: "insert returned no row") }
            return Self.store(from: row)
        } catch let error as SQLiteError where error.reason == .constraint || error.reason == .constraintUniqueFailed {
            throw RegistryError(.duplicateStore, detail: "a store with this key or URL already exists in the account")
        }
    }

    public func stores(accountID: Int64) async throws -> [Store] {
        try await self.run(
            "SELECT \(Self.storeColumns) FROM stores WHERE account_id = ? ORDER BY id",
            [.integer(Int(accountID))]
        ).map(Self.store(from:))
    }

    public func store(accountID: Int64, storeKey: String) async throws -> Store? {
        try await self.run(
            "SELECT \(Self.storeColumns) FROM stores WHERE account_id = ? AND store_key = ?",
            [.integer(Int(accountID)), .text(storeKey)]
        ).first.map(Self.store(from:))
    }

    public func updateStore(_ store: Store) async throws {
        do {
            let rows = try await self.run(
                """
                UPDATE stores SET store_key = ?, cart_id = ?, store_url = ?, bridge_url = ?, store_root = ?, table_prefix = ?,
                    custom_label = ?, key_id = ?, force_encryption = ?, bridge_version = ?, updated_at = ?
                WHERE id = ? RETURNING id
                """,
                [
                    .text(store.storeKey), .text(store.cartID), .text(store.storeURL), .text(store.bridgeURL),
                    Self.optional(store.storeRoot), Self.optional(store.tablePrefix), Self.optional(store.customLabel),
                    .text(store.keyID), .integer(store.forceEncryption ? 1 : 0), Self.optional(store.bridgeVersion),
                    .integer(Int(Date().timeIntervalSince1970)), .integer(Int(store.id)),
                ]
            )
            guard !rows.isEmpty else { throw RegistryError(.notFound, detail: "store \(store.id) does not exist") }
        } catch let error as SQLiteError where error.reason == .constraint || error.reason == .constraintUniqueFailed {
            throw RegistryError(.duplicateStore, detail: "another store of the account has this key or URL")
        }
    }

    public func deleteStore(id: Int64) async throws {
        // Foreign keys cascade to credentials, cache and clock offset in the same statement.
        _ = try await self.run("DELETE FROM stores WHERE id = ?", [.integer(Int(id))])
    }

    static func store(from row: SQLiteRow) -> Store {
        Store(
            id: Int64(row.column("id")?.integer ?? 0),
            accountID: Int64(row.column("account_id")?.integer ?? 0),
            storeKey: row.column("store_key")?.string ?? "",
            cartID: row.column("cart_id")?.string ?? "",
            storeURL: row.column("store_url")?.string ?? "",
            bridgeURL: row.column("bridge_url")?.string ?? "",
            storeRoot: Self.text(row.column("store_root")),
            tablePrefix: Self.text(row.column("table_prefix")),
            customLabel: Self.text(row.column("custom_label")),
            keyID: row.column("key_id")?.string ?? "k1",
            forceEncryption: row.column("force_encryption")?.integer == 1,
            bridgeVersion: Self.text(row.column("bridge_version")),
            createdAt: Date(timeIntervalSince1970: Double(row.column("created_at")?.integer ?? 0)),
            updatedAt: Date(timeIntervalSince1970: Double(row.column("updated_at")?.integer ?? 0))
        )
    }

    // MARK: Credentials

    public func putCredential(_ credential: SealedCredential) async throws {
        _ = try await self.run(
            "INSERT INTO credentials (store_id, name, sealed) VALUES (?, ?, ?) ON CONFLICT (store_id, name) DO UPDATE SET sealed = excluded.sealed",
            [.integer(Int(credential.storeID)), .text(credential.name), .blob(ByteBuffer(bytes: credential.sealed))]
        )
    }

    public func credential(storeID: Int64, name: String) async throws -> SealedCredential? {
        try await self.run(
            "SELECT store_id, name, sealed FROM credentials WHERE store_id = ? AND name = ?",
            [.integer(Int(storeID)), .text(name)]
        ).first.map(Self.credential(from:))
    }

    public func allCredentials() async throws -> [SealedCredential] {
        try await self.run("SELECT store_id, name, sealed FROM credentials ORDER BY store_id, name").map(Self.credential(from:))
    }

    public func replaceCredential(_ expected: SealedCredential, with new: SealedCredential) async throws -> Bool {
        let rows = try await self.run(
            "UPDATE credentials SET sealed = ? WHERE store_id = ? AND name = ? AND sealed = ? RETURNING store_id",
            [
                .blob(ByteBuffer(bytes: new.sealed)), .integer(Int(expected.storeID)), .text(expected.name),
                .blob(ByteBuffer(bytes: expected.sealed)),
            ]
        )
        return !rows.isEmpty
    }

    static func credential(from row: SQLiteRow) -> SealedCredential {
        var buffer = row.column("sealed")?.blob ?? ByteBuffer()
        return SealedCredential(
            storeID: Int64(row.column("store_id")?.integer ?? 0),
            name: row.column("name")?.string ?? "",
            sealed: buffer.readBytes(length: buffer.readableBytes) ?? []
        )
    }

    // MARK: Config cache and clock offsets

    public func cachedConfig(storeID: Int64) async throws -> CachedConfig? {
        try await self.run(
            "SELECT payload, fetched_at, expires_at FROM config_cache WHERE store_id = ?",
            [.integer(Int(storeID))]
        ).first.map { row in
            CachedConfig(
                payload: row.column("payload")?.string ?? "{}",
                fetchedAt: Date(timeIntervalSince1970: row.column("fetched_at")?.double ?? 0),
                expiresAt: Date(timeIntervalSince1970: row.column("expires_at")?.double ?? 0)
            )
        }
    }

    public func putConfig(storeID: Int64, _ config: CachedConfig) async throws {
        _ = try await self.run(
            """
            INSERT INTO config_cache (store_id, payload, fetched_at, expires_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (store_id) DO UPDATE SET payload = excluded.payload, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at
            """,
            [.integer(Int(storeID)), .text(config.payload), .float(config.fetchedAt.timeIntervalSince1970), .float(config.expiresAt.timeIntervalSince1970)]
        )
    }

    public func clearConfig(storeID: Int64) async throws {
        _ = try await self.run("DELETE FROM config_cache WHERE store_id = ?", [.integer(Int(storeID))])
    }

    public func clockOffset(storeID: Int64) async throws -> Int {
        try await self.run("SELECT seconds FROM clock_offsets WHERE store_id = ?", [.integer(Int(storeID))])
            .first?.column("seconds")?.integer ?? 0
    }

    public func setClockOffset(storeID: Int64, seconds: Int) async throws {
        _ = try await self.run(
            "INSERT INTO clock_offsets (store_id, seconds) VALUES (?, ?) ON CONFLICT (store_id) DO UPDATE SET seconds = excluded.seconds",
            [.integer(Int(storeID)), .integer(seconds)]
        )
    }

    // MARK: Settings

    public func setting(_ name: String) async throws -> String? {
        try await self.run("SELECT value FROM settings WHERE name = ?", [.text(name)]).first?.column("value")?.string
    }

    public func putSetting(_ name: String, _ value: String) async throws {
        _ = try await self.run(
            "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [.text(name), .text(value)]
        )
    }

    // MARK: Idempotency records

    public func idempotencyRecord(accountID: Int64, key: String, method: String, now: Date) async throws -> IdempotencyRecord? {
        try await self.run(
            """
            SELECT account_id, idempotency_key, method, answer, created_at, expires_at FROM idempotency_records
            WHERE account_id = ? AND idempotency_key = ? AND method = ? AND expires_at > ?
            """,
            [.integer(Int(accountID)), .text(key), .text(method), .float(now.timeIntervalSince1970)]
        ).first.map(Self.idempotencyRecord(from:))
    }

    public func putIdempotencyRecord(_ record: IdempotencyRecord, now: Date) async throws -> IdempotencyRecord {
        // The transaction holds SQLite's write lock from BEGIN IMMEDIATE, so no other writer (another task, or
        // another process on the file) comes between the look and the write.
        try await self.transaction {
            let existing = try await self.connection.query(
                """
                SELECT account_id, idempotency_key, method, answer, created_at, expires_at FROM idempotency_records
                WHERE account_id = ? AND idempotency_key = ? AND method = ? AND expires_at > ?
                """,
                [.integer(Int(record.accountID)), .text(record.key), .text(record.method), .float(now.timeIntervalSince1970)]
            )
            if let row = existing.first { return Self.idempotencyRecord(from: row) }
            _ = try await self.connection.query(
                """
                INSERT INTO idempotency_records (account_id, idempotency_key, method, answer, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (account_id, idempotency_key, method) DO UPDATE SET
                    answer = excluded.answer, created_at = excluded.created_at, expires_at = excluded.expires_at
                """,
                [
                    .integer(Int(record.accountID)), .text(record.key), .text(record.method), .text(record.answer),
                    .float(record.createdAt.timeIntervalSince1970), .float(record.expiresAt.timeIntervalSince1970),
                ]
            )
            return record
        }
    }

    public func replaceIdempotencyRecord(_ record: IdempotencyRecord) async throws {
        _ = try await self.run(
            """
            INSERT INTO idempotency_records (account_id, idempotency_key, method, answer, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (account_id, idempotency_key, method) DO UPDATE SET
                answer = excluded.answer, created_at = excluded.created_at, expires_at = excluded.expires_at
            """,
            [
                .integer(Int(record.accountID)), .text(record.key), .text(record.method), .text(record.answer),
                .float(record.createdAt.timeIntervalSince1970), .float(record.expiresAt.timeIntervalSince1970),
            ]
        )
    }

    public func purgeIdempotencyRecords(now: Date) async throws -> Int {
        try await self.run(
            "DELETE FROM idempotency_records WHERE expires_at <= ? RETURNING account_id",
            [.float(now.timeIntervalSince1970)]
        ).count
    }

    static func idempotencyRecord(from row: SQLiteRow) -> IdempotencyRecord {
        IdempotencyRecord(
            accountID: Int64(row.column("account_id")?.integer ?? 0),
            key: row.column("idempotency_key")?.string ?? "",
            method: row.column("method")?.string ?? "",
            answer: row.column("answer")?.string ?? "",
            createdAt: Date(timeIntervalSince1970: row.column("created_at")?.double ?? 0),
            expiresAt: Date(timeIntervalSince1970: row.column("expires_at")?.double ?? 0)
        )
    }

    // MARK: Concurrency limits

    /// One process serves an SQLite file, so its calls are counted in its memory.
    public func makeConcurrencyLimiter(scope: String, limit: Int) -> any ConcurrencyLimiter {
        InMemoryConcurrencyLimiter(limit: limit)
    }

    // MARK: Helpers

    static func optional(_ value: String?) -> SQLiteData {
        value.map { .text($0) } ?? .null
    }

    static func text(_ data: SQLiteData?) -> String? {
        guard let data, !data.isNull else { return nil }
        return data.string
    }
}
