/// An RFC 9421 §2 component identifier: a lowercased field name or a derived component name (`@method`, ...)
/// with optional parameters (for example `"@query-param";name="Pet"`).
public struct ComponentIdentifier: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var parameters: [StructuredParameter]

    public init(_ name: String, parameters: [StructuredParameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    public static let method = ComponentIdentifier("@method")
    public static let targetURI = ComponentIdentifier("@target-uri")
    public static let authority = ComponentIdentifier("@authority")
    public static let scheme = ComponentIdentifier("@scheme")
    public static let requestTarget = ComponentIdentifier("@request-target")
    public static let path = ComponentIdentifier("@path")
    public static let query = ComponentIdentifier("@query")
    public static let status = ComponentIdentifier("@status")

    public static func queryParameter(_ name: String) -> ComponentIdentifier {
        ComponentIdentifier("@query-param", parameters: [StructuredParameter("name", .string(name))])
    }

    public static func field(_ name: String) -> ComponentIdentifier {
        ComponentIdentifier(name.lowercased())
    }

    public var isDerived: Bool { self.name.hasPrefix("@") }

    /// The identifier as it appears in a signature base line and in the covered-components list:
    /// a quoted string followed by its parameters.
    public func serialized() throws(StructuredFieldError) -> String {
        try BareItem.string(self.name).serialized() + (try self.parameters.serialized())
    }

    public var description: String { (try? self.serialized()) ?? self.name }
}
