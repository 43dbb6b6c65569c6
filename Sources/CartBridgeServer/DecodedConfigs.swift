import CartBridgeCore
import Synchronization

/// The last `StoreConfig` each store's cached payload decoded to, in this process. The registry is still read on
/// every call (TTL, invalidation and other nodes' refreshes hold as before); only decoding the same payload text
/// again is skipped, which was a large share of a cached call's CPU.
final class DecodedConfigs: Sendable {
    /// More stores than this and the memo starts over (bounded memory; a miss only costs a decode).
    static let capacity = 4096

    private let entries = Mutex<[Int64: (payload: String, config: StoreConfig)]>([:])

    /// The config `payload` decoded to last time, when it is the same text.
    func config(storeID: Int64, payload: String) -> StoreConfig? {
        self.entries.withLock { entries in
            guard let entry = entries[storeID], entry.payload == payload else { return nil }
            return entry.config
        }
    }

    func remember(storeID: Int64, payload: String, config: StoreConfig) {
        self.entries.withLock { entries in
            if entries.count >= Self.capacity, entries[storeID] == nil { entries.removeAll(keepingCapacity: true) }
            entries[storeID] = (payload, config)
        }
    }
}
