import AsyncHTTPClient
import BridgeClient
import CartBridgeCore
import CredentialVault
import Foundation
import Hummingbird
import Logging
import NIOCore
import Registry
import ServiceLifecycle

/// Builds the CartBridge HTTP application and what it stands on.
public enum CartBridgeApp {
    /// The API methods this server answers.
    static let methods: [APIMethod] = AccountMethods.all + CartMethods.all + BridgeMethods.all + CatalogMethods.all + WriteMethods.all

    public static var methodNames: [String] { methods.map(\.name) }

    /// Opens the registry and the vault, and checks the master key matches the registry.
    public static func makeServices(
        configuration: ServerConfiguration,
        httpClient: HTTPClient,
        logger: Logger
    ) async throws -> Services {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let (keyring, source) = try Self.loadKeyring(configuration, logger: logger)
        let registry = try await configuration.registryLocation.open(logger: logger)
        if case .sqlite(let path) = configuration.registryLocation {
            // Sealed credentials and hashed keys are still nobody else's business: owner-only, whatever the umask.
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
        let vault = Vault(keyring: keyring)
        do {
            try await StoreCredentials.verifyMasterKey(registry: registry, vault: vault, logger: logger)
        } catch {
            try? await registry.close()
            throw error
        }
        let metrics = ServiceMetrics()
        return Services(
            configuration: configuration,
            registry: registry,
            credentials: StoreCredentials(registry: registry, keyring: LiveKeyring(source: source, keyring: keyring, checkInterval: configuration.keyringCheckInterval)),
            channels: BridgeChannelFactory(httpClient: httpClient, configuration: configuration, logger: logger),
            metrics: metrics
        )
    }

    /// The outbound HTTP client for bridges: connect and read deadlines, no redirects, no decompression.
    public static func makeHTTPClient(configuration: ServerConfiguration) -> HTTPClient {
        HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: BridgeChannelFactory.clientConfiguration(configuration).makeHTTPClientConfiguration()
        )
    }

    public static func loadKeyring(_ configuration: ServerConfiguration, logger: Logger) throws -> (Keyring, KeyringSource) {
        let source: KeyringSource
        if let value = configuration.masterKeyValue {
            source = .environment(value)
        } else if let file = configuration.masterKeyFile {
            source = .file(path: file, createIfMissing: false)
        } else {
            source = .file(path: configuration.defaultKeyringPath, createIfMissing: true)
        }
        let (keyring, outcome) = try source.load()
        if case .generated(let path) = outcome {
            logger.notice(
                "generated a new master key: back this file up, the stored credentials cannot be read without it",
                metadata: ["path": "\(path)"]
            )
        }
        return (keyring, source)
    }

    public static func makeRouter(services: Services) -> Router<BasicRequestContext> {
        let dispatcher = APIDispatcher(services: services, methods: Self.methods)
        let router = Router(context: BasicRequestContext.self)
        router.get("/health") { _, _ in
            Envelope.response(["status": "ok"])
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: services.metrics.exposition()))
            )
        }
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes))
            )
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete] {
            router.on("/v1.1/{method}", method: method) { request, context in
                await dispatcher.handle(request, path: context.parameters.get("method") ?? "", logger: context.logger)
            }
        }
        return router
    }

    public static func makeApplication(
        services: Services,
        logger: Logger,
        extraServices: [any Service] = []
    ) -> some ApplicationProtocol {
        Application(
            router: Self.makeRouter(services: services),
            configuration: .init(
                address: .hostname(services.configuration.host, port: services.configuration.port),
                serverName: "CartBridge"
            ),
            services: extraServices,
            logger: logger
        )
    }
}
