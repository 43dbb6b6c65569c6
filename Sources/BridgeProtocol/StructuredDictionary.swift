/// A strictly parsed RFC 8941 Dictionary (§3.2), keeping every member in order, duplicates included, so that
/// a caller can insist on "exactly one member".
///
/// Supported member values: items (integer, string, token, byte sequence, boolean) and inner lists of items,
/// each with parameters. Decimals are refused: no field this package reads uses them.
public struct StructuredDictionary: Sendable, Hashable {
    public struct Item: Sendable, Hashable {
        public var value: BareItem
        public var parameters: [StructuredParameter]

        public init(_ value: BareItem, parameters: [StructuredParameter] = []) {
            self.value = value
            self.parameters = parameters
        }
    }

    public enum MemberValue: Sendable, Hashable {
        case item(Item)
        case innerList([Item], parameters: [StructuredParameter])
    }

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: MemberValue
    }

    public var members: [Member]

    /// Parses `text` (one field value, or several field lines already joined with ", ").
    public init(parsing text: String, maxLength: Int = 2048) throws(StructuredFieldError) {
        guard text.utf8.count <= maxLength else { throw StructuredFieldError("field value too long") }
        var parser = Parser(Array(text.utf8))
        self.members = try parser.parseDictionary()
    }

    struct Parser {
        let input: [UInt8]
        var index = 0

        init(_ input: [UInt8]) { self.input = input }

        var current: UInt8? { self.index < self.input.count ? self.input[self.index] : nil }

        mutating func skipSP() { while self.current == UInt8(ascii: " ") { self.index += 1 } }
        mutating func skipOWS() {
            while self.current == UInt8(ascii: " ") || self.current == UInt8(ascii: "\t") { self.index += 1 }
        }

        mutating func parseDictionary() throws(StructuredFieldError) -> [Member] {
            self.skipSP()
            var members: [Member] = []
            guard self.current != nil else { throw StructuredFieldError("empty dictionary") }
            while self.current != nil {
                let key = try self.parseKey()
                let value: MemberValue
                if self.current == UInt8(ascii: "=") {
                    self.index += 1
                    value = try self.parseItemOrInnerList()
                } else {
                    value = .item(Item(.boolean(true), parameters: try self.parseParameters()))
                }
                members.append(Member(key: key, value: value))
                self.skipOWS()
                guard let c = self.current else { break }
                guard c == UInt8(ascii: ",") else { throw StructuredFieldError("expected ',' between members") }
                self.index += 1
                self.skipOWS()
                guard self.current != nil else { throw StructuredFieldError("trailing comma") }
            }
            return members
        }

        mutating func parseItemOrInnerList() throws(StructuredFieldError) -> MemberValue {
            if self.current == UInt8(ascii: "(") {
                self.index += 1
                var items: [Item] = []
                while true {
                    self.skipSP()
                    guard let c = self.current else { throw StructuredFieldError("unterminated inner list") }
                    if c == UInt8(ascii: ")") {
                        self.index += 1
                        return .innerList(items, parameters: try self.parseParameters())
                    }
                    let value = try self.parseBareItem()
                    items.append(Item(value, parameters: try self.parseParameters()))
                    guard let next = self.current, next == UInt8(ascii: " ") || next == UInt8(ascii: ")") else {
                        throw StructuredFieldError("inner list items must be separated by spaces")
                    }
                }
            }
            let value = try self.parseBareItem()
            return .item(Item(value, parameters: try self.parseParameters()))
        }

        mutating func parseParameters() throws(StructuredFieldError) -> [StructuredParameter] {
            var parameters: [StructuredParameter] = []
            while self.current == UInt8(ascii: ";") {
                self.index += 1
                self.skipSP()
                let key = try self.parseKey()
                var value = BareItem.boolean(true)
                if self.current == UInt8(ascii: "=") {
                    self.index += 1
                    value = try self.parseBareItem()
                }
                parameters.append(StructuredParameter(key, value))
            }
            return parameters
        }

        mutating func parseKey() throws(StructuredFieldError) -> String {
            guard let first = self.current, StructuredFieldGrammar.isKeyStart(first) else {
                throw StructuredFieldError("expected a key")
            }
            let start = self.index
            while let c = self.current, StructuredFieldGrammar.isKeyChar(c) { self.index += 1 }
            return String(decoding: self.input[start..<self.index], as: UTF8.self)
        }

        mutating func parseBareItem() throws(StructuredFieldError) -> BareItem {
            guard let c = self.current else { throw StructuredFieldError("expected an item") }
            if c == UInt8(ascii: "-") || StructuredFieldGrammar.isDigit(c) { return try self.parseInteger() }
            if c == UInt8(ascii: "\"") { return try self.parseString() }
            if c == UInt8(ascii: ":") { return try self.parseByteSequence() }
            if c == UInt8(ascii: "?") { return try self.parseBoolean() }
            if StructuredFieldGrammar.isTokenStart(c) { return self.parseToken() }
            throw StructuredFieldError("unexpected character")
        }

        mutating func parseInteger() throws(StructuredFieldError) -> BareItem {
            var negative = false
            if self.current == UInt8(ascii: "-") {
                negative = true
                self.index += 1
            }
            var digits = 0
            var value: Int64 = 0
            while let c = self.current, StructuredFieldGrammar.isDigit(c) {
                digits += 1
                guard digits <= 15 else { throw StructuredFieldError("integer too long") }
                value = value * 10 + Int64(c - UInt8(ascii: "0"))
                self.index += 1
            }
            guard digits > 0 else { throw StructuredFieldError("expected digits") }
            guard self.current != UInt8(ascii: ".") else { throw StructuredFieldError("decimals are not supported") }
            return .integer(negative ? -value : value)
        }

        mutating func parseString() throws(StructuredFieldError) -> BareItem {
            self.index += 1
            var bytes: [UInt8] = []
            while let c = self.current {
                self.index += 1
                if c == UInt8(ascii: "\\") {
                    guard let escaped = self.current, escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") else {
                        throw StructuredFieldError("bad escape in string")
                    }
                    bytes.append(escaped)
                    self.index += 1
                } else if c == UInt8(ascii: "\"") {
                    return .string(String(decoding: bytes, as: UTF8.self))
                } else if c < 0x20 || c > 0x7E {
                    throw StructuredFieldError("string holds a character outside printable ASCII")
                } else {
                    bytes.append(c)
                }
            }
            throw StructuredFieldError("unterminated string")
        }

        mutating func parseByteSequence() throws(StructuredFieldError) -> BareItem {
            self.index += 1
            let start = self.index
            while let c = self.current, c != UInt8(ascii: ":") { self.index += 1 }
            guard self.current == UInt8(ascii: ":") else { throw StructuredFieldError("unterminated byte sequence") }
            let text = String(decoding: self.input[start..<self.index], as: UTF8.self)
            self.index += 1
            guard let bytes = Base64.decode(text) else { throw StructuredFieldError("byte sequence is not canonical base64") }
            return .byteSequence(bytes)
        }

        mutating func parseBoolean() throws(StructuredFieldError) -> BareItem {
            self.index += 1
            switch self.current {
            case UInt8(ascii: "1"):
                self.index += 1
                return .boolean(true)
            case UInt8(ascii: "0"):
                self.index += 1
                return .boolean(false)
            default:
                throw StructuredFieldError("bad boolean")
            }
        }

        mutating func parseToken() -> BareItem {
            let start = self.index
            self.index += 1
            while let c = self.current, StructuredFieldGrammar.isTokenChar(c) { self.index += 1 }
            return .token(String(decoding: self.input[start..<self.index], as: UTF8.self))
        }
    }
}
