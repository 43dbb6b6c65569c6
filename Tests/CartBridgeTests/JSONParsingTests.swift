import CartBridgeCore
import Foundation
import Testing

/// `JSONValue(parsing:)` reads every text exactly as `JSONDecoder().decode(JSONValue.self, from:)` does: the same
/// value, and a refusal where it refuses.
struct JSONParsingTests {
    static func decoded(_ text: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text))
    }

    static func parsed(_ text: [UInt8]) -> JSONValue? {
        try? JSONValue(parsing: text)
    }

    static let samples: [String] = [
        "0", "-0", "-0.0", "2.0", "1e2", "1E2", "1.0e0", "100e-2", "1.5", "0.1", "5e-324", "1e400", "-1e400",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "12345678901234567890", "1e19",
        "9007199254740993", "9007199254740993.0", "01", "1.", ".5", "-", "+1", "1e", "1e+", "--1", "0x10",
        "true", "false", "null", "tru", "nul", "True", "NaN", "Infinity", "", " ", "  3  ", "\t\n[\r]\n",
        "\"\"", "\"a\"", "\"\\u00e9\\ud83d\\ude00\\/\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
        "\"\\b\\f\\n\\r\\t\\\"\\\\\"", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"a\u{01}b\"", "\"tab\tin\"", "\"\u{7f}\"",
        "\"é ü 😀 Ёлочная\"", "\"unterminated", "[", "]", "[1,]", "[,1]", "[1,,2]", "[1 2]", "{}", "[]", "{\"a\":1,}",
        "{\"a\":1,\"a\":2}", "{\"a\" 1}", "{a:1}", "{\"a\":}", "{\"a\":1 \"b\":2}", "{\"b\":[1,{\"c\":null}],\"a\":\"x\"}",
        "[1,2.5,\"x\",true,null,{\"k\":[[]]}]", "[1] 2", "{} {}", "\"\\u0041\\u0042\"", "[-0.5e-3, 3.25E+2, 10e0]",
    ]

    @Test(arguments: Self.samples)
    func sameAsJSONDecoder(text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.parsed(bytes) == Self.decoded(bytes), "\(text.debugDescription)")
    }

    @Test
    func invalidUTF8IsRefusedAsJSONDecoderDoes() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x5B, 0x22, 0x61, 0xED, 0xA0, 0x80, 0x22, 0x5D]] {
            #expect(Self.parsed(bytes) == Self.decoded(bytes), "\(bytes)")
        }
    }

    @Test
    func deepNestingIsRefused() {
        let deep = Array(String(repeating: "[", count: 10_000).utf8) + Array(String(repeating: "]", count: 10_000).utf8)
        #expect(Self.parsed(deep) == nil)
        let fine = Array(String(repeating: "[", count: 100).utf8) + Array(String(repeating: "]", count: 100).utf8)
        #expect(Self.parsed(fine) == Self.decoded(fine))
    }

    /// Random documents, written by JSONEncoder and by hand with odd spacing and number forms.
    @Test
    func randomDocumentsReadTheSame() throws {
        var generator = SeededGenerator(seed: 20_241_128)
        let encoder = JSONEncoder()
        for round in 0..<300 {
            let value = Self.randomValue(depth: 0, &generator)
            let encoded = Array(try encoder.encode(value))
            #expect(Self.parsed(encoded) == Self.decoded(encoded), "round \(round)")
            #expect(Self.parsed(encoded) == value || Self.decoded(encoded) != value, "round \(round)")
            let spaced = Array(Self.write(value, &generator).utf8)
            #expect(Self.parsed(spaced) == Self.decoded(spaced), "round \(round): \(String(decoding: spaced, as: UTF8.self))")
        }
    }

    static func randomValue(depth: Int, _ g: inout SeededGenerator) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &g)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &g) >> Int64.random(in: 0...62, using: &g))
        case 3: return .double(Double.random(in: -1e6...1e6, using: &g) * pow(10, Double(Int.random(in: -8...8, using: &g))))
        case 4: return .string(Self.randomString(&g))
        case 5: return .array((0..<Int.random(in: 0...5, using: &g)).map { _ in Self.randomValue(depth: depth + 1, &g) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &g) { members[Self.randomString(&g)] = Self.randomValue(depth: depth + 1, &g) }
            return .object(members)
        }
    }

    static let alphabet: [Character] = Array("abcXYZ019 _-/\\\"'&<>\n\t\u{01}\u{1f}\u{7f}éü€😀Ё\u{2028}")

    static func randomString(_ g: inout SeededGenerator) -> String {
        String((0..<Int.random(in: 0...12, using: &g)).map { _ in Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &g)] })
    }

    /// The value as JSON text with random whitespace, escapes and number spellings (`2.0`, `1e2`, `-0`).
    static func write(_ value: JSONValue, _ g: inout SeededGenerator) -> String {
        let space = [" ", "", "\n", "\t ", ""][Int.random(in: 0..<5, using: &g)]
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i):
            switch Int.random(in: 0..<4, using: &g) {
            case 0: return "\(i).0"
            case 1 where i > 0 && i % 100 == 0: return "\(i / 100)e2"
            case 2 where i == 0: return "-0"
            default: return "\(i)"
            }
        case .double(let d): return Bool.random(using: &g) ? "\(d)" : String(format: "%.17e", d)
        case .string(let s):
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += Bool.random(using: &g) ? "\\n" : "\\u000a"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 || Int.random(in: 0..<8, using: &g) == 0 {
                        for unit in String(scalar).utf16 { out += String(format: "\\u%04X", unit) }
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        case .array(let a): return "[" + space + a.map { Self.write($0, &g) }.joined(separator: "," + space) + space + "]"
        case .object(let o):
            return "{" + space + o.map { Self.write(.string($0.key), &g) + space + ":" + space + Self.write($0.value, &g) }.joined(separator: ",") + "}"
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failure can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
