import BridgeClient
import BridgeProtocol
import CartBridgeCore
import Foundation

/// The stores of the test environment that `scripts/testenv/up` starts (MariaDB with the real cart dumps, store
/// roots with the bridge, `php -S` servers), read from the file `CARTBRIDGE_TEST_STORES` names.
struct TestStore: Decodable, Sendable {
    let name: String
    let cartType: String
    let cartVersion: String
    let database: String
    let tablePrefix: String
    let storeRoot: String
    let storeURL: String
    let bridgeURL: String
    let bridgeKey: String
    let keyID: String
    let source: String

    enum CodingKeys: String, CodingKey {
        case name, database, source
        case cartType = "cart_type"
        case cartVersion = "cart_version"
        case tablePrefix = "table_prefix"
        case storeRoot = "store_root"
        case storeURL = "store_url"
        case bridgeURL = "bridge_url"
        case bridgeKey = "bridge_key"
        case keyID = "key_id"
    }

    func endpoint(url: String? = nil, keyID: String? = nil, key: BridgeKey? = nil, clockOffset: Int64 = 0) throws
        -> BridgeEndpoint
    {
        try BridgeEndpoint(
            url: url ?? self.bridgeURL,
            keyID: keyID ?? self.keyID,
            key: key ?? (try BridgeKey(base64URL: self.bridgeKey)),
            clockOffset: clockOffset
        )
    }

    /// The port of the store's `php -S` server.
    var port: Int { URLComponents(string: self.bridgeURL)?.port ?? 80 }
}

struct TestStoresFile: Decodable, Sendable {
    struct Skipped: Decodable, Sendable {
        let name: String
        let reason: String
    }

    let stores: [TestStore]
    let skipped: [Skipped]?
}

enum TestEnvironment {
    static let variable = "CARTBRIDGE_TEST_STORES"

    /// The stores, or why there are none; the reason is printed once, when first asked.
    static let loaded: Result<TestStoresFile, SkipReason> = {
        let result = Self.load()
        switch result {
        case .success(let file):
            for skipped in file.skipped ?? [] {
                print("BridgeClientTests: store \(skipped.name) is not in the test environment: \(skipped.reason)")
            }
        case .failure(let reason):
            print("BridgeClientTests: end-to-end tests against the PHP bridge are skipped: \(reason.text)")
        }
        return result
    }()

    struct SkipReason: Error {
        let text: String
    }

    static func load() -> Result<TestStoresFile, SkipReason> {
        guard let path = ProcessInfo.processInfo.environment[Self.variable], !path.isEmpty else {
            return .failure(SkipReason(text: "\(Self.variable) is not set (run scripts/testenv/up and source the env file it writes)"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(SkipReason(text: "\(Self.variable) names \(path), which cannot be read"))
        }
        do {
            let file = try JSONDecoder().decode(TestStoresFile.self, from: data)
            guard !file.stores.isEmpty else { return .failure(SkipReason(text: "\(path) lists no stores")) }
            return .success(file)
        } catch {
            return .failure(SkipReason(text: "\(path) does not parse: \(error)"))
        }
    }

    static var isAvailable: Bool {
        if case .success = Self.loaded { return true }
        return false
    }

    static var stores: [TestStore] {
        (try? Self.loaded.get().stores) ?? []
    }

    static func store(_ name: String) -> TestStore? {
        Self.stores.first { $0.name == name }
    }

    /// The first OpenCart store that holds the demo catalogue (product 40).
    static var openCart: TestStore? {
        Self.stores.first { $0.cartType == "opencart" && $0.source != "generated" }
    }
}
