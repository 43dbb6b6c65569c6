import Foundation

/// The PHP bridge's files (`cartbridge/`), shipped inside the service so it can package them for any store.
public enum BridgeFiles {
    /// The `cartbridge/` folder as built into this binary's resources.
    public static var folder: URL? {
        Bundle.module.url(forResource: "cartbridge", withExtension: nil)
    }
}
