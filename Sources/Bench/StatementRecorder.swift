import CartBridgeCore

/// The `query` arguments a connector sent, in order.
actor StatementRecorder {
    private(set) var queries: [JSONValue] = []

    func add(_ args: JSONValue) {
        self.queries.append(args)
    }
}
