/// One HTTP field line, as received or as to be sent.
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension [HeaderField] {
    /// The values of every line named `name` (case-insensitive), in order.
    public func values(named name: String) -> [String] {
        let lowered = name.lowercased()
        return self.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    /// The RFC 9421 §2.1 canonical value: each line's value with leading and trailing whitespace removed and
    /// obsolete line folding replaced by one space, all lines joined with ", ". `nil` when there is no such line.
    public func canonicalValue(named name: String) -> String? {
        let values = self.values(named: name)
        guard !values.isEmpty else { return nil }
        return values.map(HeaderField.canonicalize).joined(separator: ", ")
    }
}

extension HeaderField {
    static func canonicalize(_ value: String) -> String {
        var bytes = Array(value.utf8)
        // Obsolete line folding: CRLF or LF followed by whitespace becomes one space.
        var unfolded: [UInt8] = []
        unfolded.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n") {
                var j = i
                while j < bytes.count, bytes[j] == UInt8(ascii: "\r") || bytes[j] == UInt8(ascii: "\n") { j += 1 }
                while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") { j += 1 }
                while let last = unfolded.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
                    unfolded.removeLast()
                }
                unfolded.append(UInt8(ascii: " "))
                i = j
            } else {
                unfolded.append(c)
                i += 1
            }
        }
        bytes = unfolded
        let isOWS: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        while let first = bytes.first, isOWS(first) { bytes.removeFirst() }
        while let last = bytes.last, isOWS(last) { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
