import CartBridgeCore

extension CartBridgeError {
    /// The same error, with what the service did about it in front of the message (e.g. "the uploaded bridge was
    /// removed again").
    func explained(_ context: String) -> CartBridgeError {
        CartBridgeError(self.code, "\(context): \(self.message)", detail: self.detail)
    }

    /// Any error of a step, as a `CartBridgeError` with context; an unexpected error passes unchanged (code 9).
    static func explaining(_ error: any Error, _ context: String) -> any Error {
        (error as? CartBridgeError)?.explained(context) ?? error
    }
}
