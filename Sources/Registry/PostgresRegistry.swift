import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The shared registry: one PostgreSQL database behind many stateless nodes. Everything nodes must agree on
/// lives here: accounts, stores, sealed credentials, the config cache, clock offsets, idempotency records and
/// the leases behind the concurrency limits.
///
/// The registry owns its pooled client and runs the client's `run()` (and the renewal of this node's leases)
/// from `open` until `close`. It has to answer before any server runs (migrations, the master key check,
/// the admin commands, tests), so its lifetime is open/close like the embedded registry's; `serve` closes it
/// from a service of its ServiceGroup that stops after the HTTP server has finished its calls in flight, so
/// no call loses its database on a graceful shutdown.
public final class PostgresRegistry: Registry {
    public struct Options: Sendable {
        /// How long a concurrency slot stays taken without being renewed: how soon the slots of a node that
        /// died free themselves.
        public var leaseTTL: Duration = .seconds(60)
        /// How often a node renews the leases it holds; well within `leaseTTL`.
        public var leaseRenewalInterval: Duration = .seconds(15)

        public init() {}
    }

    let client: PostgresClient
    let location: PostgresLocation
    let options: Options
    let logger: Logger
    /// Names this process in the lease rows it writes, so an operator sees which node holds a store's slots.
    let holder: String
    let leases: LeaseBook
    private let background: Task<Void, Never>
    /// Finishes when the client's `run()` is about to start, so `open` does not lease a connection before.
    private let started: AsyncStream<Void>

    init(location: PostgresLocation, options: Options, logger: Logger) {
        let client = PostgresClient(configuration: location.clientConfiguration(), backgroundLogger: logger)
        let leases = LeaseBook()
        self.client = client
        self.location = location
        self.options = options
        self.logger = logger
        self.holder = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        self.leases = leases
        let (started, running) = AsyncStream<Void>.makeStream()
        self.started = started
        self.background = Task {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    running.finish()
                    await client.run()
                }
                group.addTask { await PostgresConcurrencyLimiter.renew(leases, client: client, options: options, logger: logger) }
            }
        }
    }

    /// Connects, creates the URL's schema when it names one that is missing, and brings the schema up to date.
    public static func open(_ location: PostgresLocation, options: Options = Options(), logger: Logger) async throws -> PostgresRegistry {
        let registry = PostgresRegistry(location: location, options: options, logger: logger)
        for await _ in registry.started {}
        do {
            // The pool keeps retrying a database it cannot reach (and logs why); a node that cannot reach it
            // at start should say so instead of waiting.
            try await Self.withDeadline(location.connectTimeout, detail: "PostgreSQL at \(location) did not answer within \(location.connectTimeout) (the log says why)") {
                _ = try await registry.rows("SELECT 1")
            }
            if let schema = location.schema {
                // The name passed PostgresLocation.isPlainIdentifier: lowercase letters, digits and _ only.
                _ = try await registry.rows(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
            }
            try await registry.migrate()
        } catch {
            try? await registry.close()
            throw error
        }
        logger.debug("registry opened", metadata: ["backend": "postgres", "location": "\(location)"])
        return registry
    }

    /// Runs `body`, or throws `RegistryError(.storage, detail)` when it has not finished after `deadline`.
    static func withDeadline(_ deadline: Duration, detail: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else { throw RegistryError(.storage, detail: detail) }
        }
    }

    /// Stops the pooled client (its connections close) and the lease renewal, and waits until they have.
    public func close() async throws {
        self.background.cancel()
        await self.background.value
    }

    /// A registry dropped without `close` still stops its client (without waiting for it).
    deinit {
        self.background.cancel()
    }

    // MARK: Running statements

    /// One statement on a pooled connection, its rows collected. Every failure becomes a `RegistryError` that
    /// names the SQLSTATE only: PostgresNIO's own descriptions carry the statement's bound values.
    /// `onUniqueViolation`, when given, is thrown instead when the statement breaks a unique constraint.
    func rows(_ query: PostgresQuery, onUniqueViolation: RegistryError? = nil) async throws -> [PostgresRow] {
        do {
            return try await self.client.query(query, logger: self.logger).collect()
        } catch {
            if let onUniqueViolation, Self.sqlState(error) == Self.uniqueViolation { throw onUniqueViolation }
            throw Self.registryError(error)
        }
    }

    /// A transaction on one pooled connection: BEGIN, `body`, COMMIT (ROLLBACK when `body` throws).
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await self.client.withTransaction(logger: self.logger) { connection in
                try await body(connection)
            }
        } catch {
            throw Self.registryError(error)
        }
    }

    static let uniqueViolation = "23505"

    static func sqlState(_ error: any Error) -> String? {
        if let transaction = error as? PostgresTransactionError {
            return transaction.closureError.flatMap(Self.sqlState) ?? transaction.commitError.flatMap(Self.sqlState)
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func registryError(_ error: any Error) -> any Error {
        switch error {
        case is RegistryError, is CancellationError:
            return error
        case let transaction as PostgresTransactionError:
            if let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
                return Self.registryError(inner)
            }
            return RegistryError(.storage, detail: "PostgreSQL transaction failed")
        case let psql as PSQLError:
            var detail = "PostgreSQL \(psql.code)"
            if let state = psql.serverInfo?[.sqlState] { detail += " sqlstate \(state)" }
            // The server's message names objects (constraints, tables), never row values; those are in its
            // `detail` field, which is left out.
            if let message = psql.serverInfo?[.message] { detail += ": \(message)" }
            return RegistryError(.storage, detail: detail)
        case let decoding as PostgresDecodingError:
            return RegistryError(.storage, detail: "PostgreSQL column \(decoding.columnName) could not be read (\(decoding.code))")
        default:
            return RegistryError(.storage, detail: "PostgreSQL: \(type(of: error))")
        }
    }

    // MARK: Accounts

    /// Constant SQL, spliced with `unescaped:`; the order is the one `account(from:)` decodes.
    static let accountColumns = "id, name, status, key_hint, created_at"

    public func createAccount(name: String, apiKeyHash: [UInt8], keyHint: String) async throws -> Account {
        let status = Account.Status.active.rawValue
        let rows = try await self.rows(
            """
            INSERT INTO accounts (name, api_key_hash, key_hint, status) VALUES (\(name), \(ByteBuffer(bytes: apiKeyHash)), \(keyHint), \(status))
            RETURNING \(unescaped: Self.accountColumns)
            """
        )
        guard let row = rows.first else { throw RegistryError(.storage, detail: "insert returned no row") }
        return try Self.account(from: row)
    }

    public func accounts() async throws -> [Account] {
        try await self.rows("SELECT \(unescaped: Self.accountColumns) FROM accounts ORDER BY id").map(Self.account(from:))
    }

    public func account(apiKeyHash: [UInt8]) async throws -> Account? {
        try await self.rows(
            "SELECT \(unescaped: Self.accountColumns) FROM accounts WHERE api_key_hash = \(ByteBuffer(bytes: apiKeyHash))"
        ).first.map(Self.account(from:))
    }

    public func setAccountStatus(id: Int64, _ status: Account.Status) async throws -> Bool {
        !(try await self.rows("UPDATE accounts SET status = \(status.rawValue) WHERE id = \(id) RETURNING id")).isEmpty
    }

    static func account(from row: PostgresRow) throws -> Account {
        do {
            let (id, name, status, keyHint, createdAt) = try row.decode((Int64, String, String, String, Date).self)
            return Account(id: id, name: name, status: Account.Status(rawValue: status) ?? .disabled, keyHint: keyHint, createdAt: createdAt)
        } catch {
            throw Self.registryError(error)
        }
    }

    // MARK: Stores

    /// Constant SQL, spliced with `unescaped:`; the order is the one `store(from:)` decodes.
    static let storeColumns =
        "id, account_id, store_key, cart_id, store_url, bridge_url, store_root, table_prefix, custom_label, key_id, force_encryption, bridge_version, created_at, updated_at"

    public func addStore(_ draft: StoreDraft) async throws -> Store {
        let rows = try await self.rows(
            """
            INSERT INTO stores (account_id, store_key, cart_id, store_url, bridge_url, store_root, table_prefix,
                custom_label, key_id, force_encryption)
            VALUES (\(draft.accountID), \(draft.storeKey), \(draft.cartID), \(draft.storeURL), \(draft.bridgeURL),
                \(draft.storeRoot), \(draft.tablePrefix), \(draft.customLabel), \(draft.keyID), \(draft.forceEncryption))
            RETURNING \(unescaped: Self.storeColumns)
            """,
            onUniqueViolation: RegistryError(.duplicateStore, detail: "a store with this key or URL already exists in the account")
        )
        guard let row = rows.first else { throw RegistryError(.storage, detail: "insert returned no row") }
        return try Self.store(from: row)
    }

    public func stores(accountID: Int64) async throws -> [Store] {
        try await self.rows(
            """
            SELECT \(unescaped: Self.storeColumns) FROM stores WHERE account_id = \(accountID) ORDER BY id
            """
        ).map(Self.store(from:))
    }

    public func store(accountID: Int64, storeKey: String) async throws -> Store? {
        try await self.rows(
            """
            SELECT \(unescaped: Self.storeColumns) FROM stores WHERE account_id = \(accountID) AND store_key = \(storeKey)
            """
        ).first.map(Self.store(from:))
    }

    public func updateStore(_ store: Store) async throws {
        let rows = try await self.rows(
            """
            UPDATE stores SET store_key = \(store.storeKey), cart_id = \(store.cartID), store_url = \(store.storeURL),
                bridge_url = \(store.bridgeURL), store_root = \(store.storeRoot), table_prefix = \(store.tablePrefix),
                custom_label = \(store.customLabel), key_id = \(store.keyID), force_encryption = \(store.forceEncryption),
                bridge_version = \(store.bridgeVersion), updated_at = now()
            WHERE id = \(store.id) RETURNING id
            """,
            onUniqueViolation: RegistryError(.duplicateStore, detail: "another store of the account has this key or URL")
        )
        guard !rows.isEmpty else { throw RegistryError(.notFound, detail: "store \(store.id) does not exist") }
    }

    public func deleteStore(id: Int64) async throws {
        // Foreign keys cascade to credentials, cache and clock offset in the same statement.
        _ = try await self.rows("DELETE FROM stores WHERE id = \(id)")
    }

    static func store(from row: PostgresRow) throws -> Store {
        do {
            let (id, accountID, storeKey, cartID, storeURL, bridgeURL, storeRoot, tablePrefix, customLabel, keyID, forceEncryption, bridgeVersion, createdAt, updatedAt) =
                try row.decode((Int64, Int64, String, String, String, String, String?, String?, String?, String, Bool, String?, Date, Date).self)
            return Store(
                id: id, accountID: accountID, storeKey: storeKey, cartID: cartID, storeURL: storeURL, bridgeURL: bridgeURL,
                storeRoot: storeRoot, tablePrefix: tablePrefix, customLabel: customLabel, keyID: keyID,
                forceEncryption: forceEncryption, bridgeVersion: bridgeVersion, createdAt: createdAt, updatedAt: updatedAt
            )
        } catch {
            throw Self.registryError(error)
        }
    }

    // MARK: Credentials

    public func putCredential(_ credential: SealedCredential) async throws {
        _ = try await self.rows(
            """
            INSERT INTO credentials (store_id, name, sealed) VALUES (\(credential.storeID), \(credential.name), \(ByteBuffer(bytes: credential.sealed)))
            ON CONFLICT (store_id, name) DO UPDATE SET sealed = excluded.sealed
            """
        )
    }

    public func credential(storeID: Int64, name: String) async throws -> SealedCredential? {
        try await self.rows("SELECT store_id, name, sealed FROM credentials WHERE store_id = \(storeID) AND name = \(name)")
            .first.map(Self.credential(from:))
    }

    public func allCredentials() async throws -> [SealedCredential] {
        try await self.rows("SELECT store_id, name, sealed FROM credentials ORDER BY store_id, name").map(Self.credential(from:))
    }

    public func replaceCredential(_ expected: SealedCredential, with new: SealedCredential) async throws -> Bool {
        // One statement: the row is locked while its WHERE is checked again, so of two racing swaps one wins.
        !(try await self.rows(
            """
            UPDATE credentials SET sealed = \(ByteBuffer(bytes: new.sealed))
            WHERE store_id = \(expected.storeID) AND name = \(expected.name) AND sealed = \(ByteBuffer(bytes: expected.sealed))
            RETURNING store_id
            """
        )).isEmpty
    }

    static func credential(from row: PostgresRow) throws -> SealedCredential {
        do {
            var (storeID, name, sealed) = try row.decode((Int64, String, ByteBuffer).self)
            return SealedCredential(storeID: storeID, name: name, sealed: sealed.readBytes(length: sealed.readableBytes) ?? [])
        } catch {
            throw Self.registryError(error)
        }
    }

    // MARK: Config cache and clock offsets

    public func cachedConfig(storeID: Int64) async throws -> CachedConfig? {
        guard let row = try await self.rows("SELECT payload, fetched_at, expires_at FROM config_cache WHERE store_id = \(storeID)").first else {
            return nil
        }
        do {
            let (payload, fetchedAt, expiresAt) = try row.decode((String, Date, Date).self)
            return CachedConfig(payload: payload, fetchedAt: fetchedAt, expiresAt: expiresAt)
        } catch {
            throw Self.registryError(error)
        }
    }

    public func putConfig(storeID: Int64, _ config: CachedConfig) async throws {
        _ = try await self.rows(
            """
            INSERT INTO config_cache (store_id, payload, fetched_at, expires_at) VALUES (\(storeID), \(config.payload), \(config.fetchedAt), \(config.expiresAt))
            ON CONFLICT (store_id) DO UPDATE SET payload = excluded.payload, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at
            """
        )
    }

    public func clearConfig(storeID: Int64) async throws {
        _ = try await self.rows("DELETE FROM config_cache WHERE store_id = \(storeID)")
    }

    public func clockOffset(storeID: Int64) async throws -> Int {
        guard let row = try await self.rows("SELECT seconds FROM clock_offsets WHERE store_id = \(storeID)").first else { return 0 }
        do {
            return Int(try row.decode(Int32.self))
        } catch {
            throw Self.registryError(error)
        }
    }

    public func setClockOffset(storeID: Int64, seconds: Int) async throws {
        let value = Int32(clamping: seconds)
        _ = try await self.rows(
            """
            INSERT INTO clock_offsets (store_id, seconds) VALUES (\(storeID), \(value))
            ON CONFLICT (store_id) DO UPDATE SET seconds = excluded.seconds
            """
        )
    }

    // MARK: Settings

    public func setting(_ name: String) async throws -> String? {
        guard let row = try await self.rows("SELECT value FROM settings WHERE name = \(name)").first else { return nil }
        do {
            return try row.decode(String.self)
        } catch {
            throw Self.registryError(error)
        }
    }

    public func putSetting(_ name: String, _ value: String) async throws {
        _ = try await self.rows(
            "INSERT INTO settings (name, value) VALUES (\(name), \(value)) ON CONFLICT (name) DO UPDATE SET value = excluded.value"
        )
    }

    // MARK: Idempotency records

    /// Constant SQL, spliced with `unescaped:`; the order is the one `idempotencyRecord(from:)` decodes.
    static let idempotencyColumns = "account_id, idempotency_key, method, answer, created_at, expires_at"

    public func idempotencyRecord(accountID: Int64, key: String, method: String, now: Date) async throws -> IdempotencyRecord? {
        try await self.rows(
            """
            SELECT \(unescaped: Self.idempotencyColumns) FROM idempotency_records
            WHERE account_id = \(accountID) AND idempotency_key = \(key) AND method = \(method) AND expires_at > \(now)
            """
        ).first.map(Self.idempotencyRecord(from:))
    }

    public func putIdempotencyRecord(_ record: IdempotencyRecord, now: Date) async throws -> IdempotencyRecord {
        // Inserts, or replaces a record that expired; a record still in force is left alone (the DO UPDATE's
        // WHERE is false, so nothing is returned) and read back instead. Two nodes racing on one key: the
        // primary key makes one insert wait for the other, and the loser reads the winner's record.
        for _ in 0..<3 {
            let written = try await self.rows(
                """
                INSERT INTO idempotency_records (account_id, idempotency_key, method, answer, created_at, expires_at)
                VALUES (\(record.accountID), \(record.key), \(record.method), \(record.answer), \(record.createdAt), \(record.expiresAt))
                ON CONFLICT (account_id, idempotency_key, method) DO UPDATE SET
                    answer = excluded.answer, created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE idempotency_records.expires_at <= \(now)
                RETURNING \(unescaped: Self.idempotencyColumns)
                """
            )
            if let row = written.first { return try Self.idempotencyRecord(from: row) }
            if let existing = try await self.idempotencyRecord(accountID: record.accountID, key: record.key, method: record.method, now: now) {
                return existing
            }
            // The record in force was purged between the two statements: try again.
        }
        throw RegistryError(.storage, detail: "idempotency record kept changing while it was written")
    }

    public func replaceIdempotencyRecord(_ record: IdempotencyRecord) async throws {
        _ = try await self.rows(
            """
            INSERT INTO idempotency_records (account_id, idempotency_key, method, answer, created_at, expires_at)
            VALUES (\(record.accountID), \(record.key), \(record.method), \(record.answer), \(record.createdAt), \(record.expiresAt))
            ON CONFLICT (account_id, idempotency_key, method) DO UPDATE SET
                answer = excluded.answer, created_at = excluded.created_at, expires_at = excluded.expires_at
            RETURNING account_id
            """
        )
    }

    public func purgeIdempotencyRecords(now: Date) async throws -> Int {
        try await self.rows("DELETE FROM idempotency_records WHERE expires_at <= \(now) RETURNING account_id").count
    }

    static func idempotencyRecord(from row: PostgresRow) throws -> IdempotencyRecord {
        do {
            let (accountID, key, method, answer, createdAt, expiresAt) = try row.decode((Int64, String, String, String, Date, Date).self)
            return IdempotencyRecord(accountID: accountID, key: key, method: method, answer: answer, createdAt: createdAt, expiresAt: expiresAt)
        } catch {
            throw Self.registryError(error)
        }
    }

    // MARK: Concurrency limits

    public func makeConcurrencyLimiter(scope: String, limit: Int) -> any ConcurrencyLimiter {
        PostgresConcurrencyLimiter(scope: scope, limit: limit, registry: self)
    }
}
