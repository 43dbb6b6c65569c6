import Foundation

/// A vendor's account: one API key, many stores.
public struct Account: Sendable, Hashable {
    public enum Status: String, Sendable {
        case active
        case disabled
    }

    public let id: Int64
    public var name: String
    public var status: Status
    /// The first characters of the API key, to tell keys apart in listings without revealing them.
    public var keyHint: String
    public var createdAt: Date

    public init(id: Int64, name: String, status: Status, keyHint: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.status = status
        self.keyHint = keyHint
        self.createdAt = createdAt
    }
}
