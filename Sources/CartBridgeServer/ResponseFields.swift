import CartBridgeCore

/// `response_fields`: a projection of the whole envelope, e.g. `{result{name,url,stores_info{store_id}}}`.
struct ResponseFields: Sendable, Hashable {
    /// Children of a node; an empty map means "the whole value".
    let children: [String: ResponseFields]

    static let maxLength = 4096
    static let maxDepth = 16

    static func parse(_ text: String) throws(CartBridgeError) -> ResponseFields {
        guard text.utf8.count <= maxLength else { throw CartBridgeError.badParameter("response_fields", "too long") }
        var parser = Parser(scalars: Array(text.unicodeScalars.filter { !$0.properties.isWhitespace }))
        let fields = try parser.fieldList(depth: 0)
        guard parser.index == parser.scalars.count else {
            throw CartBridgeError.badParameter("response_fields", "unexpected text after the closing brace")
        }
        return fields
    }

    func apply(_ value: JSONValue) -> JSONValue {
        if self.children.isEmpty { return value }
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, child) in self.children {
                if let member = members[key] { out[key] = child.apply(member) }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map(self.apply))
        default:
            return value
        }
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        /// `{name, name{...}, ...}`; a bare list without braces is accepted too.
        mutating func fieldList(depth: Int) throws(CartBridgeError) -> ResponseFields {
            guard depth < ResponseFields.maxDepth else { throw CartBridgeError.badParameter("response_fields", "nested too deeply") }
            let braced = self.peek == "{"
            if braced { self.index += 1 }
            var children: [String: ResponseFields] = [:]
            while let next = self.peek, next != "}" {
                if next == "," {
                    self.index += 1
                    continue
                }
                let name = self.name()
                guard !name.isEmpty else { throw CartBridgeError.badParameter("response_fields", "expected a field name") }
                children[name] = self.peek == "{" ? try self.fieldList(depth: depth + 1) : ResponseFields(children: [:])
            }
            if braced {
                guard self.peek == "}" else { throw CartBridgeError.badParameter("response_fields", "a brace is not closed") }
                self.index += 1
            }
            return ResponseFields(children: children)
        }

        var peek: Unicode.Scalar? { self.index < self.scalars.count ? self.scalars[self.index] : nil }

        mutating func name() -> String {
            var out = String.UnicodeScalarView()
            while let c = self.peek, c != "{", c != "}", c != "," {
                out.append(c)
                self.index += 1
            }
            return String(out)
        }
    }
}
