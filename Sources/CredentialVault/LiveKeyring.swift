import Foundation
import Synchronization

/// The keyring a running server seals and opens with. When it comes from a file, the file is looked at
/// again (at most every `checkInterval`) and re-read when it changed, so a master key rotation reaches
/// running servers without a restart: they seal with the new key within seconds and still open the old one
/// until the rotation drops it.
public final class LiveKeyring: Sendable {
    struct State {
        var vault: Vault
        var modified: Date?
        var checkedAt: ContinuousClock.Instant
    }

    public let source: KeyringSource
    let checkInterval: Duration
    let state: Mutex<State>

    public init(source: KeyringSource, keyring: Keyring, checkInterval: Duration = .seconds(2)) {
        self.source = source
        self.checkInterval = checkInterval
        self.state = Mutex(State(vault: Vault(keyring: keyring), modified: Self.modified(source), checkedAt: .now))
    }

    /// The vault of the newest keyring seen.
    public var vault: Vault {
        let (vault, due) = self.state.withLock { state in
            (state.vault, ContinuousClock.now - state.checkedAt >= self.checkInterval)
        }
        return due ? self.refresh(force: false) : vault
    }

    /// Re-reads the keyring now (a ciphertext named a key version this server does not hold yet).
    @discardableResult
    public func reload() -> Vault {
        self.refresh(force: true)
    }

    func refresh(force: Bool) -> Vault {
        let modified = Self.modified(self.source)
        let changed = self.state.withLock { state -> Bool in
            state.checkedAt = .now
            return force || modified != state.modified
        }
        guard changed, case .file = self.source, let (keyring, _) = try? self.source.load() else {
            return self.state.withLock { $0.vault }
        }
        // A half-written or unreadable file keeps the keyring already in use.
        return self.state.withLock { state in
            state.vault = Vault(keyring: keyring)
            state.modified = modified
            return state.vault
        }
    }

    static func modified(_ source: KeyringSource) -> Date? {
        guard case .file(let path, _) = source else { return nil }
        return (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
