/// Reads a JSON text into a `JSONValue` the way `JSONDecoder().decode(JSONValue.self, from:)` reads it: the same
/// values (a number is `.int` when it is a whole number that fits `Int64`, also when written `2.0` or `1e2`;
/// otherwise `.double`), the same first-wins for a repeated key, and a refusal for what `JSONDecoder` refuses
/// (bad syntax, a lone surrogate, invalid UTF-8, a number out of `Double`'s range).
///
/// Why it exists: `JSONValue`'s `Decodable` conformance tries each case in turn through a decoding container, and
/// every failed try builds an error; for a bridge reply of a few hundred KiB that was most of a node's CPU. This
/// reads each byte once.
struct JSONParser {
    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "invalid JSON at byte \(self.offset): \(self.reason)" }
    }

    /// Nesting deeper than this is refused (`JSONDecoder` refuses deep nesting too).
    static let maxDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected text after the value") }
        return value
    }

    private func failure(_ reason: String) -> Failure {
        Failure(offset: self.index, reason: reason)
    }

    private var atEnd: Bool { self.index >= self.bytes.count }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x0A, 0x0D, 0x09: self.index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard !self.atEnd else { throw self.failure("unexpected end") }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return try self.object()
        case UInt8(ascii: "["): return try self.array()
        case UInt8(ascii: "\""): return .string(try self.string())
        case UInt8(ascii: "t"):
            try self.literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try self.number()
        default:
            throw self.failure("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard self.bytes.count - self.index >= count else { throw self.failure("unexpected end") }
        for offset in 0..<count where self.bytes[self.index + offset] != word.utf8Start[offset] {
            throw self.failure("unexpected character")
        }
        self.index += count
    }

    private mutating func enter() throws(Failure) {
        self.depth += 1
        guard self.depth <= Self.maxDepth else { throw self.failure("nested too deeply") }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try self.enter()
        self.index += 1
        var members: [String: JSONValue] = [:]
        self.skipWhitespace()
        if !self.atEnd, self.bytes[self.index] == UInt8(ascii: "}") {
            self.index += 1
            self.depth -= 1
            return .object(members)
        }
        while true {
            guard !self.atEnd, self.bytes[self.index] == UInt8(ascii: "\"") else { throw self.failure("expected a member name") }
            let key = try self.string()
            self.skipWhitespace()
            guard !self.atEnd, self.bytes[self.index] == UInt8(ascii: ":") else { throw self.failure("expected ':'") }
            self.index += 1
            self.skipWhitespace()
            let member = try self.value()
            // JSONDecoder keeps the first of repeated keys.
            if members[key] == nil { members[key] = member }
            if try self.closes(UInt8(ascii: "}")) { return .object(members) }
        }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try self.enter()
        self.index += 1
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if !self.atEnd, self.bytes[self.index] == UInt8(ascii: "]") {
            self.index += 1
            self.depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try self.value())
            if try self.closes(UInt8(ascii: "]")) { return .array(elements) }
        }
    }

    /// After a member or an element: a `,` (and, as JSONDecoder accepts, a trailing comma before the close) or the
    /// container's closing byte. True when the container ended here.
    private mutating func closes(_ closing: UInt8) throws(Failure) -> Bool {
        self.skipWhitespace()
        guard !self.atEnd else { throw self.failure("unexpected end") }
        switch self.bytes[self.index] {
        case UInt8(ascii: ","):
            self.index += 1
            self.skipWhitespace()
            guard !self.atEnd, self.bytes[self.index] == closing else { return false }
        case closing:
            break
        default:
            throw self.failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
        }
        self.index += 1
        self.depth -= 1
        return true
    }

    /// A string; `index` is at its opening quote.
    private mutating func string() throws(Failure) -> String {
        self.index += 1
        let start = self.index
        // Fast path: no escapes.
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                let text = try self.text(start..<self.index)
                self.index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw self.failure("control character in a string") }
            self.index += 1
        }
        var buffer = Array(self.bytes[start..<self.index])
        while true {
            guard !self.atEnd else { throw self.failure("unterminated string") }
            let byte = self.bytes[self.index]
            switch byte {
            case UInt8(ascii: "\""):
                self.index += 1
                return try buffer.withUnsafeBufferPointer { pointer throws(Failure) in
                    guard let text = String(validating: pointer, as: UTF8.self) else { throw self.failure("invalid UTF-8") }
                    return text
                }
            case UInt8(ascii: "\\"):
                self.index += 1
                guard !self.atEnd else { throw self.failure("unterminated escape") }
                let escaped = self.bytes[self.index]
                self.index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escaped)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try self.unicodeEscape()
                    buffer.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw self.failure("unknown escape")
                }
            default:
                if byte < 0x20 { throw self.failure("control character in a string") }
                buffer.append(byte)
                self.index += 1
            }
        }
    }

    private func text(_ range: Range<Int>) throws(Failure) -> String {
        guard let text = String(validating: UnsafeBufferPointer(rebasing: self.bytes[range]), as: UTF8.self) else {
            throw Failure(offset: range.lowerBound, reason: "invalid UTF-8")
        }
        return text
    }

    /// After `\u`: four hex digits, and for a high surrogate the `\uXXXX` of its low one.
    private mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
        let first = try self.hex4()
        if (0xD800...0xDBFF).contains(first) {
            guard self.bytes.count - self.index >= 6, self.bytes[self.index] == UInt8(ascii: "\\"), self.bytes[self.index + 1] == UInt8(ascii: "u") else {
                throw self.failure("a high surrogate without its low surrogate")
            }
            self.index += 2
            let second = try self.hex4()
            guard (0xDC00...0xDFFF).contains(second), let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) else {
                throw self.failure("a high surrogate without its low surrogate")
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else { throw self.failure("a lone low surrogate") }
        return scalar
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard self.bytes.count - self.index >= 4 else { throw self.failure("unterminated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.failure("bad \\u escape")
            }
            value = value << 4 | UInt32(digit)
            self.index += 1
        }
        return value
    }

    private mutating func digits() -> Int {
        let start = self.index
        while self.index < self.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[self.index]) {
            self.index += 1
        }
        return self.index - start
    }

    /// RFC 8259 number syntax; a whole number that fits `Int64` is `.int`, as `JSONDecoder` gives `JSONValue`.
    private mutating func number() throws(Failure) -> JSONValue {
        let start = self.index
        if self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
        guard !self.atEnd else { throw self.failure("unexpected end") }
        if self.bytes[self.index] == UInt8(ascii: "0") {
            self.index += 1
            if !self.atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[self.index]) {
                throw self.failure("a number with a leading zero")
            }
        } else if self.digits() == 0 {
            throw self.failure("expected a digit")
        }
        var whole = true
        if !self.atEnd, self.bytes[self.index] == UInt8(ascii: ".") {
            whole = false
            self.index += 1
            guard self.digits() > 0 else { throw self.failure("expected a digit after '.'") }
        }
        if !self.atEnd, self.bytes[self.index] == UInt8(ascii: "e") || self.bytes[self.index] == UInt8(ascii: "E") {
            whole = false
            self.index += 1
            if !self.atEnd, self.bytes[self.index] == UInt8(ascii: "+") || self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
            guard self.digits() > 0 else { throw self.failure("expected a digit in the exponent") }
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
        if whole, let integer = Int64(literal) { return .int(integer) }
        guard let double = Double(literal), double.isFinite else {
            throw Failure(offset: start, reason: "a number out of range")
        }
        if !whole, let integer = Self.exactInteger(literal) { return .int(integer) }
        return .double(double)
    }

    /// The whole number a literal with a fraction or exponent stands for, computed in decimal (so
    /// `9007199254740993.0` stays exact), when it is one and fits `Int64`.
    static func exactInteger(_ literal: String) -> Int64? {
        var text = Substring(literal)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(text[text.index(after: e)...].drop(while: { $0 == "+" })), abs(value) < 1000 else { return nil }
            exponent = value
            text = text[..<e]
        }
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var digits = ""
        if let dot = text.firstIndex(of: ".") {
            let fraction = text[text.index(after: dot)...]
            digits = String(text[..<dot]) + fraction
            exponent -= fraction.count
        } else {
            digits = String(text)
        }
        if exponent < 0 {
            let cut = min(-exponent, digits.count)
            guard digits.suffix(cut).allSatisfy({ $0 == "0" }) else { return nil }
            digits.removeLast(cut)
            exponent = 0
        }
        digits = String(digits.drop(while: { $0 == "0" }))
        if digits.isEmpty { return 0 }
        guard digits.count + exponent <= 19 else { return nil }
        digits += String(repeating: "0", count: exponent)
        return Int64(negative ? "-" + digits : digits)
    }
}

extension JSONValue {
    /// Reads a JSON text (see `JSONParser`): the same value `JSONDecoder().decode(JSONValue.self, from:)` gives.
    public init(parsing bytes: some Collection<UInt8>) throws {
        let parsed: JSONValue? = try bytes.withContiguousStorageIfAvailable { pointer in try JSONParser.parse(pointer) }
        if let parsed {
            self = parsed
        } else {
            self = try Array(bytes).withUnsafeBufferPointer { pointer in try JSONParser.parse(pointer) }
        }
    }
}
