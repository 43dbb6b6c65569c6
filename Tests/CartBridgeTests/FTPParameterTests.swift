import CartBridgeCore
import Foundation
import Testing

@testable import CartBridgeServer
@testable import Installer

/// The FTP fields are checked before anything is registered or any connection is made; no server needed.
@Suite struct FTPParameterTests {
    static func add(_ server: TestServer, _ apiKey: String, _ fields: String) async throws -> APIAnswer {
        try await server.test {
            try await $0.call(
                "account.cart.add.json", verb: .post, apiKey: apiKey,
                body: #"{"cart_id":"Opencart14","store_url":"http://127.0.0.1:9",\#(fields)}"#
            )
        }
    }

    @Test func badFieldsAreRefusedBeforeAnyConnection() async throws {
        let server = try await TestServer.make()
        defer { server.directory.remove() }
        let apiKey = try await server.newAccount()
        let account = #""ftp_user":"u","ftp_password":"p""#
        let cases: [(String, Int64, String)] = [
            (#""ftp_host":"gopher://h",\#(account)"#, 109, "ftp_host"),
            (#""ftp_host":"h;rm -rf",\#(account)"#, 109, "ftp_host"),
            (#""ftp_host":"h","ftp_user":"a:b","ftp_password":"p""#, 109, "ftp_user"),
            (#""ftp_host":"h","ftp_user":"u""#, 114, "ftp_password"),
            (#""ftp_host":"h","ftp_password":"p""#, 114, "ftp_user"),
            (#""ftp_host":"h",\#(account),"ftp_store_dir":"shop/../../etc""#, 109, "ftp_store_dir"),
            (#""ftp_host":"h",\#(account),"ftp_store_dir":"a\"b""#, 109, "ftp_store_dir"),
            (#""ftp_host":"h",\#(account),"ftp_port":"70000""#, 109, "ftp_port"),
            (#""ftp_host":"ftps://h","ftp_protocol":"sftp",\#(account)"#, 109, "ftp_protocol"),
            (#""ftp_host":"h","ftp_protocol":"ftps",\#(account),"ftp_host_key":"SHA256:x""#, 109, "ftp_host_key"),
            (#""ftp_host":"h","ftp_user":"u","ftp_password":"two\nlines""#, 109, "ftp_password"),
        ]
        for (fields, code, parameter) in cases {
            let answer = try await Self.add(server, apiKey, fields)
            #expect(answer.returnCode == code, "\(fields): \(answer.raw)")
            #expect(answer.message.contains(parameter), "\(fields): \(answer.message)")
        }
        if !FTPParameters.hasKnownHosts {
            let answer = try await Self.add(server, apiKey, #""ftp_host":"sftp://h",\#(account)"#)
            #expect(answer.returnCode == 114, "SFTP needs a pinned host key without known_hosts: \(answer.raw)")
            #expect(answer.message.contains("ftp_host_key"))
        }
        #expect(try await server.services.registry.stores(accountID: 1).isEmpty)
    }

    @Test func accountGoesToCurlEscapedAndNowhereElse() throws {
        let target = try FTPTarget(
            ftpProtocol: .ftps, host: "FTP.Example.com", port: nil, user: "shop",
            password: #"p"a\s:s w"#, storeDirectory: RemotePath(parsing: "/public html/shop", parameter: "ftp_store_dir")
        )
        #expect(target.credentialsConfig == #"user = "shop:p\"a\\s:s w""# + "\n")
        #expect(target.port == 21)
        #expect(target.url(target.storeDirectory, isFolder: true) == "ftp://ftp.example.com:21/%2Fpublic%20html/shop/")
        #expect(!target.description.contains("shop:") && !target.description.contains("p\"a"))
        let arguments = CurlRunner(executable: "/usr/bin/curl", caFile: "/ca.pem").baseArguments(for: target)
        #expect(arguments.prefix(3) == ["-q", "-K", "-"])
        #expect(arguments.contains("--ssl-reqd") && arguments.contains("/ca.pem"))
        #expect(!arguments.joined().contains("p\"a"))
        #expect(target.redacted("530 login p\"a\\s:s w refused") == "530 login *** refused")
    }

    @Test func sftpPathsAreHomeRelativeUnlessAbsolute() throws {
        let key = "SHA256:" + String(repeating: "A", count: 43)
        let relative = try FTPTarget(ftpProtocol: .sftp, host: "[::1]", port: 2222, user: "u", password: "p",
            storeDirectory: RemotePath(parsing: "www", parameter: "d"), hostKeySHA256: key)
        #expect(relative.url(relative.storeDirectory, isFolder: true) == "sftp://[::1]:2222/~/www/")
        #expect(relative.hostKeySHA256 == String(repeating: "A", count: 43))
        let absolute = try FTPTarget(ftpProtocol: .sftp, host: "h", port: nil, user: "u", password: "p",
            storeDirectory: RemotePath(parsing: "/var/www", parameter: "d"), hostKeySHA256: key)
        #expect(absolute.url(absolute.storeDirectory.appending("cartbridge/config.php"), isFolder: false) == "sftp://h:22/var/www/cartbridge/config.php")
        let session = FTPSession(target: absolute, runner: CurlRunner(executable: "/usr/bin/curl"), logger: .init(label: "t"))
        #expect(session.lines(.chmod(absolute.storeDirectory.appending("cartbridge"), mode: 0o755), bestEffort: true) == [#"*chmod 755 "/var/www/cartbridge""#])
        #expect(session.lines(.rename(from: RemotePath(segments: ["a"], isAbsolute: false), to: RemotePath(segments: ["b"], isAbsolute: false)), bestEffort: false)
            == [#"*rm "b""#, #"rename "a" "b""#])
    }

    @Test func keySetKeepsBothVersionsDuringARotation() throws {
        let one = [UInt8](repeating: 1, count: 32)
        let two = [UInt8](repeating: 2, count: 32)
        let both = BridgeKeySet(["k1": one, "k2": two]).stored
        #expect(both.count != 32)
        #expect(BridgeKeySet(stored: both, currentKeyID: "k1")?.key("k1") == one)
        #expect(BridgeKeySet(stored: both, currentKeyID: "k2")?.key("k2") == two)
        #expect(BridgeKeySet(["k2": two]).stored == two, "one key is stored plain, as every other reader expects")
        #expect(BridgeKeySet(stored: two, currentKeyID: "k2")?.key("k2") == two)
        #expect(BridgeKeySet(stored: Array(both.dropLast()), currentKeyID: "k1") == nil)
        #expect(throws: CartBridgeError.self) { try BridgeKeyRotation.nextKeyID(after: "k999999") }
        #expect(try BridgeKeyRotation.nextKeyID(after: "k9") == "k10")
    }
}
