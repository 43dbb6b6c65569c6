import CartBridgeCore
import Crypto
import CredentialVault
import Foundation

/// `page_cursor`: the whole query state of a list walk (filters, order, page size, the last position, the first
/// page's total), bound to the store and the method, signed with a key derived from the master key.
///
/// Opaque and tamper-proof: a changed byte, a cursor of another store or another method is refused (109). Any
/// node of a deployment reads another's cursors; a cursor signed with a master key a rotation has since dropped
/// is refused the same way, and the client starts the walk again.
struct PageCursor: Codable, Sendable, Hashable {
    static let purpose = "cartbridge-page-cursor/1"
    static let maxLength = 8192

    var kind: EntityKind
    var storeID: Int64
    var query: ListQuery
    var total: Int?

    enum CodingKeys: String, CodingKey {
        case kind = "k", storeID = "s", query = "q", total = "t"
    }

    /// `v<key version>.<payload>.<mac>`, base64url throughout.
    func encode(keyring: Keyring) -> String {
        let key = keyring.current
        let payload = Base64URL.encode(Array((try? Self.encoder.encode(self)) ?? Data()))
        let header = "v\(key.version)"
        let mac = HMAC<SHA256>.authenticationCode(for: Data((header + "." + payload).utf8), using: key.derivedKey(purpose: Self.purpose))
        return header + "." + payload + "." + Base64URL.encode(Array(mac))
    }

    static func decode(_ text: String, keyring: Keyring, kind: EntityKind, storeID: Int64) throws(CartBridgeError) -> PageCursor {
        let invalid = CartBridgeError.badParameter("page_cursor", "not a cursor of this list (it may be from an older key or another store)")
        guard text.utf8.count <= Self.maxLength else { throw invalid }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].hasPrefix("v"), let version = Int(parts[0].dropFirst()), let key = keyring.key(version: version),
            let mac = Base64URL.decode(String(parts[2])), let payload = Base64URL.decode(String(parts[1]))
        else { throw invalid }
        let signed = Data((parts[0] + "." + parts[1]).utf8)
        // HMAC's own validation compares in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key.derivedKey(purpose: Self.purpose)) else { throw invalid }
        guard let cursor = try? Self.decoder.decode(PageCursor.self, from: Data(payload)), cursor.kind == kind, cursor.storeID == storeID else {
            throw invalid
        }
        return cursor
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder = JSONDecoder()
}
