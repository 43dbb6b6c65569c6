import CartBridgeCore
import Foundation
import HTTPTypes
import Testing

@testable import CartBridgeServer

/// One test store registered on a fresh server, with direct SQL on the store's database: connector tests call
/// the API and check what it says against what the database says.
struct StoreHarness: Sendable {
    let server: TestServer
    let apiKey: String
    let storeKey: String
    let entry: TestStores.Entry

    static func make(_ name: String, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> StoreHarness {
        let entry = try #require(TestStores.named(name), "no test store \(name)")
        let server = try await TestServer.make(configure: configure)
        let apiKey = try await server.newAccount()
        let storeKey = try await StoreTests.register(entry, on: server, apiKey: apiKey)
        return StoreHarness(server: server, apiKey: apiKey, storeKey: storeKey, entry: entry)
    }

    func remove() {
        self.server.directory.remove()
    }

    /// `/v1.1/<method>.json` with this store's keys.
    func call(_ method: String, verb: HTTPRequest.Method = .get, query: String = "", body: String? = nil) async throws -> APIAnswer {
        try await self.server.test {
            try await $0.call("\(method).json", verb: verb, apiKey: self.apiKey, storeKey: self.storeKey, query: query, body: body)
        }
    }

    /// A call that must succeed; returns its `result`.
    func ok(_ method: String, verb: HTTPRequest.Method = .get, query: String = "", body: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> APIAnswer {
        let answer = try await self.call(method, verb: verb, query: query, body: body)
        #expect(answer.returnCode == 0, "\(method) \(query): \(answer.raw.prefix(600))", sourceLocation: sourceLocation)
        return answer
    }

    /// Every item of a list, walked by `page_cursor` (or by `start`/`count` when `byStart`); `between` runs after
    /// each page (to change the store during a walk).
    func walk(
        _ method: String, itemsKey: String, query: String, count: Int, byStart: Bool = false,
        between: (@Sendable (Int) async throws -> Void)? = nil
    ) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var cursor: String?
        var page = 0
        while page < 10_000 {
            var q = query.isEmpty ? "count=\(count)" : "\(query)&count=\(count)"
            if byStart {
                q += "&start=\(page * count)"
            } else if let cursor {
                q = "page_cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor)"
                if let params = query.split(separator: "&").first(where: { $0.hasPrefix("params=") }) { q += "&\(params)" }
            }
            let answer = try await self.ok(method, query: q)
            let got = answer.result[itemsKey]?.arrayValue ?? []
            items += got
            page += 1
            try await between?(page)
            if byStart {
                if got.count < count { break }
            } else {
                guard let next = answer.json["pagination"]?["next"]?.stringValue else { break }
                cursor = next
            }
        }
        return items
    }

    /// Rows of a statement run straight on the store's database with the `mariadb` client; NULL is nil.
    func sql(_ statement: String) throws -> [[String?]] {
        let environment = ProcessInfo.processInfo.environment
        let defaults = try #require(environment["CARTBRIDGE_TEST_MARIADB_DEFAULTS_FILE"], "CARTBRIDGE_TEST_MARIADB_DEFAULTS_FILE is not set")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mariadb", "--defaults-file=\(defaults)", "--batch", "--skip-column-names", "--raw", self.entry.database, "-e", statement]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CartBridgeError(.internalError, "mariadb failed: \(String(decoding: errors, as: UTF8.self).prefix(300))")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map { $0 == "NULL" ? nil : String($0) }
        }
    }

    /// The first column of the first row as a number.
    func sqlInt(_ statement: String) throws -> Int {
        let rows = try self.sql(statement)
        return try #require(rows.first?.first.flatMap { $0 }.flatMap { Int($0) }, "no number from: \(statement)")
    }

    /// The first column of every row.
    func sqlColumn(_ statement: String) throws -> [String] {
        try self.sql(statement).map { $0.first.flatMap { $0 } ?? "" }
    }
}
