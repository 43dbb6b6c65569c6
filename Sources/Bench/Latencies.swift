/// Latencies of one contender, in milliseconds.
struct Latencies: Sendable {
    private(set) var values: [Double] = []

    mutating func add(_ duration: Duration) {
        self.values.append(Self.milliseconds(duration))
    }

    var count: Int { self.values.count }

    /// Nearest-rank percentile (p in 0...100); 0 when empty.
    func percentile(_ p: Double) -> Double {
        guard !self.values.isEmpty else { return 0 }
        let sorted = self.values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    var p50: Double { self.percentile(50) }
    var p99: Double { self.percentile(99) }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    static func seconds(_ duration: Duration) -> Double {
        Self.milliseconds(duration) / 1000
    }
}
