/// A registry failure. `detail` is for logs; it never carries key material or SQL from clients.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { self.name }

        public static let duplicateStore = Code(name: "duplicate_store")
        public static let notFound = Code(name: "not_found")
        public static let storage = Code(name: "storage")
        public static let schemaTooNew = Code(name: "schema_too_new")
        /// The `--database` value cannot be used (the message never repeats it: it may hold a password).
        public static let badLocation = Code(name: "bad_location")
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "RegistryError(\(self.code)): \(self.detail)" }
}
