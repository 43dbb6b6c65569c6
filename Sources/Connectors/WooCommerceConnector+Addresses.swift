import CartBridgeCore

/// Billing and shipping addresses, wherever WooCommerce keeps them (user meta `billing_*`, order post meta
/// `_billing_*`, HPOS `wc_order_addresses` rows): the same field names once their prefix is gone.
extension WooCommerceConnector {
    static let addressFields = ["first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode", "country", "email", "phone"]

    /// `Customer_Address` from unprefixed fields; nil when the address is empty (WooCommerce writes none then).
    static func address(_ fields: [String: String], id: String, type: String, isDefault: Bool = true) -> JSONValue? {
        func f(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
        guard Self.addressFields.contains(where: { f($0) != nil && $0 != "email" }) else { return nil }
        let country = f("country") ?? ""
        let known = Self.countries[country.uppercased()]
        let address = ContractShapes.Address(
            id: id, type: type, firstName: f("first_name"), lastName: f("last_name"), company: f("company"),
            address1: f("address_1") ?? "", address2: f("address_2"), city: f("city") ?? "", postcode: f("postcode") ?? "",
            phone: f("phone"), countryCode2: country, countryCode3: known?.code3 ?? "", countryName: known?.name ?? country,
            // WooCommerce keeps the state's code only; its name is the code too.
            stateCode: f("state"), stateName: f("state"), isDefault: isDefault
        )
        var json = address.json
        if case .object(var members) = json {
            members["additional_fields"] = ["email": Self.json(f("email"))]
            json = .object(members)
        }
        return json
    }

    /// `billing_first_name` → `first_name` for the keys that start with `prefix` (`billing_`, `_shipping_`, ...).
    static func unprefixed(_ meta: [String: [String]], prefix: String) -> [String: String] {
        var out: [String: String] = [:]
        for (key, values) in meta where key.hasPrefix(prefix) {
            out[String(key.dropFirst(prefix.count))] = values.first ?? ""
        }
        return out
    }
}
