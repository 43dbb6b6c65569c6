import Prometheus

/// The service's Prometheus metrics, kept in a registry of its own (not the global metrics system),
/// so several servers in one process (tests) never share counters.
struct ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    func request(method: String, returnCode: Int, duration: Duration) {
        self.registry.makeCounter(
            descriptor: .init(namespace: "cartbridge", metricName: "requests", unitName: "total", helpText: "API calls by method and return code"),
            labels: [("method", method), ("return_code", String(returnCode))]
        ).increment()
        self.registry.makeDurationHistogram(
            descriptor: .init(namespace: "cartbridge", metricName: "request_duration", unitName: "seconds", helpText: "API call latency"),
            labels: [("method", method)],
            buckets: Self.buckets
        ).record(duration)
    }

    func storeCall(op: String, outcome: String) {
        self.registry.makeCounter(
            descriptor: .init(namespace: "cartbridge", metricName: "store_calls", unitName: "total", helpText: "Calls to stores' bridges"),
            labels: [("op", op), ("outcome", outcome)]
        ).increment()
    }

    func configCache(hit: Bool) {
        self.registry.makeCounter(
            descriptor: .init(namespace: "cartbridge", metricName: "config_cache", unitName: "total", helpText: "Store config cache lookups"),
            labels: [("result", hit ? "hit" : "miss")]
        ).increment()
    }

    func exposition() -> [UInt8] {
        self.registry.emitToBuffer()
    }

    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]
}
