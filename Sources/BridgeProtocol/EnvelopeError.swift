/// An encrypted body that cannot be sealed or opened.
public struct EnvelopeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Shorter than IV + tag (28 bytes).
        case tooShort = "envelope_too_short"
        /// An IV that is not 12 bytes.
        case ivLength = "envelope_iv_length"
        /// A tag that is not exactly 16 bytes (truncated tags are never accepted).
        case tagLength = "envelope_tag_length"
        /// The tag does not authenticate the ciphertext and its associated data.
        case authenticationFailed = "envelope_invalid"
        /// Sealing failed.
        case sealFailed = "envelope_seal_failed"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "EnvelopeError(\(self.code.rawValue)): \(self.reason)" }
}
