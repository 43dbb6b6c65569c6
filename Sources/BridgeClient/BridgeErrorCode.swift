/// A `cartbridge/1` error code: one the bridge sent (`error.code` of its reply) or one the client assigns to a
/// failure of its own (`bridge_response_invalid`, `bridge_unreachable`, ...).
public struct BridgeErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { self.rawValue }

    // The check table (requests refused before they run).
    public static let sigMissing: BridgeErrorCode = "sig_missing"
    public static let sigMalformed: BridgeErrorCode = "sig_malformed"
    public static let sigComponents: BridgeErrorCode = "sig_components"
    public static let sigTag: BridgeErrorCode = "sig_tag"
    public static let keyUnknown: BridgeErrorCode = "key_unknown"
    public static let clockSkew: BridgeErrorCode = "clock_skew"
    public static let bodyTooLarge: BridgeErrorCode = "body_too_large"
    public static let digestMismatch: BridgeErrorCode = "digest_mismatch"
    public static let sigInvalid: BridgeErrorCode = "sig_invalid"
    public static let replayed: BridgeErrorCode = "replayed"

    // The bridge, after verification.
    public static let replayStoreUnavailable: BridgeErrorCode = "replay_store_unavailable"
    public static let decryptFailed: BridgeErrorCode = "decrypt_failed"
    public static let encryptionRequired: BridgeErrorCode = "encryption_required"
    public static let badRequest: BridgeErrorCode = "bad_request"
    public static let unknownOp: BridgeErrorCode = "unknown_op"
    public static let limitExceeded: BridgeErrorCode = "limit_exceeded"
    public static let readOnly: BridgeErrorCode = "read_only"
    public static let dbError: BridgeErrorCode = "db_error"
    public static let dbUnavailable: BridgeErrorCode = "db_unavailable"
    public static let prefixAmbiguous: BridgeErrorCode = "prefix_ambiguous"
    public static let cartNotDetected: BridgeErrorCode = "cart_not_detected"
    public static let cartConfigUnreadable: BridgeErrorCode = "cart_config_unreadable"
    public static let notConfigured: BridgeErrorCode = "not_configured"
    public static let internalError: BridgeErrorCode = "internal_error"

    // The bridge maintaining itself (bridge_update, keys_update, self_remove).
    public static let updateDisabled: BridgeErrorCode = "update_disabled"
    public static let configNotLiteral: BridgeErrorCode = "config_not_literal"
    public static let writeFailed: BridgeErrorCode = "write_failed"
    public static let foreignFiles: BridgeErrorCode = "foreign_files"
    public static let removeFailed: BridgeErrorCode = "remove_failed"

    // The client's own.
    /// The response is unsigned, fails verification, or cannot be decoded: never data.
    public static let bridgeResponseInvalid: BridgeErrorCode = "bridge_response_invalid"
    /// DNS, connect, TLS or timeout failure.
    public static let bridgeUnreachable: BridgeErrorCode = "bridge_unreachable"
    /// HTTP 404 (or a redirect) at the bridge URL: no bridge there.
    public static let bridgeNotFound: BridgeErrorCode = "bridge_not_found"
    /// The response is larger than the client reads.
    public static let responseTooLarge: BridgeErrorCode = "response_too_large"

    /// The rows of the check table that refer to the request's signature or key.
    public var isSignatureRefusal: Bool {
        [.sigMissing, .sigMalformed, .sigComponents, .sigTag, .keyUnknown, .sigInvalid].contains(self)
    }
}
