/// A failure of the credential vault. `detail` goes to logs only and never holds key material.
public struct VaultError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { self.name }

        /// The key file or variable could not be read or parsed.
        public static let badKeyFile = Code(name: "bad_key_file")
        /// A ciphertext names a key version the keyring does not hold.
        public static let unknownKeyVersion = Code(name: "unknown_key_version")
        /// Authentication failed: wrong master key, tampered ciphertext or one moved to another record.
        public static let authenticationFailed = Code(name: "authentication_failed")
        /// The stored value is not a vault ciphertext.
        public static let malformedCiphertext = Code(name: "malformed_ciphertext")
        /// The master key does not match the one this registry was sealed with.
        public static let wrongMasterKey = Code(name: "wrong_master_key")
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "VaultError(\(self.code)): \(self.detail)" }
}
