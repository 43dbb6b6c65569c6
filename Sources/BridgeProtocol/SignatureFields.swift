/// The one `cb` member of a `Signature-Input` and of a `Signature` field, strictly parsed (row 2 of the check
/// table): each field present and under 2 KiB, exactly one member labelled `cb`, and written in the one shape
/// `cartbridge/1` uses: an inner list of plain component names, then parameters that are non-negative integers
/// or strings, no optional whitespace, no escapes. This is the same language as the two anchored regular
/// expressions of `bridge.php`, so both sides give the same code for the same header.
struct SignatureFields: Sendable {
    let parameters: SignatureParameters
    /// The MAC bytes, of whatever length was sent (a wrong length fails the MAC comparison, row 9).
    let signature: [UInt8]

    enum Failure: Error {
        case missing
        case malformed(String)
    }

    init(fields: [HeaderField]) throws(Failure) {
        let inputLines = fields.values(named: CartBridgeProfile.signatureInputHeader)
        let signatureLines = fields.values(named: CartBridgeProfile.signatureHeader)
        guard !inputLines.isEmpty, !signatureLines.isEmpty else { throw .missing }
        // Several field lines are one field whose members are joined with ", " (RFC 9110 §5.3).
        let inputText = inputLines.map(HeaderField.canonicalize).joined(separator: ", ")
        let signatureText = signatureLines.map(HeaderField.canonicalize).joined(separator: ", ")
        let limit = CartBridgeProfile.maxSignatureHeaderBytes
        guard inputText.utf8.count < limit, signatureText.utf8.count < limit else {
            throw .malformed("Signature-Input or Signature is too long")
        }

        let inputMember = try Self.onlyMember(of: inputText, field: "Signature-Input")
        let signatureMember = try Self.onlyMember(of: signatureText, field: "Signature")

        guard case .innerList(let items, let listParameters) = inputMember else {
            throw .malformed("Signature-Input must be an inner list")
        }
        var components: [ComponentIdentifier] = []
        for item in items {
            guard case .string(let name) = item.value, item.parameters.isEmpty, Self.isPlain(name) else {
                throw .malformed("a covered component must be a plain quoted name")
            }
            components.append(ComponentIdentifier(name))
        }
        for parameter in listParameters {
            switch parameter.value {
            case .integer(let value) where value >= 0: continue
            case .string(let value) where Self.isPlain(value): continue
            default: throw .malformed("a signature parameter must be a non-negative integer or a plain string")
            }
        }
        let parameters = SignatureParameters(components: components, parameters: listParameters)
        guard case .item(let item) = signatureMember, case .byteSequence(let signature) = item.value,
            item.parameters.isEmpty
        else {
            throw .malformed("Signature must be one byte sequence")
        }

        // The exact shape the signer emits: no optional whitespace, canonical serialization.
        let label = CartBridgeProfile.label
        guard (try? parameters.serialized()).map({ label + "=" + $0 }) == inputText else {
            throw .malformed("Signature-Input is not in canonical form")
        }
        guard label + "=:" + Base64.encode(signature) + ":" == signatureText else {
            throw .malformed("Signature is not in canonical form")
        }
        self.parameters = parameters
        self.signature = signature
    }

    /// A string without the two characters that would need escaping.
    private static func isPlain(_ value: String) -> Bool {
        !value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
    }

    private static func onlyMember(of text: String, field: String) throws(Failure) -> StructuredDictionary.MemberValue {
        let dictionary: StructuredDictionary
        do {
            dictionary = try StructuredDictionary(parsing: text, maxLength: CartBridgeProfile.maxSignatureHeaderBytes)
        } catch {
            throw .malformed("\(field) does not parse: \(error.reason)")
        }
        guard dictionary.members.count == 1, let member = dictionary.members.first,
            member.key == CartBridgeProfile.label
        else {
            throw .malformed("\(field) must hold exactly one member labelled \(CartBridgeProfile.label)")
        }
        return member.value
    }
}
