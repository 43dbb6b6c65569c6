# scripts/testenv/store_roots.sh: store roots as the carts' own installers leave them, and the bridge in them.
# Sourced by scripts/testenv/up and scripts/bench (not run on its own).
#
# write_opencart needs DB_USER, DB_PW and DB_PORT (the private MariaDB's account and port) set by the caller.
# shellcheck shell=bash

put() { # put FILE [MODE] < content: replace FILE atomically, and only when the content changed
  local f=$1 tmp=$1.tmp.$$
  cat > "$tmp"
  [ -n "${2:-}" ] && chmod "$2" "$tmp"
  if cmp -s "$tmp" "$f"; then rm -f "$tmp"; [ -n "${2:-}" ] && chmod "$2" "$f"; return 0; fi
  mv -f "$tmp" "$f"
}
sync_dir() { # sync_dir SRC DST: copy changed files (atomically), keep files only DST has (config.php, nonces)
  local src=$1 dst=$2 f
  while IFS= read -r -d '' f; do
    f=${f#./}
    [ "$f" = config.php ] && continue
    mkdir -p "$dst/$(dirname "$f")"
    cmp -s "$src/$f" "$dst/$f" || { cp "$src/$f" "$dst/$f.tmp.$$" && mv -f "$dst/$f.tmp.$$" "$dst/$f"; }
  done < <(cd "$src" && find . -type f -print0)
}
php_q() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\\\'}"; }  # PHP single-quoted literal
sql_q() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\\\'}"; }  # SQL string literal (default sql_mode)
stub_page() { # stub_page FILE TEXT: a page that says what this folder is (no storefront here)
  printf '<?php\nheader('"'"'Content-Type: text/plain; charset=utf-8'"'"');\necho %s;\n' "$(php_q "$2"$'\n')" | put "$1"
}

write_opencart() { # write_opencart ROOT VERSION DB PORT
  local root=$1 ver=$2 db=$3 port=$4 url="http://127.0.0.1:$4/"
  mkdir -p "$root/admin" "$root/system/storage" "$root/catalog" "$root/image/catalog"
  local dbblock
  dbblock="// DB
define('DB_DRIVER', 'mysqli');
define('DB_HOSTNAME', '127.0.0.1');
define('DB_USERNAME', $(php_q "$DB_USER"));
define('DB_PASSWORD', $(php_q "$DB_PW"));
define('DB_DATABASE', $(php_q "$db"));
define('DB_PORT', '$DB_PORT');
define('DB_PREFIX', 'oc_');"
  if [ "${ver%%.*}" -ge 4 ]; then
    put "$root/config.php" << EOF
<?php
// APPLICATION
define('APPLICATION', 'Catalog');

// HTTP
define('HTTP_SERVER', '$url');

// DIR
define('DIR_OPENCART', '$root/');
define('DIR_APPLICATION', DIR_OPENCART . 'catalog/');
define('DIR_EXTENSION', DIR_OPENCART . 'extension/');
define('DIR_IMAGE', DIR_OPENCART . 'image/');
define('DIR_SYSTEM', DIR_OPENCART . 'system/');
define('DIR_STORAGE', DIR_SYSTEM . 'storage/');
define('DIR_LANGUAGE', DIR_APPLICATION . 'language/');
define('DIR_TEMPLATE', DIR_APPLICATION . 'view/template/');
define('DIR_CONFIG', DIR_SYSTEM . 'config/');
define('DIR_CACHE', DIR_STORAGE . 'cache/');
define('DIR_DOWNLOAD', DIR_STORAGE . 'download/');
define('DIR_LOGS', DIR_STORAGE . 'logs/');
define('DIR_SESSION', DIR_STORAGE . 'session/');
define('DIR_UPLOAD', DIR_STORAGE . 'upload/');

$dbblock

// DB SSL
define('DB_SSL_KEY', '');
define('DB_SSL_CERT', '');
define('DB_SSL_CA', '');
EOF
    put "$root/admin/config.php" << EOF
<?php
// APPLICATION
define('APPLICATION', 'Admin');

// HTTP
define('HTTP_SERVER', '${url}admin/');
define('HTTP_CATALOG', '$url');

// DIR
define('DIR_OPENCART', '$root/');
define('DIR_APPLICATION', DIR_OPENCART . 'admin/');
define('DIR_EXTENSION', DIR_OPENCART . 'extension/');
define('DIR_IMAGE', DIR_OPENCART . 'image/');
define('DIR_SYSTEM', DIR_OPENCART . 'system/');
define('DIR_CATALOG', DIR_OPENCART . 'catalog/');
define('DIR_STORAGE', DIR_SYSTEM . 'storage/');
define('DIR_LANGUAGE', DIR_APPLICATION . 'language/');
define('DIR_TEMPLATE', DIR_APPLICATION . 'view/template/');
define('DIR_CONFIG', DIR_SYSTEM . 'config/');
define('DIR_CACHE', DIR_STORAGE . 'cache/');
define('DIR_DOWNLOAD', DIR_STORAGE . 'download/');
define('DIR_LOGS', DIR_STORAGE . 'logs/');
define('DIR_SESSION', DIR_STORAGE . 'session/');
define('DIR_UPLOAD', DIR_STORAGE . 'upload/');

$dbblock

// DB SSL
define('DB_SSL_KEY', '');
define('DB_SSL_CERT', '');
define('DB_SSL_CA', '');

// OpenCart API
define('OPENCART_SERVER', 'https://www.opencart.com/');
EOF
  else
    put "$root/config.php" << EOF
<?php
// HTTP
define('HTTP_SERVER', '$url');

// HTTPS
define('HTTPS_SERVER', '$url');

// DIR
define('DIR_APPLICATION', '$root/catalog/');
define('DIR_SYSTEM', '$root/system/');
define('DIR_IMAGE', '$root/image/');
define('DIR_STORAGE', DIR_SYSTEM . 'storage/');
define('DIR_LANGUAGE', DIR_APPLICATION . 'language/');
define('DIR_TEMPLATE', DIR_APPLICATION . 'view/theme/');
define('DIR_CONFIG', DIR_SYSTEM . 'config/');
define('DIR_CACHE', DIR_STORAGE . 'cache/');
define('DIR_DOWNLOAD', DIR_STORAGE . 'download/');
define('DIR_LOGS', DIR_STORAGE . 'logs/');
define('DIR_MODIFICATION', DIR_STORAGE . 'modification/');
define('DIR_SESSION', DIR_STORAGE . 'session/');
define('DIR_UPLOAD', DIR_STORAGE . 'upload/');

$dbblock
EOF
    put "$root/admin/config.php" << EOF
<?php
// HTTP
define('HTTP_SERVER', '${url}admin/');
define('HTTP_CATALOG', '$url');

// HTTPS
define('HTTPS_SERVER', '${url}admin/');
define('HTTPS_CATALOG', '$url');

// DIR
define('DIR_APPLICATION', '$root/admin/');
define('DIR_SYSTEM', '$root/system/');
define('DIR_IMAGE', '$root/image/');
define('DIR_STORAGE', DIR_SYSTEM . 'storage/');
define('DIR_CATALOG', '$root/catalog/');
define('DIR_LANGUAGE', DIR_APPLICATION . 'language/');
define('DIR_TEMPLATE', DIR_APPLICATION . 'view/template/');
define('DIR_CONFIG', DIR_SYSTEM . 'config/');
define('DIR_CACHE', DIR_STORAGE . 'cache/');
define('DIR_DOWNLOAD', DIR_STORAGE . 'download/');
define('DIR_LOGS', DIR_STORAGE . 'logs/');
define('DIR_MODIFICATION', DIR_STORAGE . 'modification/');
define('DIR_SESSION', DIR_STORAGE . 'session/');
define('DIR_UPLOAD', DIR_STORAGE . 'upload/');

$dbblock

// OpenCart API
define('OPENCART_SERVER', 'https://www.opencart.com/');
EOF
  fi
  local dir
  for dir in "" admin/; do
    put "$root/${dir}index.php" << EOF
<?php
// Version
define('VERSION', '$ver');

// Configuration
if (is_file('config.php')) {
	require_once('config.php');
}

// Install
if (!defined('DIR_APPLICATION')) {
	header('Location: install/index.php');
	exit();
}

// Startup
require_once(DIR_SYSTEM . 'startup.php');
EOF
  done
  stub_page "$root/system/startup.php" "CartBridge test store: a stand-in for OpenCart $ver (config files only, no storefront)."
}

install_bridge() { # install_bridge SRC ROOT KEY: SRC's files into ROOT/cartbridge (changed ones only), key k1 in its config.php
  local src=$1 root=$2 key=$3
  mkdir -p "$root/cartbridge"
  sync_dir "$src" "$root/cartbridge"
  printf "<?php return ['keys' => ['k1' => %s], 'read_only' => false];\n" "$(php_q "$key")" \
    | put "$root/cartbridge/config.php" 0640
}
