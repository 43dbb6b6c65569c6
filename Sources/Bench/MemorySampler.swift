/// Samples a process's resident set while some work runs, to see its peak during that work (VmHWM only tells the
/// peak since the process started).
enum MemorySampler {
    struct Peak: Sendable {
        var rssKiB: Int
        var samples: Int
    }

    static func sampling<T: Sendable>(
        pid: Int32,
        every interval: Duration = .milliseconds(50),
        during body: () async throws -> T
    ) async throws -> (T, Peak) {
        let sampler = Task<Peak, Never> {
            var peak = Peak(rssKiB: 0, samples: 0)
            while !Task.isCancelled {
                if let memory = ProcessMemory.read(pid: pid) {
                    peak.rssKiB = max(peak.rssKiB, memory.rssKiB)
                    peak.samples += 1
                }
                try? await Task.sleep(for: interval)
            }
            return peak
        }
        do {
            let value = try await body()
            sampler.cancel()
            return (value, await sampler.value)
        } catch {
            sampler.cancel()
            _ = await sampler.value
            throw error
        }
    }
}
