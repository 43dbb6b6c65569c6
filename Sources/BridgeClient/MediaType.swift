import BridgeProtocol
import Foundation

/// Media type helpers.
enum MediaType {
    static func essence(_ contentType: String) -> String {
        String(contentType.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces)
            .lowercased()
    }

    static func isJSON(_ contentType: String) -> Bool {
        Self.essence(contentType) == CartBridgeProfile.jsonContentType
    }
}
