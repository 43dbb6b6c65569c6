import CartBridgeCore
import Foundation

/// Store and bridge URLs: absolute http(s) URLs with a host, nothing else.
enum StoreURLs {
    static func validatedHTTPURL(_ text: String, parameter: String) throws(CartBridgeError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil
        else {
            throw CartBridgeError.badParameter(parameter, "expected an absolute http:// or https:// URL")
        }
        return trimmed
    }

    /// The store URL without a trailing slash, so the same store is not registered twice by spelling.
    static func normalizedStoreURL(_ text: String, parameter: String) throws(CartBridgeError) -> String {
        var url = try self.validatedHTTPURL(text, parameter: parameter)
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    static func defaultBridgeURL(storeURL: String) -> String {
        storeURL + "/cartbridge/bridge.php"
    }
}
