/// A bridge key that does not have the right form.
public struct BridgeKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "BridgeKeyError: \(self.reason)" }
}
