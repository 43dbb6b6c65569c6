import CartBridgeCore

/// `params` / `exclude`: which fields of each item a list or info method returns.
///
/// `force_all` returns every field; `exclude` then removes some. Names the method does not know are ignored,
/// as the contract's own servers do. `aliases` maps the contract's alternative spellings onto field names.
struct FieldSelection: Sendable {
    let fields: Set<String>?
    let excluded: Set<String>

    init(parameters: Parameters, defaultParams: [String], aliases: [String: String] = [:]) throws(CartBridgeError) {
        let requested = try parameters.list("params") ?? defaultParams
        let excluded = try parameters.list("exclude") ?? []
        let resolve = { (name: String) in aliases[name] ?? name }
        if requested.contains("force_all") {
            self.fields = nil
        } else {
            self.fields = Set(requested.map(resolve))
        }
        self.excluded = Set(excluded.map(resolve))
    }

    func apply(_ item: JSONValue) -> JSONValue {
        guard case .object(let members) = item else { return item }
        return .object(members.filter { key, _ in (self.fields?.contains(key) ?? true) && !self.excluded.contains(key) })
    }
}
