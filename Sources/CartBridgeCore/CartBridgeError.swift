/// An error that ends an API call.
///
/// `message` is written for the API client and never carries a secret, SQL or a stack trace;
/// `detail` is for the operator's logs (still without secrets or customer data).
public struct CartBridgeError: Error, Sendable, CustomStringConvertible {
    public let code: ReturnCode
    public let message: String
    public let detail: String?

    public init(_ code: ReturnCode, _ message: String? = nil, detail: String? = nil) {
        self.code = code
        self.message = message ?? code.defaultMessage
        self.detail = detail
    }

    public var description: String {
        if let detail { "CartBridgeError(\(self.code.rawValue)): \(self.message) [\(detail)]" } else { "CartBridgeError(\(self.code.rawValue)): \(self.message)" }
    }

    public static func missingParameter(_ name: String) -> CartBridgeError {
        CartBridgeError(.requiredParameterMissing, "Required parameter '\(name)' is not specified.")
    }

    public static func badParameter(_ name: String, _ why: String) -> CartBridgeError {
        CartBridgeError(.incorrectParameters, "Incorrect value of parameter '\(name)': \(why).")
    }
}
