import CartBridgeCore
import Logging
import Registry

/// What a method returns: an envelope's result, or a file (`bridge.download.file`).
enum APIOutcome: Sendable {
    case result(JSONValue, pagination: JSONValue? = nil)
    case file(name: String, contentType: String, bytes: [UInt8])
}

/// Everything one call sees: its parameters, the caller's account, the store when the method needs one.
struct CallContext: Sendable {
    let method: String
    let parameters: Parameters
    let account: Account
    let store: Store?
    let services: Services
    let logger: Logger

    /// The store of a store-level method; the dispatcher has checked it belongs to `account`.
    var requiredStore: Store {
        get throws(CartBridgeError) {
            guard let store else { throw CartBridgeError(.internalError, detail: "store-level method called without a store") }
            return store
        }
    }
}

/// One API method: its name, whether it needs a store key, and what it does.
struct APIMethod: Sendable {
    enum Scope: Sendable {
        /// Takes the API key alone.
        case account
        /// Takes the API key and the key of one of the account's stores.
        case store
    }

    let name: String
    let scope: Scope
    let run: @Sendable (CallContext) async throws -> APIOutcome
}
