/// The covered components and the signature parameters: the value of a `Signature-Input` dictionary member,
/// which is also the value of the `"@signature-params"` line of the signature base (RFC 9421 §2.3).
public struct SignatureParameters: Sendable, Hashable {
    public var components: [ComponentIdentifier]
    /// In the order they are serialized (`created`, `expires`, `nonce`, `alg`, `keyid`, `tag`, ...).
    public var parameters: [StructuredParameter]

    public init(components: [ComponentIdentifier], parameters: [StructuredParameter]) {
        self.components = components
        self.parameters = parameters
    }

    /// Reads the member value of a parsed `Signature-Input` dictionary.
    public init(_ value: StructuredDictionary.MemberValue) throws(StructuredFieldError) {
        guard case .innerList(let items, let parameters) = value else {
            throw StructuredFieldError("a Signature-Input member must be an inner list")
        }
        var components: [ComponentIdentifier] = []
        for item in items {
            guard case .string(let name) = item.value else {
                throw StructuredFieldError("a component identifier must be a string")
            }
            components.append(ComponentIdentifier(name, parameters: item.parameters))
        }
        self.init(components: components, parameters: parameters)
    }

    /// `("@method" "@authority" ...);created=...;keyid="..."`
    public func serialized() throws(StructuredFieldError) -> String {
        var out = "("
        for (index, component) in self.components.enumerated() {
            if index > 0 { out += " " }
            out += try component.serialized()
        }
        out += ")"
        out += try self.parameters.serialized()
        return out
    }

    public subscript(parameter key: String) -> BareItem? { self.parameters[key] }
}
