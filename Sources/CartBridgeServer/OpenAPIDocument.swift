import Foundation

/// The OpenAPI document of the operations this server implements, served at `/openapi.json`.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return Array(#"{"openapi":"3.1.0","info":{"title":"CartBridge","version":"unknown"},"paths":{}}"#.utf8) }
        return Array(data)
    }()
}
