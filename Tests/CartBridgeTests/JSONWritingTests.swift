import CartBridgeCore
import Foundation
import Testing

/// `JSONValue.jsonBytes()` writes exactly what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes,
/// the encoder the API's envelope used before.
struct JSONWritingTests {
    static func encoded(_ value: JSONValue) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    @Test
    func samplesAreWrittenAsJSONEncoderWritesThem() throws {
        let samples: [JSONValue] = [
            .null, true, false, 0, -1, .int(Int64.max), .int(Int64.min), 2.0, -0.0, 0.1, 1e15, 3e16, 1e-7, 1e300, 5e-324, 123456789012.5,
            "", "a/b", "\"\\\u{8}\u{c}\n\r\t\u{0}\u{1}\u{1f}\u{7f}", "é e\u{301} 😀 Ё \u{2028}",
            ["b": 1, "a": nil, "B": true, "é": 2, "aa": [1, 2.5, "x"], "a10": [:], "a2": []],
            [["k": ["nested": [[]]]]],
        ]
        for value in samples {
            #expect(try value.jsonBytes() == Self.encoded(value), "\(value)")
        }
    }

    @Test
    func nonFiniteDoublesAreRefusedAsJSONEncoderRefusesThem() {
        for value: JSONValue in [.double(.nan), .double(.infinity), ["a": .double(-.infinity)]] {
            #expect(throws: (any Error).self) { try value.jsonBytes() }
            #expect(throws: (any Error).self) { try Self.encoded(value) }
        }
    }

    /// Random documents: every kind of value, keys and strings with escapes, non-ASCII and decomposed letters,
    /// doubles of random bit patterns.
    @Test
    func randomDocumentsAreWrittenTheSame() throws {
        var generator = SeededGenerator(seed: 7_202_411)
        for round in 0..<2000 {
            let value = Self.randomValue(depth: 0, &generator)
            #expect(try value.jsonBytes() == Self.encoded(value), "round \(round)")
        }
    }

    static let alphabet: [Character] = Array("abcXYZ019 _-/\\\"'&<>\n\t\r\u{8}\u{c}\u{0}\u{01}\u{1f}\u{7f}éü€😀Ё\u{2028}e\u{301}")

    static func randomString(_ g: inout SeededGenerator) -> String {
        String((0..<Int.random(in: 0...12, using: &g)).map { _ in Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &g)] })
    }

    static func randomValue(depth: Int, _ g: inout SeededGenerator) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &g) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &g) >> Int64.random(in: 0...62, using: &g))
        case 3:
            let double = Double(bitPattern: g.next())
            return .double(double.isFinite ? double : 1.5)
        case 4: return .double(Double(Int.random(in: -100_000...100_000, using: &g)) / 100)
        case 5: return .string(Self.randomString(&g))
        case 6: return .array((0..<Int.random(in: 0...5, using: &g)).map { _ in Self.randomValue(depth: depth + 1, &g) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &g) { members[Self.randomString(&g)] = Self.randomValue(depth: depth + 1, &g) }
            return .object(members)
        }
    }
}
