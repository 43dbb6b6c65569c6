/// An RFC 9421 §2.5 signature base: one `"identifier": value` line per covered component, joined by LF, then the
/// `"@signature-params"` line; no trailing LF.
public struct SignatureBase: Sendable, Hashable {
    public let parameters: SignatureParameters
    /// The exact text that is MACed or signed.
    public let text: String
    /// The value of the `Signature-Input` member (after `label=`), identical to the `"@signature-params"` line's value.
    public let signatureInputValue: String

    public var bytes: [UInt8] { Array(self.text.utf8) }

    /// Builds the base from explicit component values, in the order given.
    public init(components: [(ComponentIdentifier, String)], parameters: [StructuredParameter])
        throws(SignatureBaseError)
    {
        var seen = Set<ComponentIdentifier>()
        var lines: [String] = []
        lines.reserveCapacity(components.count + 1)
        for (identifier, value) in components {
            guard seen.insert(identifier).inserted else { throw SignatureBaseError("component listed twice: \(identifier)") }
            guard identifier.name != "@signature-params" else {
                throw SignatureBaseError("@signature-params cannot be a covered component")
            }
            guard !value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
                throw SignatureBaseError("component value holds a line break: \(identifier)")
            }
            do {
                lines.append(try identifier.serialized() + ": " + value)
            } catch {
                throw SignatureBaseError("component identifier cannot be serialized: \(error.reason)")
            }
        }
        let signatureParameters = SignatureParameters(components: components.map(\.0), parameters: parameters)
        let serialized: String
        do {
            serialized = try signatureParameters.serialized()
        } catch {
            throw SignatureBaseError("signature parameters cannot be serialized: \(error.reason)")
        }
        lines.append("\"@signature-params\": " + serialized)
        self.parameters = signatureParameters
        self.signatureInputValue = serialized
        self.text = lines.joined(separator: "\n")
    }

    /// Builds the base for `parameters` from the values that `message` has; a covered component the message does
    /// not have is an error (RFC 9421 §2.5 step 2.4).
    public init(message: HTTPMessageComponents, parameters: SignatureParameters) throws(SignatureBaseError) {
        var components: [(ComponentIdentifier, String)] = []
        for identifier in parameters.components {
            guard let value = message.value(of: identifier) else {
                throw SignatureBaseError("the message has no component \(identifier)")
            }
            components.append((identifier, value))
        }
        try self.init(components: components, parameters: parameters.parameters)
    }

    /// `label=<signatureInputValue>`: a whole `Signature-Input` field value with this one member.
    public func signatureInputField(label: String) -> String {
        label + "=" + self.signatureInputValue
    }
}
