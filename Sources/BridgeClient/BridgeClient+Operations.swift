import CartBridgeCore

extension BridgeClient {
    /// `ping`: protocol and versions, the bridge's clock and modes.
    public func ping(endpoint: BridgeEndpoint, onClockOffset: ClockOffsetHandler? = nil) async throws(CartBridgeError)
        -> BridgePing
    {
        let reply = try await self.call("ping", endpoint: endpoint, onClockOffset: onClockOffset)
        guard let ping = BridgePing(reply.result) else { throw Self.unexpectedShape("ping", endpoint) }
        return ping
    }

    /// `detect`: cart type and version, table prefix, database facts, timezone, store URL, image folders.
    ///
    /// - Parameter tablePrefix: the prefix to use when the database holds several (`prefix_ambiguous`).
    public func detect(
        endpoint: BridgeEndpoint,
        tablePrefix: String? = nil,
        onClockOffset: ClockOffsetHandler? = nil
    ) async throws(CartBridgeError) -> BridgeDetection {
        var args: [String: JSONValue] = [:]
        if let tablePrefix { args["table_prefix"] = .string(tablePrefix) }
        let reply = try await self.call("detect", args: .object(args), endpoint: endpoint, onClockOffset: onClockOffset)
        guard let detection = BridgeDetection(reply.result) else { throw Self.unexpectedShape("detect", endpoint) }
        return detection
    }

    /// `query`: a batch of parameterized statements in one round trip, optionally in one transaction.
    public func query(
        statements: [BridgeStatement],
        transaction: Bool = false,
        endpoint: BridgeEndpoint,
        onClockOffset: ClockOffsetHandler? = nil
    ) async throws(CartBridgeError) -> [BridgeStatementResult] {
        let args: JSONValue = [
            "statements": .array(statements.map(\.json)),
            "transaction": .bool(transaction),
        ]
        let reply = try await self.call("query", args: args, endpoint: endpoint, onClockOffset: onClockOffset)
        guard let results = reply.result["results"]?.arrayValue, results.count == statements.count else {
            throw Self.unexpectedShape("query", endpoint)
        }
        var typed: [BridgeStatementResult] = []
        typed.reserveCapacity(results.count)
        for result in results {
            guard let statementResult = BridgeStatementResult(result) else { throw Self.unexpectedShape("query", endpoint) }
            typed.append(statementResult)
        }
        return typed
    }

    static func unexpectedShape(_ op: String, _ endpoint: BridgeEndpoint) -> CartBridgeError {
        CartBridgeError(
            .bridgeResponseError,
            "The bridge's reply does not have the expected shape (bridge_response_invalid): check that the bridge is up to date.",
            detail: BridgeFailure(op: op, endpoint: endpoint).detail(.bridgeResponseInvalid, status: 200, "signed; unexpected \(op) result")
        )
    }
}
