import Foundation
import Registry

/// How a CartBridge server runs. Every field has a default that needs no setup.
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Holds the embedded registry (`registry.sqlite`) and, unless given elsewhere, the master keyring.
    public var dataDirectory: String = "./cartbridge-data"
    /// The registry when not the embedded file (`--database`, `CARTBRIDGE_DATABASE_URL`): a shared PostgreSQL
    /// database for several nodes.
    public var database: RegistryLocation?
    /// Where the master keyring comes from; `nil` means a keyring file in the data folder, created on first start.
    public var masterKeyFile: String?
    /// A keyring given directly (`CARTBRIDGE_MASTER_KEY`), which wins over any file.
    public var masterKeyValue: String?
    /// How often a running server looks whether its keyring file changed (a master key rotation).
    public var keyringCheckInterval: Duration = .seconds(2)
    /// The largest request body accepted.
    public var maxBodyBytes: Int = 1 << 20
    /// Concurrent calls one store may receive (return code 7 beyond it).
    public var perStoreConcurrency: Int = 5
    /// Concurrent calls one account may make (return code 10 beyond it).
    public var perAccountConcurrency: Int = 10
    /// How long a store's cached configuration stays fresh.
    public var configCacheTTL: Duration = .seconds(3600)
    /// Deadline of each call to a store's bridge.
    public var bridgeTimeout: Duration = .seconds(30)
    public var bridgeConnectTimeout: Duration = .seconds(10)
    /// The most bytes read from one bridge reply.
    public var maxBridgeReplyBytes: Int = 32 << 20
    /// Deadline of each FTP/FTPS/SFTP step of an install (one run of curl), and of its connection.
    public var ftpTimeout: Duration = .seconds(60)
    public var ftpConnectTimeout: Duration = .seconds(10)
    /// The curl executable; `nil` finds `curl` on the PATH.
    public var curlPath: String?
    /// A CA bundle trusted for FTPS instead of the system's, e.g. for a server with a private CA. Certificates are
    /// always verified: there is no option to turn that off.
    public var ftpsCAFile: String?
    /// How long a key rotation keeps the old key on the bridge after the service switched to the new one, so that
    /// requests signed just before the switch still arrive with a key the bridge knows.
    public var keyRotationGrace: Duration = .seconds(2)

    public init() {}

    public var registryPath: String { (self.dataDirectory as NSString).appendingPathComponent("registry.sqlite") }
    public var registryLocation: RegistryLocation { self.database ?? .sqlite(path: self.registryPath) }
    public var defaultKeyringPath: String { (self.dataDirectory as NSString).appendingPathComponent("master.keys") }
}
