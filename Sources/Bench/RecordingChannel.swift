import CartBridgeCore

/// A `StoreChannel` that sends each operation straight to the bridge and, when given a recorder, keeps the
/// arguments of every `query`: the exact statements and parameters a connector sent.
struct RecordingChannel: StoreChannel {
    let bridge: DirectBridge
    let recorder: StatementRecorder?

    func call(_ op: String, args: JSONValue) async throws -> JSONValue {
        if op == "query", let recorder { await recorder.add(args) }
        return try await self.bridge.call(op, args: args)
    }
}
