/// Why a bridge refuses a request: the first failing row of the check table of `cartbridge/1`.
public struct RequestVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `error.code` the bridge answers with, in the order the checks run.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case sigMissing = "sig_missing"
        case sigMalformed = "sig_malformed"
        case sigComponents = "sig_components"
        case sigTag = "sig_tag"
        case keyUnknown = "key_unknown"
        case clockSkew = "clock_skew"
        case bodyTooLarge = "body_too_large"
        case digestMismatch = "digest_mismatch"
        case sigInvalid = "sig_invalid"
        case replayed = "replayed"

        /// The HTTP status of the refusal.
        public var httpStatus: Int {
            switch self {
            case .sigMalformed: 400
            case .bodyTooLarge: 413
            case .replayed: 409
            case .sigMissing, .sigComponents, .sigTag, .keyUnknown, .clockSkew, .digestMismatch, .sigInvalid: 401
            }
        }

        /// Whether the bridge can sign this refusal: only once `keyid` names one of its keys.
        public var isSignable: Bool {
            switch self {
            case .sigMissing, .sigMalformed, .sigComponents, .sigTag, .keyUnknown: false
            case .clockSkew, .bodyTooLarge, .digestMismatch, .sigInvalid, .replayed: true
            }
        }
    }

    public let code: Code
    /// For logs; never holds a key or a body.
    public let reason: String
    /// The key id, once it names a configured key (so that the refusal can be signed with it).
    public let keyID: String?
    /// The request nonce, once it parsed.
    public let nonce: String?

    public init(_ code: Code, _ reason: String, keyID: String? = nil, nonce: String? = nil) {
        self.code = code
        self.reason = reason
        self.keyID = keyID
        self.nonce = nonce
    }

    public var httpStatus: Int { self.code.httpStatus }

    public var description: String { "RequestVerificationError(\(self.code.rawValue)): \(self.reason)" }
}
