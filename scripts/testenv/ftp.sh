# scripts/testenv/ftp.sh: sourced by `up` (it uses up's helpers and variables); not run on its own.
#
# Real servers the bridge installer uploads to, each with a store root that PHP serves, so an uploaded bridge
# answers over HTTP:
#   FTP  (pyftpdlib, in a venv)  -> $STORES_DIR/ftpshop   users cbftp (read-write) and cbftp-ro (read-only)
#   FTPS (same process, explicit TLS, a self-signed certificate made here) -> $STORES_DIR/ftpsshop
#   SFTP (a second OpenSSH sshd on loopback, password login, sftp only) -> $SFTP_BASE/sftpshop, as the system user
#        cartbridge-sftp whose home is $SFTP_BASE; $SFTP_BASE/readonly-shop is a store root that user cannot write.
#        $SFTP_BASE is outside the repository (/var/tmp), so that user can reach it wherever the clone lives.
# Every store root is an OpenCart one on the ocmini database, with a subfolder notastore/ (not a store root).
# Passwords are random, kept in $SECRETS, and reach the servers through 0600 files and stdin (chpasswd, curl -K -),
# never a command line. Writes $STATE/ftp.json (0600) for the tests: CARTBRIDGE_TEST_FTP in env.sh.

FTP_T=$(date +%s%3N)
FTP_JSON=$STATE/ftp.json
FTP_VENV=$STATE/venv-ftp
SFTP_USER=cartbridge-sftp
SFTP_BASE=/var/tmp/cartbridge-testenv-$(printf '%s' "$STATE" | sha256sum | cut -c1-12)
FTP_SKIPPED=()  # protocol|reason
declare -A FP   # ports: ftpshop ftpsshop sftpshop (PHP), ftp ftps sshd

# packages: sshd, openssl, ssh-keygen and python's venv, only when missing
ftp_need=()
find_bin sshd > /dev/null || ftp_need+=(openssh-server)
command -v openssl > /dev/null 2>&1 || ftp_need+=(openssl)
command -v ssh-keygen > /dev/null 2>&1 || ftp_need+=(openssh-client)
if [ ! -x "$FTP_VENV/bin/python" ] && ! "$PY" -c 'import venv, ensurepip' > /dev/null 2>&1; then ftp_need+=(python3-venv); fi
if [ ${#ftp_need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "ftp: installing ${ftp_need[*]} (apt log: $LOGS/apt.log)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update >> "$LOGS/apt.log" 2>&1 || die "apt-get update failed (see $LOGS/apt.log)"
    apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${ftp_need[@]}" >> "$LOGS/apt.log" 2>&1 \
      || die "apt-get install ${ftp_need[*]} failed (see $LOGS/apt.log)"
  else
    FTP_SKIPPED+=("all|missing ${ftp_need[*]} and not root to install them")
  fi
fi

ftp_store_root() { # ftp_store_root ROOT PORT: an OpenCart root on the ocmini database, plus notastore/
  write_opencart "$1" 4.1.0.4 ocmini "$2"
  mkdir -p "$1/notastore"
  printf 'Not a store root: the installer must refuse this folder (104).\n' | put "$1/notastore/README.txt"
}

ftp_php() { # ftp_php NAME ROOT PORT: php -S for an FTP store root (pid files ftpphp-*, apart from the stores')
  local name=$1 root=$2 port=$3 pid code=000
  if ! pid_alive_with "$RUN/ftpphp-$name.pid" "127.0.0.1:$port -t $root" > /dev/null; then
    if pid=$(pid_alive_with "$RUN/ftpphp-$name.pid" " -t $root"); then stop_pid_group "$pid"; fi
    PHP_CLI_SERVER_WORKERS=$PHP_WORKERS setsid "$PHP" -S "127.0.0.1:$port" -t "$root" \
      < /dev/null >> "$LOGS/php-$name.log" 2>&1 9>&- &
    echo $! > "$RUN/ftpphp-$name.pid"
  fi
  echo "$port" > "$RUN/ftpphp-$name.port"
  for _ in $(seq 1 150); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/index.php" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.1
  done
  die "php -S for $name answers $code on /index.php (see $LOGS/php-$name.log)"
}

ftp_kept_port() { # ftp_kept_port PIDFILE NEEDLE PORTFILE: the saved port while our process still runs, else nothing
  if pid_alive_with "$1" "$2" > /dev/null && [ -s "$3" ]; then cat "$3"; fi
}

ftp_login_ok() { # ftp_login_ok CURL_ARGS... (the account comes on stdin): one quiet listing
  curl -q -s --max-time 3 -o /dev/null -K - "$@" 2> /dev/null
}

if [ ${#FTP_SKIPPED[@]} -eq 0 ]; then
  # ports: a running server keeps its port; the others get their previous one when free, else the next free one
  FP[ftpshop]=$(ftp_kept_port "$RUN/ftpphp-ftpshop.pid" " -t $STORES_DIR/ftpshop" "$RUN/ftpphp-ftpshop.port")
  FP[ftpsshop]=$(ftp_kept_port "$RUN/ftpphp-ftpsshop.pid" " -t $STORES_DIR/ftpsshop" "$RUN/ftpphp-ftpsshop.port")
  FP[sftpshop]=$(ftp_kept_port "$RUN/ftpphp-sftpshop.pid" " -t $SFTP_BASE/sftpshop" "$RUN/ftpphp-sftpshop.port")
  FP[ftp]=$(ftp_kept_port "$RUN/ftpd.pid" "ftpd.py" "$RUN/ftp.port")
  FP[ftps]=$(ftp_kept_port "$RUN/ftpd.pid" "ftpd.py" "$RUN/ftps.port")
  FP[sshd]=$(ftp_kept_port "$RUN/sshd.pid" "$RUN/sshd_config" "$RUN/sshd.port")
  want=() prefs=()
  for k in ftpshop ftpsshop sftpshop ftp ftps sshd; do
    [ -n "${FP[$k]}" ] && continue
    want+=("$k")
    f=$RUN/$k.port; case $k in *shop) f=$RUN/ftpphp-$k.port ;; esac
    if [ -s "$f" ]; then prefs+=("$(cat "$f")"); else prefs+=(0); fi
  done
  if [ ${#want[@]} -gt 0 ]; then
    ports=$(pick_ports 18180 "${prefs[@]}") || die "cannot find free ports for the FTP servers"
    read -r -a got <<< "$ports"
    i=0; for k in "${want[@]}"; do FP[$k]=${got[$i]}; i=$((i + 1)); done
  fi

  # store roots and their PHP servers
  ftp_store_root "$STORES_DIR/ftpshop" "${FP[ftpshop]}"
  ftp_store_root "$STORES_DIR/ftpsshop" "${FP[ftpsshop]}"
  ftp_php ftpshop "$STORES_DIR/ftpshop" "${FP[ftpshop]}"
  ftp_php ftpsshop "$STORES_DIR/ftpsshop" "${FP[ftpsshop]}"

  # FTP and FTPS: pyftpdlib in a venv of its own, a self-signed certificate for 127.0.0.1
  FTP_PW=$(secret ftp_password rand_pw)
  secret ftp_readonly_password rand_pw > /dev/null
  CERT=$SECRETS/ftps-cert.pem KEY=$SECRETS/ftps-key.pem
  if [ ! -s "$CERT" ] || [ ! -s "$KEY" ]; then
    (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$KEY" -out "$CERT" >> "$LOG" 2>&1) \
      || die "openssl could not make the FTPS test certificate"
  fi
  PINNED=$(sort "$SCRIPT_DIR/ftpd-requirements.txt" | tr '\n' ' ')
  if [ ! -x "$FTP_VENV/bin/python" ] || [ "$(cat "$FTP_VENV/.requirements" 2> /dev/null)" != "$PINNED" ]; then
    say "ftp: installing pyftpdlib into $FTP_VENV"
    [ -x "$FTP_VENV/bin/python" ] || "$PY" -m venv "$FTP_VENV" >> "$LOG" 2>&1 || die "python3 -m venv failed (see $LOG)"
    "$FTP_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$SCRIPT_DIR/ftpd-requirements.txt" >> "$LOG" 2>&1 \
      || die "pip install pyftpdlib failed (see $LOG)"
    echo "$PINNED" > "$FTP_VENV/.requirements"
  fi
  SECRETS_DIR=$SECRETS "$PY" -c '
import json, os, sys
secret = lambda name: open(os.path.join(os.environ["SECRETS_DIR"], name)).read().strip()
ftp_port, ftp_root, ftps_port, ftps_root, cert, key = sys.argv[1:]
print(json.dumps({"ftp": {"port": int(ftp_port), "root": ftp_root},
                  "ftps": {"port": int(ftps_port), "root": ftps_root, "certfile": cert, "keyfile": key},
                  "users": [{"name": "cbftp", "password": secret("ftp_password"), "perm": "elradfmwMT"},
                            {"name": "cbftp-ro", "password": secret("ftp_readonly_password"), "perm": "elr"}]}, indent=1))
' "${FP[ftp]}" "$STORES_DIR/ftpshop" "${FP[ftps]}" "$STORES_DIR/ftpsshop" "$CERT" "$KEY" | put "$SECRETS/ftpd.json" 0600
  FTPD_ID=$(cat "$SECRETS/ftpd.json" "$SCRIPT_DIR/ftpd.py" | sha256sum | cut -c1-16)
  if pid=$(pid_alive_with "$RUN/ftpd.pid" "$SCRIPT_DIR/ftpd.py") && [ "$(cat "$RUN/ftpd.id" 2> /dev/null)" != "$FTPD_ID" ]; then
    stop_pid_group "$pid"   # its config or code changed
  fi
  if ! pid_alive_with "$RUN/ftpd.pid" "$SCRIPT_DIR/ftpd.py" > /dev/null; then
    setsid "$FTP_VENV/bin/python" "$SCRIPT_DIR/ftpd.py" "$SECRETS/ftpd.json" < /dev/null >> "$LOGS/ftpd.log" 2>&1 9>&- &
    echo $! > "$RUN/ftpd.pid"
    echo "$FTPD_ID" > "$RUN/ftpd.id"
  fi
  echo "${FP[ftp]}" > "$RUN/ftp.port"
  echo "${FP[ftps]}" > "$RUN/ftps.port"
  ok=0
  for _ in $(seq 1 100); do
    if printf 'user = "cbftp:%s"\n' "$FTP_PW" | ftp_login_ok "ftp://127.0.0.1:${FP[ftp]}/"; then ok=1; break; fi
    pid_alive_with "$RUN/ftpd.pid" "$SCRIPT_DIR/ftpd.py" > /dev/null || { tail -n 5 "$LOGS/ftpd.log" >&2; die "ftpd.py exited (see $LOGS/ftpd.log)"; }
    sleep 0.1
  done
  [ $ok = 1 ] || die "the FTP test server does not accept cbftp (see $LOGS/ftpd.log)"
  printf 'user = "cbftp:%s"\n' "$FTP_PW" | ftp_login_ok --ssl-reqd --cacert "$CERT" "ftp://127.0.0.1:${FP[ftps]}/" \
    || die "the FTPS test server does not answer a verified TLS login (see $LOGS/ftpd.log)"

  # SFTP: a second sshd on loopback for one dedicated user with a password; sftp only, no shell, no forwarding
  if [ "$(id -u)" != 0 ]; then
    FTP_SKIPPED+=("sftp|not root: cannot create the SFTP test user")
  else
    SSHD=$(find_bin sshd) || die "sshd not found"
    SFTP_PW=$(secret sftp_password rand_pw)
    if ! id "$SFTP_USER" > /dev/null 2>&1; then
      useradd --system --no-create-home --home-dir "$SFTP_BASE" --shell /usr/sbin/nologin "$SFTP_USER" >> "$LOG" 2>&1 \
        || die "cannot create the user $SFTP_USER"
    fi
    if [ "$(getent passwd "$SFTP_USER" | cut -d: -f6)" != "$SFTP_BASE" ]; then
      usermod --home "$SFTP_BASE" "$SFTP_USER" >> "$LOG" 2>&1 || die "cannot set the home folder of $SFTP_USER"
    fi
    printf '%s:%s\n' "$SFTP_USER" "$SFTP_PW" | chpasswd || die "cannot set the password of $SFTP_USER"
    mkdir -p "$SFTP_BASE"
    chmod 0755 "$SFTP_BASE"
    ftp_store_root "$SFTP_BASE/sftpshop" "${FP[sftpshop]}"
    chown -R "$SFTP_USER" "$SFTP_BASE/sftpshop"
    ftp_store_root "$SFTP_BASE/readonly-shop" 9   # a valid store root, owned by root: the user cannot write it
    ftp_php sftpshop "$SFTP_BASE/sftpshop" "${FP[sftpshop]}"
    HOSTKEY=$SECRETS/sftp_host_ed25519
    if [ ! -s "$HOSTKEY" ]; then
      ssh-keygen -q -t ed25519 -N '' -C cartbridge-testenv -f "$HOSTKEY" >> "$LOG" 2>&1 || die "ssh-keygen failed"
    fi
    HOST_FP=$(ssh-keygen -l -E sha256 -f "$HOSTKEY.pub" | awk '{print $2}')
    mkdir -p /run/sshd   # sshd's privilege separation folder
    chmod 0755 /run/sshd
    {
      echo "# CartBridge test SFTP server (scripts/testenv/ftp.sh): loopback only, one user, password, sftp only."
      echo "Port ${FP[sshd]}"
      echo "ListenAddress 127.0.0.1"
      echo "HostKey $HOSTKEY"
      echo "PidFile $RUN/sshd.pid"
      echo "UsePAM no"
      echo "PasswordAuthentication yes"
      echo "KbdInteractiveAuthentication no"
      echo "PubkeyAuthentication no"
      echo "PermitRootLogin no"
      echo "AllowUsers $SFTP_USER"
      echo "AuthorizedKeysFile none"
      echo "Subsystem sftp internal-sftp"
      echo "ForceCommand internal-sftp"
      echo "AllowTcpForwarding no"
      echo "X11Forwarding no"
      echo "PermitTTY no"
    } | put "$RUN/sshd_config" 0600
    "$SSHD" -t -f "$RUN/sshd_config" >> "$LOG" 2>&1 || die "sshd rejects $RUN/sshd_config (see $LOG)"
    SSHD_ID=$(sha256sum < "$RUN/sshd_config" | cut -c1-16)
    if pid=$(pid_alive_with "$RUN/sshd.pid" "$RUN/sshd_config") && [ "$(cat "$RUN/sshd.id" 2> /dev/null)" != "$SSHD_ID" ]; then
      kill -TERM "$pid" 2> /dev/null || true   # its config changed
      for _ in $(seq 1 30); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    fi
    if ! pid_alive_with "$RUN/sshd.pid" "$RUN/sshd_config" > /dev/null; then
      rm -f "$RUN/sshd.pid"
      # sshd detaches by itself and writes its pid file; the absolute path is required for its re-exec
      "$SSHD" -f "$RUN/sshd_config" -E "$LOGS/sshd.log" < /dev/null 9>&- || die "sshd did not start (see $LOGS/sshd.log)"
      echo "$SSHD_ID" > "$RUN/sshd.id"
    fi
    echo "${FP[sshd]}" > "$RUN/sshd.port"
    ok=0
    for _ in $(seq 1 100); do
      if printf 'user = "%s:%s"\n' "$SFTP_USER" "$SFTP_PW" \
        | ftp_login_ok --hostpubsha256 "${HOST_FP#SHA256:}" "sftp://127.0.0.1:${FP[sshd]}/~/"; then ok=1; break; fi
      sleep 0.1
    done
    [ $ok = 1 ] || die "the SFTP test server does not accept $SFTP_USER (see $LOGS/sshd.log)"
  fi
fi

# ftp.json for the tests
{
  if [ ${#FTP_SKIPPED[@]} -eq 0 ] || [ "${FTP_SKIPPED[0]%%|*}" != all ]; then
    printf 'S\tftp\tftp\t%s\tcbftp\tftp_password\tcbftp-ro\tftp_readonly_password\t/\t/\t%s\t%s\t\t\n' \
      "${FP[ftp]}" "$STORES_DIR/ftpshop" "${FP[ftpshop]}"
    printf 'S\tftps\tftps\t%s\tcbftp\tftp_password\tcbftp-ro\tftp_readonly_password\t/\t/\t%s\t%s\t%s\t\n' \
      "${FP[ftps]}" "$STORES_DIR/ftpsshop" "${FP[ftpsshop]}" "$CERT"
    if [ -n "${HOST_FP:-}" ]; then
      printf 'S\tsftp\tsftp\t%s\t%s\tsftp_password\t%s\tsftp_password\tsftpshop\treadonly-shop\t%s\t%s\t\t%s\n' \
        "${FP[sshd]}" "$SFTP_USER" "$SFTP_USER" "$SFTP_BASE/sftpshop" "${FP[sftpshop]}" "$HOST_FP"
    fi
  fi
  for s in "${FTP_SKIPPED[@]+"${FTP_SKIPPED[@]}"}"; do printf 'X\t%s\t%s\n' "${s%%|*}" "${s#*|}"; done
} | SECRETS_DIR=$SECRETS "$PY" -c '
import json, os, sys
servers, skipped = [], []
secret = lambda name: open(os.path.join(os.environ["SECRETS_DIR"], name)).read().strip()
for line in sys.stdin.read().splitlines():
    f = line.split("\t")
    if f[0] == "X":
        skipped.append({"protocol": f[1], "reason": f[2]})
        continue
    name, proto, port, user, pw, ro_user, ro_pw, store_dir, ro_dir, root, http_port, ca, host_key = f[1:]
    servers.append({"name": name, "protocol": proto, "host": "127.0.0.1", "port": int(port),
                    "user": user, "password": secret(pw), "readonly_user": ro_user, "readonly_password": secret(ro_pw),
                    "store_dir": store_dir, "readonly_store_dir": ro_dir,
                    "not_store_dir": (store_dir.strip("/") + "/notastore").lstrip("/"),
                    "store_root": root, "store_url": "http://127.0.0.1:%s" % http_port,
                    "ca_file": ca or None, "host_key": host_key or None})
print(json.dumps({"servers": servers, "skipped": skipped}, indent=2))
' | put "$FTP_JSON" 0600
say "ftp: FTP :${FP[ftp]:--}, FTPS :${FP[ftps]:--}, SFTP :${FP[sshd]:--} serving store roots -> $FTP_JSON in $(secs "$(ms_since "$FTP_T")")"
