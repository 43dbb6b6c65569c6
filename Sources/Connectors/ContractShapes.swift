import CartBridgeCore

/// Builders for the contract's shared shapes, so every connector writes them alike.
enum ContractShapes {
    /// `Image`: `type` is `base` for the main picture, `additional` for the gallery.
    static func image(id: String?, url: String, sortOrder: Int64? = nil, type: String, alt: String? = nil) -> JSONValue {
        let fileName = url.split(separator: "/").last.map(String.init)
        return [
            "id": id.map(JSONValue.string) ?? .null,
            "http_path": .string(url),
            "file_name": fileName.map(JSONValue.string) ?? .null,
            "sort_order": sortOrder.map(JSONValue.int) ?? .null,
            "type": .string(type),
            "alt": alt.map(JSONValue.string) ?? .null,
            "avail": true,
        ]
    }

    /// `Customer_Address`.
    struct Address {
        var id: String
        var type: String
        var firstName: String?
        var lastName: String?
        var company: String?
        var address1: String
        var address2: String?
        var city: String
        var postcode: String
        var phone: String?
        var countryCode2: String
        var countryCode3: String
        var countryName: String
        var stateCode: String?
        var stateName: String?
        var isDefault: Bool

        var json: JSONValue {
            [
                "id": .string(self.id),
                "type": .string(self.type),
                "first_name": self.firstName.map(JSONValue.string) ?? .null,
                "last_name": self.lastName.map(JSONValue.string) ?? .null,
                "company": self.company.map(JSONValue.string) ?? .null,
                "address1": .string(self.address1),
                "address2": self.address2.map(JSONValue.string) ?? .null,
                "city": .string(self.city),
                "postcode": .string(self.postcode),
                "phone": self.phone.map(JSONValue.string) ?? .null,
                "country": ["code2": .string(self.countryCode2), "code3": .string(self.countryCode3), "name": .string(self.countryName)],
                "state": self.stateName.map { ["code": .string(self.stateCode ?? ""), "name": .string($0)] } ?? .null,
                "default": .bool(self.isDefault),
            ]
        }
    }

    /// Rows grouped by a parent id column, keeping their order: child rows of a page, looked up per item.
    static func group(_ records: [[String: JSONValue]], by column: String) -> [Int64: [[String: JSONValue]]] {
        var groups: [Int64: [[String: JSONValue]]] = [:]
        for record in records {
            guard let id = record.int(column) else { continue }
            groups[id, default: []].append(record)
        }
        return groups
    }
}
