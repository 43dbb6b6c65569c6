import AsyncHTTPClient
import BridgeProtocol
import Foundation
import NIOCore

extension BridgeClient {
    /// Limits and clocks of a `BridgeClient`.
    public struct Configuration: Sendable {
        /// The longest a connection may take to open. `HTTPClient` applies it per client, not per request: build the
        /// `HTTPClient` you pass in from `makeHTTPClientConfiguration()` so that it holds.
        public var connectTimeout: TimeAmount
        /// The total deadline of each request, from sending to the last byte of the response (connect included).
        public var requestTimeout: TimeAmount
        /// The most response bytes read; a larger response is refused without being read further.
        public var maxResponseBytes: Int
        /// `expires - created` of each request, in seconds (at most 300).
        public var signatureLifetime: Int64
        /// The service's wall clock, unix seconds (tests inject one).
        public var clock: @Sendable () -> Int64

        public init(
            connectTimeout: TimeAmount = .seconds(10),
            requestTimeout: TimeAmount = .seconds(60),
            maxResponseBytes: Int = 32 * 1024 * 1024,
            signatureLifetime: Int64 = CartBridgeProfile.defaultLifetime,
            clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
        ) {
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.maxResponseBytes = maxResponseBytes
            self.signatureLifetime = max(1, min(signatureLifetime, CartBridgeProfile.maxLifetime))
            self.clock = clock
        }

        /// An `HTTPClient` configuration fit for bridges: this connect timeout, the request timeout as read timeout,
        /// no redirects (a signed request is never re-sent elsewhere), no decompression (the digest covers the bytes
        /// as sent).
        public func makeHTTPClientConfiguration() -> HTTPClient.Configuration {
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: self.connectTimeout, read: self.requestTimeout),
                decompression: .disabled
            )
            configuration.httpVersion = .http1Only
            return configuration
        }
    }
}
