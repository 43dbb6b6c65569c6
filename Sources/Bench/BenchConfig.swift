import Foundation

/// What `scripts/bench` set up: the two generated stores, each served by `php -S` with the bridge installed.
struct BenchConfig: Codable, Sendable {
    struct Store: Codable, Sendable {
        var name: String
        var database: String
        var products: Int
        var store_url: String
        var bridge_url: String
        var bridge_key: String
        var key_id: String
        var php_workers: Int?
    }

    /// The store of the overhead, throughput, node and main export figures.
    var large: Store
    /// The store a tenth its size, for the memory comparison.
    var small: Store

    static func load(_ path: String) throws -> BenchConfig {
        try JSONDecoder().decode(BenchConfig.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
