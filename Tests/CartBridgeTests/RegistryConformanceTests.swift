import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import Registry

/// One contract, every backend: each test runs against SQLite and, when the test environment has one,
/// PostgreSQL, on a fresh location of its own.
@Suite struct RegistryConformanceTests {
    static func draft(_ accountID: Int64, _ index: Int, key: String? = nil) -> StoreDraft {
        StoreDraft(
            accountID: accountID, storeKey: key ?? "key-\(index)", cartID: "Opencart14", storeURL: "https://shop\(index).example",
            bridgeURL: "https://shop\(index).example/cartbridge/bridge.php"
        )
    }

    static func near(_ a: Date, _ b: Date) -> Bool { abs(a.timeIntervalSince(b)) < 0.001 }

    /// The code of the `RegistryError` that `body` throws; nil when it throws nothing or something else.
    static func code(_ body: () async throws -> Void) async -> RegistryError.Code? {
        do {
            try await body()
            return nil
        } catch {
            return (error as? RegistryError)?.code
        }
    }

    // MARK: Accounts

    @Test(arguments: RegistryBackend.available)
    func accountsAreCreatedFoundAndDisabled(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, _ in
            let before = Date().addingTimeInterval(-2)
            let first = try await registry.createAccount(name: "Acme", apiKeyHash: Array(repeating: 1, count: 32), keyHint: "ab12")
            let second = try await registry.createAccount(name: "Other", apiKeyHash: Array(repeating: 2, count: 32), keyHint: "cd34")
            #expect(first.id != second.id)
            #expect(first.status == .active && first.name == "Acme" && first.keyHint == "ab12")
            #expect(first.createdAt > before && first.createdAt < Date().addingTimeInterval(2))
            #expect(try await registry.accounts() == [first, second])
            #expect(try await registry.account(apiKeyHash: Array(repeating: 2, count: 32)) == second)
            #expect(try await registry.account(apiKeyHash: Array(repeating: 3, count: 32)) == nil)
            #expect(try await registry.setAccountStatus(id: first.id, .disabled))
            #expect(try await registry.account(apiKeyHash: Array(repeating: 1, count: 32))?.status == .disabled)
            #expect(try await registry.setAccountStatus(id: 9999, .disabled) == false)
        }
    }

    // MARK: Stores

    @Test(arguments: RegistryBackend.available)
    func storesAreAddedFoundUpdatedAndDeletedWithWhatBelongsToThem(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, _ in
            let account = try await registry.createAccount(name: "A", apiKeyHash: [1], keyHint: "a")
            let other = try await registry.createAccount(name: "B", apiKeyHash: [2], keyHint: "b")
            var draft = Self.draft(account.id, 1)
            draft.storeRoot = "/var/www"
            draft.tablePrefix = "oc_"
            draft.customLabel = "Main"
            draft.forceEncryption = true
            let store = try await registry.addStore(draft)
            #expect(store.accountID == account.id && store.storeKey == "key-1" && store.cartID == "Opencart14")
            #expect(store.storeRoot == "/var/www" && store.tablePrefix == "oc_" && store.customLabel == "Main")
            #expect(store.keyID == "k1" && store.forceEncryption && store.bridgeVersion == nil)
            let plain = try await registry.addStore(Self.draft(account.id, 2))
            #expect(plain.storeRoot == nil && plain.tablePrefix == nil && plain.customLabel == nil && !plain.forceEncryption)
            #expect(try await registry.stores(accountID: account.id).map(\.id) == [store.id, plain.id])
            #expect(try await registry.store(accountID: account.id, storeKey: "key-1") == store)
            // Another account's key finds nothing.
            #expect(try await registry.store(accountID: other.id, storeKey: "key-1") == nil)
            #expect(try await registry.stores(accountID: other.id).isEmpty)

            var updated = store
            updated.bridgeVersion = "1.0.0"
            updated.tablePrefix = nil
            updated.keyID = "k2"
            updated.forceEncryption = false
            try await registry.updateStore(updated)
            let read = try #require(try await registry.store(accountID: account.id, storeKey: "key-1"))
            #expect(read.bridgeVersion == "1.0.0" && read.tablePrefix == nil && read.keyID == "k2" && !read.forceEncryption)
            #expect(read.createdAt == store.createdAt)
            #expect(read.updatedAt >= store.updatedAt)
            var missing = store
            missing = Store(id: 9999, accountID: account.id, storeKey: "x", cartID: "x", storeURL: "x", bridgeURL: "x")
            #expect(await Self.code { try await registry.updateStore(missing) } == .notFound)

            // Deleting a store takes its credentials, cached config and clock offset with it.
            try await registry.putCredential(SealedCredential(storeID: store.id, name: "bridge_key", sealed: [1, 2, 3]))
            try await registry.putConfig(storeID: store.id, CachedConfig(payload: "{}", fetchedAt: Date(), expiresAt: Date().addingTimeInterval(60)))
            try await registry.setClockOffset(storeID: store.id, seconds: 30)
            try await registry.deleteStore(id: store.id)
            #expect(try await registry.store(accountID: account.id, storeKey: "key-1") == nil)
            #expect(try await registry.credential(storeID: store.id, name: "bridge_key") == nil)
            #expect(try await registry.cachedConfig(storeID: store.id) == nil)
            #expect(try await registry.clockOffset(storeID: store.id) == 0)
            #expect(try await registry.stores(accountID: account.id).map(\.id) == [plain.id])
            try await registry.deleteStore(id: 9999)  // nothing to delete is no error
        }
    }

    @Test(arguments: RegistryBackend.available)
    func duplicateStoresAreRefused(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, _ in
            let account = try await registry.createAccount(name: "A", apiKeyHash: [1], keyHint: "a")
            let other = try await registry.createAccount(name: "B", apiKeyHash: [2], keyHint: "b")
            let first = try await registry.addStore(Self.draft(account.id, 1))
            // Same store key, other URL; same URL, other key.
            #expect(await Self.code { _ = try await registry.addStore(Self.draft(account.id, 2, key: "key-1")) } == .duplicateStore)
            #expect(await Self.code { _ = try await registry.addStore(Self.draft(account.id, 1, key: "fresh")) } == .duplicateStore)
            // Another account may register the same store.
            _ = try await registry.addStore(Self.draft(other.id, 1))
            let second = try await registry.addStore(Self.draft(account.id, 2))
            var clash = second
            clash.storeURL = first.storeURL
            #expect(await Self.code { try await registry.updateStore(clash) } == .duplicateStore)
            #expect(try await registry.stores(accountID: account.id).count == 2)
        }
    }

    // MARK: Credentials

    @Test(arguments: RegistryBackend.available)
    func credentialsArePutReadAndSwappedOnlyWhenUnchanged(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, _ in
            let account = try await registry.createAccount(name: "A", apiKeyHash: [1], keyHint: "a")
            let one = try await registry.addStore(Self.draft(account.id, 1))
            let two = try await registry.addStore(Self.draft(account.id, 2))
            let original = SealedCredential(storeID: one.id, name: "bridge_key", sealed: Array(0..<64))
            try await registry.putCredential(original)
            try await registry.putCredential(SealedCredential(storeID: two.id, name: "bridge_key", sealed: [9]))
            try await registry.putCredential(SealedCredential(storeID: one.id, name: "a_first", sealed: [7, 0, 7]))
            #expect(try await registry.credential(storeID: one.id, name: "bridge_key") == original)
            #expect(try await registry.credential(storeID: one.id, name: "missing") == nil)
            #expect(try await registry.allCredentials().map { [$0.storeID, Int64($0.sealed.count)] } == [[one.id, 3], [one.id, 64], [two.id, 1]])

            let resealed = SealedCredential(storeID: one.id, name: "bridge_key", sealed: [0xFF, 0x00, 0x10])
            let stale = SealedCredential(storeID: one.id, name: "bridge_key", sealed: [1, 2, 3])
            #expect(try await registry.replaceCredential(stale, with: resealed) == false)
            #expect(try await registry.credential(storeID: one.id, name: "bridge_key") == original)
            #expect(try await registry.replaceCredential(original, with: resealed))
            #expect(try await registry.credential(storeID: one.id, name: "bridge_key") == resealed)
            // A second swap from the same starting point loses: the row no longer holds it.
            #expect(try await registry.replaceCredential(original, with: stale) == false)
            // put overwrites whatever is there.
            try await registry.putCredential(stale)
            #expect(try await registry.credential(storeID: one.id, name: "bridge_key") == stale)
        }
    }

    // MARK: Config cache, clock offsets, settings

    @Test(arguments: RegistryBackend.available)
    func configCacheKeepsItsExpiry(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, _ in
            let account = try await registry.createAccount(name: "A", apiKeyHash: [1], keyHint: "a")
            let store = try await registry.addStore(Self.draft(account.id, 1))
            #expect(try await registry.cachedConfig(storeID: store.id) == nil)
            let now = Date()
            let fresh = CachedConfig(payload: #"{"cart":"opencart","ü":"✓"}"#, fetchedAt: now, expiresAt: now.addingTimeInterval(3600))
            try await registry.putConfig(storeID: store.id, fresh)
            let read = try #require(try await registry.cachedConfig(storeID: store.id))
            #expect(read.payload == fresh.payload)
            #expect(Self.near(read.fetchedAt, fresh.fetchedAt) && Self.near(read.expiresAt, fresh.expiresAt))
            #expect(read.isFresh(at: now))
            #expect(!read.isFresh(at: now.addingTimeInterval(3601)))

            let stale = CachedConfig(payload: "{}", fetchedAt: now.addingTimeInterval(-120), expiresAt: now.addingTimeInterval(-60))
            try await registry.putConfig(storeID: store.id, stale)
            let expired = try #require(try await registry.cachedConfig(storeID: store.id))
            #expect(expired.payload == "{}" && !expired.isFresh(at: now))
            try await registry.clearConfig(storeID: store.id)
            #expect(try await registry.cachedConfig(storeID: store.id) == nil)
            try await registry.clearConfig(storeID: store.id)
        }
    }

    @Test(arguments: RegistryBackend.available)
    func clockOffsetsAndSettingsAreKept(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, _ in
            let account = try await registry.createAccount(name: "A", apiKeyHash: [1], keyHint: "a")
            let store = try await registry.addStore(Self.draft(account.id, 1))
            #expect(try await registry.clockOffset(storeID: store.id) == 0)
            try await registry.setClockOffset(storeID: store.id, seconds: -3600)
            #expect(try await registry.clockOffset(storeID: store.id) == -3600)
            try await registry.setClockOffset(storeID: store.id, seconds: 42)
            #expect(try await registry.clockOffset(storeID: store.id) == 42)

            #expect(try await registry.setting("vault.key_check") == nil)
            try await registry.putSetting("vault.key_check", "1:abc")
            try await registry.putSetting("other", "x")
            try await registry.putSetting("vault.key_check", "2:def")
            #expect(try await registry.setting("vault.key_check") == "2:def")
            #expect(try await registry.setting("other") == "x")
        }
    }

    // MARK: Idempotency records

    @Test(arguments: RegistryBackend.available)
    func idempotencyRecordsAnswerRetriesUntilTheyExpire(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, _ in
            let account = try await registry.createAccount(name: "A", apiKeyHash: [1], keyHint: "a")
            let other = try await registry.createAccount(name: "B", apiKeyHash: [2], keyHint: "b")
            let now = Date()
            #expect(try await registry.idempotencyRecord(accountID: account.id, key: "k1", method: "product.add", now: now) == nil)
            let first = IdempotencyRecord(
                accountID: account.id, key: "k1", method: "product.add", answer: #"{"return_code":0,"result":{"product_id":"7"}}"#,
                createdAt: now, expiresAt: now.addingTimeInterval(86400)
            )
            let stored = try await registry.putIdempotencyRecord(first, now: now)
            #expect(stored.answer == first.answer)
            let read = try #require(try await registry.idempotencyRecord(accountID: account.id, key: "k1", method: "product.add", now: now))
            #expect(read.answer == first.answer && read.accountID == account.id && read.key == "k1" && read.method == "product.add")
            #expect(Self.near(read.createdAt, first.createdAt) && Self.near(read.expiresAt, first.expiresAt))
            // The same key is another record for another method or another account.
            #expect(try await registry.idempotencyRecord(accountID: account.id, key: "k1", method: "product.update", now: now) == nil)
            #expect(try await registry.idempotencyRecord(accountID: other.id, key: "k1", method: "product.add", now: now) == nil)

            // While it is in force, a second answer does not replace the first: the first is returned.
            var second = first
            second.answer = #"{"return_code":0,"result":{"product_id":"8"}}"#
            #expect(try await registry.putIdempotencyRecord(second, now: now.addingTimeInterval(10)).answer == first.answer)
            // Once expired it is gone, and a new answer takes its place.
            let later = now.addingTimeInterval(86400)
            #expect(try await registry.idempotencyRecord(accountID: account.id, key: "k1", method: "product.add", now: later) == nil)
            second.createdAt = later
            second.expiresAt = later.addingTimeInterval(60)
            #expect(try await registry.putIdempotencyRecord(second, now: later).answer == second.answer)
            #expect(try await registry.idempotencyRecord(accountID: account.id, key: "k1", method: "product.add", now: later)?.answer == second.answer)
            // A claimed key takes its writer's answer, in force or not.
            var finished = second
            finished.answer = #"{"product_id":"8"}"#
            try await registry.replaceIdempotencyRecord(finished)
            #expect(try await registry.idempotencyRecord(accountID: account.id, key: "k1", method: "product.add", now: later)?.answer == finished.answer)
            finished.expiresAt = later
            try await registry.replaceIdempotencyRecord(finished)
            #expect(try await registry.idempotencyRecord(accountID: account.id, key: "k1", method: "product.add", now: later) == nil, "given up")
            try await registry.replaceIdempotencyRecord(second)

            _ = try await registry.putIdempotencyRecord(
                IdempotencyRecord(accountID: other.id, key: "k2", method: "order.add", answer: "{}", createdAt: now, expiresAt: now.addingTimeInterval(5)),
                now: now
            )
            #expect(try await registry.purgeIdempotencyRecords(now: now) == 0)
            #expect(try await registry.purgeIdempotencyRecords(now: now.addingTimeInterval(30)) == 1)
            #expect(try await registry.idempotencyRecord(accountID: account.id, key: "k1", method: "product.add", now: later)?.answer == second.answer)
        }
    }

    // MARK: Migrations

    static func schemaVersion(_ registry: any Registry) async throws -> Int {
        switch registry {
        case let sqlite as SQLiteRegistry:
            return try await sqlite.run("PRAGMA user_version").first?.column("user_version")?.integer ?? -1
        case let postgres as PostgresRegistry:
            return try await postgres.schemaVersion()
        default:
            Issue.record("unknown registry \(type(of: registry))")
            return -1
        }
    }

    static func latestVersion(_ backend: RegistryBackend) -> Int {
        backend == .sqlite ? SQLiteRegistry.migrations.count : PostgresRegistry.migrations.count
    }

    @Test(arguments: RegistryBackend.available)
    func migrationsRunTwiceChangeNothing(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, place in
            #expect(try await Self.schemaVersion(registry) == Self.latestVersion(backend))
            let account = try await registry.createAccount(name: "A", apiKeyHash: [1], keyHint: "a")
            // Again on the open registry, then by opening the same location again (a second node, a restart).
            switch registry {
            case let sqlite as SQLiteRegistry: try await sqlite.migrate(logger: TestRegistryLocation.logger)
            case let postgres as PostgresRegistry: try await postgres.migrate()
            default: Issue.record("unknown registry")
            }
            let again = try await place.open()
            #expect(try await Self.schemaVersion(again) == Self.latestVersion(backend))
            #expect(try await again.accounts() == [account])
            try await again.close()
        }
    }

    @Test(arguments: RegistryBackend.available)
    func aNewerSchemaIsRefused(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, place in
            let newer = Self.latestVersion(backend) + 1
            switch registry {
            case let sqlite as SQLiteRegistry: _ = try await sqlite.run("PRAGMA user_version = \(newer)")
            case let postgres as PostgresRegistry: _ = try await postgres.rows("INSERT INTO schema_migrations (version) VALUES (\(newer))")
            default: Issue.record("unknown registry")
            }
            #expect(await Self.code { _ = try await place.open() } == .schemaTooNew)
        }
    }

    @Test(.enabled(if: RegistryBackend.postgresURL != nil, "\(RegistryBackend.postgresSkipReason)"))
    func nodesStartingTogetherMigrateOnce() async throws {
        // Four nodes starting at once on an empty database: the advisory lock lets one migrate, the others find
        // the schema done. (SQLite's equivalent, a second process opening a new file, reads the version inside its
        // write transaction; migrationsRunTwiceChangeNothing opens a location a second time.)
        let place = try TestRegistryLocation(.postgres)
        let opened = await withTaskGroup(of: Result<any Registry, any Error>.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do { return .success(try await place.open()) } catch { return .failure(error) }
                }
            }
            var all: [Result<any Registry, any Error>] = []
            for await result in group { all.append(result) }
            return all
        }
        for result in opened {
            switch result {
            case .success(let registry):
                #expect(try await Self.schemaVersion(registry) == Self.latestVersion(.postgres))
                try await registry.close()
            case .failure(let error):
                Issue.record(error, "a node failed to open the registry")
            }
        }
        await place.remove()
    }

    // MARK: Concurrent writers

    @Test(arguments: RegistryBackend.available)
    func concurrentWritersLoseNothing(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { first, place in
            // Two nodes on PostgreSQL; one registry written from many tasks on SQLite (see servesManyNodes).
            let second = backend.servesManyNodes ? try await place.open() : first
            let account = try await first.createAccount(name: "A", apiKeyHash: [1], keyHint: "a")
            let writers: [any Registry] = [first, second]
            // 40 distinct stores, each with its credential and clock offset, written at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    let registry = writers[index % 2]
                    group.addTask {
                        let store = try await registry.addStore(Self.draft(account.id, index))
                        try await registry.putCredential(SealedCredential(storeID: store.id, name: "bridge_key", sealed: [UInt8(index)]))
                        try await registry.setClockOffset(storeID: store.id, seconds: index)
                        try await registry.putSetting("writer.\(index % 5)", "\(index)")
                    }
                }
                try await group.waitForAll()
            }
            let stores = try await second.stores(accountID: account.id)
            #expect(stores.count == 40)
            #expect(Set(stores.map(\.id)).count == 40)
            #expect(try await first.allCredentials().count == 40)
            for store in stores {
                let index = Int(store.storeKey.dropFirst("key-".count))!
                #expect(try await first.clockOffset(storeID: store.id) == index)
            }

            // Ten writers race to add the same store: exactly one wins, the rest are told it is a duplicate.
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    let registry = writers[index % 2]
                    group.addTask {
                        do {
                            _ = try await registry.addStore(Self.draft(account.id, 1000, key: "race-\(index)"))
                            return true
                        } catch let error as RegistryError where error.code == .duplicateStore {
                            return false
                        }
                    }
                }
                var wins: [Bool] = []
                for try await won in group { wins.append(won) }
                return wins
            }
            #expect(outcomes.filter { $0 }.count == 1)

            // Ten writers race to store an answer for one idempotency key: all of them learn the same winner.
            let now = Date()
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<10 {
                    let registry = writers[index % 2]
                    group.addTask {
                        try await registry.putIdempotencyRecord(
                            IdempotencyRecord(accountID: account.id, key: "same", method: "order.add", answer: "answer-\(index)", createdAt: now, expiresAt: now.addingTimeInterval(60)),
                            now: now
                        ).answer
                    }
                }
                var all: [String] = []
                for try await answer in group { all.append(answer) }
                return all
            }
            #expect(Set(answers).count == 1)
            let kept = try await first.idempotencyRecord(accountID: account.id, key: "same", method: "order.add", now: now)
            #expect(kept?.answer == answers.first)

            // Compare-and-swap races: of ten swaps from the same value, one wins.
            let store = stores[0]
            let start = try #require(try await first.credential(storeID: store.id, name: "bridge_key"))
            let swaps = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<10 {
                    let registry = writers[index % 2]
                    group.addTask {
                        try await registry.replaceCredential(start, with: SealedCredential(storeID: store.id, name: "bridge_key", sealed: [200, UInt8(index)]))
                    }
                }
                var results: [Bool] = []
                for try await swapped in group { results.append(swapped) }
                return results
            }
            #expect(swaps.filter { $0 }.count == 1)
            if backend.servesManyNodes { try await second.close() }
        }
    }

    // MARK: Concurrency limits

    @Test(arguments: RegistryBackend.available)
    func limiterRefusesBeyondItsLimitAndFreesOnRelease(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, _ in
            let limiter = registry.makeConcurrencyLimiter(scope: "store", limit: 2)
            #expect(limiter.limit == 2)
            let a = try #require(try await limiter.acquire(1))
            let b = try #require(try await limiter.acquire(1))
            #expect(try await limiter.acquire(1) == nil)
            // Other keys and other scopes are counted apart.
            let c = try #require(try await limiter.acquire(2))
            let accounts = registry.makeConcurrencyLimiter(scope: "account", limit: 1)
            let d = try #require(try await accounts.acquire(1))
            await limiter.release(a)
            let e = try #require(try await limiter.acquire(1))
            #expect(try await limiter.acquire(1) == nil)
            for slot in [b, c, e] { await limiter.release(slot) }
            await accounts.release(d)
            // withSlot gives the slot back however the body ends.
            struct Refused: Error {}
            struct Failed: Error {}
            await #expect(throws: Failed.self) { try await limiter.withSlot(5, refusal: Refused()) { throw Failed() } }
            let inside = try await limiter.withSlot(5, refusal: Refused()) {
                try await limiter.withSlot(5, refusal: Refused()) {
                    await #expect(throws: Refused.self) { try await limiter.withSlot(5, refusal: Refused()) { 0 } }
                    return 2
                }
            }
            #expect(inside == 2)
            let x = try #require(try await limiter.acquire(5))
            let y = try #require(try await limiter.acquire(5))
            for slot in [x, y] { await limiter.release(slot) }
        }
    }

    @Test(arguments: RegistryBackend.available)
    func concurrentAcquirersGetExactlyTheLimit(_ backend: RegistryBackend) async throws {
        try await TestRegistryLocation.with(backend) { registry, place in
            // Two nodes when the backend shares its limits, else one registry's limiter from many tasks.
            let other = backend.servesManyNodes ? try await place.open() : registry
            let limiters = [registry.makeConcurrencyLimiter(scope: "store", limit: 3), other.makeConcurrencyLimiter(scope: "store", limit: 3)]
            let limiterCount = backend.servesManyNodes ? 2 : 1
            let slots = try await withThrowingTaskGroup(of: ConcurrencySlot?.self) { group in
                for index in 0..<24 {
                    let limiter = limiters[index % limiterCount]
                    group.addTask { try await limiter.acquire(77) }
                }
                var taken: [ConcurrencySlot] = []
                for try await slot in group { if let slot { taken.append(slot) } }
                return taken
            }
            #expect(slots.count == 3)
            for slot in slots { await limiters[0].release(slot) }
            #expect(try await limiters[limiterCount - 1].acquire(77) != nil)
            if backend.servesManyNodes { try await other.close() }
        }
    }

    @Test(.enabled(if: RegistryBackend.postgresURL != nil, "\(RegistryBackend.postgresSkipReason)"))
    func sharedLimitsHoldAcrossNodesAndANodeThatDiesFreesItsSlots() async throws {
        try await TestRegistryLocation.with(.postgres) { nodeA, place in
            var quick = PostgresRegistry.Options()
            quick.leaseTTL = .seconds(2)
            quick.leaseRenewalInterval = .milliseconds(200)
            let nodeB = try await place.open(options: quick)
            let limitA = nodeA.makeConcurrencyLimiter(scope: "store", limit: 2)
            let limitB = nodeB.makeConcurrencyLimiter(scope: "store", limit: 2)
            let held = [try #require(try await limitB.acquire(9)), try #require(try await limitB.acquire(9))]
            #expect(try await limitA.acquire(9) == nil)
            // B renews its leases while its calls run: they outlive their two-second TTL.
            try await Task.sleep(for: .milliseconds(2600))
            #expect(try await limitA.acquire(9) == nil)
            // B gives one back: A can take it, and then B is refused.
            await limitB.release(held[0])
            let taken = try #require(try await limitA.acquire(9))
            #expect(try await limitB.acquire(9) == nil)
            await limitA.release(taken)

            // B dies holding both slots (it stops without giving them back): they free themselves once their
            // leases lapse, and until then A is still refused.
            _ = try #require(try await limitB.acquire(9))
            try await nodeB.close()
            #expect(try await limitA.acquire(9) == nil)
            var freed = false
            for _ in 0..<80 where !freed {
                try await Task.sleep(for: .milliseconds(100))
                if let first = try await limitA.acquire(9) {
                    if let second = try await limitA.acquire(9) {
                        freed = true
                        await limitA.release(second)
                    }
                    await limitA.release(first)
                }
            }
            #expect(freed, "the dead node's two slots did not lapse")
        }
    }
}
