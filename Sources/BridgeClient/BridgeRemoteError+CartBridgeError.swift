import CartBridgeCore
import Foundation

extension BridgeRemoteError {
    /// The `CartBridgeError` for this bridge error, with a message an API client can act on: 115 for an ambiguous
    /// table prefix, 107 when no cart is found, 100 when the store's database refuses, 111 past the bridge's
    /// limits, 105 for everything about the bridge itself.
    public func cartBridgeError(op: String, endpoint: BridgeEndpoint) -> CartBridgeError {
        let failure = BridgeFailure(op: op, endpoint: endpoint)
        let tag = " (\(self.code.rawValue))"
        let message: String
        switch self.code {
        case .clockSkew:
            message = "The store's clock differs from the service's by more than the protocol allows, even after correction: check the time of the store's server" + tag + "."
        case .keyUnknown:
            message = "The bridge rejected the request signature: check that the bridge config holds this store's current key" + tag + "."
        case .sigInvalid:
            message = "The bridge could not verify the request signature: a proxy in front of the store may change the request's host, path or body" + tag + "."
        case .digestMismatch:
            message = "The request body was altered on its way to the bridge" + tag + "."
        case .replayed:
            message = "The bridge had already seen this request" + tag + ": retry the call."
        case .sigMissing, .sigMalformed, .sigComponents, .sigTag:
            message = "The bridge rejected the request's signature headers: update the bridge" + tag + "."
        case .bodyTooLarge:
            message = "The request is larger than the bridge accepts (its max_body_bytes)" + tag + "."
        case .decryptFailed:
            message = "The bridge could not decrypt the request: check that the bridge config holds this store's current key" + tag + "."
        case .encryptionRequired:
            message = "The bridge accepts encrypted requests only: turn on encryption for this store" + tag + "."
        case .readOnly:
            message = "The bridge is in read-only mode and refuses changes: set 'read_only' => false in its config.php to allow them" + tag + "."
        case .prefixAmbiguous:
            let candidates = (self.details["candidates"]?.arrayValue ?? []).compactMap(\.stringValue)
                .filter { TablePrefix.validate($0) }.prefix(10)
            let list = candidates.isEmpty ? "" : " (found: \(candidates.joined(separator: ", ")))"
            message = "More than one table prefix found in the store's database\(list): pass db_tables_prefix" + tag + "."
        case .dbError:
            message = "The store's database refused the operation" + tag + "."
        case .dbUnavailable:
            message = "The bridge cannot connect to the store's database: check the cart's database settings" + tag + "."
        case .cartNotDetected:
            message = "The bridge found no supported cart in the store's root folder" + tag + "."
        case .cartConfigUnreadable:
            message = "The bridge could not read the cart's configuration: set the database settings in the bridge's config.php" + tag + "."
        case .limitExceeded:
            message = "The reply would exceed the bridge's limits: request fewer items at once" + tag + "."
        case .unknownOp, .badRequest:
            message = "The bridge does not understand this request: update the bridge" + tag + "."
        case .notConfigured:
            message = "The bridge's config.php is missing or invalid: download the bridge for this store again" + tag + "."
        case .replayStoreUnavailable:
            message = "The bridge cannot write its nonce folder: check the permissions of cartbridge/var" + tag + "."
        case .internalError:
            message = "The bridge failed: see the store web server's error log" + tag + "."
        case .updateDisabled:
            message = "The bridge's config.php turns self-updates off ('self_update' => false): update it over FTP (ftp_* fields) or by hand" + tag + "."
        case .configNotLiteral:
            message = "The bridge's config.php holds code, not only values, so the bridge will not rewrite it: change its keys by hand" + tag + "."
        case .writeFailed:
            message = "The bridge cannot write its own files: check the permissions of the cartbridge folder on the store" + tag + "."
        case .foreignFiles:
            message = "The bridge folder holds files the bridge did not put there (\(self.listedFiles)): move them out of cartbridge/, then call again; nothing was removed" + tag + "."
        case .removeFailed:
            message = "The bridge could not remove all of its folder (\(self.listedFiles) remain): check its permissions on the store" + tag + "."
        default:
            message = "The bridge answered with an error" + tag + "."
        }
        return CartBridgeError(
            self.returnCode,
            message,
            detail: failure.detail(self.code, status: self.httpStatus, "signed; " + self.loggableNote)
        )
    }

    /// The API return code a client sees for this bridge error.
    var returnCode: ReturnCode {
        switch self.code {
        case .prefixAmbiguous: .ambiguousTablePrefix
        case .cartNotDetected, .cartConfigUnreadable: .storeError
        case .dbError, .dbUnavailable, .readOnly: .storeAPIAccessError
        case .limitExceeded: .tooManyItemsRequested
        default: .bridgeResponseError
        }
    }

    /// The first names of a `files` detail (names on the merchant's host), printable and short, for a message.
    var listedFiles: String {
        let names = (self.details["files"]?.arrayValue ?? []).compactMap(\.stringValue).map { name in
            String(name.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }.prefix(64).map(Character.init))
        }
        guard !names.isEmpty else { return "not listed" }
        return names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", ..." : "")
    }

    /// What of the bridge's message may go to logs: never SQL (db_error quotes it), never connection strings.
    var loggableNote: String {
        var note: String
        switch self.code {
        case .dbError, .dbUnavailable, .internalError:
            note = Self.sqlState(in: self.message).map { "sqlstate=\($0)" } ?? ""
        default:
            note = String(self.message.prefix(300))
        }
        if let index = self.details["statement_index"]?.intValue { note += "; statement_index=\(index)" }
        return note
    }

    /// `SQLSTATE[42S02]` and the driver's error number (`1146`) of a PDO message.
    static func sqlState(in message: String) -> String? {
        guard let open = message.range(of: "SQLSTATE["), let close = message[open.upperBound...].firstIndex(of: "]")
        else { return nil }
        var state = String(message[open.upperBound..<close])
        // PDO writes "SQLSTATE[%s]: <generic text>: <driver code> <driver text>" or "SQLSTATE[%s] [<code>] ...":
        // the first number after the state is the driver's code; nothing after it is kept.
        let tokens = message[message.index(after: close)...].split(separator: " ").prefix(8)
        if let code = tokens.lazy.map({ $0.trimmingCharacters(in: .punctuationCharacters) })
            .first(where: { !$0.isEmpty && $0.count <= 6 && $0.allSatisfy(\.isNumber) })
        {
            state += "/" + code
        }
        return state
    }
}
