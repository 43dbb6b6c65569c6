import CartBridgeCore
import Foundation

/// What a connector call works with: the signed line to the store's bridge and its cached configuration.
public struct StoreAccess: Sendable {
    public let channel: any StoreChannel
    public let config: StoreConfig

    public init(channel: any StoreChannel, config: StoreConfig) {
        self.channel = channel
        self.config = config
    }

    /// The table prefix, validated when the store was detected.
    public var prefix: String { self.config.tablePrefix }

    /// The zone the cart writes its local dates in.
    public var timeZone: TimeZone { APIDate.timeZone(self.config.timezone) }

    public var defaultLanguageID: String? {
        (self.config.languages.first(where: \.isDefault) ?? self.config.languages.first)?.id
    }

    /// The language a call asked for, when the store has it; else the default one. Unknown ids are refused.
    public func languageID(_ requested: String?) throws(CartBridgeError) -> String? {
        guard let requested else { return self.defaultLanguageID }
        guard self.config.languages.contains(where: { $0.id == requested }) else {
            throw CartBridgeError.badParameter("lang_id", "the store has no language with this id")
        }
        return requested
    }

    /// Runs a batch in one round trip; reads run in one transaction so every statement sees the same snapshot.
    public func query(_ statements: [SQLStatement], transaction: Bool = true) async throws -> [QueryResult] {
        try await self.channel.query(statements, transaction: transaction)
    }
}
