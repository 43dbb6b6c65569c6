/// The outcome codes of the public API, as API2Cart v1.1 defines them.
///
/// Every answer is HTTP 200; the code in the envelope says what happened.
public struct ReturnCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public var description: String { String(self.rawValue) }

    public static let success = ReturnCode(rawValue: 0)
    public static let serviceUnavailable = ReturnCode(rawValue: 1)
    public static let incorrectAPIKey = ReturnCode(rawValue: 2)
    public static let methodNotSpecified = ReturnCode(rawValue: 3)
    public static let storeAccessDenied = ReturnCode(rawValue: 4)
    public static let apiAccessDenied = ReturnCode(rawValue: 5)
    public static let apiKeyDisabled = ReturnCode(rawValue: 6)
    public static let storeRequestLimit = ReturnCode(rawValue: 7)
    public static let storeAlreadyExists = ReturnCode(rawValue: 8)
    public static let internalError = ReturnCode(rawValue: 9)
    public static let accountRequestLimit = ReturnCode(rawValue: 10)
    public static let storeAPIAccessError = ReturnCode(rawValue: 100)
    public static let storeNotFound = ReturnCode(rawValue: 101)
    public static let incorrectFTPAccess = ReturnCode(rawValue: 102)
    public static let incorrectFTPWritePermissions = ReturnCode(rawValue: 103)
    public static let wrongFTPStoreDir = ReturnCode(rawValue: 104)
    public static let bridgeResponseError = ReturnCode(rawValue: 105)
    public static let storeURLNotReachable = ReturnCode(rawValue: 106)
    public static let storeError = ReturnCode(rawValue: 107)
    public static let incorrectParameters = ReturnCode(rawValue: 109)
    public static let tooManyStoreAPIRequests = ReturnCode(rawValue: 110)
    public static let tooManyItemsRequested = ReturnCode(rawValue: 111)
    public static let itemNotFound = ReturnCode(rawValue: 112)
    public static let entityAlreadyExists = ReturnCode(rawValue: 113)
    public static let requiredParameterMissing = ReturnCode(rawValue: 114)
    public static let ambiguousTablePrefix = ReturnCode(rawValue: 115)
    public static let duplicateRecord = ReturnCode(rawValue: 116)

    /// The words a client sees when nothing more specific is known.
    public var defaultMessage: String {
        switch self.rawValue {
        case 0: ""
        case 1: "Service is not available."
        case 2: "Incorrect API key."
        case 3: "Method is not specified or not supported."
        case 4: "Store access denied."
        case 5: "API access denied."
        case 6: "API key is disabled."
        case 7: "Store request limit exceeded: too many concurrent calls to this store."
        case 8: "Store already exists."
        case 9: "Internal service error."
        case 10: "Account request limit exceeded: too many concurrent calls for this account."
        case 100: "Store API access error."
        case 101: "Store not found."
        case 102: "Incorrect FTP access."
        case 103: "Incorrect FTP write permissions."
        case 104: "Wrong ftp_store_dir: cannot find a bridge."
        case 105: "Bridge response error."
        case 106: "Store URL is not reachable."
        case 107: "Store error or unsupported cart."
        case 109: "Incorrect parameters."
        case 110: "Too many requests to the store's API."
        case 111: "Too many items requested."
        case 112: "Item not found."
        case 113: "Entity already exists."
        case 114: "Required parameter is not specified."
        case 115: "More than one table prefix found: pass db_tables_prefix."
        case 116: "Duplicate record."
        default: "Error."
        }
    }
}
