import Foundation

/// Everything the service keeps: accounts, stores, sealed credentials, the store config cache, store clock
/// offsets, idempotency records, and the counters behind the concurrency limits. One protocol, so the embedded
/// SQLite and the shared PostgreSQL behave alike (the conformance suite runs against both).
public protocol Registry: Sendable {
    // Accounts
    func createAccount(name: String, apiKeyHash: [UInt8], keyHint: String) async throws -> Account
    func accounts() async throws -> [Account]
    func account(apiKeyHash: [UInt8]) async throws -> Account?
    func setAccountStatus(id: Int64, _ status: Account.Status) async throws -> Bool

    // Stores
    func addStore(_ draft: StoreDraft) async throws -> Store
    func stores(accountID: Int64) async throws -> [Store]
    func store(accountID: Int64, storeKey: String) async throws -> Store?
    func updateStore(_ store: Store) async throws
    func deleteStore(id: Int64) async throws

    // Credentials (sealed by the vault before they get here)
    func putCredential(_ credential: SealedCredential) async throws
    func credential(storeID: Int64, name: String) async throws -> SealedCredential?
    func allCredentials() async throws -> [SealedCredential]
    /// Replaces a credential only if it still holds `expected`, so a rotation never overwrites a newer write.
    func replaceCredential(_ expected: SealedCredential, with new: SealedCredential) async throws -> Bool

    // Config cache and clock offsets
    func cachedConfig(storeID: Int64) async throws -> CachedConfig?
    func putConfig(storeID: Int64, _ config: CachedConfig) async throws
    func clearConfig(storeID: Int64) async throws
    func clockOffset(storeID: Int64) async throws -> Int
    func setClockOffset(storeID: Int64, seconds: Int) async throws

    // Settings of the registry itself (the vault's key check lives here)
    func setting(_ name: String) async throws -> String?
    func putSetting(_ name: String, _ value: String) async throws

    // Idempotency records (the answers of writes, for retries)
    /// The record for this account, key and method, unless there is none or it expired at `now`.
    func idempotencyRecord(accountID: Int64, key: String, method: String, now: Date) async throws -> IdempotencyRecord?
    /// Stores `record` unless a record for the same account, key and method is still in force at `now`;
    /// returns the record in force afterwards, so of two racing writers both learn which answer won.
    func putIdempotencyRecord(_ record: IdempotencyRecord, now: Date) async throws -> IdempotencyRecord
    /// Replaces the record for the same account, key and method, whether or not one is in force (the writer that
    /// claimed a key stores its answer, or gives the key up by storing an expired record).
    func replaceIdempotencyRecord(_ record: IdempotencyRecord) async throws
    /// Deletes the records expired at `now`; returns how many.
    func purgeIdempotencyRecords(now: Date) async throws -> Int

    // Concurrency limits
    /// A limiter of `limit` calls in flight per key; `scope` names what the keys are (`store`, `account`).
    /// A registry shared by several nodes returns one whose limit holds across all of them.
    func makeConcurrencyLimiter(scope: String, limit: Int) -> any ConcurrencyLimiter

    /// Releases the connection; the registry is not used afterwards.
    func close() async throws
}

/// What `addStore` needs; the registry assigns the id and timestamps.
public struct StoreDraft: Sendable {
    public var accountID: Int64
    public var storeKey: String
    public var cartID: String
    public var storeURL: String
    public var bridgeURL: String
    public var storeRoot: String?
    public var tablePrefix: String?
    public var customLabel: String?
    public var keyID: String
    public var forceEncryption: Bool

    public init(
        accountID: Int64,
        storeKey: String,
        cartID: String,
        storeURL: String,
        bridgeURL: String,
        storeRoot: String? = nil,
        tablePrefix: String? = nil,
        customLabel: String? = nil,
        keyID: String = "k1",
        forceEncryption: Bool = false
    ) {
        self.accountID = accountID
        self.storeKey = storeKey
        self.cartID = cartID
        self.storeURL = storeURL
        self.bridgeURL = bridgeURL
        self.storeRoot = storeRoot
        self.tablePrefix = tablePrefix
        self.customLabel = customLabel
        self.keyID = keyID
        self.forceEncryption = forceEncryption
    }
}
