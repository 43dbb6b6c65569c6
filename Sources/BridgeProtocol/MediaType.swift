/// Media type helpers.
enum MediaType {
    /// `type/subtype` in lowercase, without parameters: `application/json; charset=utf-8` gives `application/json`.
    static func essence(of contentType: String) -> String {
        let head = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return head.trimmed(of: " \t").lowercased()
    }
}

extension StringProtocol {
    func trimmed(of set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
