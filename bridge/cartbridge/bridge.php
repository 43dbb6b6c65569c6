<?php
/**
 * CartBridge bridge: a signed, replay-proof database proxy that the CartBridge service reaches in a self-hosted store.
 *
 * Protocol `cartbridge/1`: requests and responses carry RFC 9421 hmac-sha256 signatures over the method, authority,
 * path, query, content type and RFC 9530 Content-Digest; each request nonce is accepted once; bodies may be
 * AES-256-GCM encrypted for stores without TLS. All cart knowledge (tables, SQL) lives in the service.
 *
 * PHP 7.4 or newer with the extensions of a stock build: PDO + pdo_mysql, hash, openssl, json, tokenizer.
 * Define CARTBRIDGE_LIBRARY_ONLY before including this file to load its functions without handling a request.
 */

declare(strict_types=1);

namespace CartBridge;

if (!\defined('CARTBRIDGE_LIBRARY_ONLY')) {
    // No warning, path or trace may reach a response: every failure becomes a signed internal_error instead.
    \ini_set('display_errors', '0');
}

const VERSION = '1.1.0';
const PROTOCOL = 'cartbridge/1';
const REQUEST_TAG = 'cartbridge/1';
const RESPONSE_TAG = 'cartbridge/1-resp';
const REQUEST_COMPONENTS = ['@method', '@authority', '@path', '@query', 'content-type', 'content-digest'];
const REQUEST_PARAMS = ['created', 'expires', 'nonce', 'keyid', 'tag'];
const RESPONSE_COMPONENTS = ['@status', 'content-type', 'content-digest', 'bridge-request-nonce'];
const MAX_SIGNATURE_HEADER_BYTES = 2048;
const MAX_CLOCK_AHEAD = 60;        // a request may be created up to this many seconds in our future
const MAX_LIFETIME = 300;          // expires - created
const NONCE_GRACE = 60;            // a nonce is remembered until expires + this
const PURGE_ONE_IN = 50;           // expired nonce files are purged on about one request in this many
const PURGE_MAX_ENTRIES = 1000;    // and a purge looks at no more than this many files
const JSON_TYPE = 'application/json';
const AEAD_TYPE = 'application/cartbridge-aead';
const GCM_IV_BYTES = 12;
const GCM_TAG_BYTES = 16;
const JSON_FLAGS = \JSON_UNESCAPED_SLASHES | \JSON_UNESCAPED_UNICODE | \JSON_PRESERVE_ZERO_FRACTION
    | \JSON_INVALID_UTF8_SUBSTITUTE;
const READ_KEYWORDS = ['SELECT', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'WITH'];
/** All an internal failure tells the service: details (paths, traces) go only to the web server's error log. */
const INTERNAL_ERROR_MESSAGE = 'the bridge failed; see the web server\'s error log';
const SQL_MODE = "SET SESSION sql_mode = 'NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'";   // what the carts set

/** Config entries with their defaults; `keys` has none. Paths default relative to the bridge folder. */
const CONFIG_DEFAULTS = [
    'keys' => null,
    'read_only' => false,
    'require_encryption' => false,
    'store_root' => null,
    'cart' => null,
    'db' => null,
    'nonce_dir' => null,
    'max_body_bytes' => 1048576,
    'max_statements' => 50,
    'max_rows' => 10000,
    'max_reply_bytes' => 16777216,
    'self_update' => true,
];
const DB_CONFIG_KEYS = ['host', 'port', 'socket', 'name', 'user', 'password', 'charset', 'prefix'];
/** The files the service ships in cartbridge/ besides config.php: what bridge_update may replace. */
const SHIPPED_FILES = ['.htaccess', 'bridge.php', 'config.sample.php', 'index.php', 'var/nonces/.htaccess', 'var/nonces/index.php'];
/** At most this many names are listed when self_remove refuses because of foreign files. */
const MAX_LISTED_FILES = 20;

/**
 * The carts `detect` recognises, in detection order: the config file that identifies the store root, the two
 * tables (without prefix) that mark a candidate prefix, the usual image folders, and the functions that read the
 * config file and the database.
 */
const CARTS = [
    'prestashop' => [
        'config' => 'app/config/parameters.php',
        'markers' => ['product', 'configuration'],
        'images' => ['products' => 'img/p/', 'categories' => 'img/c/', 'manufacturers' => 'img/m/'],
        'read' => __NAMESPACE__ . '\prestashop_read',
        'facts' => __NAMESPACE__ . '\prestashop_facts',
    ],
    'woocommerce' => [
        'config' => 'wp-config.php',
        'markers' => ['options', 'posts'],
        'images' => ['uploads' => 'wp-content/uploads/'],
        'read' => __NAMESPACE__ . '\woocommerce_read',
        'facts' => __NAMESPACE__ . '\woocommerce_facts',
    ],
    'opencart' => [
        'config' => 'config.php',
        'markers' => ['product', 'setting'],
        'images' => ['image' => 'image/', 'catalog' => 'image/catalog/'],
        'read' => __NAMESPACE__ . '\opencart_read',
        'facts' => __NAMESPACE__ . '\opencart_facts',
    ],
];

/** A refusal or failure the service should see with its code, HTTP status and optional extra fields. */
final class BridgeError extends \RuntimeException
{
    public string $errorCode;
    public int $status;
    public array $details;

    public function __construct(string $errorCode, int $status, string $message, array $details = [])
    {
        parent::__construct($message);
        $this->errorCode = $errorCode;
        $this->status = $status;
        $this->details = $details;
    }
}

/** What the reply to the current request needs: set step by step as the request is verified and opened. */
final class Exchange
{
    /** Set once the request's keyid names a configured key: from then on every reply is signed. */
    public ?string $keyId = null;
    public ?string $responseKey = null;
    public ?string $nonce = null;
    /** Set once an encrypted request body was opened: the reply is then encrypted too. */
    public ?string $sealKey = null;
}

/* ---------------------------------------------------------------- encodings and keys */

/** Strict base64url (no padding) decoding; null when the text is not base64url. */
function b64url_decode(string $text): ?string
{
    if (!\preg_match('/^[A-Za-z0-9_-]*$/D', $text)) {
        return null;
    }
    $bytes = \base64_decode(\strtr($text, '-_', '+/'), true);
    return $bytes === false ? null : $bytes;
}

/** HKDF-SHA256 with an empty salt: distinct keys per direction and purpose, so no MAC or ciphertext crosses over. */
function derive_keys(string $bridgeKey): array
{
    return [
        'req' => \hash_hkdf('sha256', $bridgeKey, 32, 'cartbridge/1 request', ''),
        'resp' => \hash_hkdf('sha256', $bridgeKey, 32, 'cartbridge/1 response', ''),
        'enc_c2s' => \hash_hkdf('sha256', $bridgeKey, 32, 'cartbridge/1 enc-c2s', ''),
        'enc_s2c' => \hash_hkdf('sha256', $bridgeKey, 32, 'cartbridge/1 enc-s2c', ''),
    ];
}

/** RFC 9530 Content-Digest with sha-256, the only algorithm of the profile. */
function content_digest(string $body): string
{
    return 'sha-256=:' . \base64_encode(\hash('sha256', $body, true)) . ':';
}

/* ---------------------------------------------------------------- RFC 9421 signature bases */

/**
 * RFC 9421 §2.5 signature base: one `"name": value` line per covered component (in the given order), then the
 * `"@signature-params"` line; joined by LF with no trailing LF.
 *
 * @param array<string,string> $components component name => canonical value
 */
function signature_base(array $components, string $signatureParams): string
{
    $lines = [];
    foreach ($components as $name => $value) {
        $lines[] = '"' . $name . '": ' . $value;
    }
    $lines[] = '"@signature-params": ' . $signatureParams;
    return \implode("\n", $lines);
}

/** The inner list of component identifiers, e.g. `("@status" "content-type")`. */
function inner_list(array $names): string
{
    return '("' . \implode('" "', $names) . '")';
}

/**
 * Parses a Signature-Input header of the profile's shape: exactly one member `cb` whose value is an inner list of
 * plain component names followed by integer or string parameters. Returns the members' names, parameters in
 * order (name, raw value) and the value after `cb=`; null when the header has another shape.
 */
function parse_signature_input(string $header): ?array
{
    $string = '"[ !#-\[\]-~]*"';   // an sf-string without escapes: printable ASCII except " and \
    $param = ';[a-z*][a-z0-9_.*-]*=(?:[0-9]{1,15}|' . $string . ')';
    $shape = '/^cb=\(((?:' . $string . '(?: ' . $string . ')*)?)\)((?:' . $param . ')*)$/D';
    if (\strlen($header) >= MAX_SIGNATURE_HEADER_BYTES || !\preg_match($shape, $header, $m)) {
        return null;
    }
    \preg_match_all('/"([^"]*)"/', $m[1], $names);
    \preg_match_all('/;([a-z*][a-z0-9_.*-]*)=([0-9]+|"[^"]*")/', $m[2], $params, \PREG_SET_ORDER);
    return [
        'components' => $names[1],
        'params' => \array_map(static function (array $p): array {
            return [$p[1], $p[2]];
        }, $params),
        'value' => \substr($header, 3),
    ];
}

/** The MAC bytes of a `Signature: cb=:<base64>:` header; null for any other shape. */
function parse_signature(string $header): ?string
{
    if (\strlen($header) >= MAX_SIGNATURE_HEADER_BYTES
        || !\preg_match('/^cb=:([A-Za-z0-9+\/]*={0,2}):$/D', $header, $m)) {
        return null;
    }
    $mac = \base64_decode($m[1], true);
    return $mac === false ? null : $mac;
}

/**
 * The profile's request parameters as [created, expires, nonce, keyid, tag] with typed values, or null when the
 * covered components, the parameter names or their order, the value types or the nonce's form differ.
 */
function profile_params(array $signatureInput): ?array
{
    if ($signatureInput['components'] !== REQUEST_COMPONENTS) {
        return null;
    }
    $names = \array_column($signatureInput['params'], 0);
    $raw = \array_column($signatureInput['params'], 1);
    if ($names !== REQUEST_PARAMS) {
        return null;
    }
    [$created, $expires, $nonce, $keyId, $tag] = $raw;
    // The shape check left each value digits or a quoted string: here each must be of its own type.
    if ($created[0] === '"' || $expires[0] === '"' || $nonce[0] !== '"' || $keyId[0] !== '"' || $tag[0] !== '"') {
        return null;
    }
    $nonce = unquote($nonce);
    if (!\preg_match('/^[A-Za-z0-9_-]{22}$/D', $nonce)) {
        return null;
    }
    return [
        'created' => (int) $created,
        'expires' => (int) $expires,
        'nonce' => $nonce,
        'keyid' => unquote($keyId),
        'tag' => unquote($tag),
    ];
}

/** The text between the first and last character ("" for a 2-character input: PHP 7's substr gives false). */
function unquote(string $quoted): string
{
    return (string) \substr($quoted, 1, -1);
}

/** Response signature headers (Content-Digest included) for the given status, content type and body bytes. */
function sign_response(
    int $status,
    string $contentType,
    string $body,
    string $keyId,
    string $responseKey,
    string $nonce,
    int $created
): array {
    $digest = content_digest($body);
    $params = inner_list(RESPONSE_COMPONENTS) . ';created=' . $created . ';keyid="' . $keyId . '";tag="'
        . RESPONSE_TAG . '"';
    $base = signature_base([
        '@status' => (string) $status,
        'content-type' => $contentType,
        'content-digest' => $digest,
        'bridge-request-nonce' => $nonce,
    ], $params);
    return [
        'Content-Digest' => $digest,
        'Bridge-Request-Nonce' => $nonce,
        'Signature-Input' => 'cb=' . $params,
        'Signature' => 'cb=:' . \base64_encode(\hash_hmac('sha256', $base, $responseKey, true)) . ':',
    ];
}

/* ---------------------------------------------------------------- encrypted mode */

/** AAD binding a body to its direction, key version and request. */
function aead_context(string $direction, string $keyId, string $nonce): string
{
    return PROTOCOL . '|' . $direction . '|' . $keyId . '|' . $nonce;
}

/** AES-256-GCM: IV (12 bytes) || ciphertext || tag (16 bytes). The IV is random unless given (test vectors). */
function aead_seal(string $key, string $aad, string $plaintext, ?string $iv = null): string
{
    $iv = $iv ?? \random_bytes(GCM_IV_BYTES);
    $tag = '';
    $ciphertext = \openssl_encrypt($plaintext, 'aes-256-gcm', $key, \OPENSSL_RAW_DATA, $iv, $tag, $aad, GCM_TAG_BYTES);
    if ($ciphertext === false) {
        throw new \RuntimeException('AES-256-GCM encryption failed');
    }
    return $iv . $ciphertext . $tag;
}

/** Opens an aead_seal() body; null when it is too short or does not authenticate. */
function aead_open(string $key, string $aad, string $wire): ?string
{
    // openssl_decrypt accepts a truncated tag, so the full 16 bytes are required here.
    if (\strlen($wire) < GCM_IV_BYTES + GCM_TAG_BYTES) {
        return null;
    }
    $tag = \substr($wire, -GCM_TAG_BYTES);
    $ciphertext = (string) \substr($wire, GCM_IV_BYTES, -GCM_TAG_BYTES);   // PHP 7: false when empty
    $plaintext = \openssl_decrypt(
        $ciphertext,
        'aes-256-gcm',
        $key,
        \OPENSSL_RAW_DATA,
        \substr($wire, 0, GCM_IV_BYTES),
        $tag,
        $aad
    );
    return $plaintext === false ? null : $plaintext;
}

/* ---------------------------------------------------------------- configuration */

/** Loads and validates config.php; a broken config is refused whole rather than half applied. */
function load_config(string $path, string $bridgeDir): array
{
    if (!\is_file($path)) {
        throw new BridgeError('not_configured', 500, 'config.php is missing next to bridge.php');
    }
    try {
        $raw = include $path;
    } catch (\Throwable $e) {
        throw new BridgeError('not_configured', 500, 'config.php could not be loaded');
    }
    if (!\is_array($raw)) {
        throw new BridgeError('not_configured', 500, 'config.php must return an array');
    }
    return validate_config($raw, $bridgeDir);
}

/** Checks every entry and fills the defaults; keys come back decoded to their 32 raw bytes. */
function validate_config(array $raw, string $bridgeDir): array
{
    $unknown = \array_diff(\array_keys($raw), \array_keys(CONFIG_DEFAULTS));
    if ($unknown !== []) {
        // A misspelt entry (e.g. "read_onyl") must not silently leave a protection off.
        throw config_error('unknown entry "' . \implode('", "', $unknown) . '"');
    }
    $config = \array_merge(CONFIG_DEFAULTS, $raw);
    $config['keys'] = decode_keys($config['keys']);
    foreach (['read_only', 'require_encryption', 'self_update'] as $flag) {
        if (!\is_bool($config[$flag])) {
            throw config_error('"' . $flag . '" must be true or false');
        }
    }
    foreach (['max_body_bytes', 'max_statements', 'max_rows', 'max_reply_bytes'] as $limit) {
        if (!\is_int($config[$limit]) || $config[$limit] < 1) {
            throw config_error('"' . $limit . '" must be a positive integer');
        }
    }
    foreach (['store_root', 'nonce_dir'] as $path) {
        if ($config[$path] !== null && (!\is_string($config[$path]) || $config[$path] === '')) {
            throw config_error('"' . $path . '" must be a folder path');
        }
    }
    if ($config['cart'] !== null && (!\is_string($config['cart']) || !\preg_match('/^[a-z0-9_]{1,32}$/D', $config['cart']))) {
        throw config_error('"cart" must be a cart name such as "opencart"');
    }
    if ($config['db'] !== null
        && (!\is_array($config['db']) || \array_diff(\array_keys($config['db']), DB_CONFIG_KEYS) !== [])) {
        throw config_error('"db" may only hold ' . \implode(', ', DB_CONFIG_KEYS));
    }
    $config['store_root'] = \rtrim($config['store_root'] ?? \dirname($bridgeDir), '/');
    $config['nonce_dir'] = \rtrim($config['nonce_dir'] ?? $bridgeDir . '/var/nonces', '/');
    // Not a config entry: where the bridge's own files are, for the ops that maintain them.
    $config['bridge_dir'] = \rtrim($bridgeDir, '/');
    return $config;
}

/** @return array<string,string> keyid => 32 raw key bytes */
function decode_keys($keys): array
{
    if (!\is_array($keys) || $keys === []) {
        throw config_error('"keys" must hold at least one key, e.g. "k1" => "<base64url>"');
    }
    $decoded = [];
    foreach ($keys as $id => $text) {
        // keyids are echoed inside sf-strings of signed headers, so their charset is restricted.
        if (!\is_string($id) || !\preg_match('/^[A-Za-z0-9_-]{1,64}$/D', $id)) {
            throw config_error('key names must be like "k1"');
        }
        $bytes = \is_string($text) && \strlen($text) === 43 ? b64url_decode($text) : null;
        if ($bytes === null || \strlen($bytes) !== 32) {
            throw config_error('key "' . $id . '" must be 32 bytes written as base64url without padding');
        }
        $decoded[$id] = $bytes;
    }
    return $decoded;
}

function config_error(string $why): BridgeError
{
    return new BridgeError('not_configured', 500, 'config.php: ' . $why);
}

/* ---------------------------------------------------------------- request verification */

/** The parts of the request the profile covers, taken from the request as received. */
function request_from_server(array $server): array
{
    $uri = (string) ($server['REQUEST_URI'] ?? '/');
    $q = \strpos($uri, '?');
    return [
        'method' => (string) ($server['REQUEST_METHOD'] ?? ''),
        'authority' => (string) ($server['HTTP_HOST'] ?? ''),
        'path' => $q === false ? $uri : \substr($uri, 0, $q),
        // RFC 9421 §2.2.7: the raw query with its leading "?", or "?" alone when there is none.
        'query' => '?' . ($q === false ? '' : \substr($uri, $q + 1)),
        'content_type' => (string) ($server['CONTENT_TYPE'] ?? ''),
        'content_length' => isset($server['CONTENT_LENGTH']) ? (string) $server['CONTENT_LENGTH'] : null,
        'content_digest' => (string) ($server['HTTP_CONTENT_DIGEST'] ?? ''),
        'signature_input' => $server['HTTP_SIGNATURE_INPUT'] ?? null,
        'signature' => $server['HTTP_SIGNATURE'] ?? null,
    ];
}

/**
 * Runs the profile's checks in the protocol's order (cheap ones first, the nonce last) and returns the verified
 * body with its keyid, nonce and derived keys. Records in $x what is needed to sign the reply as soon as the
 * keyid names a configured key.
 *
 * @param callable(int):string $readBody reads at most the given number of body bytes, once
 */
function verify_request(array $req, callable $readBody, array $config, int $now, Exchange $x): array
{
    if ($req['signature_input'] === null || $req['signature'] === null) {
        throw new BridgeError('sig_missing', 401, 'Signature-Input and Signature headers are required');
    }
    $input = parse_signature_input((string) $req['signature_input']);
    $mac = parse_signature((string) $req['signature']);
    if ($input === null || $mac === null) {
        throw new BridgeError('sig_malformed', 400, 'Signature-Input or Signature is not of the cartbridge/1 shape');
    }
    $p = profile_params($input);
    if ($p === null) {
        throw new BridgeError('sig_components', 401, 'the covered components or parameters are not cartbridge/1\'s');
    }
    if ($p['tag'] !== REQUEST_TAG) {
        throw new BridgeError('sig_tag', 401, 'the signature tag is not ' . REQUEST_TAG);
    }
    if (!isset($config['keys'][$p['keyid']])) {
        throw new BridgeError('key_unknown', 401, 'the keyid names no key of this bridge');
    }
    $keys = derive_keys($config['keys'][$p['keyid']]);
    $x->keyId = $p['keyid'];
    $x->responseKey = $keys['resp'];
    $x->nonce = $p['nonce'];

    $lifetime = $p['expires'] - $p['created'];
    if ($p['created'] > $now + MAX_CLOCK_AHEAD || $now > $p['expires'] || $lifetime <= 0 || $lifetime > MAX_LIFETIME) {
        throw new BridgeError('clock_skew', 401, 'created is outside the allowed window');
    }
    $body = read_limited_body($req, $readBody, $config['max_body_bytes']);
    if (!\hash_equals(content_digest($body), $req['content_digest'])) {
        throw new BridgeError('digest_mismatch', 401, 'Content-Digest does not match the body');
    }
    $base = signature_base([
        '@method' => $req['method'],
        '@authority' => $req['authority'],
        '@path' => $req['path'],
        '@query' => $req['query'],
        'content-type' => $req['content_type'],
        'content-digest' => $req['content_digest'],
    ], $input['value']);
    if (!\hash_equals(\hash_hmac('sha256', $base, $keys['req'], true), $mac)) {
        throw new BridgeError('sig_invalid', 401, 'the signature does not verify');
    }
    remember_nonce($config['nonce_dir'], $p['nonce'], $p['expires'] + NONCE_GRACE, $now);
    return ['body' => $body, 'keyid' => $p['keyid'], 'nonce' => $p['nonce'], 'keys' => $keys];
}

/** Reads the body once, refusing it without reading when the declared length is already over the limit. */
function read_limited_body(array $req, callable $readBody, int $limit): string
{
    $tooLarge = new BridgeError('body_too_large', 413, 'the body exceeds ' . $limit . ' bytes');
    $declared = $req['content_length'];
    if ($declared !== null && \preg_match('/^[0-9]+$/D', $declared) && (\strlen($declared) > 15 || (int) $declared > $limit)) {
        throw $tooLarge;
    }
    $body = $readBody($limit + 1);
    if (\strlen($body) > $limit) {
        throw $tooLarge;
    }
    return $body;
}

/* ---------------------------------------------------------------- replay protection */

/**
 * Accepts a nonce once: one file per nonce, created atomically with fopen 'x', its expiry kept in the file's
 * mtime so that purging reads no file. The store's database is never touched.
 */
function remember_nonce(string $dir, string $nonce, int $keepUntil, int $now): void
{
    // The file name is the hex of the nonce's bytes: one charset, no case collisions on case-insensitive disks.
    $path = $dir . '/' . \bin2hex((string) b64url_decode($nonce));
    ensure_private_dir($dir);
    $handle = @\fopen($path, 'x');
    if ($handle === false) {
        if (\file_exists($path)) {
            throw new BridgeError('replayed', 409, 'this nonce was already used');
        }
        throw new BridgeError('replay_store_unavailable', 500, 'the nonce folder is not writable');
    }
    \fclose($handle);
    \touch($path, $keepUntil);
    if (\random_int(1, PURGE_ONE_IN) === 1) {
        purge_nonces($dir, $now, PURGE_MAX_ENTRIES);
    }
}

/** Creates the nonce folder (owner only) with the files that keep web servers from serving it. */
function ensure_private_dir(string $dir): void
{
    if (\is_dir($dir)) {
        return;
    }
    if (!@\mkdir($dir, 0700, true) && !\is_dir($dir)) {
        throw new BridgeError('replay_store_unavailable', 500, 'the nonce folder cannot be created');
    }
    \file_put_contents($dir . '/.htaccess', "Require all denied\n");
    \file_put_contents($dir . '/index.php', "<?php\n");
}

/** Deletes expired nonce files, looking at no more than $maxEntries of them so a request never stalls. */
function purge_nonces(string $dir, int $now, int $maxEntries): void
{
    $handle = @\opendir($dir);
    if ($handle === false) {
        return;
    }
    $seen = 0;
    while ($seen < $maxEntries && ($name = \readdir($handle)) !== false) {
        if (!\preg_match('/^[0-9a-f]{32}$/D', $name)) {
            continue;
        }
        $seen++;
        $mtime = @\filemtime($dir . '/' . $name);
        if ($mtime !== false && $mtime < $now) {
            @\unlink($dir . '/' . $name);
        }
    }
    \closedir($handle);
}

/* ---------------------------------------------------------------- request handling */

/** Handles one POST: verifies, opens, runs the op and returns the reply as [status, headers, body]. */
function handle(array $server, callable $readBody, array $config, int $now, Exchange $x): array
{
    try {
        $req = request_from_server($server);
        $verified = verify_request($req, $readBody, $config, $now, $x);
        $message = parse_message(open_body($verified, $req['content_type'], $config, $x));
        $json = encode_json(['ok' => true, 'result' => run_op($message, $config, $x, $now)]);
        if (\strlen($json) > $config['max_reply_bytes']) {
            throw new BridgeError('limit_exceeded', 413, 'the reply exceeds ' . $config['max_reply_bytes'] . ' bytes');
        }
        return reply($x, 200, $json, $now);
    } catch (BridgeError $e) {
        return reply($x, $e->status, error_json($e->errorCode, $e->getMessage(), $now, $e->details), $now);
    } catch (\PDOException $e) {
        // Goes only to the signed service, which never forwards it to API clients.
        return reply($x, 500, error_json('db_error', $e->getMessage(), $now), $now);
    } catch (\Throwable $e) {
        log_failure($e);
        return reply($x, 500, error_json('internal_error', INTERNAL_ERROR_MESSAGE, $now), $now);
    }
}

/** The request's JSON text: decrypted when it came encrypted, refused in plaintext when encryption is required. */
function open_body(array $verified, string $contentType, array $config, Exchange $x): string
{
    if ($contentType === AEAD_TYPE) {
        $aad = aead_context('c2s', $verified['keyid'], $verified['nonce']);
        $plaintext = aead_open($verified['keys']['enc_c2s'], $aad, $verified['body']);
        if ($plaintext === null) {
            throw new BridgeError('decrypt_failed', 400, 'the encrypted body does not open');
        }
        $x->sealKey = $verified['keys']['enc_s2c'];
        return $plaintext;
    }
    if ($contentType !== JSON_TYPE) {
        throw new BridgeError('bad_request', 400, 'the Content-Type must be ' . JSON_TYPE . ' or ' . AEAD_TYPE);
    }
    if ($config['require_encryption']) {
        throw new BridgeError('encryption_required', 403, 'this bridge accepts encrypted requests only');
    }
    return $verified['body'];
}

/** `{"op": "...", "args": {...}}` with args defaulting to an empty object. */
function parse_message(string $json): array
{
    $message = \json_decode($json, true, 64, \JSON_BIGINT_AS_STRING);
    if (!\is_array($message) || !\is_string($message['op'] ?? null)) {
        throw new BridgeError('bad_request', 400, 'the body must be a JSON object with a string "op"');
    }
    $args = $message['args'] ?? [];
    if (!\is_array($args)) {
        throw new BridgeError('bad_request', 400, '"args" must be an object');
    }
    return ['op' => $message['op'], 'args' => $args];
}

function run_op(array $message, array $config, Exchange $x, int $now): array
{
    switch ($message['op']) {
        case 'ping':
            return op_ping($config, $x, $now);
        case 'detect':
            return op_detect($message['args'], $config);
        case 'query':
            return op_query($message['args'], $config);
        case 'bridge_update':
            return op_bridge_update($message['args'], $config);
        case 'keys_update':
            return op_keys_update($message['args'], $config, (string) $x->keyId);
        case 'self_remove':
            return op_self_remove($config);
    }
    throw new BridgeError('unknown_op', 400, 'unknown op');
}

/** The reply: encrypted when the request was, signed once the keyid is known. */
function reply(Exchange $x, int $status, string $json, int $now): array
{
    $contentType = JSON_TYPE;
    $body = $json;
    if ($x->sealKey !== null) {
        $contentType = AEAD_TYPE;
        $body = aead_seal($x->sealKey, aead_context('s2c', (string) $x->keyId, (string) $x->nonce), $json);
    }
    $headers = ['Content-Type' => $contentType, 'Cache-Control' => 'no-store'];
    if ($x->responseKey !== null) {
        $headers += sign_response($status, $contentType, $body, (string) $x->keyId, $x->responseKey, (string) $x->nonce, $now);
    }
    return ['status' => $status, 'headers' => $headers, 'body' => $body];
}

function error_json(string $code, string $message, int $now, array $details = []): string
{
    return encode_json(['error' => ['code' => $code, 'message' => $message] + $details, 'now' => $now]);
}

/** JSON as the protocol writes it; bytes that are not UTF-8 become U+FFFD rather than an empty reply. */
function encode_json(array $value): string
{
    $json = \json_encode($value, JSON_FLAGS);
    if ($json === false) {
        throw new \RuntimeException('the reply could not be encoded as JSON: ' . \json_last_error_msg());
    }
    return $json;
}

/** Logs a failure for the merchant without arguments or traces, which could hold credentials. */
function log_failure(\Throwable $e): void
{
    \error_log('cartbridge: ' . \get_class($e) . ': ' . $e->getMessage() . ' at ' . \basename($e->getFile()) . ':' . $e->getLine());
}

/* ---------------------------------------------------------------- ops: ping */

function op_ping(array $config, Exchange $x, int $now): array
{
    return [
        'protocol' => PROTOCOL,
        'bridge_version' => VERSION,
        'php_version' => \PHP_VERSION,
        'time' => $now,
        'read_only' => $config['read_only'],
        'require_encryption' => $config['require_encryption'],
        'encrypted' => $x->sealKey !== null,
    ];
}

/* ---------------------------------------------------------------- ops: maintaining the bridge itself */

/**
 * Replaces the bridge's shipped files (never config.php) with the versions the service sends, each written to a
 * temporary file and renamed over the old one, so a request running meanwhile sees either file whole. bridge.php
 * goes last: if anything before it fails, the running version stays. A read-only bridge refuses, since a new
 * bridge.php could drop the read-only checks; `'self_update' => false` turns the op off altogether.
 *
 * args: files: {"bridge.php": {"content": "<base64>", "sha256": "<hex>"}, ...}
 */
function op_bridge_update(array $args, array $config): array
{
    if (!$config['self_update']) {
        throw new BridgeError('update_disabled', 403, 'this bridge does not replace its own files (self_update is false)');
    }
    if ($config['read_only']) {
        throw new BridgeError('read_only', 403, 'a read-only bridge does not replace its own code');
    }
    $files = $args['files'] ?? null;
    if (!\is_array($files) || $files === [] || is_list($files)) {
        throw new BridgeError('bad_request', 400, '"args.files" must map file names to {content, sha256}');
    }
    $decoded = [];
    foreach ($files as $name => $file) {
        if (!\in_array($name, SHIPPED_FILES, true)) {
            throw new BridgeError('bad_request', 400, 'only the shipped files may be updated, not "' . printable((string) $name) . '"');
        }
        $bytes = \is_array($file) && \is_string($file['content'] ?? null) ? \base64_decode($file['content'], true) : false;
        $sha = \is_array($file) && \is_string($file['sha256'] ?? null) ? \strtolower($file['sha256']) : '';
        if ($bytes === false || !\hash_equals(\hash('sha256', $bytes), $sha)) {
            throw new BridgeError('bad_request', 400, 'the content of "' . $name . '" is not base64 or does not match its sha256');
        }
        $decoded[$name] = $bytes;
    }
    $newVersion = VERSION;
    if (isset($decoded['bridge.php'])) {
        $newVersion = checked_bridge_version($decoded['bridge.php']);
    }
    // bridge.php last: the running version stays whole until everything else is in place.
    \uksort($decoded, static function (string $a, string $b): int {
        return ($a === 'bridge.php') <=> ($b === 'bridge.php') ?: \strcmp($a, $b);
    });
    foreach ($decoded as $name => $bytes) {
        write_atomically($config['bridge_dir'] . '/' . $name, $bytes, 0644);
    }
    return ['previous_version' => VERSION, 'bridge_version' => $newVersion, 'files' => \array_keys($decoded)];
}

/** The VERSION of a new bridge.php, after checking it parses and speaks this protocol; nothing of it runs. */
function checked_bridge_version(string $code): string
{
    try {
        \token_get_all($code, \TOKEN_PARSE);
    } catch (\ParseError $e) {
        throw new BridgeError('bad_request', 400, 'the new bridge.php does not parse (line ' . $e->getLine() . ')');
    }
    $constants = php_constants(php_tokens($code), '');
    if (($constants['PROTOCOL'] ?? null) !== PROTOCOL || !\is_string($constants['VERSION'] ?? null)
        || !\preg_match('/^[0-9]+\.[0-9]+\.[0-9]+$/D', $constants['VERSION'])) {
        throw new BridgeError('bad_request', 400, 'the new bridge.php is not a ' . PROTOCOL . ' bridge with a version');
    }
    return $constants['VERSION'];
}

/**
 * Changes the keys config.php holds, for a rotation without downtime: add the next key (both verify), let the
 * service switch to it, then remove the old one. The key that signed the request can be neither replaced nor
 * removed, so no request can lock the service out. The result holds one or two keys.
 *
 * args: add? {keyid: key (base64url)}, remove? [keyid], remove_others? bool (keep only the signer and `add`)
 */
function op_keys_update(array $args, array $config, string $signer): array
{
    $add = $args['add'] ?? [];
    $remove = $args['remove'] ?? [];
    $removeOthers = $args['remove_others'] ?? false;
    if (!\is_array($add) || ($add !== [] && is_list($add)) || !\is_array($remove) || !is_list($remove) || !\is_bool($removeOthers)) {
        throw new BridgeError('bad_request', 400, '"add" must map key ids to keys, "remove" must list key ids, "remove_others" must be true or false');
    }
    if (\array_key_exists($signer, $add) || \in_array($signer, $remove, true)) {
        throw new BridgeError('bad_request', 400, 'the key that signed this request can be neither replaced nor removed');
    }
    $path = $config['bridge_dir'] . '/config.php';
    $raw = literal_config($path);
    $keys = $removeOthers ? [$signer => $raw['keys'][$signer]] : $raw['keys'];
    foreach ($remove as $id) {
        unset($keys[$id]);
    }
    foreach ($add as $id => $key) {
        $keys[$id] = $key;
    }
    if (\count($keys) < 1 || \count($keys) > 2) {
        throw new BridgeError('bad_request', 400, 'a bridge holds one or two keys');
    }
    $raw['keys'] = $keys;
    try {
        validate_config($raw, $config['bridge_dir']);   // a malformed key is refused before anything is written
    } catch (BridgeError $e) {
        throw new BridgeError('bad_request', 400, 'the keys would not make a valid config: ' . $e->getMessage());
    }
    $text = "<?php\n// CartBridge bridge configuration, rewritten by the keys_update operation.\n"
        . "// Keep this file private: the keys below let whoever holds them read and write the store.\n"
        . 'return ' . \var_export($raw, true) . ";\n";
    write_atomically($path, $text, \fileperms($path) & 0777);
    \ksort($keys);
    return ['key_ids' => \array_map('strval', \array_keys($keys))];
}

/**
 * config.php as the array it returns, when it is made of literals only (what the service generates). A file with
 * code in it (a getenv() call, a variable, __DIR__) is refused: rewriting it would bake values in place of code.
 */
function literal_config(string $path): array
{
    $code = @\file_get_contents($path);
    if ($code === false) {
        throw new BridgeError('write_failed', 500, 'config.php cannot be read');
    }
    $allowed = [\T_RETURN, \T_ARRAY, \T_CONSTANT_ENCAPSED_STRING, \T_LNUMBER, \T_DNUMBER, \T_DOUBLE_ARROW,
        '[', ']', '(', ')', ',', ';', '-'];
    foreach (php_tokens($code) as [$id, $text]) {
        $literal = $id === \T_STRING && \in_array(\strtolower($text), ['true', 'false', 'null'], true);
        if (!$literal && !\in_array($id, $allowed, true)) {
            throw new BridgeError('config_not_literal', 409, 'config.php holds code, not only values; change its keys by hand');
        }
    }
    $raw = include $path;
    if (!\is_array($raw) || !\is_array($raw['keys'] ?? null)) {
        throw new BridgeError('not_configured', 500, 'config.php must return an array with "keys"');
    }
    return $raw;
}

/**
 * Deletes the bridge folder, config and nonces included, but only when it holds nothing but what the bridge
 * and the service put there: anything else is listed and nothing is deleted.
 */
function op_self_remove(array $config): array
{
    $dir = $config['bridge_dir'];
    [$files, $dirs, $foreign] = bridge_inventory($dir);
    if ($foreign !== []) {
        throw new BridgeError('foreign_files', 409, 'the bridge folder holds files the bridge did not put there; nothing was removed',
            ['files' => \array_slice($foreign, 0, MAX_LISTED_FILES)]);
    }
    $left = [];
    foreach ($files as $file) {
        if (!@\unlink($dir . '/' . $file)) {
            $left[] = $file;
        }
    }
    // Deepest folders first, the bridge folder itself last.
    \rsort($dirs);
    foreach (\array_merge($dirs, ['']) as $sub) {
        if (!@\rmdir(\rtrim($dir . '/' . $sub, '/'))) {
            $left[] = $sub === '' ? '.' : $sub . '/';
        }
    }
    if ($left !== []) {
        throw new BridgeError('remove_failed', 500, 'some of the bridge folder could not be removed; check its permissions',
            ['files' => \array_slice($left, 0, MAX_LISTED_FILES)]);
    }
    return ['removed' => \count($files)];
}

/**
 * The bridge folder's entries as [files, folders, foreign], relative paths: the shipped files, config.php, nonce
 * files, leftovers of write_atomically(), and the var/ and var/nonces/ folders are the bridge's; anything else
 * (symbolic links included) is foreign.
 */
function bridge_inventory(string $dir): array
{
    $files = [];
    $dirs = [];
    $foreign = [];
    $pending = [''];
    while ($pending !== []) {
        $sub = \array_pop($pending);
        $names = @\scandir($sub === '' ? $dir : $dir . '/' . $sub);
        if ($names === false) {
            throw new BridgeError('remove_failed', 500, 'the bridge folder cannot be listed');
        }
        foreach ($names as $name) {
            if ($name === '.' || $name === '..') {
                continue;
            }
            $relative = $sub === '' ? $name : $sub . '/' . $name;
            $path = $dir . '/' . $relative;
            if (\is_link($path)) {
                $foreign[] = $relative;
            } elseif (\is_dir($path)) {
                if ($relative === 'var' || $relative === 'var/nonces') {
                    $dirs[] = $relative;
                    $pending[] = $relative;
                } else {
                    $foreign[] = $relative . '/';
                }
            } elseif (is_bridge_file($sub, $name)) {
                $files[] = $relative;
            } else {
                $foreign[] = $relative;
            }
        }
    }
    \sort($foreign);
    return [$files, $dirs, $foreign];
}

function is_bridge_file(string $sub, string $name): bool
{
    $relative = $sub === '' ? $name : $sub . '/' . $name;
    return \in_array($relative, SHIPPED_FILES, true) || $relative === 'config.php'
        || ($sub === 'var/nonces' && \preg_match('/^[0-9a-f]{32}$/D', $name) === 1)
        || \preg_match('/^\.[A-Za-z0-9._-]+\.tmp-[0-9a-f]{12}$/D', $name) === 1;
}

/**
 * Replaces a file in one step: the bytes go to a temporary file beside it, which is renamed over the old one, so a
 * reader sees the old file or the new one, never a part. PHP's opcache is told, or it could run the old code on.
 */
function write_atomically(string $path, string $bytes, int $mode): void
{
    $folder = \dirname($path);
    if (!\is_dir($folder) && !@\mkdir($folder, 0700, true) && !\is_dir($folder)) {
        throw new BridgeError('write_failed', 500, 'cannot create the folder of ' . \basename($path) . '; check the permissions');
    }
    $tmp = $folder . '/.' . \basename($path) . '.tmp-' . \bin2hex(\random_bytes(6));
    $handle = @\fopen($tmp, 'x');
    $written = $handle !== false && @\fwrite($handle, $bytes) === \strlen($bytes) && @\fflush($handle);
    if ($handle !== false) {
        \fclose($handle);
    }
    if (!$written || !@\chmod($tmp, $mode) || !@\rename($tmp, $path)) {
        @\unlink($tmp);
        throw new BridgeError('write_failed', 500, 'cannot write ' . \basename($path) . '; check the permissions of the bridge folder');
    }
    if (\function_exists('opcache_invalidate')) {
        @\opcache_invalidate($path, true);
    }
}

/** Text safe to echo in a message: printable ASCII, at most 64 characters. */
function printable(string $text): string
{
    return \substr((string) \preg_replace('/[^\x20-\x7e]/', '?', $text), 0, 64);
}

/* ---------------------------------------------------------------- ops: query */

/** Runs a batch of prepared statements; rows come back as arrays in column order. */
function op_query(array $args, array $config): array
{
    [$statements, $transaction] = parse_batch($args, $config);
    $pdo = connect(locate_store($config)['db']);
    $budget = new Budget($config['max_rows'], $config['max_reply_bytes']);
    return ['results' => run_batch($pdo, $statements, $transaction, $config['read_only'], $budget)];
}

/** Validates the whole batch (shape, limits, read-only) before anything runs. */
function parse_batch(array $args, array $config): array
{
    $statements = $args['statements'] ?? null;
    if (!\is_array($statements) || $statements === [] || !is_list($statements)) {
        throw new BridgeError('bad_request', 400, '"args.statements" must be a non-empty list');
    }
    if (\count($statements) > $config['max_statements']) {
        throw new BridgeError('limit_exceeded', 413, 'a batch holds at most ' . $config['max_statements'] . ' statements');
    }
    $transaction = $args['transaction'] ?? false;
    if (!\is_bool($transaction)) {
        throw new BridgeError('bad_request', 400, '"args.transaction" must be true or false');
    }
    $parsed = [];
    foreach ($statements as $i => $statement) {
        $parsed[] = parse_statement($statement, $i, $config['read_only']);
    }
    return [$parsed, $transaction];
}

function parse_statement($statement, int $index, bool $readOnly): array
{
    $sql = \is_array($statement) ? ($statement['sql'] ?? null) : null;
    $params = \is_array($statement) ? ($statement['params'] ?? []) : null;
    if (!\is_string($sql) || \trim($sql) === '' || !\is_array($params) || !is_list($params)) {
        throw new BridgeError('bad_request', 400, 'statement ' . $index . ' needs "sql" and a "params" list', ['statement_index' => $index]);
    }
    foreach ($params as $param) {
        if ($param !== null && !\is_scalar($param)) {
            throw new BridgeError('bad_request', 400, 'statement ' . $index . ': params must be scalars or null', ['statement_index' => $index]);
        }
    }
    if ($readOnly && !is_read_statement($sql)) {
        throw new BridgeError('read_only', 403, 'statement ' . $index . ' is not a read and the bridge is read-only', ['statement_index' => $index]);
    }
    return ['sql' => $sql, 'params' => $params];
}

function is_list(array $value): bool
{
    return $value === [] || \array_keys($value) === \range(0, \count($value) - 1);
}

/**
 * Whether a statement may run in read-only mode: its first keyword (after whitespace and comments) is a read.
 * The read-only transaction it then runs in is the second line of defence.
 */
function is_read_statement(string $sql): bool
{
    $rest = strip_leading_comments($sql);
    if ($rest === null || !\preg_match('/^([A-Za-z]+)\b/', $rest, $m)
        || !\in_array(\strtoupper($m[1]), READ_KEYWORDS, true)) {
        return false;
    }
    // SELECT ... INTO OUTFILE/DUMPFILE writes a file on the database server.
    return !\preg_match('/\binto\s+(?:outfile|dumpfile)\b/i', $sql);
}

/** The statement without leading whitespace and comments; null when it starts with a comment MariaDB executes. */
function strip_leading_comments(string $sql): ?string
{
    $rest = \ltrim($sql);
    while (true) {
        if (\strncmp($rest, '/*', 2) === 0) {
            // "/*! ... */" and "/*M! ... */" are executable comments: their content is part of the statement.
            if (\substr($rest, 2, 1) === '!' || \substr($rest, 2, 2) === 'M!') {
                return null;
            }
            $end = \strpos($rest, '*/', 2);
            if ($end === false) {
                return null;
            }
            $rest = \ltrim(\substr($rest, $end + 2));
        } elseif (\strncmp($rest, '#', 1) === 0 || \preg_match('/^--(?:\s|$)/D', $rest)) {
            $newline = \strpos($rest, "\n");
            $rest = $newline === false ? '' : \ltrim(\substr($rest, $newline + 1));
        } else {
            return $rest;
        }
    }
}

/** Row and byte allowance of one reply, spent as rows are fetched so a huge result stops early. */
final class Budget
{
    private int $rowsLeft;
    private int $bytesLeft;
    private int $maxRows;
    private int $maxBytes;

    public function __construct(int $maxRows, int $maxBytes)
    {
        $this->rowsLeft = $this->maxRows = $maxRows;
        $this->bytesLeft = $this->maxBytes = $maxBytes;
    }

    /** Counts a row: a lower bound of its JSON size (string bytes plus one separator per value). */
    public function spend(array $row, int $statementIndex): void
    {
        $this->rowsLeft--;
        foreach ($row as $value) {
            $this->bytesLeft -= 1 + (\is_string($value) ? \strlen($value) : 0);
        }
        if ($this->rowsLeft < 0) {
            throw new BridgeError('limit_exceeded', 413, 'the reply would exceed ' . $this->maxRows . ' rows', ['statement_index' => $statementIndex]);
        }
        if ($this->bytesLeft < 0) {
            throw new BridgeError('limit_exceeded', 413, 'the reply would exceed ' . $this->maxBytes . ' bytes', ['statement_index' => $statementIndex]);
        }
    }
}

/**
 * Runs the statements in order, in one transaction when asked (always, read-only, in read-only mode). A failure
 * names its statement_index; outside a transaction the statements before it have run.
 */
function run_batch(\PDO $pdo, array $statements, bool $transaction, bool $readOnly, Budget $budget): array
{
    $begin = $readOnly ? 'START TRANSACTION READ ONLY' : ($transaction ? 'START TRANSACTION' : null);
    if ($begin !== null) {
        $pdo->exec($begin);
    }
    try {
        $results = [];
        foreach ($statements as $i => $statement) {
            try {
                $results[] = run_statement($pdo, $statement, $budget, $i);
            } catch (\PDOException $e) {
                throw new BridgeError('db_error', 500, $e->getMessage(), ['statement_index' => $i]);
            }
        }
        if ($begin !== null) {
            $pdo->exec('COMMIT');
        }
        return $results;
    } catch (\Throwable $e) {
        if ($begin !== null) {
            rollback_quietly($pdo);
        }
        throw $e;
    }
}

/** A failed ROLLBACK must not hide the error that caused it; the server rolls back when the connection closes. */
function rollback_quietly(\PDO $pdo): void
{
    try {
        $pdo->exec('ROLLBACK');
    } catch (\PDOException $ignored) {
    }
}

function run_statement(\PDO $pdo, array $statement, Budget $budget, int $index): array
{
    $stmt = $pdo->prepare($statement['sql']);
    try {
        foreach ($statement['params'] as $n => $value) {
            $stmt->bindValue($n + 1, ...bind_pair($value));
        }
        $stmt->execute();
        $columnCount = $stmt->columnCount();
        $columns = [];
        for ($c = 0; $c < $columnCount; $c++) {
            $columns[] = $stmt->getColumnMeta($c)['name'];
        }
        $rows = [];
        while ($columnCount > 0 && ($row = $stmt->fetch(\PDO::FETCH_NUM)) !== false) {
            $budget->spend($row, $index);
            $rows[] = $row;
        }
        return [
            'columns' => $columns,
            'rows' => $rows,
            'row_count' => \count($rows),
            'affected_rows' => $columnCount > 0 ? 0 : $stmt->rowCount(),
            'last_insert_id' => (string) $pdo->lastInsertId(),
        ];
    } finally {
        // Unbuffered results must be drained before the connection can run anything else (e.g. ROLLBACK).
        $stmt->closeCursor();
    }
}

/** [value, PDO type]: ints and bools as integers, null as NULL, floats in shortest exact form, the rest as strings. */
function bind_pair($value): array
{
    if ($value === null) {
        return [null, \PDO::PARAM_NULL];
    }
    if (\is_bool($value)) {
        return [(int) $value, \PDO::PARAM_INT];
    }
    if (\is_int($value)) {
        return [$value, \PDO::PARAM_INT];
    }
    if (\is_float($value)) {
        return [\var_export($value, true), \PDO::PARAM_STR];
    }
    return [(string) $value, \PDO::PARAM_STR];
}

/* ---------------------------------------------------------------- database connection */

/**
 * Connects like the cart does (its credentials and charset, its sql_mode) with native prepares, so a bound
 * `LIMIT ?` is sent as an integer, and unbuffered results, so the row and byte limits apply before memory fills.
 */
function connect(array $db): \PDO
{
    try {
        $pdo = new \PDO(dsn($db), $db['user'], $db['password'], [
            \PDO::ATTR_ERRMODE => \PDO::ERRMODE_EXCEPTION,
            \PDO::ATTR_EMULATE_PREPARES => false,
            \PDO::ATTR_STRINGIFY_FETCHES => false,
            \PDO::ATTR_TIMEOUT => 10,
            \PDO::MYSQL_ATTR_USE_BUFFERED_QUERY => false,
            \PDO::MYSQL_ATTR_MULTI_STATEMENTS => false,
        ]);
        $pdo->exec(SQL_MODE);
        return $pdo;
    } catch (\PDOException $e) {
        throw new BridgeError('db_unavailable', 503, 'cannot connect to the store database: ' . redact($e->getMessage(), $db['password']));
    }
}

function dsn(array $db): string
{
    $parts = $db['socket'] !== null
        ? ['unix_socket=' . $db['socket']]
        : \array_merge(['host=' . $db['host']], $db['port'] !== null ? ['port=' . $db['port']] : []);
    $parts[] = 'dbname=' . $db['name'];
    $parts[] = 'charset=' . $db['charset'];
    foreach ($parts as $part) {
        if (\strpos($part, ';') !== false) {
            throw new BridgeError('cart_config_unreadable', 422, 'a database setting contains ";", which a PDO DSN cannot hold');
        }
    }
    return 'mysql:' . \implode(';', $parts);
}

/** Removes a secret from a message that might quote it. */
function redact(string $message, string $secret): string
{
    return $secret === '' ? $message : \str_replace($secret, '***', $message);
}

/* ---------------------------------------------------------------- ops: detect */

/** Cart type and version, table prefix, database facts, timezone, store URL and image folders. */
function op_detect(array $args, array $config): array
{
    $store = locate_store($config);
    $pdo = connect($store['db']);
    $prefix = choose_prefix($pdo, $store, $args);
    [$serverVersion, $charset, $timeZone, $systemTimeZone] = fetch_all(
        $pdo,
        'SELECT VERSION(), @@character_set_database, @@time_zone, @@system_time_zone'
    )[0];
    $spec = CARTS[$store['cart']] ?? null;
    $facts = $spec !== null ? ($spec['facts'])($pdo, $prefix, $store) : $store;
    return [
        'cart_type' => $store['cart'],
        'cart_version' => $facts['version'],
        'table_prefix' => $prefix,
        'db_server_version' => $serverVersion,
        'db_charset' => $charset,
        'timezone' => $facts['timezone'] ?? ($timeZone === 'SYSTEM' ? $systemTimeZone : $timeZone),
        'store_url' => $facts['url'],
        'image_dirs' => (object) image_dirs($store['root'], $spec['images'] ?? []),
        'platform_version' => $store['platform_version'],
    ];
}

/**
 * The store: its root, cart type and what the cart's config file says (database credentials, prefix, version,
 * URL), with the bridge config's `db` entries taking precedence. Config files are parsed, never executed.
 */
function locate_store(array $config): array
{
    $root = $config['store_root'];
    $cart = $config['cart'] ?? detect_cart($root);
    $spec = CARTS[$cart] ?? null;
    $store = $spec !== null && \is_file($root . '/' . $spec['config'])
        ? ($spec['read'])($root)
        : ['db' => [], 'prefix' => null, 'version' => null, 'url' => null, 'platform_version' => null];
    $override = $config['db'] ?? [];
    $db = \array_merge(
        ['host' => null, 'port' => null, 'socket' => null, 'name' => null, 'user' => null, 'password' => null, 'charset' => null],
        $store['db'],
        \array_diff_key($override, ['prefix' => true])
    );
    // PHP itself would pass e.g. define('DB_PASSWORD', 1234) on as "1234"; anything else is unreadable.
    $missing = \array_keys(\array_filter(
        ['name' => $db['name'], 'user' => $db['user'], 'password' => $db['password']],
        static function ($v): bool {
            return !\is_string($v) && !\is_int($v);
        }
    ));
    if ($missing !== []) {
        $source = $spec !== null ? $spec['config'] : 'the cart';
        throw new BridgeError('cart_config_unreadable', 422, 'could not read the database ' . \implode(', ', $missing)
            . ' from ' . $source . ' as literal values; set them under "db" in the bridge\'s config.php');
    }
    $store['db'] = normalize_db($db);
    $store['prefix'] = \array_key_exists('prefix', $override) ? $override['prefix'] : $store['prefix'];
    if ($store['prefix'] !== null && !valid_prefix($store['prefix'])) {
        throw new BridgeError('cart_config_unreadable', 422, 'the table prefix may only hold letters, digits and "_"');
    }
    return $store + ['cart' => $cart, 'root' => $root];
}

function detect_cart(string $root): string
{
    foreach (CARTS as $cart => $spec) {
        if (\is_file($root . '/' . $spec['config'])) {
            return $cart;
        }
    }
    throw new BridgeError('cart_not_detected', 422, 'no supported cart found in the store root; set "cart" and "db" in the bridge\'s config.php');
}

/** Types and defaults of the connection settings; "utf8" is widened to utf8mb4 as WordPress does. */
function normalize_db(array $db): array
{
    $host = \is_string($db['host']) && $db['host'] !== '' ? $db['host'] : 'localhost';
    $port = \is_int($db['port']) || (\is_string($db['port']) && \preg_match('/^[0-9]+$/D', $db['port'])) ? (int) $db['port'] : null;
    $charset = \is_string($db['charset']) && $db['charset'] !== '' ? $db['charset'] : 'utf8mb4';
    if (\in_array(\strtolower($charset), ['utf8', 'utf8mb3'], true)) {
        $charset = 'utf8mb4';
    }
    if (!\preg_match('/^[A-Za-z0-9_]+$/D', $charset)) {
        throw new BridgeError('cart_config_unreadable', 422, 'the database charset is not a charset name');
    }
    return [
        'host' => $host,
        'port' => $port,
        'socket' => \is_string($db['socket']) && $db['socket'] !== '' ? $db['socket'] : null,
        'name' => (string) $db['name'],
        'user' => (string) $db['user'],
        'password' => (string) $db['password'],
        'charset' => $charset,
    ];
}

function valid_prefix($prefix): bool
{
    return \is_string($prefix) && \preg_match('/^[A-Za-z0-9_]{0,64}$/D', $prefix) === 1;
}

/**
 * The table prefix: args.table_prefix, else the cart's config, else the single prefix for which both marker
 * tables exist. Several candidates are refused with their list rather than guessed.
 */
function choose_prefix(\PDO $pdo, array $store, array $args): string
{
    if (\array_key_exists('table_prefix', $args)) {
        if (!valid_prefix($args['table_prefix'])) {
            throw new BridgeError('bad_request', 400, '"args.table_prefix" may only hold letters, digits and "_"');
        }
        return $args['table_prefix'];
    }
    if ($store['prefix'] !== null) {
        return $store['prefix'];
    }
    $spec = CARTS[$store['cart']] ?? null;
    if ($spec === null) {
        return '';
    }
    $candidates = prefix_candidates(\array_column(fetch_all($pdo, 'SHOW TABLES'), 0), $spec['markers']);
    if (\count($candidates) === 1) {
        return $candidates[0];
    }
    if ($candidates === []) {
        throw new BridgeError('cart_not_detected', 422, 'the database holds no ' . $store['cart'] . ' tables');
    }
    throw new BridgeError('prefix_ambiguous', 422, 'several table prefixes fit; send args.table_prefix', ['candidates' => $candidates]);
}

/** Prefixes p for which both p.marker1 and p.marker2 are tables (so "oc_coupon_" from oc_coupon_product is not one). */
function prefix_candidates(array $tables, array $markers): array
{
    [$first, $second] = $markers;
    $present = \array_flip($tables);
    $candidates = [];
    foreach ($tables as $table) {
        $prefix = (string) \substr($table, 0, -\strlen($first));   // PHP 7: false when empty
        if (\substr($table, -\strlen($first)) === $first && isset($present[$prefix . $second]) && valid_prefix($prefix)) {
            $candidates[] = $prefix;
        }
    }
    \sort($candidates);
    return $candidates;
}

/** @return array<string,string> name => folder relative to the store root, for the cart's folders that exist */
function image_dirs(string $root, array $dirs): array
{
    return \array_filter($dirs, static function (string $dir) use ($root): bool {
        return \is_dir($root . '/' . $dir);
    });
}

/** All rows of a small query (as lists), fetched completely so the unbuffered connection is free again. */
function fetch_all(\PDO $pdo, string $sql, array $params = []): array
{
    $stmt = $pdo->prepare($sql);
    $stmt->execute($params);
    $rows = $stmt->fetchAll(\PDO::FETCH_NUM);
    $stmt->closeCursor();
    return $rows;
}

/** name => value of a key/value table for the given names (later rows win). */
function fetch_pairs(\PDO $pdo, string $sql, array $names): array
{
    $in = \implode(', ', \array_fill(0, \count($names), '?'));
    $pairs = [];
    foreach (fetch_all($pdo, \str_replace('{names}', $in, $sql), $names) as [$name, $value]) {
        $pairs[$name] = $value;
    }
    return $pairs;
}

/* ---------------------------------------------------------------- carts */

/** OpenCart 3/4: config.php define()s DB_* and HTTP_SERVER; index.php (or admin/index.php) defines VERSION. */
function opencart_read(string $root): array
{
    $c = php_defines(php_file_tokens($root . '/config.php'), $root);
    $version = php_defines(php_file_tokens($root . '/index.php'), $root)['VERSION']
        ?? php_defines(php_file_tokens($root . '/admin/index.php'), $root)['VERSION'] ?? null;
    return [
        'db' => [
            'host' => $c['DB_HOSTNAME'] ?? null,
            'port' => $c['DB_PORT'] ?? null,
            'name' => $c['DB_DATABASE'] ?? null,
            'user' => $c['DB_USERNAME'] ?? null,
            'password' => $c['DB_PASSWORD'] ?? null,
        ],
        'prefix' => $c['DB_PREFIX'] ?? null,
        'version' => scalar_or_null($version),
        'url' => scalar_or_null($c['HTTP_SERVER'] ?? null),
        'platform_version' => null,
    ];
}

function opencart_facts(\PDO $pdo, string $prefix, array $store): array
{
    $settings = fetch_pairs(
        $pdo,
        'SELECT `key`, `value` FROM `' . $prefix . 'setting` WHERE store_id = 0 AND `key` IN ({names})',
        ['config_timezone', 'config_url']
    );
    return [
        'version' => $store['version'],
        'timezone' => non_empty($settings['config_timezone'] ?? null),
        'url' => $store['url'] ?? non_empty($settings['config_url'] ?? null),
    ];
}

/** WordPress: wp-config.php define()s DB_* and sets $table_prefix; wp-includes/version.php sets $wp_version. */
function woocommerce_read(string $root): array
{
    $tokens = php_file_tokens($root . '/wp-config.php');
    $c = php_defines($tokens, $root);
    $vars = php_assignments($tokens, $root);
    $host = \is_string($c['DB_HOST'] ?? null) ? split_host($c['DB_HOST']) : [];
    return [
        'db' => $host + [
            'name' => $c['DB_NAME'] ?? null,
            'user' => $c['DB_USER'] ?? null,
            'password' => $c['DB_PASSWORD'] ?? null,
            'charset' => $c['DB_CHARSET'] ?? null,
        ],
        'prefix' => $vars['table_prefix'] ?? null,
        'version' => null,
        'url' => null,
        'platform_version' => scalar_or_null(php_assignments(php_file_tokens($root . '/wp-includes/version.php'), $root)['wp_version'] ?? null),
    ];
}

function woocommerce_facts(\PDO $pdo, string $prefix, array $store): array
{
    $o = fetch_pairs(
        $pdo,
        'SELECT option_name, option_value FROM `' . $prefix . 'options` WHERE option_name IN ({names})',
        ['woocommerce_version', 'woocommerce_db_version', 'home', 'siteurl', 'timezone_string', 'gmt_offset']
    );
    $version = non_empty($o['woocommerce_version'] ?? null) ?? non_empty($o['woocommerce_db_version'] ?? null);
    if ($version === null) {
        throw new BridgeError('cart_not_detected', 422, 'WordPress found, but WooCommerce is not installed');
    }
    $offset = $o['gmt_offset'] ?? null;
    return [
        'version' => $version,
        'timezone' => non_empty($o['timezone_string'] ?? null) ?? (\is_numeric($offset) ? utc_offset((float) $offset) : null),
        'url' => non_empty($o['home'] ?? null) ?? non_empty($o['siteurl'] ?? null),
    ];
}

/** WordPress's DB_HOST: "host", "host:port", "host:/socket/path", "[ipv6]:port", optionally "p:"-prefixed. */
function split_host(string $value): array
{
    $value = \preg_replace('/^p:/', '', $value);
    $socket = null;
    $slash = \strpos($value, ':/');
    if ($slash !== false) {
        $socket = \substr($value, $slash + 1);
        $value = \substr($value, 0, $slash);
    }
    $port = null;
    if (\preg_match('/^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/D', $value, $m)
        || (\substr_count($value, ':') < 2 && \preg_match('/^([^:]*)(?::(\d+))?$/D', $value, $m))) {
        $value = $m[1];
        $port = isset($m[2]) ? (int) $m[2] : null;
    }
    return ['host' => $value, 'port' => $port, 'socket' => $socket];
}

/** "+05:30" for a WordPress gmt_offset of 5.5 hours. */
function utc_offset(float $hours): string
{
    $minutes = (int) \round(\abs($hours) * 60);
    return ($hours < 0 ? '-' : '+') . \sprintf('%02d:%02d', \intdiv($minutes, 60), $minutes % 60);
}

/** PrestaShop 1.7-9: app/config/parameters.php returns ['parameters' => ['database_host' => ..., ...]]. */
function prestashop_read(string $root): array
{
    $p = php_array_pairs(php_file_tokens($root . '/app/config/parameters.php'), $root);
    $host = \is_string($p['database_host'] ?? null) ? split_host($p['database_host']) : [];
    $port = $p['database_port'] ?? null;
    if ($port !== null && $port !== '') {
        $host['port'] = $port;
    }
    return [
        'db' => $host + [
            'name' => $p['database_name'] ?? null,
            'user' => $p['database_user'] ?? null,
            'password' => $p['database_password'] ?? null,
        ],
        'prefix' => $p['database_prefix'] ?? null,
        'version' => scalar_or_null(php_constants(php_file_tokens($root . '/app/AppKernel.php'), $root)['VERSION'] ?? null),
        'url' => null,
        'platform_version' => null,
    ];
}

function prestashop_facts(\PDO $pdo, string $prefix, array $store): array
{
    // Shop-level rows first, so the global row (id_shop NULL) wins.
    $c = fetch_pairs(
        $pdo,
        'SELECT name, value FROM `' . $prefix . 'configuration` WHERE name IN ({names}) ORDER BY id_shop IS NULL, id_configuration',
        ['PS_VERSION_DB', 'PS_TIMEZONE', 'PS_SSL_ENABLED']
    );
    $shop = fetch_all(
        $pdo,
        'SELECT domain, domain_ssl, physical_uri, virtual_uri FROM `' . $prefix . 'shop_url` WHERE main = 1 AND active = 1 ORDER BY id_shop_url LIMIT 1'
    );
    $url = null;
    if ($shop !== []) {
        [$domain, $domainSsl, $physical, $virtual] = $shop[0];
        $url = (($c['PS_SSL_ENABLED'] ?? '0') === '1' ? 'https://' . $domainSsl : 'http://' . $domain) . $physical . $virtual;
    }
    return [
        'version' => non_empty($c['PS_VERSION_DB'] ?? null) ?? $store['version'],
        'timezone' => non_empty($c['PS_TIMEZONE'] ?? null),
        'url' => $url,
    ];
}

function non_empty($value): ?string
{
    return \is_scalar($value) && (string) $value !== '' ? (string) $value : null;
}

function scalar_or_null($value): ?string
{
    return \is_scalar($value) ? (string) $value : null;
}

/* ---------------------------------------------------------------- reading PHP config files without running them */

/** Tokens of a PHP file (none when it is absent or unreadable) without whitespace, comments and open/close tags. */
function php_file_tokens(string $path): array
{
    $code = \is_file($path) ? @\file_get_contents($path) : false;
    return $code === false ? [] : php_tokens($code);
}

/** Tokens of PHP source without whitespace, comments and open/close tags, each as [id, text]. */
function php_tokens(string $code): array
{
    if (!\function_exists('token_get_all')) {
        throw new BridgeError('cart_config_unreadable', 422, 'the PHP tokenizer extension is needed to read the cart\'s config');
    }
    $skip = [\T_WHITESPACE, \T_COMMENT, \T_DOC_COMMENT, \T_OPEN_TAG, \T_CLOSE_TAG, \T_INLINE_HTML];
    $tokens = [];
    foreach (\token_get_all($code) as $t) {
        if (\is_string($t)) {
            $tokens[] = [$t, $t];
        } elseif (!\in_array($t[0], $skip, true)) {
            $tokens[] = [$t[0], $t[1]];
        }
    }
    return $tokens;
}

/** `define('NAME', <constant expression>)` calls, first definition winning as in PHP. */
function php_defines(array $t, string $dir): array
{
    $found = [];
    for ($i = 0, $n = \count($t); $i < $n; $i++) {
        $previous = $t[$i - 1][0] ?? null;
        if ($t[$i][0] !== \T_STRING || \strtolower($t[$i][1]) !== 'define'
            || \in_array($previous, [\T_OBJECT_OPERATOR, \T_DOUBLE_COLON, \T_FUNCTION, \T_NEW], true)
            || ($t[$i + 1][0] ?? null) !== '(' || ($t[$i + 2][0] ?? null) !== \T_CONSTANT_ENCAPSED_STRING
            || ($t[$i + 3][0] ?? null) !== ',') {
            continue;
        }
        $name = php_string_literal($t[$i + 2][1]);
        $j = $i + 4;
        $value = php_expression($t, $j, $found, $dir);
        if ($value !== null && \in_array($t[$j][0] ?? null, [')', ','], true) && !\array_key_exists($name, $found)) {
            $found[$name] = $value[0];
        }
    }
    return $found;
}

/** `$name = <constant expression>;` statements, the last one winning as in PHP. */
function php_assignments(array $tokens, string $dir): array
{
    return php_pairs_after($tokens, $dir, \T_VARIABLE, '=', [';'], static function (string $text): string {
        return \substr($text, 1);
    });
}

/** `'key' => <constant expression>` array entries anywhere in the file, the last one winning. */
function php_array_pairs(array $tokens, string $dir): array
{
    return php_pairs_after($tokens, $dir, \T_CONSTANT_ENCAPSED_STRING, \T_DOUBLE_ARROW, [',', ')', ']'], __NAMESPACE__ . '\php_string_literal');
}

/** `const NAME = <constant expression>;` declarations, class constants included. */
function php_constants(array $tokens, string $dir): array
{
    return php_pairs_after($tokens, $dir, \T_STRING, '=', [';', ','], static function (string $text): string {
        return $text;
    });
}

/** name => value for every `<name token> <operator> <constant expression> <terminator>` in the file. */
function php_pairs_after(array $t, string $dir, $nameToken, $operator, array $terminators, callable $name): array
{
    $found = [];
    for ($i = 0, $n = \count($t); $i < $n; $i++) {
        if ($t[$i][0] !== $nameToken || ($t[$i + 1][0] ?? null) !== $operator) {
            continue;
        }
        $j = $i + 2;
        $value = php_expression($t, $j, [], $dir);
        if ($value !== null && \in_array($t[$j][0] ?? null, $terminators, true)) {
            $found[$name($t[$i][1])] = $value[0];
        }
    }
    return $found;
}

/**
 * Evaluates the constant expression at $t[$i] and moves $i past it: literals, true/false/null, constants defined
 * earlier in the file, __DIR__ and `.` concatenation, which is all carts write in these files. Returns [value],
 * or null for anything else (a function call, a variable), which is then treated as unreadable.
 */
function php_expression(array $t, int &$i, array $constants, string $dir): ?array
{
    $value = php_term($t, $i, $constants, $dir);
    while ($value !== null && ($t[$i][0] ?? null) === '.') {
        $i++;
        $next = php_term($t, $i, $constants, $dir);
        $value = $next === null ? null : [$value[0] . $next[0]];
    }
    return $value;
}

function php_term(array $t, int &$i, array $constants, string $dir): ?array
{
    [$id, $text] = $t[$i] ?? [null, ''];
    $i++;
    if ($id === '-' && \in_array($t[$i][0] ?? null, [\T_LNUMBER, \T_DNUMBER], true)) {
        $number = php_term($t, $i, $constants, $dir);
        return [-$number[0]];
    }
    switch ($id) {
        case \T_CONSTANT_ENCAPSED_STRING:
            return [php_string_literal($text)];
        case \T_LNUMBER:
            return [\intval(\str_replace('_', '', $text), 0)];
        case \T_DNUMBER:
            return [(float) \str_replace('_', '', $text)];
        case \T_DIR:
            return [$dir];
        case \T_STRING:
            $lower = \strtolower($text);
            $literals = ['true' => true, 'false' => false, 'null' => null];
            if (\array_key_exists($lower, $literals)) {
                return [$literals[$lower]];
            }
            return \array_key_exists($text, $constants) ? [$constants[$text]] : null;
    }
    return null;
}

/** The value of a single- or double-quoted PHP string token without interpolation. */
function php_string_literal(string $token): string
{
    if ($token[0] === 'b' || $token[0] === 'B') {
        $token = \substr($token, 1);
    }
    $inner = unquote($token);
    if ($token[0] === "'") {
        return \preg_replace('/\\\\([\\\\\'])/', '$1', $inner);
    }
    $simple = ['n' => "\n", 'r' => "\r", 't' => "\t", 'v' => "\v", 'e' => "\e", 'f' => "\f", '\\' => '\\', '$' => '$', '"' => '"'];
    return \preg_replace_callback(
        '/\\\\(?:([nrtvef\\\\$"])|([0-7]{1,3})|x([0-9A-Fa-f]{1,2}))/',
        static function (array $m) use ($simple): string {
            if ($m[1] !== '') {
                return $simple[$m[1]];
            }
            return \chr(isset($m[3]) ? \hexdec($m[3]) : \octdec($m[2]) & 0xFF);
        },
        $inner
    );
}

/* ---------------------------------------------------------------- entry point */

/** The page an unsigned visitor sees: that a bridge is installed and its version, nothing else. */
function banner(string $method): array
{
    if ($method !== 'GET' && $method !== 'HEAD') {
        return ['status' => 405, 'headers' => ['Allow' => 'GET, POST', 'Content-Type' => 'text/plain; charset=utf-8'], 'body' => "method not allowed\n"];
    }
    return [
        'status' => 200,
        'headers' => ['Content-Type' => 'text/plain; charset=utf-8', 'Cache-Control' => 'no-store', 'X-Content-Type-Options' => 'nosniff'],
        'body' => 'CartBridge bridge installed, version ' . VERSION . "\n",
    ];
}

function emit(array $response): void
{
    \http_response_code($response['status']);
    foreach ($response['headers'] as $name => $value) {
        \header($name . ': ' . $value);
    }
    echo $response['body'];
}

function main(): void
{
    // The digest covers the bytes as sent: PHP must not compress them on the way out.
    \ini_set('zlib.output_compression', '0');
    \header_remove('X-Powered-By');
    $method = (string) ($_SERVER['REQUEST_METHOD'] ?? 'GET');
    if ($method !== 'POST') {
        emit(banner($method));
        return;
    }
    $now = \time();
    $x = new Exchange();
    \set_error_handler(static function (int $severity, string $message, string $file = '', int $line = 0): bool {
        $reported = \error_reporting() & $severity & ~(\E_DEPRECATED | \E_USER_DEPRECATED);
        if ($reported === 0) {
            return false;
        }
        throw new \ErrorException($message, 0, $severity, $file, $line);
    });
    \register_shutdown_function(static function () use ($x, $now): void {
        // A fatal error (e.g. memory exhausted) skips every catch block: answer it here, signed when possible.
        $error = \error_get_last();
        $fatal = [\E_ERROR, \E_CORE_ERROR, \E_COMPILE_ERROR, \E_PARSE, \E_USER_ERROR];
        if ($error !== null && \in_array($error['type'], $fatal, true) && !\headers_sent()) {
            emit(reply($x, 500, error_json('internal_error', INTERNAL_ERROR_MESSAGE, $now), $now));
        }
    });
    try {
        $config = load_config(__DIR__ . '/config.php', __DIR__);
    } catch (BridgeError $e) {
        emit(reply($x, $e->status, error_json($e->errorCode, $e->getMessage(), $now), $now));
        return;
    }
    $readBody = static function (int $limit): string {
        $body = \file_get_contents('php://input', false, null, 0, $limit);
        return $body === false ? '' : $body;
    };
    emit(handle($_SERVER, $readBody, $config, $now, $x));
}

if (!\defined('CARTBRIDGE_LIBRARY_ONLY')) {
    main();
}
