import CartBridgeCore

/// Whether a folder on the FTP server is the root of a store of the given cart, from the names in it, before
/// anything is written there: the same files the bridge's `detect` reads later.
enum StoreRootCheck {
    /// What is missing for the folder to be a root of `cart` (nil when it is one). `listConfigFolder` lists
    /// PrestaShop's `app/config/`, which the root's own listing cannot show.
    static func missing(cart: CartType, names: Set<String>, listConfigFolder: () async throws -> [String]) async throws -> String? {
        switch cart {
        case .opencart:
            return names.contains("config.php") && (names.contains("index.php") || names.contains("admin")) ? nil : "config.php and index.php"
        case .woocommerce:
            return names.contains("wp-config.php") ? nil : "wp-config.php"
        case .prestashop:
            guard names.contains("app") else { return "app/config/parameters.php" }
            return try await listConfigFolder().contains("parameters.php") ? nil : "app/config/parameters.php"
        }
    }
}
