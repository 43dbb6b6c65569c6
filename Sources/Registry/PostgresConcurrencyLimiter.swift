import Foundation
import Logging
import PostgresNIO

/// A concurrency limit that holds across every node of one PostgreSQL registry.
///
/// Each call in flight is one row of `concurrency_leases` (scope, key, holder, expiry). Why rows with an
/// expiry rather than session advisory locks held as slots: a session lock belongs to one connection, and the
/// pool hands out whichever connection is free, so every slot would need a dedicated connection kept apart
/// from the pool, and losing that one connection would drop every slot the node holds at once. A row does not
/// depend on a connection, shows who holds it, and frees itself: its holder renews it (every
/// `leaseRenewalInterval`) while the call runs, so a node that dies stops renewing, and its slots count no more
/// once `leaseTTL` has passed. (The other side of that: a node that cannot reach the database for longer than the
/// TTL loses its leases while its calls may still run, and for that while the limit can be exceeded.)
///
/// Why acquiring is correct under concurrency: under READ COMMITTED, two transactions that both run
/// `INSERT ... WHERE (SELECT count(*) ...) < limit` at the same moment do not see each other's uncommitted row,
/// so both could insert and the limit would be exceeded by one. So the acquiring transaction first takes a
/// transaction-scoped advisory lock on (scope, key), in a statement of its own: acquirers of one key take
/// turns, and because READ COMMITTED takes a new snapshot for each statement, the counting INSERT that follows
/// sees every lease committed by the acquirer before it. The lock ends with the transaction (a pooled
/// connection never keeps it). Releasing (DELETE) and renewing (UPDATE of the expiry) need no lock: they never
/// raise a count. Two keys whose lock hashes collide only take turns; the count itself is exact.
final class PostgresConcurrencyLimiter: ConcurrencyLimiter {
    let scope: String
    let limit: Int
    let registry: PostgresRegistry

    init(scope: String, limit: Int, registry: PostgresRegistry) {
        self.scope = scope
        self.limit = limit
        self.registry = registry
    }

    func acquire(_ key: Int64) async throws -> ConcurrencySlot? {
        let lockName = "cartbridge.lease:\(self.scope):\(key)"
        let ttl = Self.seconds(self.registry.options.leaseTTL)
        let (scope, limit, holder, logger) = (self.scope, self.limit, self.registry.holder, self.registry.logger)
        let lease: Int64? = try await self.registry.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lockName), 0))", logger: logger)
            // statement_timestamp(), not now(): now() is when the transaction began, before the lock wait.
            let rows = try await connection.query(
                """
                INSERT INTO concurrency_leases (scope, key, holder, expires_at)
                SELECT \(scope), \(key), \(holder), statement_timestamp() + make_interval(secs => \(ttl))
                WHERE (
                    SELECT count(*) FROM concurrency_leases
                    WHERE scope = \(scope) AND key = \(key) AND expires_at > statement_timestamp()
                ) < \(limit)
                RETURNING id
                """,
                logger: logger
            ).collect()
            return try rows.first?.decode(Int64.self)
        }
        guard let lease else { return nil }
        self.registry.leases.add(lease)
        return ConcurrencySlot(key: key, lease: lease)
    }

    func release(_ slot: ConcurrencySlot) async {
        // Stop renewing first: if the DELETE below fails, the row lapses on its own after the TTL.
        self.registry.leases.remove(slot.lease)
        let registry = self.registry
        // In a task of its own so that a cancelled call still gives its slot back (a cancelled task's queries
        // may fail before they are sent).
        let scope = self.scope
        await Task {
            do {
                _ = try await registry.rows("DELETE FROM concurrency_leases WHERE id = \(slot.lease)")
            } catch {
                registry.logger.warning(
                    "concurrency slot not released; it lapses when its lease expires",
                    metadata: ["scope": "\(scope)", "key": "\(slot.key)", "error": "\(error)"]
                )
            }
        }.value
    }

    /// Renews the leases of this node's calls in flight until cancelled, and deletes long-lapsed rows of any
    /// node so the table stays small (acquiring ignores lapsed rows either way).
    static func renew(_ leases: LeaseBook, client: PostgresClient, options: PostgresRegistry.Options, logger: Logger) async {
        let ttl = Self.seconds(options.leaseTTL)
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: options.leaseRenewalInterval)
            } catch {
                return
            }
            do {
                let ids = leases.ids
                if !ids.isEmpty {
                    try await client.query(
                        "UPDATE concurrency_leases SET expires_at = statement_timestamp() + make_interval(secs => \(ttl)) WHERE id = ANY(\(ids))",
                        logger: logger
                    )
                }
                try await client.query(
                    "DELETE FROM concurrency_leases WHERE expires_at < statement_timestamp() - make_interval(secs => \(ttl))",
                    logger: logger
                )
            } catch {
                if Task.isCancelled { return }
                logger.warning("concurrency leases not renewed", metadata: ["error": "\(PostgresRegistry.registryError(error))"])
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
