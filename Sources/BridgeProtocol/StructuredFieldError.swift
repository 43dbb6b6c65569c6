/// A structured field (RFC 8941) that does not parse or cannot be serialized.
public struct StructuredFieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "StructuredFieldError: \(self.reason)" }
}
