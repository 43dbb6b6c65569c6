import CartBridgeCore

/// A failed FTP/FTPS/SFTP step: which one, and curl's exit code. It becomes the API's 102 (cannot log in or
/// reach the server), 103 (cannot write), 104 (not the store's root folder) or 107.
public struct FTPError: Error, Sendable, CustomStringConvertible {
    public enum Step: String, Sendable {
        /// Logging in and listing the store folder.
        case list
        /// Checking the listing is a store root with no bridge folder yet.
        case storeRoot = "store_root"
        /// Creating folders and writing files.
        case upload
        /// Renaming uploaded files over installed ones (bridge.update).
        case replace
    }

    public let step: Step
    /// curl's exit code; `nil` when the step failed on what the server listed.
    public let curlExitCode: Int32?
    public let code: ReturnCode
    /// For the API client: what failed and what to do, naming the server but never the account.
    public let message: String
    /// For the operator's logs: curl's own first line, with the account blanked.
    public let note: String

    public init(step: Step, curlExitCode: Int32?, code: ReturnCode, message: String, note: String = "") {
        self.step = step
        self.curlExitCode = curlExitCode
        self.code = code
        self.message = message
        self.note = note
    }

    /// What curl's exit code means at this step. curl documents them in `man curl`, EXIT CODES.
    static func curl(_ exitCode: Int32, step: Step, target: FTPTarget, note: String) -> FTPError {
        let server = "\(target.ftpProtocol.rawValue.uppercased()) server \(target.host):\(target.port)"
        let writing = step == .upload || step == .replace
        let (code, message): (ReturnCode, String)
        switch exitCode {
        case 6:
            (code, message) = (.incorrectFTPAccess, "The \(server) could not be resolved: check ftp_host.")
        case 7, 28:
            (code, message) = (.incorrectFTPAccess, "The \(server) could not be reached in time: check ftp_host and ftp_port.")
        case 67:
            (code, message) = (.incorrectFTPAccess, "The \(server) refused the login: check ftp_user and ftp_password.")
        case 60 where target.ftpProtocol == .sftp:
            (code, message) = (.incorrectFTPAccess, "The \(server) did not present the expected host key: check ftp_host_key, or the service's known_hosts.")
        case 60, 35, 58, 59, 77, 83, 90, 91:
            (code, message) = (.incorrectFTPAccess, "The TLS connection to the \(server) could not be verified: its certificate is not trusted by the service.")
        case 64:
            (code, message) = (.incorrectFTPAccess, "The \(server) does not offer TLS (AUTH TLS): use ftp_protocol ftp or sftp if that is intended.")
        case 9 where !writing, 78 where !writing:
            (code, message) = (.wrongFTPStoreDir, "The folder ftp_store_dir cannot be opened on the \(server): check the path (relative to the FTP login folder unless it starts with /).")
        case 9 where writing, 25 where writing, 78 where writing, 21 where writing:
            (code, message) = (.incorrectFTPWritePermissions, "The \(server) refused to create the cartbridge folder or write its files in ftp_store_dir: check that the account may write there.")
        default:
            (code, message) = (.incorrectFTPAccess, "The transfer with the \(server) failed (curl exit code \(exitCode)).")
        }
        return FTPError(step: step, curlExitCode: exitCode, code: code, message: message, note: note)
    }

    public var cartBridgeError: CartBridgeError {
        CartBridgeError(self.code, self.message, detail: "ftp_step=\(self.step.rawValue); curl_exit=\(self.curlExitCode.map(String.init) ?? "-"); \(self.note)")
    }

    public var description: String { "FTPError(\(self.step.rawValue), curl \(self.curlExitCode.map(String.init) ?? "-"), \(self.code)): \(self.message)" }
}
