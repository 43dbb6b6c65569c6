import AsyncHTTPClient
import BridgeProtocol
import CartBridgeCore
import Foundation
import NIOCore

/// Turns what went wrong in one exchange into a `CartBridgeError` with a message for the API client and a detail
/// for the operator's logs. Neither ever holds a key, a body or SQL.
struct BridgeFailure {
    let op: String
    let endpoint: BridgeEndpoint

    /// `bridge_error=<code>; op=...; host=...; status=...; <note>`: the code first, so that
    /// `CartBridgeError.bridgeErrorCode` can read it back.
    func detail(_ code: BridgeErrorCode, status: Int?, _ note: String) -> String {
        var parts = ["bridge_error=\(code.rawValue)", "op=\(self.op)", "host=\(self.endpoint.authority)"]
        if let status { parts.append("status=\(status)") }
        if !note.isEmpty { parts.append(note) }
        return parts.joined(separator: "; ")
    }

    func transport(_ error: any Error, timeout: TimeAmount) -> CartBridgeError {
        let host = self.endpoint.authority
        let typeName = String(reflecting: type(of: error))
        let text = String(String(describing: error).prefix(300))
        let message: String
        if Self.isTimeout(error) {
            let seconds = max(1, timeout.nanoseconds / 1_000_000_000)
            let unit = seconds == 1 ? "second" : "seconds"
            message = "The store's bridge at \(host) did not answer within \(seconds) \(unit): check that the store is online."
        } else if typeName.contains("SSL") || typeName.contains("TLS") {
            message = "A TLS connection to \(host) could not be established: check the store's HTTPS certificate."
        } else if typeName.contains("NIOConnectionError"), text.contains("connectionErrors: []") {
            message = "The store's host name \(host) could not be resolved: check the store URL."
        } else {
            message = "The store's bridge at \(host) could not be reached: check that the store is online and that the bridge URL is right."
        }
        return CartBridgeError(
            .storeURLNotReachable,
            message,
            detail: self.detail(.bridgeUnreachable, status: nil, "\(typeName): \(text)")
        )
    }

    static func isTimeout(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [
                HTTPClientError.deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout,
            ].contains(error)
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return true }
        return false
    }

    func responseTooLarge(limit: Int, status: Int) -> CartBridgeError {
        CartBridgeError(
            .bridgeResponseError,
            "The bridge's response is larger than the \(limit) bytes the service reads: request fewer items at once.",
            detail: self.detail(.responseTooLarge, status: status, "limit=\(limit)")
        )
    }

    func invalid(_ reason: String, status: Int) -> CartBridgeError {
        CartBridgeError(
            .bridgeResponseError,
            "The bridge's response could not be used (bridge_response_invalid): check that the bridge is up to date.",
            detail: self.detail(.bridgeResponseInvalid, status: status, "signed; \(reason)")
        )
    }

    /// A response that is unsigned or fails verification: never data, but what it claims helps the message.
    func unverified(_ error: ResponseVerificationError, status: Int, body: [UInt8]) -> CartBridgeError {
        let claimed = Self.claimedCode(in: body)
        let note = "unverified; check=\(error.code.rawValue)" + (claimed.map { "; claimed=\($0.rawValue)" } ?? "")

        if error.code == .unsigned {
            if status == 404 {
                return CartBridgeError(
                    .storeURLNotReachable,
                    "No bridge was found at the bridge URL (HTTP 404): check that the cartbridge folder is in the store's root folder and that the URL ends in /cartbridge/bridge.php.",
                    detail: self.detail(.bridgeNotFound, status: status, note)
                )
            }
            if (300..<400).contains(status) {
                return CartBridgeError(
                    .storeURLNotReachable,
                    "The bridge URL redirects (HTTP \(status)): register the address it redirects to, for example with https://.",
                    detail: self.detail(.bridgeNotFound, status: status, note)
                )
            }
            switch claimed {
            case .keyUnknown?:
                return CartBridgeError(
                    .bridgeResponseError,
                    "The bridge rejected the request signature: check that the bridge config holds this store's current key (key_unknown).",
                    detail: self.detail(.keyUnknown, status: status, note)
                )
            case let code? where code.isSignatureRefusal:
                return CartBridgeError(
                    .bridgeResponseError,
                    "The bridge rejected the request's signature headers (\(code.rawValue)): a proxy in front of the store may remove them, or the bridge does not speak cartbridge/1; update the bridge.",
                    detail: self.detail(code, status: status, note)
                )
            case .notConfigured?:
                return CartBridgeError(
                    .bridgeResponseError,
                    "The bridge is installed but its config.php is missing or invalid (not_configured): download the bridge for this store again.",
                    detail: self.detail(.notConfigured, status: status, note)
                )
            default:
                return CartBridgeError(
                    .bridgeResponseError,
                    "The store answered without a valid bridge signature (HTTP \(status)): check that the bridge URL points to the CartBridge bridge (bridge_response_invalid).",
                    detail: self.detail(.bridgeResponseInvalid, status: status, note)
                )
            }
        }

        // Signed, but not with what we expect. A bridge holding another key under this key id refuses the request
        // with a sig_invalid that it signs with its own key: that is the likely story here.
        if error.code == .signatureInvalid, claimed == .sigInvalid || claimed == .keyUnknown {
            return CartBridgeError(
                .bridgeResponseError,
                "The bridge rejected the request signature: the bridge config holds another key for key id \(self.endpoint.keyID); put this store's current key in the bridge config or download the bridge again (sig_invalid).",
                detail: self.detail(.sigInvalid, status: status, note)
            )
        }
        return CartBridgeError(
            .bridgeResponseError,
            "The bridge's response failed verification (\(error.code.rawValue)): it may have been altered on the way; if this persists, check proxies in front of the store (bridge_response_invalid).",
            detail: self.detail(.bridgeResponseInvalid, status: status, note)
        )
    }

    /// The `error.code` a response body claims, if it is one the bridge may send unsigned or one of the check table.
    static func claimedCode(in body: [UInt8]) -> BridgeErrorCode? {
        guard body.count <= 4096, let document = try? JSONDecoder().decode(JSONValue.self, from: Data(body)),
            let code = document["error"]?["code"]?.stringValue
        else { return nil }
        let known: Set<BridgeErrorCode> = [
            .sigMissing, .sigMalformed, .sigComponents, .sigTag, .keyUnknown, .clockSkew, .bodyTooLarge,
            .digestMismatch, .sigInvalid, .replayed, .notConfigured,
        ]
        let candidate = BridgeErrorCode(rawValue: code)
        return known.contains(candidate) ? candidate : nil
    }
}
