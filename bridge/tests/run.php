<?php
/**
 * Test runner of the CartBridge PHP bridge: `php bridge/tests/run.php`.
 *
 * 1. Published vectors (RFC 9421 B.2.5, RFC 9530, cartbridge/1 R1 R2 S1 S2 E1), copied here as literals so the
 *    suite runs on a fresh clone.
 * 2. Every row of the protocol's check table, with its code, HTTP status and signed-ness, run in-process.
 * 3. The real bridge behind `php -S`: ping, encrypted mode, refusals, over HTTP.
 * 4. With a MariaDB (CARTBRIDGE_TEST_MARIADB_HOST, _PORT, _USER, _PASSWORD): detect and query against small
 *    OpenCart-, WooCommerce- and PrestaShop-shaped databases the test creates and drops itself.
 *
 * Prints one line per test and ends with exactly one line "N passed, N failed, N skipped"; exits 1 on failure.
 */

declare(strict_types=1);

\error_reporting(\E_ALL);
\ini_set('display_errors', '1');
\define('CARTBRIDGE_LIBRARY_ONLY', true);
require __DIR__ . '/../cartbridge/bridge.php';

use CartBridge\BridgeError;
use CartBridge\Budget;
use CartBridge\Exchange;
use function CartBridge\aead_context;
use function CartBridge\aead_open;
use function CartBridge\aead_seal;
use function CartBridge\b64url_decode;
use function CartBridge\connect;
use function CartBridge\content_digest;
use function CartBridge\derive_keys;
use function CartBridge\encode_json;
use function CartBridge\error_json;
use function CartBridge\handle;
use function CartBridge\inner_list;
use function CartBridge\is_read_statement;
use function CartBridge\locate_store;
use function CartBridge\php_array_pairs;
use function CartBridge\php_assignments;
use function CartBridge\php_constants;
use function CartBridge\php_defines;
use function CartBridge\php_tokens;
use function CartBridge\prefix_candidates;
use function CartBridge\purge_nonces;
use function CartBridge\request_from_server;
use function CartBridge\run_batch;
use function CartBridge\sign_response;
use function CartBridge\signature_base;
use function CartBridge\split_host;
use function CartBridge\utc_offset;
use function CartBridge\validate_config;
use function CartBridge\verify_request;

/* ============================================================== vectors (published protocol facts) */

// RFC 9421 Appendix B.1.5 shared secret and B.2.5 (hmac-sha256).
const RFC_SECRET_B64 = 'uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==';
const RFC_B25_PARAMS = '("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"';
const RFC_B25_BASE = "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@authority\": example.com\n\"content-type\": application/json\n"
    . "\"@signature-params\": (\"date\" \"@authority\" \"content-type\");created=1618884473;keyid=\"test-shared-secret\"";
const RFC_B25_SIGNATURE = 'pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=';
const RFC_B25_BASE_SHA256 = '82faed1b67e492cfc8fe50fee1b6fdbdcf9f4d6384af8282339dcad5e44310e7';
const RFC_B25_WRONG_CREATED = 'hGzmFie1MJt9TmEvXJftMcYYt8asr8PaKxA4ESdHVps=';
const RFC_B25_TRAILING_LF = '+fep01MNDbkKBi26gY50tRwPw0QUF/5Tq9pGatYX9Pk=';
const RFC_B25_CRLF = '7mus6BA75KPIuLKqJ9sFGAuXFTJMu5cl4sbC1ELyn74=';
// RFC 9421 B.2.3 (full coverage) base, rebuilt by the same builder.
const RFC_B23_BASE = "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@method\": POST\n\"@path\": /foo\n\"@query\": ?param=Value&Pet=dog\n"
    . "\"@authority\": example.com\n\"content-type\": application/json\n"
    . "\"content-digest\": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n"
    . "\"content-length\": 18\n\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@query\" \"@authority\" \"content-type\" "
    . "\"content-digest\" \"content-length\");created=1618884473;keyid=\"test-key-rsa-pss\"";
// RFC 9530 Appendix D / B.1 sha-256 digests.
const RFC9530_HELLO = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:';
const RFC9530_HELLO_LF = 'sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:';
const RFC9530_EMPTY = 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:';

// cartbridge/1 worked examples.
const CB_KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
const CB_DERIVED = [
    'req' => '89dacbb603c50fe147c40a17a7fbfc95afb915cc41a4555f533991b551b46170',
    'resp' => 'c043a9d08948567c109adeb3ae9a770f695e1d58e8cf80d78ff109669dcda550',
    'enc_c2s' => 'fca762acec661e30511c8840e10b79bbd9afb7660e893f7c0ff07bcaa910f3b4',
    'enc_s2c' => 'fc6d4d82d31738be27f5690662ee5debec4785885d4c0e85a627efec74143c74',
];
const CB_NONCE = 'QUJDREVGR0hJSktMTU5PUA';
const R1_BODY = '{"op":"ping"}';
const R1_DIGEST = 'sha-256=:faGbuBawM3VcnaLGXwukN6ctVHWiQPJsCaiwVJ35LN0=:';
const R1_INPUT = 'cb=("@method" "@authority" "@path" "@query" "content-type" "content-digest");created=1700000000;expires=1700000060;nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1";tag="cartbridge/1"';
const R1_BASE = "\"@method\": POST\n\"@authority\": shop.example.com\n\"@path\": /cartbridge/bridge.php\n\"@query\": ?\n"
    . "\"content-type\": application/json\n\"content-digest\": sha-256=:faGbuBawM3VcnaLGXwukN6ctVHWiQPJsCaiwVJ35LN0=:\n"
    . "\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"@query\" \"content-type\" \"content-digest\");created=1700000000;expires=1700000060;nonce=\"QUJDREVGR0hJSktMTU5PUA\";keyid=\"k1\";tag=\"cartbridge/1\"";
const R1_SIGNATURE = 'cb=:iUkyWiC1PWQ+fhnWo0Ys2GYp3804hMnjFPfdYPSpZXE=:';
const R2_BODY = '{"op":"query","args":{"statements":[{"sql":"SELECT product_id, quantity FROM oc_product WHERE product_id > ? ORDER BY product_id LIMIT ?","params":[40,2]}]}}';
const R2_DIGEST = 'sha-256=:1yQHbKoqzoTEraZFmZsIX6A+ge64BksTDsO4PInewRk=:';
const R2_INPUT = 'cb=("@method" "@authority" "@path" "@query" "content-type" "content-digest");created=1700000100;expires=1700000160;nonce="MDEyMzQ1Njc4OWFiY2RlZg";keyid="k1";tag="cartbridge/1"';
const R2_BASE = "\"@method\": POST\n\"@authority\": 127.0.0.1:8088\n\"@path\": /shop/cartbridge/bridge.php\n\"@query\": ?v=1\n"
    . "\"content-type\": application/json\n\"content-digest\": sha-256=:1yQHbKoqzoTEraZFmZsIX6A+ge64BksTDsO4PInewRk=:\n"
    . "\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"@query\" \"content-type\" \"content-digest\");created=1700000100;expires=1700000160;nonce=\"MDEyMzQ1Njc4OWFiY2RlZg\";keyid=\"k1\";tag=\"cartbridge/1\"";
const R2_SIGNATURE = 'cb=:2nwY4yaqzxO0K5PSIayak8lfilv1Yc59m46LUsMJLE4=:';
const S1_BODY = '{"ok":true,"result":{"protocol":"cartbridge/1"}}';
const S1_DIGEST = 'sha-256=:TEnCCFOWHhqUWPHupDhbPGlIxdVQfZJkShaLPDKxTyk=:';
const S1_INPUT = 'cb=("@status" "content-type" "content-digest" "bridge-request-nonce");created=1700000001;keyid="k1";tag="cartbridge/1-resp"';
const S1_BASE = "\"@status\": 200\n\"content-type\": application/json\n\"content-digest\": sha-256=:TEnCCFOWHhqUWPHupDhbPGlIxdVQfZJkShaLPDKxTyk=:\n"
    . "\"bridge-request-nonce\": QUJDREVGR0hJSktMTU5PUA\n"
    . "\"@signature-params\": (\"@status\" \"content-type\" \"content-digest\" \"bridge-request-nonce\");created=1700000001;keyid=\"k1\";tag=\"cartbridge/1-resp\"";
const S1_SIGNATURE = 'cb=:PV8SPFwnPT5bTqhKwfFHgsmX2v2eLSLU2HKKb0AREFg=:';
const S2_BODY = '{"error":{"code":"clock_skew","message":"created is outside the allowed window"},"now":1700000400}';
const S2_DIGEST = 'sha-256=:S95Tzi+Hd1ukp9q7UX3zafq/spKdlAzesYn3BopwopY=:';
const S2_INPUT = 'cb=("@status" "content-type" "content-digest" "bridge-request-nonce");created=1700000400;keyid="k1";tag="cartbridge/1-resp"';
const S2_SIGNATURE = 'cb=:YyogRfrmoouuTx2cvVtnhO5G8HTOUNADTIFTXZeF1LI=:';
const E1_AAD = 'cartbridge/1|c2s|k1|QUJDREVGR0hJSktMTU5PUA';
const E1_IV_HEX = '000102030405060708090a0b';
const E1_WIRE_HEX = '000102030405060708090a0bda2c76607e7f98b4fad46d1f64ad753a80c899d158ca30a6c7d960b6e1';
const E1_DIGEST = 'sha-256=:oHEouVBkrgOZYfNHz5kH/DyQlgR5GzOFG5pKjPabYD0=:';
const E1_SIGNATURE = 'cb=:ivHeKMvfuKRjEoRoPZ5gCl0Vsa38JMAj9MMiRShGZ+k=:';

const NOW = 1700000000;

/* ============================================================== a small test harness */

final class Skip extends \Exception
{
}

final class Failure extends \Exception
{
}

final class Harness
{
    public static int $passed = 0;
    public static int $failed = 0;
    public static int $skipped = 0;
}

function test(string $name, callable $body): void
{
    try {
        $body();
        Harness::$passed++;
        echo "ok    $name\n";
    } catch (Skip $s) {
        Harness::$skipped++;
        echo "skip  $name: {$s->getMessage()}\n";
    } catch (\Throwable $e) {
        Harness::$failed++;
        $where = $e instanceof Failure ? '' : ' (' . \get_class($e) . ' at ' . \basename($e->getFile()) . ':' . $e->getLine() . ')';
        echo "FAIL  $name: {$e->getMessage()}$where\n";
    }
}

function check(bool $condition, string $what): void
{
    if (!$condition) {
        throw new Failure($what);
    }
}

function same($expected, $actual, string $what): void
{
    if ($expected !== $actual) {
        throw new Failure($what . ': expected ' . \var_export($expected, true) . ', got ' . \var_export($actual, true));
    }
}

/* ============================================================== client side: signing requests, verifying replies */

/** base64url without padding: how keys and nonces are written (the bridge itself only decodes them). */
function b64url_encode(string $bytes): string
{
    return \rtrim(\strtr(\base64_encode($bytes), '+/', '-_'), '=');
}

/** A request with the service's defaults; fields are what is signed and, unless changed afterwards, what is sent. */
function req(array $fields = []): array
{
    return $fields + [
        'key' => Fixture::$key,
        'keyid' => 'k1',
        'authority' => 'shop.test',
        'path' => '/cartbridge/bridge.php',
        'query' => '?',
        'content_type' => 'application/json',
        'body' => '{"op":"ping"}',
        'created' => NOW,
        'expires' => NOW + 60,
        'nonce' => b64url_encode(\random_bytes(16)),
        'tag' => 'cartbridge/1',
    ];
}

/** Adds the headers the service would send: Content-Type, Content-Digest, Signature-Input, Signature. */
function sign(array $r): array
{
    $params = inner_list(['@method', '@authority', '@path', '@query', 'content-type', 'content-digest'])
        . ';created=' . $r['created'] . ';expires=' . $r['expires'] . ';nonce="' . $r['nonce'] . '";keyid="' . $r['keyid']
        . '";tag="' . $r['tag'] . '"';
    $digest = content_digest($r['body']);
    $base = signature_base([
        '@method' => 'POST',
        '@authority' => $r['authority'],
        '@path' => $r['path'],
        '@query' => $r['query'],
        'content-type' => $r['content_type'],
        'content-digest' => $digest,
    ], $params);
    $r['headers'] = [
        'Content-Digest' => $digest,
        'Signature-Input' => 'cb=' . $params,
        'Signature' => 'cb=:' . \base64_encode(\hash_hmac('sha256', $base, derive_keys($r['key'])['req'], true)) . ':',
    ];
    return $r;
}

/** An encrypted request: the body sealed under k_enc_c2s with the request's AAD, then signed. */
function sign_sealed(array $r): array
{
    $r['body'] = aead_seal(derive_keys($r['key'])['enc_c2s'], aead_context('c2s', $r['keyid'], $r['nonce']), $r['body']);
    $r['content_type'] = 'application/cartbridge-aead';
    return sign($r);
}

/** The $_SERVER entries a web server would pass for the request; a null header is not sent. */
function server_of(array $r): array
{
    $server = [
        'REQUEST_METHOD' => 'POST',
        'HTTP_HOST' => $r['authority'],
        'REQUEST_URI' => $r['path'] . ($r['query'] === '?' ? '' : $r['query']),
        'CONTENT_TYPE' => $r['content_type'],
        'CONTENT_LENGTH' => $r['content_length'] ?? (string) \strlen($r['body']),
    ];
    foreach ($r['headers'] as $name => $value) {
        if ($value !== null) {
            $server['HTTP_' . \strtoupper(\str_replace('-', '_', $name))] = $value;
        }
    }
    return $server;
}

/** Runs a request through the bridge's handler in this process; `reads` counts how often the body was read. */
function send_local(array $r, array $config, int $now = NOW): array
{
    $reads = 0;
    $readBody = static function (int $limit) use ($r, &$reads): string {
        $reads++;
        return \substr($r['body'], 0, $limit);
    };
    $response = handle(server_of($r), $readBody, $config, $now, new Exchange());
    check($reads <= 1, 'the body is read at most once');
    return ['status' => $response['status'], 'headers' => \array_change_key_case($response['headers']), 'body' => $response['body'], 'reads' => $reads];
}

/**
 * Checks a reply like the service does (signature, tag, keyid, echoed nonce, digest of the bytes received) and
 * returns its JSON, decrypted when it came encrypted.
 */
function open_reply(array $response, array $r): array
{
    $h = $response['headers'];
    check(isset($h['signature-input'], $h['signature'], $h['content-digest']), 'the reply is signed');
    $ok = \preg_match('/^cb=(\("@status" "content-type" "content-digest" "bridge-request-nonce"\);created=\d+;keyid="([^"]+)";tag="cartbridge\/1-resp")$/D', $h['signature-input'], $m);
    check($ok === 1, 'reply Signature-Input has the response shape: ' . $h['signature-input']);
    same($r['keyid'], $m[2], 'reply keyid');
    same($r['nonce'], $h['bridge-request-nonce'] ?? null, 'echoed nonce');
    same(content_digest($response['body']), $h['content-digest'], 'reply digest');
    $keys = derive_keys($r['key']);
    $base = signature_base([
        '@status' => (string) $response['status'],
        'content-type' => $h['content-type'],
        'content-digest' => $h['content-digest'],
        'bridge-request-nonce' => $r['nonce'],
    ], $m[1]);
    same('cb=:' . \base64_encode(\hash_hmac('sha256', $base, $keys['resp'], true)) . ':', $h['signature'], 'reply signature');
    $json = $response['body'];
    if ($h['content-type'] === 'application/cartbridge-aead') {
        $json = aead_open($keys['enc_s2c'], aead_context('s2c', $r['keyid'], $r['nonce']), $response['body']);
        check($json !== null, 'the encrypted reply opens under k_enc_s2c');
    } else {
        same('application/json', $h['content-type'], 'reply content type');
    }
    $decoded = \json_decode($json, true);
    check(\is_array($decoded), 'the reply is JSON: ' . \substr($json, 0, 200));
    return $decoded;
}

/** Asserts a refusal: status, error code, and whether the reply is signed. Returns the error object. */
function refused(array $response, array $r, int $status, string $code, bool $signed): array
{
    same($status, $response['status'], "HTTP status for $code");
    if ($signed) {
        $json = open_reply($response, $r);
    } else {
        check(!isset($response['headers']['signature']), "$code is answered unsigned");
        $json = \json_decode($response['body'], true);
    }
    same($code, $json['error']['code'] ?? null, 'error code');
    check(\is_int($json['now'] ?? null), 'the error carries the bridge time');
    return $json['error'];
}

function ok_result(array $response, array $r): array
{
    $json = open_reply($response, $r);
    same(200, $response['status'], 'HTTP status (body ' . \json_encode($json) . ')');
    same(true, $json['ok'] ?? null, 'ok flag');
    return $json['result'];
}

/* ============================================================== fixtures */

final class Fixture
{
    public static string $key = '';
    public static string $key2 = '';
    public static string $tmp = '';
    public static ?\PDO $db = null;
    public static string $dbName = '';
    /** @var resource|null */
    public static $server = null;
    public static int $port = 0;
    public static string $docroot = '';
}

function local_config(array $entries = []): array
{
    $dir = Fixture::$tmp . '/local/cartbridge';
    return validate_config($entries + [
        'keys' => ['k1' => b64url_encode(Fixture::$key)],
        'nonce_dir' => $dir . '/var/nonces-' . \bin2hex(\random_bytes(4)),
    ], $dir);
}

function remove_tree(string $path): void
{
    if (\is_link($path) || \is_file($path)) {
        \unlink($path);
        return;
    }
    if (!\is_dir($path)) {
        return;
    }
    foreach (\scandir($path) as $name) {
        if ($name !== '.' && $name !== '..') {
            remove_tree($path . '/' . $name);
        }
    }
    \rmdir($path);
}

function write_file(string $path, string $text): void
{
    if (!\is_dir(\dirname($path))) {
        \mkdir(\dirname($path), 0700, true);
    }
    \file_put_contents($path, $text);
}

/* ============================================================== 1. vectors */

function vector_tests(): void
{
    test('RFC 9421 B.2.5 hmac-sha256 through the generic signature-base builder', static function (): void {
        $base = signature_base(['date' => 'Tue, 20 Apr 2021 02:07:55 GMT', '@authority' => 'example.com', 'content-type' => 'application/json'], RFC_B25_PARAMS);
        same(RFC_B25_BASE, $base, 'base');
        same(200, \strlen($base), 'base length');
        same(RFC_B25_BASE_SHA256, \hash('sha256', $base), 'SHA-256 of the base');
        $secret = \base64_decode(RFC_SECRET_B64, true);
        $mac = static function (string $b) use ($secret): string {
            return \base64_encode(\hash_hmac('sha256', $b, $secret, true));
        };
        same(RFC_B25_SIGNATURE, $mac($base), 'signature');
        same(RFC_B25_WRONG_CREATED, $mac(\str_replace('1618884473', '1618884474', $base)), 'negative: created + 1');
        same(RFC_B25_TRAILING_LF, $mac($base . "\n"), 'negative: trailing LF');
        same(RFC_B25_CRLF, $mac(\str_replace("\n", "\r\n", $base)), 'negative: CRLF');
    });
    test('RFC 9421 B.2.3 full-coverage base through the same builder', static function (): void {
        $components = [
            'date' => 'Tue, 20 Apr 2021 02:07:55 GMT', '@method' => 'POST', '@path' => '/foo', '@query' => '?param=Value&Pet=dog',
            '@authority' => 'example.com', 'content-type' => 'application/json',
            'content-digest' => 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
            'content-length' => '18',
        ];
        same(RFC_B23_BASE, signature_base($components, inner_list(\array_keys($components)) . ';created=1618884473;keyid="test-key-rsa-pss"'), 'base');
    });
    test('RFC 9530 sha-256 Content-Digest values', static function (): void {
        same(RFC9530_HELLO, content_digest('{"hello": "world"}'), '18-byte body');
        same(RFC9530_HELLO_LF, content_digest("{\"hello\": \"world\"}\n"), '19-byte body');
        same(RFC9530_EMPTY, content_digest(''), 'empty body');
    });
    test('cartbridge/1 derived keys', static function (): void {
        $keys = \array_map('bin2hex', derive_keys((string) b64url_decode(CB_KEY)));
        same(CB_DERIVED, $keys, 'k_req, k_resp, k_enc_c2s, k_enc_s2c');
    });
    test('cartbridge/1 R1 and R2: digest, base, signature, and the bridge accepts them', static function (): void {
        $key = (string) b64url_decode(CB_KEY);
        $cases = [
            [R1_BODY, R1_DIGEST, R1_INPUT, R1_BASE, R1_SIGNATURE, 'shop.example.com', '/cartbridge/bridge.php', '?', 1700000000],
            [R2_BODY, R2_DIGEST, R2_INPUT, R2_BASE, R2_SIGNATURE, '127.0.0.1:8088', '/shop/cartbridge/bridge.php', '?v=1', 1700000100],
        ];
        foreach ($cases as [$body, $digest, $input, $base, $signature, $authority, $path, $query, $created]) {
            same($digest, content_digest($body), 'digest');
            $r = sign(req(['key' => $key, 'body' => $body, 'authority' => $authority, 'path' => $path, 'query' => $query,
                'created' => $created, 'expires' => $created + 60, 'nonce' => \substr($input, \strpos($input, 'nonce="') + 7, 22)]));
            same($input, $r['headers']['Signature-Input'], 'Signature-Input');
            same($signature, $r['headers']['Signature'], 'Signature');
            same($base, signature_base(['@method' => 'POST', '@authority' => $authority, '@path' => $path, '@query' => $query,
                'content-type' => 'application/json', 'content-digest' => $digest], \substr($input, 3)), 'base');
            // The literal headers, not the ones sign() computed, go to the bridge.
            $r['headers'] = ['Content-Digest' => $digest, 'Signature-Input' => $input, 'Signature' => $signature];
            $config = local_config(['keys' => ['k1' => CB_KEY]]);
            $verified = verify_request(request_from_server(server_of($r)), static function () use ($body): string {
                return $body;
            }, $config, $created, new Exchange());
            same($body, $verified['body'], 'verified body');
        }
    });
    test('cartbridge/1 S1: signed success response bytes', static function (): void {
        $body = encode_json(['ok' => true, 'result' => ['protocol' => 'cartbridge/1']]);
        same(S1_BODY, $body, 'body');
        $resp = derive_keys((string) b64url_decode(CB_KEY))['resp'];
        $headers = sign_response(200, 'application/json', $body, 'k1', $resp, CB_NONCE, 1700000001);
        same(['Content-Digest' => S1_DIGEST, 'Bridge-Request-Nonce' => CB_NONCE, 'Signature-Input' => S1_INPUT, 'Signature' => S1_SIGNATURE], $headers, 'headers');
        same(S1_BASE, signature_base(['@status' => '200', 'content-type' => 'application/json', 'content-digest' => S1_DIGEST,
            'bridge-request-nonce' => CB_NONCE], \substr(S1_INPUT, 3)), 'base');
    });
    test('cartbridge/1 S2: R1 answered at 1700000400 gives the signed clock_skew reply byte for byte', static function (): void {
        $r = req(['key' => (string) b64url_decode(CB_KEY), 'authority' => 'shop.example.com', 'body' => R1_BODY, 'nonce' => CB_NONCE]);
        $r['headers'] = ['Content-Digest' => R1_DIGEST, 'Signature-Input' => R1_INPUT, 'Signature' => R1_SIGNATURE];
        $reply = send_local($r, local_config(['keys' => ['k1' => CB_KEY]]), 1700000400);
        same(401, $reply['status'], 'status');
        same(S2_BODY, $reply['body'], 'body');
        same(S2_DIGEST, $reply['headers']['content-digest'], 'digest');
        same(S2_INPUT, $reply['headers']['signature-input'], 'Signature-Input');
        same(S2_SIGNATURE, $reply['headers']['signature'], 'Signature');
        same(CB_NONCE, $reply['headers']['bridge-request-nonce'], 'nonce');
        same(S2_BODY, error_json('clock_skew', 'created is outside the allowed window', 1700000400), 'error body encoder');
    });
    test('cartbridge/1 E1: encrypted body bytes, its signature, and an encrypted reply', static function (): void {
        $key = (string) b64url_decode(CB_KEY);
        $keys = derive_keys($key);
        same(E1_AAD, aead_context('c2s', 'k1', CB_NONCE), 'AAD');
        $wire = aead_seal($keys['enc_c2s'], E1_AAD, R1_BODY, (string) \hex2bin(E1_IV_HEX));
        same(E1_WIRE_HEX, \bin2hex($wire), 'IV || ciphertext || tag');
        same(R1_BODY, aead_open($keys['enc_c2s'], E1_AAD, $wire), 'opens');
        $r = sign(req(['key' => $key, 'body' => $wire, 'content_type' => 'application/cartbridge-aead', 'authority' => 'shop.example.com',
            'created' => 1700000000, 'expires' => 1700000060, 'nonce' => CB_NONCE]));
        same(E1_DIGEST, $r['headers']['Content-Digest'], 'digest');
        same(E1_SIGNATURE, $r['headers']['Signature'], 'signature');
        $reply = send_local($r, local_config(['keys' => ['k1' => CB_KEY]]), 1700000000);
        same('application/cartbridge-aead', $reply['headers']['content-type'], 'reply is encrypted');
        $result = ok_result($reply, $r);
        same(true, $result['encrypted'], 'ping reports encrypted');
    });
}

/* ============================================================== 2. the check table, in-process */

function check_table_tests(): void
{
    $members = static function (array $r): array {
        $r['headers']['Signature-Input'] .= ', ' . $r['headers']['Signature-Input'];
        return $r;
    };
    $withInput = static function (array $r, string $from, string $to): array {
        $r['headers']['Signature-Input'] = \str_replace($from, $to, $r['headers']['Signature-Input']);
        return $r;
    };
    $withParams = static function (string $params): array {
        // A correctly MACed request whose Signature-Input carries other parameters.
        $r = req();
        $r['headers'] = sign($r)['headers'];
        $r['headers']['Signature-Input'] = 'cb=("@method" "@authority" "@path" "@query" "content-type" "content-digest")' . $params;
        return $r;
    };
    $n = NOW;
    $rows = [
        // [name, request, status, code, signed, config entries]
        ['1 sig_missing: no Signature-Input', static function (array $r): array {
            $r['headers']['Signature-Input'] = null;
            return $r;
        }, 401, 'sig_missing', false],
        ['1 sig_missing: no Signature', static function (array $r): array {
            $r['headers']['Signature'] = null;
            return $r;
        }, 401, 'sig_missing', false],
        ['2 sig_malformed: two members (duplicate label cb)', $members, 400, 'sig_malformed', false],
        ['2 sig_malformed: another label', static function (array $r) use ($withInput): array {
            return $withInput($r, 'cb=', 'sig1=');
        }, 400, 'sig_malformed', false],
        ['2 sig_malformed: two Signature members', static function (array $r): array {
            $r['headers']['Signature'] .= ', ' . $r['headers']['Signature'];
            return $r;
        }, 400, 'sig_malformed', false],
        ['2 sig_malformed: Signature not a byte sequence', static function (array $r): array {
            $r['headers']['Signature'] = \substr($r['headers']['Signature'], 0, -1);
            return $r;
        }, 400, 'sig_malformed', false],
        ['2 sig_malformed: Signature-Input over 2 KiB', static function (array $r) use ($withInput): array {
            return $withInput($r, ';tag=', ';x="' . \str_repeat('a', 2100) . '";tag=');
        }, 400, 'sig_malformed', false],
        ['3 sig_components: missing component', static function (array $r) use ($withInput): array {
            return $withInput($r, ' "content-digest")', ')');
        }, 401, 'sig_components', false],
        ['3 sig_components: extra component', static function (array $r) use ($withInput): array {
            return $withInput($r, '"content-digest")', '"content-digest" "content-length")');
        }, 401, 'sig_components', false],
        ['3 sig_components: components reordered', static function (array $r) use ($withInput): array {
            return $withInput($r, '"@path" "@query"', '"@query" "@path"');
        }, 401, 'sig_components', false],
        ['3 sig_components: missing nonce', static function () use ($withParams, $n): array {
            return $withParams(';created=' . $n . ';expires=' . ($n + 60) . ';keyid="k1";tag="cartbridge/1"');
        }, 401, 'sig_components', false],
        ['3 sig_components: extra parameter alg', static function () use ($withParams, $n): array {
            return $withParams(';created=' . $n . ';expires=' . ($n + 60) . ';nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1";tag="cartbridge/1";alg="hmac-sha256"');
        }, 401, 'sig_components', false],
        ['3 sig_components: created as a string', static function () use ($withParams, $n): array {
            return $withParams(';created="' . $n . '";expires=' . ($n + 60) . ';nonce="QUJDREVGR0hJSktMTU5PUA";keyid="k1";tag="cartbridge/1"');
        }, 401, 'sig_components', false],
        ['3 sig_components: nonce not 22 base64url characters', static function () use ($withParams, $n): array {
            return $withParams(';created=' . $n . ';expires=' . ($n + 60) . ';nonce="../../config.php";keyid="k1";tag="cartbridge/1"');
        }, 401, 'sig_components', false],
        ['4 sig_tag: a response tag', ['tag' => 'cartbridge/1-resp'], 401, 'sig_tag', false],
        ['4 sig_tag: wrong tag', ['tag' => 'other'], 401, 'sig_tag', false],
        ['5 key_unknown', ['keyid' => 'k9'], 401, 'key_unknown', false],
        ['6 clock_skew: stale created', ['created' => $n - 400, 'expires' => $n - 340], 401, 'clock_skew', true],
        ['6 clock_skew: future created', ['created' => $n + 61, 'expires' => $n + 121], 401, 'clock_skew', true],
        ['6 clock_skew: expired one second ago', ['created' => $n - 61, 'expires' => $n - 1], 401, 'clock_skew', true],
        ['6 clock_skew: expires - created > 300', ['created' => $n, 'expires' => $n + 301], 401, 'clock_skew', true],
        ['6 clock_skew: expires = created', ['created' => $n, 'expires' => $n], 401, 'clock_skew', true],
        ['7 body_too_large', ['body' => \json_encode(['op' => 'ping', 'pad' => \str_repeat('x', 64)])], 413, 'body_too_large', true, ['max_body_bytes' => 64]],
        ['8 digest_mismatch: wrong Content-Digest', static function (array $r): array {
            $r['headers']['Content-Digest'] = RFC9530_EMPTY;
            return $r;
        }, 401, 'digest_mismatch', true],
        ['8 digest_mismatch: body changed after signing', static function (array $r): array {
            $r['body'] = '{"op":"detect"}';
            return $r;
        }, 401, 'digest_mismatch', true],
        ['8 digest_mismatch: no Content-Digest', static function (array $r): array {
            $r['headers']['Content-Digest'] = null;
            return $r;
        }, 401, 'digest_mismatch', true],
        ['9 sig_invalid: body and digest changed after signing', static function (array $r): array {
            $r['body'] = '{"op":"detect"}';
            $r['headers']['Content-Digest'] = content_digest($r['body']);
            return $r;
        }, 401, 'sig_invalid', true],
        ['9 sig_invalid: query added after signing', static function (array $r): array {
            $r['query'] = '?x=1';
            return $r;
        }, 401, 'sig_invalid', true],
        ['9 sig_invalid: another path', static function (array $r): array {
            $r['path'] = '/other/cartbridge/bridge.php';
            return $r;
        }, 401, 'sig_invalid', true],
        ['9 sig_invalid: another host', static function (array $r): array {
            $r['authority'] = 'evil.test';
            return $r;
        }, 401, 'sig_invalid', true],
        ['9 sig_invalid: content type changed', static function (array $r): array {
            $r['content_type'] = 'application/cartbridge-aead';
            return $r;
        }, 401, 'sig_invalid', true],
        ['9 sig_invalid: truncated signature', static function (array $r): array {
            $mac = \base64_decode(\substr($r['headers']['Signature'], 4, -1));
            $r['headers']['Signature'] = 'cb=:' . \base64_encode(\substr($mac, 0, 16)) . ':';
            return $r;
        }, 401, 'sig_invalid', true],
        ['9 sig_invalid: signed with another key', static function (array $r): array {
            $forged = sign(['key' => \random_bytes(32)] + $r);
            $forged['key'] = $r['key'];   // the reply is signed with the configured key
            return $forged;
        }, 401, 'sig_invalid', true],
    ];
    foreach ($rows as $row) {
        [$name, $change, $status, $code, $signed] = $row;
        $entries = $row[5] ?? [];
        test("check $name", static function () use ($change, $status, $code, $signed, $entries): void {
            $r = \is_array($change) ? sign(req($change)) : $change(sign(req()));
            refused(send_local($r, local_config($entries)), $r, $status, $code, $signed);
        });
    }

    test('check 6 boundaries: created = now + 60 and a 300-second lifetime are accepted', static function (): void {
        $config = local_config();
        foreach ([['created' => NOW + 60, 'expires' => NOW + 120], ['created' => NOW - 240, 'expires' => NOW + 60]] as $times) {
            $r = sign(req($times));
            ok_result(send_local($r, $config), $r);
        }
    });
    test('check 7 body_too_large from the declared Content-Length, before reading', static function (): void {
        $r = sign(req(['content_length' => '99999999']));
        $reply = send_local($r, local_config());
        refused($reply, $r, 413, 'body_too_large', true);
        same(0, $reply['reads'], 'body reads');
    });
    test('check 10 replayed: the same request twice', static function (): void {
        $config = local_config();
        $r = sign(req());
        ok_result(send_local($r, $config), $r);
        refused(send_local($r, $config), $r, 409, 'replayed', true);
    });
    test('check 10 replayed: refused checks do not burn the nonce', static function (): void {
        $config = local_config();
        $r = sign(req());
        $bad = $r;
        $bad['query'] = '?x=1';
        refused(send_local($bad, $config), $bad, 401, 'sig_invalid', true);
        ok_result(send_local($r, $config), $r);
    });
    test('replay store unavailable: a nonce folder that cannot be created', static function (): void {
        $file = Fixture::$tmp . '/not-a-folder';
        \file_put_contents($file, '');
        $r = sign(req());
        refused(send_local($r, local_config(['nonce_dir' => $file . '/nonces'])), $r, 500, 'replay_store_unavailable', true);
    });
    test('key rotation: k1 and k2 both verify, each reply signed with its own key', static function (): void {
        $config = local_config(['keys' => ['k1' => b64url_encode(Fixture::$key), 'k2' => b64url_encode(Fixture::$key2)]]);
        foreach ([['k1', Fixture::$key], ['k2', Fixture::$key2]] as [$id, $key]) {
            $r = sign(req(['keyid' => $id, 'key' => $key]));
            ok_result(send_local($r, $config), $r);
        }
        $crossed = sign(req(['keyid' => 'k2', 'key' => Fixture::$key]));
        $crossed['key'] = Fixture::$key2;   // the reply is signed with the key k2 names
        refused(send_local($crossed, $config), $crossed, 401, 'sig_invalid', true);
    });
}

/* ============================================================== 2b. after verification: bodies, ops, modes */

function body_and_op_tests(): void
{
    $cases = [
        ['decrypt_failed: truncated GCM tag', static function (): array {
            $r = sign_sealed(req());
            $r['body'] = \substr($r['body'], 0, -4);
            return sign($r);
        }, 400, 'decrypt_failed', []],
        ['decrypt_failed: shorter than IV and tag', static function (): array {
            $r = req(['content_type' => 'application/cartbridge-aead']);
            $r['body'] = \random_bytes(12 + 15);
            return sign($r);
        }, 400, 'decrypt_failed', []],
        ['decrypt_failed: ciphertext changed', static function (): array {
            $r = sign_sealed(req());
            $r['body'][14] = \chr(\ord($r['body'][14]) ^ 1);
            return sign($r);
        }, 400, 'decrypt_failed', []],
        ['decrypt_failed: sealed for another request (AAD nonce)', static function (): array {
            $r = sign_sealed(req());
            $r['nonce'] = b64url_encode(\random_bytes(16));
            return sign($r);
        }, 400, 'decrypt_failed', []],
        ['encryption_required: plaintext refused', static function (): array {
            return sign(req());
        }, 403, 'encryption_required', ['require_encryption' => true]],
        ['bad_request: malformed JSON', static function (): array {
            return sign(req(['body' => '{"op":']));
        }, 400, 'bad_request', []],
        ['bad_request: no op', static function (): array {
            return sign(req(['body' => '{"args":{}}']));
        }, 400, 'bad_request', []],
        ['bad_request: args not an object', static function (): array {
            return sign(req(['body' => '{"op":"query","args":5}']));
        }, 400, 'bad_request', []],
        ['bad_request: another content type', static function (): array {
            return sign(req(['content_type' => 'text/plain']));
        }, 400, 'bad_request', []],
        ['bad_request: a statement without sql', static function (): array {
            return sign(req(['body' => '{"op":"query","args":{"statements":[{"params":[]}]}}']));
        }, 400, 'bad_request', []],
        ['bad_request: an array as a parameter', static function (): array {
            return sign(req(['body' => '{"op":"query","args":{"statements":[{"sql":"SELECT ?","params":[[1]]}]}}']));
        }, 400, 'bad_request', []],
        ['unknown_op', static function (): array {
            return sign(req(['body' => '{"op":"selfdestruct"}']));
        }, 400, 'unknown_op', []],
        ['read_only: an UPDATE is refused before any connection', static function (): array {
            return sign(req(['body' => \json_encode(['op' => 'query', 'args' => ['statements' => [
                ['sql' => 'SELECT 1', 'params' => []], ['sql' => 'UPDATE oc_product SET quantity = 0', 'params' => []]]]])]));
        }, 403, 'read_only', ['read_only' => true]],
        ['limit_exceeded: too many statements', static function (): array {
            return sign(req(['body' => \json_encode(['op' => 'query', 'args' => ['statements' => \array_fill(0, 3, ['sql' => 'SELECT 1'])]])]));
        }, 413, 'limit_exceeded', ['max_statements' => 2]],
        ['cart_not_detected: an empty store root', static function (): array {
            return sign(req(['body' => '{"op":"detect"}']));
        }, 422, 'cart_not_detected', ['store_root' => '/nonexistent-store-root']],
    ];
    foreach ($cases as [$name, $make, $status, $code, $entries]) {
        test($name, static function () use ($make, $status, $code, $entries): void {
            $r = $make();
            refused(send_local($r, local_config($entries)), $r, $status, $code, true);
        });
    }
    test('read_only: the refusal names the statement', static function (): void {
        $r = sign(req(['body' => '{"op":"query","args":{"statements":[{"sql":"SELECT 1"},{"sql":"DELETE FROM t"}]}}']));
        $error = refused(send_local($r, local_config(['read_only' => true])), $r, 403, 'read_only', true);
        same(1, $error['statement_index'] ?? null, 'statement_index');
    });
    test('encrypted requests are accepted under require_encryption and answered encrypted', static function (): void {
        $r = sign_sealed(req());
        $reply = send_local($r, local_config(['require_encryption' => true]));
        same('application/cartbridge-aead', $reply['headers']['content-type'], 'content type');
        $result = ok_result($reply, $r);
        same(true, $result['encrypted'], 'encrypted');
        same(true, $result['require_encryption'], 'require_encryption');
    });
    test('an error after decryption is encrypted too', static function (): void {
        $r = sign_sealed(req(['body' => '{"op":"nope"}']));
        $reply = send_local($r, local_config());
        same('application/cartbridge-aead', $reply['headers']['content-type'], 'content type');
        refused($reply, $r, 400, 'unknown_op', true);
    });
    test('ping result shape', static function (): void {
        $r = sign(req());
        $result = ok_result(send_local($r, local_config(['read_only' => true])), $r);
        same(['protocol', 'bridge_version', 'php_version', 'time', 'read_only', 'require_encryption', 'encrypted'], \array_keys($result), 'keys');
        same('cartbridge/1', $result['protocol'], 'protocol');
        same(\CartBridge\VERSION, $result['bridge_version'], 'bridge_version');
        same(\PHP_VERSION, $result['php_version'], 'php_version');
        same(NOW, $result['time'], 'time');
        same(true, $result['read_only'], 'read_only');
        same(false, $result['encrypted'], 'encrypted');
    });
    test('an unexpected failure is a signed internal_error without details', static function (): void {
        $config = local_config();
        $config['store_root'] = [];   // a type the handler does not expect, so detect throws a TypeError
        $r = sign(req(['body' => '{"op":"detect"}']));
        $logTo = \ini_set('error_log', '/dev/null');
        $error = refused(send_local($r, $config), $r, 500, 'internal_error', true);
        \ini_set('error_log', (string) $logTo);
        check(\strpos($error['message'], '.php') === false, 'no file names in the message');
    });
}

/* ============================================================== 2c. units: config, parsers, nonces */

function unit_tests(): void
{
    test('config: refused when an entry is unknown, a key is short or a flag is not a bool', static function (): void {
        $good = ['keys' => ['k1' => b64url_encode(Fixture::$key)]];
        $bad = [
            ['read_onyl' => true],
            ['keys' => ['k1' => b64url_encode(\random_bytes(16))]],
            ['keys' => ['k1' => \base64_encode(Fixture::$key)]],
            ['keys' => []],
            ['read_only' => 'yes'],
            ['max_rows' => 0],
            ['db' => ['pass' => 'x']],
        ];
        foreach ($bad as $entries) {
            try {
                validate_config($entries + $good, '/tmp/x/cartbridge');
                throw new Failure('accepted ' . \json_encode(\array_keys($entries)));
            } catch (BridgeError $e) {
                same('not_configured', $e->errorCode, 'code');
                check(\strpos($e->getMessage(), b64url_encode(Fixture::$key)) === false, 'no key in the message');
            }
        }
        $config = validate_config($good, '/srv/shop/cartbridge');
        same('/srv/shop', $config['store_root'], 'default store root: the parent folder');
        same('/srv/shop/cartbridge/var/nonces', $config['nonce_dir'], 'default nonce folder');
        same(Fixture::$key, $config['keys']['k1'], 'decoded key');
    });
    test('read-only classifier: first keyword after comments; executable comments and OUTFILE refused', static function (): void {
        $reads = ['SELECT 1', "  -- note\n select 1", "/* c */ SHOW TABLES", "# x\nEXPLAIN SELECT 1", 'DESCRIBE oc_product',
            'WITH a AS (SELECT 1) SELECT * FROM a', "\n\tSelect 1"];
        $writes = ['UPDATE t SET a = 1', "/*! UPDATE t SET a=1 */", "/*M!100000 DELETE FROM t */ SELECT 1", '--x', 'INSERT INTO t VALUES (1)',
            'SELECT 1 INTO OUTFILE \'/tmp/x\'', 'select * from t into  dumpfile "/tmp/y"', "/* unterminated SELECT 1", '(SELECT 1)', 'CALL p()',
            'SET @a = 1', 'LOCK TABLES t WRITE', ''];
        foreach ($reads as $sql) {
            check(is_read_statement($sql), 'accepted: ' . \json_encode($sql));
        }
        foreach ($writes as $sql) {
            check(!is_read_statement($sql), 'refused: ' . \json_encode($sql));
        }
    });
    test('PHP config parsing: define() with concatenation, __DIR__, escapes, comments; no execution', static function (): void {
        $code = <<<'PHP'
<?php
// define('DB_PASSWORD', 'commented out');
/* define('DB_PASSWORD', 'block comment'); */
define('DIR_OPENCART', '/var/www/');
define('DIR_IMAGE', DIR_OPENCART . 'image/');
define( 'DB_PASSWORD', 'it\'s \\ "q"' );
define("DB_USERNAME", "tab\there\x41\101\$x");
define('DB_PORT', 3306);
define('DB_HERE', __DIR__ . '/x');
define('DB_ENV', getenv('DB'));
define('DB_PASSWORD', 'second definition is ignored');
$obj->define('NOT_A_CONSTANT', 'x');
exit('never run');
PHP;
        $d = php_defines(php_tokens($code), '/store');
        same('/var/www/image/', $d['DIR_IMAGE'], 'concatenation with an earlier constant');
        same('it\'s \\ "q"', $d['DB_PASSWORD'], 'single-quoted escapes, first definition wins');
        same("tab\thereAA\$x", $d['DB_USERNAME'], 'double-quoted escapes');
        same(3306, $d['DB_PORT'], 'integer');
        same('/store/x', $d['DB_HERE'], '__DIR__');
        check(!\array_key_exists('DB_ENV', $d), 'a function call is unreadable, not guessed');
        check(!\array_key_exists('NOT_A_CONSTANT', $d), 'method calls are not define()');
    });
    test('PHP config parsing: WordPress $table_prefix, PrestaShop parameters, class constants', static function (): void {
        $wp = "<?php\ndefine( 'DB_NAME', 'wp' );\n\$table_prefix = 'wp_';\n\$table_prefix = 'shop_';\nrequire_once ABSPATH . 'wp-settings.php';";
        same('shop_', php_assignments(php_tokens($wp), '/')['table_prefix'], 'last assignment wins');
        $ps = "<?php return array (\n  'parameters' => \n  array (\n    'database_host' => '127.0.0.1',\n    'database_port' => '',\n"
            . "    'database_name' => 'ps',\n    'database_prefix' => 'ps_',\n    'cookie_key' => 'k',\n  ),\n);";
        $pairs = php_array_pairs(php_tokens($ps), '/');
        same(['127.0.0.1', '', 'ps', 'ps_'], [$pairs['database_host'], $pairs['database_port'], $pairs['database_name'], $pairs['database_prefix']], 'pairs');
        $kernel = "<?php\nclass AppKernel extends Kernel {\n    const VERSION = '8.1.7';\n    public const MAJOR_VERSION = 8;\n}";
        same('8.1.7', php_constants(php_tokens($kernel), '/')['VERSION'], 'class constant');
    });
    test('WordPress DB_HOST forms', static function (): void {
        $cases = [
            'localhost' => ['host' => 'localhost', 'port' => null, 'socket' => null],
            '127.0.0.1:3307' => ['host' => '127.0.0.1', 'port' => 3307, 'socket' => null],
            'localhost:/run/mysqld/mysqld.sock' => ['host' => 'localhost', 'port' => null, 'socket' => '/run/mysqld/mysqld.sock'],
            'p:db.example:3306' => ['host' => 'db.example', 'port' => 3306, 'socket' => null],
            '[::1]:3308' => ['host' => '::1', 'port' => 3308, 'socket' => null],
        ];
        foreach ($cases as $value => $expected) {
            same($expected, split_host($value), $value);
        }
    });
    test('timezone from a WordPress gmt_offset', static function (): void {
        same(['+00:00', '+05:30', '-03:00', '+05:45'], [utc_offset(0.0), utc_offset(5.5), utc_offset(-3.0), utc_offset(5.75)], 'offsets');
    });
    test('prefix candidates need both marker tables', static function (): void {
        $tables = ['oc_product', 'oc_setting', 'oc_coupon_product', 'oc_order_product', 'x_product', 'x_setting', 'y_product'];
        same(['oc_', 'x_'], prefix_candidates($tables, ['product', 'setting']), 'candidates');
        same([''], prefix_candidates(['product', 'setting'], ['product', 'setting']), 'no prefix');
    });
    test('nonce purge deletes expired files only, and only nonce files', static function (): void {
        $dir = Fixture::$tmp . '/purge';
        \mkdir($dir, 0700, true);
        $old = \str_repeat('a', 32);
        $live = \str_repeat('b', 32);
        \touch($dir . '/' . $old, NOW - 1);
        \touch($dir . '/' . $live, NOW + 100);
        \touch($dir . '/index.php', NOW - 1000);
        purge_nonces($dir, NOW, 100);
        same([$live, 'index.php'], \array_values(\array_diff(\scandir($dir), ['.', '..'])), 'remaining files');
    });
    test('the nonce folder is created private and unservable', static function (): void {
        $config = local_config();
        $r = sign(req());
        ok_result(send_local($r, $config), $r);
        same(0700, \fileperms($config['nonce_dir']) & 0777, 'mode');
        check(\is_file($config['nonce_dir'] . '/.htaccess') && \is_file($config['nonce_dir'] . '/index.php'), '.htaccess and index.php');
        $file = $config['nonce_dir'] . '/' . \bin2hex((string) b64url_decode($r['nonce']));
        same(NOW + 60 + 60, \filemtime($file), 'kept until expires + 60');
    });
    test('the shipped folder: index.php prints nothing, .htaccess files deny', static function (): void {
        $dir = __DIR__ . '/../cartbridge';
        same('', (string) \shell_exec(\escapeshellarg(\PHP_BINARY) . ' ' . \escapeshellarg($dir . '/index.php')), 'index.php output');
        check(\strpos((string) \file_get_contents($dir . '/.htaccess'), 'bridge.php') !== false, 'bridge.php is the exception');
        check(\strpos((string) \file_get_contents($dir . '/var/nonces/.htaccess'), 'denied') !== false, 'nonce folder denied');
        $sample = include $dir . '/config.sample.php';
        check(\is_array($sample) && isset($sample['keys']['k1']), 'config.sample.php returns a config');
        validate_config(['keys' => ['k1' => b64url_encode(Fixture::$key)]] + $sample, $dir);
    });
}

/* ============================================================== 2d. maintaining the bridge: update, keys, removal */

/** A bridge folder of its own (shipped files and a literal config.php) and its validated config. */
function maint_folder(array $entries = []): array
{
    $dir = Fixture::$tmp . '/maint-' . \bin2hex(\random_bytes(4)) . '/cartbridge';
    $source = __DIR__ . '/../cartbridge';
    foreach (\CartBridge\SHIPPED_FILES as $file) {
        write_file("$dir/$file", (string) \file_get_contents("$source/$file"));
    }
    $raw = $entries + ['keys' => ['k1' => b64url_encode(Fixture::$key)], 'read_only' => false];
    write_file("$dir/config.php", "<?php\nreturn " . \var_export($raw, true) . ";\n");
    \chmod("$dir/config.php", 0640);
    return [validate_config($raw, $dir), $dir];
}

/** A signed op request (plaintext JSON) with the given key. */
function op_req(string $op, array $args, string $keyId = 'k1', ?string $key = null): array
{
    return sign(req(['body' => \json_encode(['op' => $op, 'args' => (object) $args]), 'keyid' => $keyId, 'key' => $key ?? Fixture::$key]));
}

/** The bridge.php of this repository with another VERSION, as a newer release would be. */
function bridge_with_version(string $version): string
{
    $code = (string) \file_get_contents(__DIR__ . '/../cartbridge/bridge.php');
    return \preg_replace("/^const VERSION = '[^']*';/m", "const VERSION = '$version';", $code, 1);
}

function file_entry(string $bytes): array
{
    return ['content' => \base64_encode($bytes), 'sha256' => \hash('sha256', $bytes)];
}

/** Names under a folder, recursively, relative and sorted. */
function tree(string $dir): array
{
    $names = [];
    foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($dir, \FilesystemIterator::SKIP_DOTS), \RecursiveIteratorIterator::SELF_FIRST) as $item) {
        $names[] = \substr($item->getPathname(), \strlen($dir) + 1);
    }
    \sort($names);
    return $names;
}

function maintenance_tests(): void
{
    test('bridge_update: replaces shipped files atomically and keeps config.php', static function (): void {
        [$config, $dir] = maint_folder(['read_only' => false, 'max_rows' => 77]);
        $configBefore = \file_get_contents("$dir/config.php");
        $newBridge = bridge_with_version('9.9.9');
        $r = op_req('bridge_update', ['files' => ['bridge.php' => file_entry($newBridge), 'index.php' => file_entry("<?php\n// new\n")]]);
        $result = ok_result(send_local($r, $config), $r);
        same(['previous_version' => \CartBridge\VERSION, 'bridge_version' => '9.9.9', 'files' => ['index.php', 'bridge.php']], $result, 'result');
        same($newBridge, \file_get_contents("$dir/bridge.php"), 'new bridge.php');
        same("<?php\n// new\n", \file_get_contents("$dir/index.php"), 'new index.php');
        same($configBefore, \file_get_contents("$dir/config.php"), 'config.php untouched');
        same(0644, \fileperms("$dir/bridge.php") & 0777, 'mode');
        check(\preg_grep('/\.tmp-/', tree($dir)) === [], 'no temporary file left');
    });
    $refusals = [
        ['a digest that does not match', static function (): array {
            $entry = file_entry(bridge_with_version('9.9.9'));
            $entry['sha256'] = \hash('sha256', 'something else');
            return ['files' => ['bridge.php' => $entry]];
        }, [], 400, 'bad_request'],
        ['config.php, which is not a shipped file', static function (): array {
            return ['files' => ['config.php' => file_entry("<?php return ['keys' => []];\n")]];
        }, [], 400, 'bad_request'],
        ['a path outside the folder', static function (): array {
            return ['files' => ['../evil.php' => file_entry("<?php\n")]];
        }, [], 400, 'bad_request'],
        ['a bridge.php that does not parse', static function (): array {
            return ['files' => ['bridge.php' => file_entry("<?php\nconst PROTOCOL = 'cartbridge/1'; const VERSION = '2.0.0'; function (\n")]];
        }, [], 400, 'bad_request'],
        ['a PHP file that is not a bridge', static function (): array {
            return ['files' => ['bridge.php' => file_entry("<?php\necho 'hello';\n")]];
        }, [], 400, 'bad_request'],
        ['no files', static function (): array {
            return ['files' => []];
        }, [], 400, 'bad_request'],
        ['a read-only bridge', static function (): array {
            return ['files' => ['bridge.php' => file_entry(bridge_with_version('9.9.9'))]];
        }, ['read_only' => true], 403, 'read_only'],
        ['self_update turned off', static function (): array {
            return ['files' => ['bridge.php' => file_entry(bridge_with_version('9.9.9'))]];
        }, ['self_update' => false], 403, 'update_disabled'],
    ];
    foreach ($refusals as [$label, $args, $entries, $status, $code]) {
        test("bridge_update refuses $label and changes nothing", static function () use ($args, $entries, $status, $code): void {
            [$config, $dir] = maint_folder($entries);
            $digests = static function () use ($dir): array {
                return \array_map(static function (string $file) use ($dir): string {
                    return (string) \md5_file("$dir/$file");
                }, \array_merge(\CartBridge\SHIPPED_FILES, ['config.php']));
            };
            $before = $digests();
            $r = op_req('bridge_update', $args());
            refused(send_local($r, $config), $r, $status, $code, true);
            same($before, $digests(), 'files unchanged');
            check(\preg_grep('/\.tmp-|evil/', tree(\dirname($dir))) === [], 'nothing written');
        });
    }
    test('keys_update: add k2 (both verify), switch, remove k1 (then refused with key_unknown)', static function (): void {
        [$config, $dir] = maint_folder(['read_only' => true, 'max_rows' => 77]);
        $r = op_req('keys_update', ['add' => ['k2' => b64url_encode(Fixture::$key2)]]);
        same(['key_ids' => ['k1', 'k2']], ok_result(send_local($r, $config), $r), 'two keys');
        $config = \CartBridge\load_config("$dir/config.php", $dir);
        $raw = include "$dir/config.php";
        same(true, $raw['read_only'], 'other entries kept');
        same(77, $raw['max_rows'], 'limits kept');
        same(0640, \fileperms("$dir/config.php") & 0777, 'config.php mode kept');
        foreach ([['k1', Fixture::$key], ['k2', Fixture::$key2]] as [$id, $key]) {
            $ping = sign(req(['keyid' => $id, 'key' => $key]));
            ok_result(send_local($ping, $config), $ping);
        }
        $r = op_req('keys_update', ['remove_others' => true], 'k2', Fixture::$key2);
        same(['key_ids' => ['k2']], ok_result(send_local($r, $config), $r), 'one key');
        $config = \CartBridge\load_config("$dir/config.php", $dir);
        $old = sign(req());
        refused(send_local($old, $config), $old, 401, 'key_unknown', false);
        check(\preg_grep('/\.tmp-/', tree($dir)) === [], 'no temporary file left');
    });
    test('keys_update: remove_others drops a stale key left by an aborted rotation', static function (): void {
        [$config, $dir] = maint_folder(['keys' => ['k1' => b64url_encode(Fixture::$key), 'k7' => b64url_encode(\random_bytes(32))]]);
        $r = op_req('keys_update', ['add' => ['k2' => b64url_encode(Fixture::$key2)], 'remove_others' => true]);
        same(['key_ids' => ['k1', 'k2']], ok_result(send_local($r, $config), $r), 'keys');
    });
    $keyRefusals = [
        ['replacing the signing key', ['add' => ['k1' => 'x']], [], 'bad_request'],
        ['removing the signing key', ['remove' => ['k1']], [], 'bad_request'],
        ['a third key', ['add' => ['k3' => 'K3']], ['keys' => ['k2' => 'K2']], 'bad_request'],
        ['a key that is not 32 bytes', ['add' => ['k2' => 'c2hvcnQ']], [], 'bad_request'],
        ['a key name that is not allowed', ['add' => ['k 2' => 'K2']], [], 'bad_request'],
        ['add given as a list', ['add' => ['K2']], [], 'bad_request'],
    ];
    foreach ($keyRefusals as [$label, $args, $extraKeys, $code]) {
        test("keys_update refuses $label and leaves config.php as it was", static function () use ($args, $extraKeys, $code): void {
            $keys = ['k1' => b64url_encode(Fixture::$key)];
            foreach ($extraKeys['keys'] ?? [] as $id => $unused) {
                $keys[$id] = b64url_encode(\random_bytes(32));
            }
            [$config, $dir] = maint_folder(['keys' => $keys]);
            \array_walk_recursive($args, static function (&$value): void {
                if ($value === 'K2' || $value === 'K3') {
                    $value = b64url_encode(\random_bytes(32));
                }
            });
            $before = \file_get_contents("$dir/config.php");
            $r = op_req('keys_update', $args);
            refused(send_local($r, $config), $r, 400, $code, true);
            same($before, \file_get_contents("$dir/config.php"), 'config.php unchanged');
        });
    }
    test('keys_update refuses a config.php with code in it (it would bake values in)', static function (): void {
        [$config, $dir] = maint_folder();
        $code = "<?php\nreturn ['keys' => ['k1' => " . \var_export(b64url_encode(Fixture::$key), true) . "], 'db' => ['password' => getenv('SHOP_DB_PASSWORD') ?: 'x']];\n";
        \file_put_contents("$dir/config.php", $code);
        $r = op_req('keys_update', ['add' => ['k2' => b64url_encode(Fixture::$key2)]]);
        refused(send_local($r, $config), $r, 409, 'config_not_literal', true);
        same($code, \file_get_contents("$dir/config.php"), 'config.php unchanged');
    });
    test('self_remove: deletes the whole folder, config and nonces included', static function (): void {
        [$config, $dir] = maint_folder();
        $first = sign(req());
        ok_result(send_local($first, $config), $first);   // leaves a nonce file behind
        \touch("$dir/.bridge.php.tmp-0123456789ab");       // a leftover of an interrupted write
        check(\count(\glob("$dir/var/nonces/*")) >= 1, 'a nonce file exists');
        $r = op_req('self_remove', []);
        $result = ok_result(send_local($r, $config), $r);
        check($result['removed'] >= 9, 'files removed: ' . $result['removed']);
        check(!\file_exists($dir), 'the folder is gone');
        check(\is_dir(\dirname($dir)), 'the store root stays');
    });
    test('self_remove: refuses when the folder holds foreign files, and removes nothing', static function (): void {
        [$config, $dir] = maint_folder();
        \file_put_contents("$dir/notes.txt", 'mine');
        \mkdir("$dir/backup");
        \file_put_contents("$dir/var/nonces/not-a-nonce", '');
        \symlink('/etc/hostname', "$dir/link");
        $before = tree($dir);
        $r = op_req('self_remove', []);
        $error = refused(send_local($r, $config), $r, 409, 'foreign_files', true);
        same(['backup/', 'link', 'notes.txt', 'var/nonces/not-a-nonce'], $error['files'] ?? null, 'listed');
        $withoutNonces = static function (array $names): array {
            return \array_values(\preg_grep('#^var/nonces/[0-9a-f]{32}$#', $names, \PREG_GREP_INVERT));
        };
        same($withoutNonces($before), $withoutNonces(tree($dir)), 'nothing removed (but this request\'s own nonce)');
    });
}

/* ============================================================== 3. the real bridge behind php -S */

function start_server(): void
{
    $docroot = Fixture::$tmp . '/www';
    Fixture::$docroot = $docroot;
    \mkdir($docroot, 0700, true);
    $probe = \stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    if ($probe === false) {
        throw new \RuntimeException("no free port: $errstr");
    }
    Fixture::$port = (int) \substr((string) \strrchr((string) \stream_socket_get_name($probe, false), ':'), 1);
    \fclose($probe);
    $log = Fixture::$tmp . '/php-server.log';
    $command = [\PHP_BINARY, '-d', 'opcache.enable=0', '-d', 'opcache.enable_cli=0', '-S', '127.0.0.1:' . Fixture::$port, '-t', $docroot];
    Fixture::$server = \proc_open($command, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes);
    for ($i = 0; $i < 100; $i++) {
        $socket = @\fsockopen('127.0.0.1', Fixture::$port, $errno, $errstr, 0.1);
        if ($socket !== false) {
            \fclose($socket);
            return;
        }
        \usleep(50000);
    }
    throw new \RuntimeException('php -S did not start; see ' . $log);
}

function stop_server(): void
{
    if (Fixture::$server !== null) {
        \proc_terminate(Fixture::$server);
        \proc_close(Fixture::$server);
        Fixture::$server = null;
    }
}

/** A store root under the docroot with a copy of bridge/cartbridge and a generated config.php. */
function make_store(string $name, array $entries = []): void
{
    $root = Fixture::$docroot . '/' . $name;
    $source = __DIR__ . '/../cartbridge';
    foreach (['bridge.php', 'index.php', '.htaccess', 'var/nonces/.htaccess', 'var/nonces/index.php'] as $file) {
        write_file("$root/cartbridge/$file", (string) \file_get_contents("$source/$file"));
    }
    $config = $entries + ['keys' => ['k1' => b64url_encode(Fixture::$key), 'k2' => b64url_encode(Fixture::$key2)]];
    write_file("$root/cartbridge/config.php", "<?php\nreturn " . \var_export($config, true) . ";\n");
}

/** A request addressed to a store of the test server, signed at the current time. */
function http_req(string $store, array $fields = []): array
{
    $now = \time();
    return req($fields + ['authority' => '127.0.0.1:' . Fixture::$port, 'path' => "/$store/cartbridge/bridge.php",
        'created' => $now, 'expires' => $now + 60]);
}

/** Sends over HTTP what send_local() passes in-process; the Host header is the signed authority. */
function send_http(array $r, string $method = 'POST'): array
{
    $headers = ['Host: ' . $r['authority'], 'Content-Type: ' . $r['content_type'], 'Connection: close'];
    foreach ($r['headers'] ?? [] as $name => $value) {
        if ($value !== null) {
            $headers[] = "$name: $value";
        }
    }
    $context = \stream_context_create(['http' => ['method' => $method, 'header' => \implode("\r\n", $headers),
        'content' => $method === 'POST' ? $r['body'] : '', 'ignore_errors' => true, 'timeout' => 20]]);
    $url = 'http://127.0.0.1:' . Fixture::$port . $r['path'] . ($r['query'] === '?' ? '' : $r['query']);
    $body = \file_get_contents($url, false, $context);
    check($body !== false, "request to $url");
    $status = (int) \explode(' ', $http_response_header[0])[1];
    $parsed = [];
    foreach (\array_slice($http_response_header, 1) as $line) {
        [$name, $value] = \explode(':', $line, 2) + [1 => ''];
        $parsed[\strtolower($name)] = \ltrim($value);
    }
    return ['status' => $status, 'headers' => $parsed, 'body' => $body];
}

function http_tests(): void
{
    make_store('shop');
    make_store('enc', ['require_encryption' => true]);
    make_store('ro', ['read_only' => true]);
    make_store('tiny', ['max_statements' => 2, 'max_body_bytes' => 256, 'max_rows' => 3]);
    test('http: an unsigned GET shows only the banner', static function (): void {
        $reply = send_http(http_req('shop'), 'GET');
        same(200, $reply['status'], 'status');
        same('CartBridge bridge installed, version ' . \CartBridge\VERSION . "\n", $reply['body'], 'body');
        check(!isset($reply['headers']['x-powered-by']), 'no X-Powered-By');
    });
    test('http: signed ping, reply verified like the service does', static function (): void {
        $r = sign(http_req('shop', ['query' => '?v=1']));
        $result = ok_result(send_http($r), $r);
        same('cartbridge/1', $result['protocol'], 'protocol');
        check(\abs($result['time'] - \time()) < 5, 'bridge time');
    });
    test('http: key k2 during rotation', static function (): void {
        $r = sign(http_req('shop', ['keyid' => 'k2', 'key' => Fixture::$key2]));
        ok_result(send_http($r), $r);
    });
    test('http: encrypted ping answered encrypted', static function (): void {
        $r = sign_sealed(http_req('enc'));
        $reply = send_http($r);
        same('application/cartbridge-aead', $reply['headers']['content-type'], 'content type');
        same(true, ok_result($reply, $r)['encrypted'], 'encrypted');
    });
    $refusals = [
        ['sig_missing', 'shop', static function (array $r): array {
            unset($r['headers']);
            return $r;
        }, 401, false],
        ['sig_malformed (two members)', 'shop', static function (array $r): array {
            $r['headers']['Signature-Input'] .= ', ' . $r['headers']['Signature-Input'];
            return $r;
        }, 400, false],
        ['key_unknown', 'shop', static function (array $r): array {
            return sign(['keyid' => 'k7'] + $r);
        }, 401, false],
        ['clock_skew (stale)', 'shop', static function (array $r): array {
            return sign(['created' => $r['created'] - 400, 'expires' => $r['created'] - 340] + $r);
        }, 401, true],
        ['body_too_large', 'tiny', static function (array $r): array {
            return sign(['body' => \json_encode(['op' => 'ping', 'pad' => \str_repeat('x', 300)])] + $r);
        }, 413, true],
        ['digest_mismatch (body changed after signing)', 'shop', static function (array $r): array {
            $r['body'] = '{"op":"detect"}';
            return $r;
        }, 401, true],
        ['sig_invalid (query added after signing)', 'shop', static function (array $r): array {
            $r['query'] = '?debug=1';
            return $r;
        }, 401, true],
        ['sig_invalid (truncated signature)', 'shop', static function (array $r): array {
            $r['headers']['Signature'] = 'cb=:' . \base64_encode(\substr((string) \base64_decode(\substr($r['headers']['Signature'], 4, -1)), 0, 20)) . ':';
            return $r;
        }, 401, true],
        ['decrypt_failed (truncated GCM tag)', 'shop', static function (array $r): array {
            $r = sign_sealed($r);
            $r['body'] = \substr($r['body'], 0, -1);
            return sign($r);
        }, 400, true],
        ['encryption_required', 'enc', static function (array $r): array {
            return $r;
        }, 403, true],
        ['read_only (UPDATE)', 'ro', static function (array $r): array {
            return sign(['body' => '{"op":"query","args":{"statements":[{"sql":"UPDATE oc_product SET status = 0"}]}}'] + $r);
        }, 403, true],
        ['limit_exceeded (statements)', 'tiny', static function (array $r): array {
            return sign(['body' => '{"op":"query","args":{"statements":[{"sql":"SELECT 1"},{"sql":"SELECT 2"},{"sql":"SELECT 3"}]}}'] + $r);
        }, 413, true],
    ];
    foreach ($refusals as [$label, $store, $change, $status, $signed]) {
        test("http: $label", static function () use ($store, $change, $status, $signed, $label): void {
            $r = $change(sign(http_req($store)));
            refused(send_http($r), $r, $status, \explode(' ', $label)[0], $signed);
        });
    }
    test('http: replayed', static function (): void {
        $r = sign(http_req('shop'));
        ok_result(send_http($r), $r);
        refused(send_http($r), $r, 409, 'replayed', true);
    });
    test('http: rotate keys, update and remove the bridge through its own signed ops', static function (): void {
        make_store('maint', ['keys' => ['k1' => b64url_encode(Fixture::$key)]]);
        $op = static function (string $op, array $args, string $keyId, string $key): array {
            return sign(http_req('maint', ['body' => \json_encode(['op' => $op, 'args' => (object) $args]), 'keyid' => $keyId, 'key' => $key]));
        };
        $r = $op('keys_update', ['add' => ['k2' => b64url_encode(Fixture::$key2)]], 'k1', Fixture::$key);
        same(['key_ids' => ['k1', 'k2']], ok_result(send_http($r), $r), 'both keys');
        $r = sign(http_req('maint', ['keyid' => 'k2', 'key' => Fixture::$key2]));
        ok_result(send_http($r), $r);
        $r = $op('keys_update', ['remove_others' => true], 'k2', Fixture::$key2);
        same(['key_ids' => ['k2']], ok_result(send_http($r), $r), 'new key only');
        $r = sign(http_req('maint'));
        refused(send_http($r), $r, 401, 'key_unknown', false);
        $r = $op('bridge_update', ['files' => ['bridge.php' => file_entry(bridge_with_version('9.9.9'))]], 'k2', Fixture::$key2);
        same('9.9.9', ok_result(send_http($r), $r)['bridge_version'], 'updated');
        same("CartBridge bridge installed, version 9.9.9\n", send_http(http_req('maint'), 'GET')['body'], 'the new bridge answers');
        $r = $op('self_remove', [], 'k2', Fixture::$key2);
        ok_result(send_http($r), $r);
        same(404, send_http(http_req('maint'), 'GET')['status'], 'gone');
        check(!\file_exists(Fixture::$docroot . '/maint/cartbridge'), 'the folder is gone');
    });
    test('http: no config.php is an unsigned not_configured', static function (): void {
        make_store('bare');
        \unlink(Fixture::$docroot . '/bare/cartbridge/config.php');
        $r = sign(http_req('bare'));
        refused(send_http($r), $r, 500, 'not_configured', false);
    });
}

/* ============================================================== 4. with a MariaDB: detect and query */

function mariadb_env(): ?array
{
    $host = \getenv('CARTBRIDGE_TEST_MARIADB_HOST');
    if ($host === false || $host === '') {
        return null;
    }
    return [
        'host' => $host,
        'port' => (int) (\getenv('CARTBRIDGE_TEST_MARIADB_PORT') ?: 3306),
        'user' => (string) (\getenv('CARTBRIDGE_TEST_MARIADB_USER') ?: 'root'),
        'password' => (string) (\getenv('CARTBRIDGE_TEST_MARIADB_PASSWORD') ?: ''),
    ];
}

/** Creates cbtest_php_<pid> with small OpenCart-, WooCommerce- and PrestaShop-shaped tables. */
function create_test_database(array $env): void
{
    $pdo = new \PDO("mysql:host={$env['host']};port={$env['port']};charset=utf8mb4", $env['user'], $env['password'], [\PDO::ATTR_ERRMODE => \PDO::ERRMODE_EXCEPTION]);
    Fixture::$db = $pdo;
    Fixture::$dbName = 'cbtest_php_' . \getmypid();
    $pdo->exec('DROP DATABASE IF EXISTS `' . Fixture::$dbName . '`');
    $pdo->exec('CREATE DATABASE `' . Fixture::$dbName . '` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    $pdo->exec('USE `' . Fixture::$dbName . '`');
    $statements = [
        'CREATE TABLE oc_product (product_id INT AUTO_INCREMENT PRIMARY KEY, model VARCHAR(64) NOT NULL, quantity INT NOT NULL DEFAULT 0,
            price DECIMAL(15,4) NOT NULL DEFAULT 0, weight DOUBLE NULL, date_available DATE NULL, UNIQUE KEY model (model)) ENGINE=InnoDB',
        'CREATE TABLE oc_product_description (product_id INT NOT NULL, language_id INT NOT NULL, name VARCHAR(255) NOT NULL,
            PRIMARY KEY (product_id, language_id)) ENGINE=InnoDB',
        'CREATE TABLE oc_setting (setting_id INT AUTO_INCREMENT PRIMARY KEY, store_id INT NOT NULL DEFAULT 0, code VARCHAR(128) NOT NULL,
            `key` VARCHAR(128) NOT NULL, value TEXT NOT NULL, serialized TINYINT(1) NOT NULL DEFAULT 0) ENGINE=InnoDB',
        "INSERT INTO oc_product (product_id, model, quantity, price, weight, date_available) VALUES
            (40, 'iPhone', 970, 101.0000, 10.5, '2009-02-03'), (41, 'iMac', 977, 100.0000, 5, '2009-02-03'),
            (42, 'Apple Cinema', 990, 100.0000, 12.5, NULL), (43, 'MacBook', 929, 500.0000, 0, NULL),
            (44, 'MacBook Air', 1000, 1000.0000, 0, NULL), (45, 'MacBook Pro', 1000, 2000.0000, 0, NULL)",
        "INSERT INTO oc_product_description VALUES (40, 1, 'iPhone'), (41, 1, 'Grüße aus Köln — 東京 🛒')",
        "INSERT INTO oc_setting (store_id, code, `key`, value) VALUES (0, 'config', 'config_timezone', 'Europe/Berlin'),
            (0, 'config', 'config_name', 'Test Store')",
        'CREATE TABLE wp_options (option_id BIGINT AUTO_INCREMENT PRIMARY KEY, option_name VARCHAR(191) NOT NULL UNIQUE,
            option_value LONGTEXT NOT NULL, autoload VARCHAR(20) NOT NULL DEFAULT \'yes\') ENGINE=InnoDB',
        'CREATE TABLE wp_posts (ID BIGINT AUTO_INCREMENT PRIMARY KEY, post_type VARCHAR(20) NOT NULL) ENGINE=InnoDB',
        "INSERT INTO wp_options (option_name, option_value) VALUES ('siteurl', 'http://wp.test/wp'), ('home', 'http://wp.test'),
            ('timezone_string', ''), ('gmt_offset', '5.5'), ('woocommerce_version', '9.9.5'), ('woocommerce_db_version', '9.9.5')",
        'CREATE TABLE ps_product (id_product INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB',
        'CREATE TABLE ps_configuration (id_configuration INT AUTO_INCREMENT PRIMARY KEY, id_shop_group INT NULL, id_shop INT NULL,
            name VARCHAR(254) NOT NULL, value TEXT NULL) ENGINE=InnoDB',
        'CREATE TABLE ps_shop_url (id_shop_url INT AUTO_INCREMENT PRIMARY KEY, id_shop INT NOT NULL, domain VARCHAR(150) NOT NULL,
            domain_ssl VARCHAR(150) NOT NULL, physical_uri VARCHAR(64) NOT NULL, virtual_uri VARCHAR(64) NOT NULL,
            main TINYINT(1) NOT NULL, active TINYINT(1) NOT NULL) ENGINE=InnoDB',
        "INSERT INTO ps_configuration (id_shop_group, id_shop, name, value) VALUES (NULL, NULL, 'PS_VERSION_DB', '9.1.0'),
            (NULL, NULL, 'PS_TIMEZONE', 'America/New_York'), (NULL, NULL, 'PS_SSL_ENABLED', '1'), (1, 1, 'PS_TIMEZONE', 'Europe/Paris')",
        "INSERT INTO ps_shop_url VALUES (1, 1, 'shop.test', 'secure.shop.test', '/', '', 1, 1)",
    ];
    foreach ($statements as $sql) {
        $pdo->exec($sql);
    }
}

function drop_test_database(): void
{
    if (Fixture::$db !== null && Fixture::$dbName !== '') {
        Fixture::$db->exec('DROP DATABASE IF EXISTS `' . Fixture::$dbName . '`');
        Fixture::$db = null;
    }
}

/** Writes the cart files detect reads: OpenCart config.php + index.php, wp-config.php, parameters.php. */
function write_cart_files(array $env): void
{
    $db = Fixture::$dbName;
    $opencart = static function (bool $withPrefix) use ($env, $db): string {
        return "<?php\n// HTTP\ndefine('HTTP_SERVER', 'http://shop.test/');\n// DIR\ndefine('DIR_OPENCART', '/var/www/shop/');\n"
            . "define('DIR_IMAGE', DIR_OPENCART . 'image/');\n// DB\ndefine('DB_DRIVER', 'mysqli');\n"
            . 'define(\'DB_HOSTNAME\', ' . \var_export($env['host'], true) . ");\n"
            . 'define(\'DB_USERNAME\', ' . \var_export($env['user'], true) . ");\n"
            . 'define(\'DB_PASSWORD\', ' . \var_export($env['password'], true) . ");\n"
            . "define('DB_DATABASE', '$db');\ndefine('DB_PORT', '{$env['port']}');\n"
            . ($withPrefix ? "define('DB_PREFIX', 'oc_');\n" : '');
    };
    $index = "<?php\n// Version\ndefine('VERSION', '4.1.0.4');\n// Configuration\nif (is_file('config.php')) {\n\trequire_once('config.php');\n}\n";
    foreach (['shop', 'ro', 'tiny'] as $store) {
        write_file(Fixture::$docroot . "/$store/config.php", $opencart(true));
        write_file(Fixture::$docroot . "/$store/index.php", $index);
    }
    \mkdir(Fixture::$docroot . '/shop/image/catalog', 0700, true);
    make_store('noprefix');
    write_file(Fixture::$docroot . '/noprefix/config.php', $opencart(false));
    make_store('badpw');
    write_file(Fixture::$docroot . '/badpw/config.php', \str_replace(
        'define(\'DB_PASSWORD\', ' . \var_export($env['password'], true),
        "define('DB_PASSWORD', 'Sekr3t-not-the-password'",
        $opencart(true)
    ));

    make_store('wp');
    write_file(Fixture::$docroot . '/wp/wp-config.php', "<?php\n/** The name of the database for WordPress */\n"
        . "define( 'DB_NAME', '$db' );\n"
        . 'define( \'DB_USER\', ' . \var_export($env['user'], true) . " );\n"
        . 'define( \'DB_PASSWORD\', ' . \var_export($env['password'], true) . " );\n"
        . "define( 'DB_HOST', '{$env['host']}:{$env['port']}' );\ndefine( 'DB_CHARSET', 'utf8' );\ndefine( 'DB_COLLATE', '' );\n"
        . "\$table_prefix = 'wp_';\nif ( ! defined( 'ABSPATH' ) ) {\n\tdefine( 'ABSPATH', __DIR__ . '/' );\n}\n"
        . "require_once ABSPATH . 'wp-settings.php';\n");
    write_file(Fixture::$docroot . '/wp/wp-includes/version.php', "<?php\n\$wp_version = '6.9';\n\$wp_db_version = 60717;\n");
    \mkdir(Fixture::$docroot . '/wp/wp-content/uploads', 0700, true);

    make_store('ps');
    write_file(Fixture::$docroot . '/ps/app/config/parameters.php', "<?php return array (\n  'parameters' => \n  array (\n"
        . "    'database_host' => " . \var_export($env['host'], true) . ",\n    'database_port' => '{$env['port']}',\n"
        . "    'database_name' => '$db',\n    'database_user' => " . \var_export($env['user'], true) . ",\n"
        . "    'database_password' => " . \var_export($env['password'], true) . ",\n    'database_prefix' => 'ps_',\n"
        . "    'database_engine' => 'InnoDB',\n  ),\n);\n");
    write_file(Fixture::$docroot . '/ps/app/AppKernel.php', "<?php\nclass AppKernel\n{\n    public const VERSION = '9.0.0';\n}\n");
}

function query_body(array $statements, bool $transaction = false, array $extra = []): string
{
    return (string) \json_encode(['op' => 'query', 'args' => ['statements' => $statements, 'transaction' => $transaction] + $extra]);
}

/** Runs a query batch on a store and returns its results, failing on an error reply. */
function query_ok(string $store, array $statements, bool $transaction = false): array
{
    $r = sign(http_req($store, ['body' => query_body($statements, $transaction)]));
    return ok_result(send_http($r), $r)['results'];
}

function count_models(string $model): int
{
    $stmt = Fixture::$db->prepare('SELECT COUNT(*) FROM oc_product WHERE model = ?');
    $stmt->execute([$model]);
    return (int) $stmt->fetchColumn();
}

function database_tests(): void
{
    $env = mariadb_env();
    $cases = database_cases();
    if ($env === null) {
        foreach (\array_keys($cases) as $name) {
            test($name, static function (): void {
                throw new Skip('no MariaDB: set CARTBRIDGE_TEST_MARIADB_HOST, _PORT, _USER, _PASSWORD to run it');
            });
        }
        return;
    }
    try {
        create_test_database($env);
        write_cart_files($env);
        foreach ($cases as $name => $body) {
            test($name, $body);
        }
    } finally {
        drop_test_database();
    }
}

/** @return array<string,callable> test name => body; they need the database and the stores made above */
function database_cases(): array
{
    return [
        'detect: OpenCart' => static function (): void {
            $r = sign(http_req('shop', ['body' => '{"op":"detect"}']));
            $result = ok_result(send_http($r), $r);
            same(['cart_type', 'cart_version', 'table_prefix', 'db_server_version', 'db_charset', 'timezone', 'store_url', 'image_dirs', 'platform_version'],
                \array_keys($result), 'keys');
            same('opencart', $result['cart_type'], 'cart_type');
            same('4.1.0.4', $result['cart_version'], 'cart_version');
            same('oc_', $result['table_prefix'], 'table_prefix');
            check(\stripos($result['db_server_version'], 'mariadb') !== false || \preg_match('/^\d+\.\d+/', $result['db_server_version']) === 1, 'db_server_version');
            same('utf8mb4', $result['db_charset'], 'db_charset');
            same('Europe/Berlin', $result['timezone'], 'timezone from oc_setting');
            same('http://shop.test/', $result['store_url'], 'store_url from HTTP_SERVER');
            same(['image' => 'image/', 'catalog' => 'image/catalog/'], $result['image_dirs'], 'image_dirs');
            same(null, $result['platform_version'], 'platform_version');
        },
        'detect: WooCommerce' => static function (): void {
            $r = sign(http_req('wp', ['body' => '{"op":"detect"}']));
            $result = ok_result(send_http($r), $r);
            same(['woocommerce', '9.9.5', 'wp_', '+05:30', 'http://wp.test', ['uploads' => 'wp-content/uploads/'], '6.9'],
                [$result['cart_type'], $result['cart_version'], $result['table_prefix'], $result['timezone'], $result['store_url'], $result['image_dirs'], $result['platform_version']],
                'cart, version, prefix, timezone, url, images, WordPress version');
        },
        'detect: PrestaShop' => static function (): void {
            $r = sign(http_req('ps', ['body' => '{"op":"detect"}']));
            $reply = send_http($r);
            $result = ok_result($reply, $r);
            check(\strpos($reply['body'], '"image_dirs":{}') !== false, 'no image folders is an empty object, not a list');
            same(['prestashop', '9.1.0', 'ps_', 'America/New_York', 'https://secure.shop.test/', []],
                [$result['cart_type'], $result['cart_version'], $result['table_prefix'], $result['timezone'], $result['store_url'], $result['image_dirs']],
                'cart, version from the DB, prefix, global timezone, https URL, no image folders');
        },
        'detect: prefix_ambiguous and args.table_prefix' => static function (): void {
            $r = sign(http_req('noprefix', ['body' => '{"op":"detect"}']));
            same('oc_', ok_result(send_http($r), $r)['table_prefix'], 'a single candidate is taken');
            Fixture::$db->exec('CREATE TABLE x_product (product_id INT)');
            Fixture::$db->exec('CREATE TABLE x_setting (setting_id INT)');
            try {
                $r = sign(http_req('noprefix', ['body' => '{"op":"detect"}']));
                $error = refused(send_http($r), $r, 422, 'prefix_ambiguous', true);
                same(['oc_', 'x_'], $error['candidates'] ?? null, 'candidates');
                $r = sign(http_req('noprefix', ['body' => '{"op":"detect","args":{"table_prefix":"oc_"}}']));
                same('oc_', ok_result(send_http($r), $r)['table_prefix'], 'override');
            } finally {
                Fixture::$db->exec('DROP TABLE x_product, x_setting');
            }
        },
        'detect: db_unavailable without the password' => static function (): void {
            $r = sign(http_req('badpw', ['body' => '{"op":"detect"}']));
            $error = refused(send_http($r), $r, 503, 'db_unavailable', true);
            check(\strpos($error['message'], 'Sekr3t') === false, 'the password is not in the message');
        },
        'query: R2 with LIMIT ? bound' => static function (): void {
            $results = query_ok('shop', \json_decode(R2_BODY, true)['args']['statements']);
            same(['columns' => ['product_id', 'quantity'], 'rows' => [[41, 977], [42, 990]], 'row_count' => 2, 'affected_rows' => 0],
                \array_diff_key($results[0], ['last_insert_id' => 1]), 'result');
        },
        'query: unicode, NULL, bool and float params' => static function (): void {
            $name = 'Grüße aus Köln — 東京 🛒';
            $results = query_ok('shop', [
                ['sql' => 'INSERT INTO oc_product (model, quantity, price, weight, date_available) VALUES (?, ?, ?, ?, ?)', 'params' => ['ünï-1', true, '9.9900', 0.1, null]],
                ['sql' => 'SELECT model, quantity, price, weight, date_available FROM oc_product WHERE model = ?', 'params' => ['ünï-1']],
                ['sql' => 'SELECT name FROM oc_product_description WHERE name = ?', 'params' => [$name]],
                ['sql' => 'DELETE FROM oc_product WHERE model = ?', 'params' => ['ünï-1']],
            ]);
            same(1, $results[0]['affected_rows'], 'insert affected_rows');
            check((int) $results[0]['last_insert_id'] > 45, 'last_insert_id');
            same([['ünï-1', 1, '9.9900', 0.1, null]], $results[1]['rows'], 'types: int, decimal as string, double, NULL');
            same([[$name]], $results[2]['rows'], 'unicode round trip');
            same(1, $results[3]['affected_rows'], 'delete affected_rows');
        },
        'query: transaction rolled back on failure' => static function (): void {
            $r = sign(http_req('shop', ['body' => query_body([
                ['sql' => "INSERT INTO oc_product (model) VALUES ('tx-1')"],
                ['sql' => "INSERT INTO oc_product (model) VALUES ('iPhone')"],
            ], true)]));
            $error = refused(send_http($r), $r, 500, 'db_error', true);
            same(1, $error['statement_index'] ?? null, 'statement_index');
            check(\strpos($error['message'], '23000') !== false, 'SQLSTATE in the message');
            same(0, count_models('tx-1'), 'first insert rolled back');
        },
        'query: without transaction earlier statements stay' => static function (): void {
            $r = sign(http_req('shop', ['body' => query_body([
                ['sql' => "INSERT INTO oc_product (model) VALUES ('notx-1')"],
                ['sql' => 'SELECT * FROM no_such_table'],
            ])]));
            same(1, refused(send_http($r), $r, 500, 'db_error', true)['statement_index'] ?? null, 'statement_index');
            same(1, count_models('notx-1'), 'first insert kept');
            Fixture::$db->exec("DELETE FROM oc_product WHERE model = 'notx-1'");
        },
        'query: max_rows' => static function (): void {
            same(3, query_ok('tiny', [['sql' => 'SELECT product_id FROM oc_product ORDER BY product_id LIMIT 3']])[0]['row_count'], 'at the limit');
            $r = sign(http_req('tiny', ['body' => query_body([['sql' => 'SELECT 1'], ['sql' => 'SELECT product_id FROM oc_product']])]));
            same(1, refused(send_http($r), $r, 413, 'limit_exceeded', true)['statement_index'] ?? null, 'statement_index');
        },
        'query: invalid UTF-8 is substituted, not an empty reply' => static function (): void {
            $results = query_ok('shop', [['sql' => "SELECT UNHEX('C328') AS bad, 'ok' AS good"]]);
            same([["\u{FFFD}(", 'ok']], $results[0]['rows'], 'rows');
        },
        'query: read-only mode runs reads in a read-only transaction' => static function (): void {
            $results = query_ok('ro', [['sql' => "/* list */ SELECT COUNT(*) FROM oc_product WHERE product_id BETWEEN ? AND ?", 'params' => [40, 45]],
                ['sql' => 'WITH p AS (SELECT product_id FROM oc_product) SELECT COUNT(*) FROM p']]);
            same([[6]], $results[0]['rows'], 'read works');
            // Second line of defence: a write that got past the keyword check still fails inside the transaction.
            $store = locate_store(local_config(['store_root' => Fixture::$docroot . '/ro']));
            try {
                run_batch(connect($store['db']), [['sql' => "INSERT INTO oc_product (model) VALUES ('ro-1')", 'params' => []]], false, true, new Budget(10, 1000));
                throw new Failure('the write ran');
            } catch (BridgeError $e) {
                same('db_error', $e->errorCode, 'code');
            }
            same(0, count_models('ro-1'), 'nothing written');
        },
    ];
}

/* ============================================================== run */

function main(): int
{
    Fixture::$key = \random_bytes(32);
    Fixture::$key2 = \random_bytes(32);
    Fixture::$tmp = \sys_get_temp_dir() . '/cbtest-php-' . \getmypid() . '-' . \bin2hex(\random_bytes(4));
    \mkdir(Fixture::$tmp, 0700, true);
    try {
        vector_tests();
        check_table_tests();
        body_and_op_tests();
        unit_tests();
        maintenance_tests();
        start_server();
        http_tests();
        database_tests();
    } catch (\Throwable $e) {
        Harness::$failed++;
        echo 'FAIL  setup: ' . \get_class($e) . ': ' . $e->getMessage() . "\n";
    } finally {
        stop_server();
        remove_tree(Fixture::$tmp);
    }
    $summary = Harness::$passed . ' passed, ' . Harness::$failed . ' failed';
    echo $summary . (Harness::$skipped > 0 ? ', ' . Harness::$skipped . ' skipped' : '') . "\n";
    return Harness::$failed > 0 ? 1 : 0;
}

exit(main());
