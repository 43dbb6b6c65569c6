// Published values of shared/vectors/rfc9421.txt (RFC 9421 Appendix B, RFC 9530) and shared/vectors/cartbridge-1.txt
// (cartbridge/1 worked examples), carried here as literals so the tests run without /work/shared.

enum RFCVectors {
    /// B.1.5 test-shared-secret, base64.
    static let sharedSecretBase64 =
        "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ=="
    static let sharedSecretHex =
        "bb3bc97c1e2edcdd09cb84fb359ef930355cafccd24c89de749b6481cbb8e985b85c1cb33498f105db635247493c1b5b9878480e2ea9725f23b1ab2395332d0d"

    /// B.1.4 test-key-ed25519.
    static let ed25519PublicKeyPEMBody = "MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs="
    static let ed25519PrivateKeyPEMBody = "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF"
    static let ed25519JWKd = "n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU"
    static let ed25519JWKx = "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"

    static let requestBody = #"{"hello": "world"}"#
    static let requestDate = "Tue, 20 Apr 2021 02:07:55 GMT"
    static let requestDigestSHA512 =
        "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
    static let responseBody = #"{"message": "good dog"}"#
    static let responseDate = "Tue, 20 Apr 2021 02:07:56 GMT"
    static let responseDigestSHA512 =
        "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:"
    /// The wrong value an editor's draft printed for the response (erratum); it is not SHA-512 of the body.
    static let responseDigestErratum =
        "sha-512=:JlEy2bfUz7WrWIjc1qV6KVLpdr/7L5/L4h7Sxvh6sNHpDQWDCL+GauFQWcZBvVDhiyOnAQsxzZFYwi0wDH+1pw==:"

    static let b21Base = """
        "@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"
        """

    static let b22Base = """
        "@authority": example.com
        "content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
        "@query-param";name="Pet": dog
        "@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"
        """

    static let b23Base = """
        "date": Tue, 20 Apr 2021 02:07:55 GMT
        "@method": POST
        "@path": /foo
        "@query": ?param=Value&Pet=dog
        "@authority": example.com
        "content-type": application/json
        "content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
        "content-length": 18
        "@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"
        """

    static let b24Base = """
        "@status": 200
        "content-type": application/json
        "content-digest": sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:
        "content-length": 23
        "@signature-params": ("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256"
        """

    static let b25Base = """
        "date": Tue, 20 Apr 2021 02:07:55 GMT
        "@authority": example.com
        "content-type": application/json
        "@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"
        """
    static let b25SignatureInput =
        #"sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret""#
    static let b25Signature = "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:"
    static let b25BaseLength = 200
    static let b25BaseSHA256Hex = "82faed1b67e492cfc8fe50fee1b6fdbdcf9f4d6384af8282339dcad5e44310e7"
    static let b25HMACHex = "a71710c3a1b7023b4c0508f0a3c5f39197ff6f0b392de95b68c939ac6206b44f"
    static let b25NegativeCreated474 = "hGzmFie1MJt9TmEvXJftMcYYt8asr8PaKxA4ESdHVps="
    static let b25NegativeTrailingLF = "+fep01MNDbkKBi26gY50tRwPw0QUF/5Tq9pGatYX9Pk="
    static let b25NegativeCRLF = "7mus6BA75KPIuLKqJ9sFGAuXFTJMu5cl4sbC1ELyn74="

    static let b26Base = """
        "date": Tue, 20 Apr 2021 02:07:55 GMT
        "@method": POST
        "@path": /foo
        "@authority": example.com
        "content-type": application/json
        "content-length": 18
        "@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"
        """
    static let b26SignatureInput =
        #"sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#
    static let b26Signature =
        "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:"

    static let section25Base = """
        "@method": POST
        "@authority": example.com
        "@path": /foo
        "content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
        "content-length": 18
        "content-type": application/json
        "@signature-params": ("@method" "@authority" "@path" "content-digest" "content-length" "content-type");created=1618884473;keyid="test-key-rsa-pss"
        """

    static let httpsignResponseBase = """
        "@status": 200
        "date": Tue, 20 Apr 2021 02:07:56 GMT
        "content-type": application/json
        "@signature-params": ("@status" "date" "content-type");created=1618889999;alg="hmac-sha256";keyid="test-shared-secret"
        """
    static let httpsignResponseSignature = "sig1=:5s7SCXZBsy7g/xqoFjVy+WWvWi4bb3G7bQoE+blEyz4=:"

    static let httpsignRequestBase = """
        "@authority": example.com
        "date": Tue, 20 Apr 2021 02:07:55 GMT
        "content-type": application/json
        "@signature-params": ("@authority" "date" "content-type");created=1618884475;keyid="test-shared-secret"
        """
    static let httpsignRequestSignature = "sig1=:fN3AMNGbx0V/cIEKkZOvLOoC3InI+lM2+gTv22x3ia8=:"

    // RFC 9530
    static let digest18SHA512 = ":WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
    static let digest18SHA256 = ":X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
    static let digest18MD5 = ":Sd/dVLAcvNLSq16eXua5uQ==:"
    static let digest18SHA1 = ":07CavjDP4u3/TungoUHJO/Wzr4c=:"
    static let digest19SHA256Field = "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:"
    static let section2Field1 =
        "sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:"
    static let section2Field2 =
        "sha-256=:d435Qo+nKZ+gLcUHn7GQtQ72hiBVAgqoLsZnZPiTGPk=:, sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:"
    static let emptySHA256 = ":47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"
}

enum CartBridgeVectors {
    static let bridgeKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
    static let kReqHex = "89dacbb603c50fe147c40a17a7fbfc95afb915cc41a4555f533991b551b46170"
    static let kRespHex = "c043a9d08948567c109adeb3ae9a770f695e1d58e8cf80d78ff109669dcda550"
    static let kEncC2SHex = "fca762acec661e30511c8840e10b79bbd9afb7660e893f7c0ff07bcaa910f3b4"
    static let kEncS2CHex = "fc6d4d82d31738be27f5690662ee5debec4785885d4c0e85a627efec74143c74"

    // R1
    static let r1Body = #"{"op":"ping"}"#
    static let r1Digest = "sha-256=:faGbuBawM3VcnaLGXwukN6ctVHWiQPJsCaiwVJ35LN0=:"
    static let r1Nonce = "QUJDREVGR0hJSktMTU5PUA"
    static let r1Base = """
        "@method": POST
        "@authority": shop.example.com
        "@path": /cartbridge/bridge.php
        "@query": ?
        "content-type": application/json
        "content-digest": sha-256=:faGbuBawM3VcnaLGXwukN6ctVHWiQPJsCaiwVJ35LN0=:
        "@signature-params": ("@method" "@authority" "@path" "@query" "content-type" "content-digest");created=1700000000;expires=1700000060;nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1";tag="cartbridge/1"
        """
    static let r1SignatureInput =
        #"cb=("@method" "@authority" "@path" "@query" "content-type" "content-digest");created=1700000000;expires=1700000060;nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1";tag="cartbridge/1""#
    static let r1Signature = "cb=:iUkyWiC1PWQ+fhnWo0Ys2GYp3804hMnjFPfdYPSpZXE=:"

    // R2
    static let r2Body =
        #"{"op":"query","args":{"statements":[{"sql":"SELECT product_id, quantity FROM oc_product WHERE product_id > ? ORDER BY product_id LIMIT ?","params":[40,2]}]}}"#
    static let r2Digest = "sha-256=:1yQHbKoqzoTEraZFmZsIX6A+ge64BksTDsO4PInewRk=:"
    static let r2Nonce = "MDEyMzQ1Njc4OWFiY2RlZg"
    static let r2Base = """
        "@method": POST
        "@authority": 127.0.0.1:8088
        "@path": /shop/cartbridge/bridge.php
        "@query": ?v=1
        "content-type": application/json
        "content-digest": sha-256=:1yQHbKoqzoTEraZFmZsIX6A+ge64BksTDsO4PInewRk=:
        "@signature-params": ("@method" "@authority" "@path" "@query" "content-type" "content-digest");created=1700000100;expires=1700000160;nonce="MDEyMzQ1Njc4OWFiY2RlZg";keyid="k1";tag="cartbridge/1"
        """
    static let r2SignatureInput =
        #"cb=("@method" "@authority" "@path" "@query" "content-type" "content-digest");created=1700000100;expires=1700000160;nonce="MDEyMzQ1Njc4OWFiY2RlZg";keyid="k1";tag="cartbridge/1""#
    static let r2Signature = "cb=:2nwY4yaqzxO0K5PSIayak8lfilv1Yc59m46LUsMJLE4=:"

    // S1
    static let s1Body = #"{"ok":true,"result":{"protocol":"cartbridge/1"}}"#
    static let s1Digest = "sha-256=:TEnCCFOWHhqUWPHupDhbPGlIxdVQfZJkShaLPDKxTyk=:"
    static let s1Base = """
        "@status": 200
        "content-type": application/json
        "content-digest": sha-256=:TEnCCFOWHhqUWPHupDhbPGlIxdVQfZJkShaLPDKxTyk=:
        "bridge-request-nonce": QUJDREVGR0hJSktMTU5PUA
        "@signature-params": ("@status" "content-type" "content-digest" "bridge-request-nonce");created=1700000001;keyid="k1";tag="cartbridge/1-resp"
        """
    static let s1SignatureInput =
        #"cb=("@status" "content-type" "content-digest" "bridge-request-nonce");created=1700000001;keyid="k1";tag="cartbridge/1-resp""#
    static let s1Signature = "cb=:PV8SPFwnPT5bTqhKwfFHgsmX2v2eLSLU2HKKb0AREFg=:"

    // S2
    static let s2Body = #"{"error":{"code":"clock_skew","message":"created is outside the allowed window"},"now":1700000400}"#
    static let s2Digest = "sha-256=:S95Tzi+Hd1ukp9q7UX3zafq/spKdlAzesYn3BopwopY=:"
    static let s2Base = """
        "@status": 401
        "content-type": application/json
        "content-digest": sha-256=:S95Tzi+Hd1ukp9q7UX3zafq/spKdlAzesYn3BopwopY=:
        "bridge-request-nonce": QUJDREVGR0hJSktMTU5PUA
        "@signature-params": ("@status" "content-type" "content-digest" "bridge-request-nonce");created=1700000400;keyid="k1";tag="cartbridge/1-resp"
        """
    static let s2SignatureInput =
        #"cb=("@status" "content-type" "content-digest" "bridge-request-nonce");created=1700000400;keyid="k1";tag="cartbridge/1-resp""#
    static let s2Signature = "cb=:YyogRfrmoouuTx2cvVtnhO5G8HTOUNADTIFTXZeF1LI=:"

    // E1
    static let e1AAD = "cartbridge/1|c2s|k1|QUJDREVGR0hJSktMTU5PUA"
    static let e1IVHex = "000102030405060708090a0b"
    static let e1WireHex = "000102030405060708090a0bda2c76607e7f98b4fad46d1f64ad753a80c899d158ca30a6c7d960b6e1"
    static let e1Digest = "sha-256=:oHEouVBkrgOZYfNHz5kH/DyQlgR5GzOFG5pKjPabYD0=:"
    static let e1Base = """
        "@method": POST
        "@authority": shop.example.com
        "@path": /cartbridge/bridge.php
        "@query": ?
        "content-type": application/cartbridge-aead
        "content-digest": sha-256=:oHEouVBkrgOZYfNHz5kH/DyQlgR5GzOFG5pKjPabYD0=:
        "@signature-params": ("@method" "@authority" "@path" "@query" "content-type" "content-digest");created=1700000000;expires=1700000060;nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1";tag="cartbridge/1"
        """
    static let e1SignatureInput = r1SignatureInput
    static let e1Signature = "cb=:ivHeKMvfuKRjEoRoPZ5gCl0Vsa38JMAj9MMiRShGZ+k=:"
}

enum Hex {
    static func decode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
