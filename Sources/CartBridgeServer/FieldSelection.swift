import CartBridgeCore

/// `params` / `exclude`: which fields of each item a list or info method returns.
///
/// `force_all` returns every field; `exclude` then removes some. Names the method does not know are ignored,
/// as the contract's own servers do. `aliases` maps the contract's group names and alternative spellings onto
/// field names (`address` → `shipping_address`, `billing_address`).
struct FieldSelection: Sendable {
    let fields: Set<String>?
    let excluded: Set<String>

    init(parameters: Parameters, defaultParams: [String], aliases: [String: [String]]) throws(CartBridgeError) {
        let requested = try parameters.list("params") ?? defaultParams
        let excluded = try parameters.list("exclude") ?? []
        let resolve = { (name: String) in aliases[name] ?? [name] }
        guard requested.count <= 200, excluded.count <= 200 else {
            throw CartBridgeError.badParameter("params", "at most 200 field names")
        }
        if requested.contains("force_all") {
            self.fields = nil
        } else {
            self.fields = Set(requested.flatMap(resolve))
        }
        self.excluded = Set(excluded.flatMap(resolve))
    }

    init(parameters: Parameters, defaultParams: [String], aliases: [String: String] = [:]) throws(CartBridgeError) {
        try self.init(parameters: parameters, defaultParams: defaultParams, aliases: aliases.mapValues { [$0] })
    }

    /// The fields a connector must fill: nil when every field may be kept.
    var needed: Set<String>? {
        self.fields.map { $0.subtracting(self.excluded) }
    }

    func apply(_ item: JSONValue) -> JSONValue {
        guard case .object(let members) = item else { return item }
        return .object(members.filter { key, _ in (self.fields?.contains(key) ?? true) && !self.excluded.contains(key) })
    }
}
