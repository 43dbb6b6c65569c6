import Crypto
import Foundation

/// API and store keys: random, shown once, kept only as a hash (API keys) or as a plain name (store keys).
enum APIKeys {
    /// 32 lowercase hex characters (128 bits) from the system CSPRNG, the shape clients of the contract expect.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func hash(_ key: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(key.utf8)))
    }

    /// The first characters of a key, to tell keys apart in an admin listing.
    static func hint(_ key: String) -> String {
        String(key.prefix(4)) + "…"
    }

    /// Store keys clients choose must be plain tokens: they appear in URLs and logs.
    static func isValidStoreKey(_ key: String) -> Bool {
        (8...64).contains(key.utf8.count) && key.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D
        }
    }
}
