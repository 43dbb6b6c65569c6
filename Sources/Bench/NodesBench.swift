import Foundation

/// Figure 4: one node against two nodes on one PostgreSQL registry, the same closed-loop load of
/// `product.list` count=10 from this process, round-robin across the nodes; rounds alternate.
enum NodesBench {
    static func run(_ context: BenchContext, postgresURL: String, report: inout Report) async throws {
        let store = context.config.large
        let dataA = context.dataDirectory("pg-a")
        let dataB = context.dataDirectory("pg-b")
        for path in [dataA, dataB] { try? FileManager.default.removeItem(atPath: path) }
        // Node A's data folder gets the master keyring; node B reads the same one.
        let key = try await ServerNode.createAccount(setup: context.setup, dataDirectory: dataA, database: postgresURL, masterKeyFile: nil)
        let keyring = (dataA as NSString).appendingPathComponent("master.keys")
        let nodeA = try await ServerNode.start("pg-a", setup: context.setup, dataDirectory: dataA, database: postgresURL, http: context.apiHTTP)
        let nodeB: ServerNode
        do {
            nodeB = try await ServerNode.start("pg-b", setup: context.setup, dataDirectory: dataB, database: postgresURL, masterKeyFile: keyring, http: context.apiHTTP)
        } catch {
            await nodeA.stop()
            throw error
        }
        do {
            let clientA = try await context.register(store, api: APIClient(http: context.apiHTTP, baseURL: nodeA.baseURL, apiKey: key))
            let clientB = APIClient(http: context.apiHTTP, baseURL: nodeB.baseURL, apiKey: key, storeKey: clientA.storeKey)
            let clients = [clientA, clientB]
            let query = [("count", "10")]
            // Both nodes answer (B from the cache A filled).
            for client in clients { _ = try await client.ok("product.list", query: query) }

            let sizes = context.sizes
            let duration = Duration.seconds(sizes.nodeSeconds)
            var one = LoadRunner.Result.zero
            var two = LoadRunner.Result.zero
            var oneCores: [String: Double] = [:]
            var twoCores: [String: Double] = [:]
            for round in 0..<sizes.nodeRounds {
                for nodes in round % 2 == 0 ? [1, 2] : [2, 1] {
                    let before = CPUAccounting.snapshot()
                    let result = await LoadRunner.run(concurrency: sizes.nodeConcurrency, duration: duration) { worker, sequence in
                        let client = clients[nodes == 1 ? 0 : (worker + sequence) % 2]
                        do {
                            let answer = try await client.call("product.list", query: query)
                            return answer.returnCode == 0 ? nil : "return_code \(answer.returnCode): \(answer.message)"
                        } catch {
                            return "\(error)"
                        }
                    }
                    let cores = before.cores(until: CPUAccounting.snapshot())
                    if nodes == 1 {
                        one = one + result
                        oneCores = cores
                    } else {
                        two = two + result
                        twoCores = cores
                    }
                }
            }
            for (name, result) in [("1 node", one), ("2 nodes", two)] where result.failed > 0 {
                report.note("nodes, \(name): \(result.failed) failed calls, first: \(result.firstError ?? "?")")
            }
            report.info("4. product.list count=10, concurrency \(sizes.nodeConcurrency), 1 node (PostgreSQL)", value: "\(Report.number(one.perSecond, 1)) req/s")
            report.info(
                "4. same load, 2 nodes round-robin: 2 nodes / 1 node",
                value: "\(Report.number(two.perSecond, 1)) req/s", ratio: Report.ratio(two.perSecond / max(one.perSecond, 0.001))
            )
            report.note("nodes: \(sizes.nodeRounds) round(s) of \(sizes.nodeSeconds) s each, alternating; CPU in the last 1-node round: \(CPUAccounting.describe(oneCores))")
            report.note("nodes: CPU in the last 2-node round: \(CPUAccounting.describe(twoCores))")
        } catch {
            await nodeA.stop()
            await nodeB.stop()
            throw error
        }
        await nodeA.stop()
        await nodeB.stop()
    }
}
