<?php
/*
 * CartBridge bridge configuration: a sample. The real file is config.php next to bridge.php; the CartBridge service
 * writes it when it packages the bridge. It returns a PHP array, so a browser that requests it gets an empty page.
 * Unknown entries are refused (a misspelt entry must not silently leave a protection off).
 */
return [
    // Bridge keys: keyid => 32 random bytes as base64url without padding (43 characters). During a key rotation
    // two entries ("k1" and "k2") are present and either one verifies. Never reuse the API's store_key here.
    'keys' => [
        'k1' => 'REPLACE_WITH_43_CHARACTERS_OF_BASE64URL_KEY',
    ],

    // true: only SELECT, SHOW, EXPLAIN, DESCRIBE and WITH statements, each batch in START TRANSACTION READ ONLY.
    'read_only' => false,

    // true: plaintext (application/json) requests are refused; only application/cartbridge-aead is accepted.
    // Set it for stores served over plain http://.
    'require_encryption' => false,

    // Store root folder; null = the folder that contains cartbridge/.
    'store_root' => null,

    // Cart type: null = detect from the store root ("opencart", "woocommerce", "prestashop"). Another name is
    // accepted for carts detect does not know; then "db" must give every connection setting.
    'cart' => null,

    // Database settings overriding what the cart's config file says, or replacing it when it cannot be read
    // (e.g. values taken from environment variables). Keys: host, port, socket, name, user, password, charset,
    // prefix. Example: ['host' => '127.0.0.1', 'port' => 3306, 'name' => 'shop', 'user' => 'shop',
    // 'password' => '...', 'prefix' => 'oc_'].
    'db' => null,

    // Folder for the replay-protection files (one per request nonce); null = cartbridge/var/nonces.
    'nonce_dir' => null,

    // Limits. A request body larger than max_body_bytes is refused (body_too_large); a batch over max_statements,
    // a reply over max_rows rows or max_reply_bytes bytes is refused with limit_exceeded.
    'max_body_bytes' => 1048576,
    'max_statements' => 50,
    'max_rows' => 10000,
    'max_reply_bytes' => 16777216,

    // true: the service may replace bridge.php and the other shipped files (never config.php) through the signed
    // bridge_update operation (bridge.update). false: update by hand or over FTP only. A read-only bridge never
    // replaces its own code, whatever this says.
    'self_update' => true,
];
