import Registry

/// The bridge keys one store's `bridge_key` credential holds, by key version.
///
/// Normally one key, stored as its 32 bytes: the key of the store's `key_id`. During a key rotation two, so that
/// a request signs with the key of whichever `key_id` it read, old or new, and always gets the matching pair:
/// stored as `cbks1`, then per key its id's length (1 byte), the id, and the 32 bytes.
struct BridgeKeySet: Sendable, Equatable {
    private(set) var keys: [String: [UInt8]]

    static let magic = Array("cbks1".utf8)

    init(_ keys: [String: [UInt8]]) {
        self.keys = keys
    }

    /// Reads a stored credential; plain 32 bytes belong to `currentKeyID`.
    init?(stored bytes: [UInt8], currentKeyID: String) {
        if bytes.count == 32 {
            self.keys = [currentKeyID: bytes]
            return
        }
        guard bytes.starts(with: Self.magic) else { return nil }
        var keys: [String: [UInt8]] = [:]
        var index = Self.magic.count
        while index < bytes.count {
            let length = Int(bytes[index])
            index += 1
            guard length > 0, index + length + 32 <= bytes.count else { return nil }
            keys[String(decoding: bytes[index..<index + length], as: UTF8.self)] = Array(bytes[index + length..<index + length + 32])
            index += length + 32
        }
        guard !keys.isEmpty else { return nil }
        self.keys = keys
    }

    /// What is stored: the plain key when there is one (what every other reader of the credential expects).
    var stored: [UInt8] {
        if self.keys.count == 1, let only = self.keys.values.first { return only }
        var bytes = Self.magic
        for id in self.keys.keys.sorted() {
            let name = Array(id.utf8)
            bytes.append(UInt8(name.count))
            bytes += name
            bytes += self.keys[id]!
        }
        return bytes
    }

    func key(_ id: String) -> [UInt8]? { self.keys[id] }
}
