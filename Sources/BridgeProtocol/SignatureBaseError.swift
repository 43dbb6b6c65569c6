/// A signature base that cannot be built.
public struct SignatureBaseError: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "SignatureBaseError: \(self.reason)" }
}
