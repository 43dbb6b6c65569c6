/// One file to upload: where it goes under the target folder, its bytes, and, when the same bytes are already on
/// this host's disk (the bridge's shipped files in this build's resources), that copy.
///
/// curl reads a copy on disk directly; anything else (the config with its key) comes through a private named
/// pipe. Pipes cost curl up to a second each between transfers, so public files go the fast way.
public struct UploadFile: Sendable {
    public let path: String
    public let bytes: [UInt8]
    public let diskCopy: String?

    public init(path: String, bytes: [UInt8], diskCopy: String? = nil) {
        self.path = path
        self.bytes = bytes
        self.diskCopy = diskCopy
    }

    /// The files of a package or an update: shipped files read from disk, config.php through a pipe.
    static func from(_ files: [(path: String, bytes: [UInt8])]) -> [UploadFile] {
        files.map { UploadFile(path: $0.path, bytes: $0.bytes, diskCopy: BridgePackage.bundledCopy(of: $0.path, bytes: $0.bytes)) }
    }
}
