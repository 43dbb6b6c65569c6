/// Table prefixes end up inside SQL identifiers, so only a strict shape is accepted.
public enum TablePrefix {
    /// Letters, digits and `_`, at most 64 characters (the bridge's own bound); empty is allowed (Zen Cart ships without one).
    public static func validate(_ prefix: String) -> Bool {
        prefix.utf8.count <= 64 && prefix.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
    }
}
