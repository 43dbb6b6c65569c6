/// A credential as the registry holds it: vault ciphertext only, never plaintext.
public struct SealedCredential: Sendable, Hashable {
    public let storeID: Int64
    public let name: String
    public let sealed: [UInt8]

    public init(storeID: Int64, name: String, sealed: [UInt8]) {
        self.storeID = storeID
        self.name = name
        self.sealed = sealed
    }

    /// What the vault's associated data binds this credential to.
    public static func binding(storeID: Int64, name: String) -> String { "store:\(storeID):\(name)" }

    public var binding: String { Self.binding(storeID: self.storeID, name: self.name) }
}
