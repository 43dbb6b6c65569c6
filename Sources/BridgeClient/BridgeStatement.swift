import CartBridgeCore

/// One parameterized statement of a `query` batch: `?` placeholders bound, in order, to `params`.
public struct BridgeStatement: Sendable, Hashable {
    public var sql: String
    public var params: [JSONValue]

    public init(_ sql: String, params: [JSONValue] = []) {
        self.sql = sql
        self.params = params
    }

    var json: JSONValue { ["sql": .string(self.sql), "params": .array(self.params)] }
}
