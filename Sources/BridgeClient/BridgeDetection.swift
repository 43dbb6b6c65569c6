import CartBridgeCore

/// The result of `detect`: what the bridge read from the cart's config files and database.
public struct BridgeDetection: Sendable, Hashable {
    public let cartType: String
    public let cartVersion: String?
    public let tablePrefix: String
    public let dbServerVersion: String?
    public let dbCharset: String?
    public let timezone: String?
    public let storeURL: String?
    /// Image folder name to path relative to the store root (`image` -> `image/`).
    public let imageDirs: [String: String]
    public let platformVersion: String?

    init?(_ result: JSONValue) {
        guard let cartType = result["cart_type"]?.stringValue, let tablePrefix = result["table_prefix"]?.stringValue
        else { return nil }
        self.cartType = cartType
        self.cartVersion = result["cart_version"]?.textValue
        self.tablePrefix = tablePrefix
        self.dbServerVersion = result["db_server_version"]?.textValue
        self.dbCharset = result["db_charset"]?.textValue
        self.timezone = result["timezone"]?.textValue
        self.storeURL = result["store_url"]?.textValue
        var imageDirs: [String: String] = [:]
        switch result["image_dirs"] {
        case .object(let members)?:
            for (name, value) in members { if let path = value.stringValue { imageDirs[name] = path } }
        case .array(let paths)?:
            // PHP writes an empty or list-shaped array as a JSON list.
            for (index, value) in paths.enumerated() { if let path = value.stringValue { imageDirs[String(index)] = path } }
        default:
            break
        }
        self.imageDirs = imageDirs
        self.platformVersion = result["platform_version"]?.textValue
    }
}
