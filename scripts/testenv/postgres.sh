# scripts/testenv/postgres.sh: the private PostgreSQL of the test environment. Sourced by `up` and `down`,
# which define the helpers used here (say, die, secret, rand_pw, pick_ports, pid_alive_with, put; alive,
# signal, wait_stopped in down).
#
# up:   postgres_up    installs Debian's postgresql only when no postgres/initdb is found, initialises a cluster
#                      on tmpfs (/dev/shm when writable, else $STATE/postgres), runs it as an unprivileged user
#                      (initdb and postgres refuse root) on 127.0.0.1 and a free port, creates the role and
#                      database cartbridge_test with a random password (kept in $SECRETS/postgres_password, 0600),
#                      and sets POSTGRES_URL for env.sh. A running server of ours is reused.
# down: postgres_down  stops it (fast shutdown) and removes its run dir.
#
# Environment: CARTBRIDGE_TESTENV_POSTGRES_PORT (preferred port, default 55432).

PG_ROLE=cartbridge_test
PG_DB=cartbridge_test

postgres_bin() { # postgres_bin NAME: the newest of Debian's versioned folders, else PATH
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -t/ -k4 -V -r); do
    if [ -x "$d/$1" ]; then echo "$d/$1"; return 0; fi
  done
  command -v "$1" 2> /dev/null
}

# The run dir: $RUN/postgres.dir remembers it, so up and down agree.
postgres_rundir() {
  if [ -s "$RUN/postgres.dir" ]; then cat "$RUN/postgres.dir"; return 0; fi
  local id dir
  id=$(printf '%s' "$STATE" | sha256sum | cut -c1-12)
  if [ "${CARTBRIDGE_TESTENV_NO_SHM:-0}" != 1 ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    dir=/dev/shm/cartbridge-testenv/$id-postgres  # beside MariaDB's run dir, which stays 0700 root
  else
    dir=$STATE/postgres
  fi
  echo "$dir" > "$RUN/postgres.dir"
  echo "$dir"
}

postgres_up() {
  local t need=0
  t=$(date +%s%3N)
  PG_POSTGRES=$(postgres_bin postgres) || PG_POSTGRES=""
  PG_INITDB=$(postgres_bin initdb) || PG_INITDB=""
  PG_PSQL=$(postgres_bin psql) || PG_PSQL=""
  PG_ISREADY=$(postgres_bin pg_isready) || PG_ISREADY=""
  [ -n "$PG_POSTGRES" ] && [ -n "$PG_INITDB" ] && [ -n "$PG_PSQL" ] && [ -n "$PG_ISREADY" ] || need=1
  if [ $need = 1 ]; then
    [ "$(id -u)" = 0 ] || die "postgres/initdb not found and not root: install Debian's postgresql first"
    say "postgres: installing postgresql (apt log: $LOGS/apt.log)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update >> "$LOGS/apt.log" 2>&1 || die "apt-get update failed (see $LOGS/apt.log)"
    apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends postgresql >> "$LOGS/apt.log" 2>&1 \
      || die "apt-get install postgresql failed (see $LOGS/apt.log)"
    PG_POSTGRES=$(postgres_bin postgres) && PG_INITDB=$(postgres_bin initdb) && PG_PSQL=$(postgres_bin psql) \
      && PG_ISREADY=$(postgres_bin pg_isready) || die "postgres binaries not found after installing postgresql"
  fi

  # initdb and postgres refuse to run as root: as root, run them as Debian's postgres user (or nobody)
  local run_as=()
  PG_OWNER=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    if id postgres > /dev/null 2>&1; then PG_OWNER=postgres; else PG_OWNER=nobody; fi
    run_as=(setpriv --reuid="$(id -u "$PG_OWNER")" --regid="$(id -g "$PG_OWNER")" --clear-groups --)
  fi

  local dir data pw port pid
  dir=$(postgres_rundir)
  data=$dir/data
  mkdir -p "$dir"
  chown "$PG_OWNER": "$dir"
  chmod 0700 "$dir"
  pw=$(secret postgres_password rand_pw)
  printf '*:*:%s:%s:%s\n' "$PG_DB" "$PG_ROLE" "$pw" | put "$SECRETS/pgpass" 0600

  pid=$(pid_alive_with "$RUN/postgres.pid" "-D $data") || pid=""
  if [ -n "$pid" ] && [ -s "$RUN/postgres.port" ] && "$PG_ISREADY" -q -h "$dir" -p "$(cat "$RUN/postgres.port")"; then
    port=$(cat "$RUN/postgres.port")
    say "postgres: reusing running server pid $pid on 127.0.0.1:$port"
  else
    [ -n "$pid" ] && die "postgres pid $pid (ours) runs but does not answer; run scripts/testenv/down"
    if [ ! -s "$data/PG_VERSION" ]; then
      rm -rf "$data"
      "${run_as[@]}" "$PG_INITDB" -D "$data" -U postgres -E UTF8 --no-locale --auth-local=trust \
        --auth-host=scram-sha-256 > "$LOGS/initdb.log" 2>&1 || die "initdb failed (see $LOGS/initdb.log)"
    fi
    local prev=0
    [ -s "$RUN/postgres.port" ] && prev=$(cat "$RUN/postgres.port")
    [ "$prev" -gt 0 ] || prev=${CARTBRIDGE_TESTENV_POSTGRES_PORT:-55432}
    port=$(pick_ports "${CARTBRIDGE_TESTENV_POSTGRES_PORT:-55432}" "$prev")
    rm -f "$RUN/postgres.pid"
    # fsync off: the data is on tmpfs and thrown away; max_connections: each registry in the tests has a pool
    setsid "${run_as[@]}" "$PG_POSTGRES" -D "$data" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 \
      -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 \
      < /dev/null >> "$LOGS/postgres.log" 2>&1 9>&- &
    local started=$!
    echo "$port" > "$RUN/postgres.port"
    for _ in $(seq 1 300); do
      "$PG_ISREADY" -q -h "$dir" -p "$port" && break
      kill -0 "$started" 2> /dev/null || { tail -n 20 "$LOGS/postgres.log" >&2 || true; die "postgres exited (see $LOGS/postgres.log)"; }
      sleep 0.1
    done
    "$PG_ISREADY" -q -h "$dir" -p "$port" || die "postgres not ready after 30 s (see $LOGS/postgres.log)"
    head -n 1 "$data/postmaster.pid" > "$RUN/postgres.pid"
    say "postgres: started pid $(cat "$RUN/postgres.pid") on 127.0.0.1:$port in $(secs "$(ms_since "$t")")"
  fi

  # the role and database (idempotent); the password goes through stdin, never a command line
  "$PG_PSQL" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >> "$LOG" 2>&1 << EOF \
    || die "cannot create the PostgreSQL role and database (see $LOG)"
SELECT 'CREATE ROLE $PG_ROLE LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') \gexec
ALTER ROLE $PG_ROLE WITH LOGIN PASSWORD '$pw';
SELECT 'CREATE DATABASE $PG_DB OWNER $PG_ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB') \gexec
EOF
  PGPASSFILE=$SECRETS/pgpass "$PG_PSQL" -X -q -h 127.0.0.1 -p "$port" -U "$PG_ROLE" -d "$PG_DB" -c 'SELECT 1' \
    > /dev/null 2>> "$LOG" || die "role $PG_ROLE cannot log in over TCP (see $LOG)"
  POSTGRES_URL="postgres://$PG_ROLE:$pw@127.0.0.1:$port/$PG_DB?sslmode=disable"
  POSTGRES_PASSFILE=$SECRETS/pgpass
}

postgres_down() {
  local dir="" pid
  [ -s "$RUN/postgres.dir" ] && dir=$(cat "$RUN/postgres.dir")
  if [ -n "$dir" ] && pid=$(pid_alive_with "$RUN/postgres.pid" "-D $dir/data"); then
    kill -INT "$pid" 2> /dev/null || true  # the postmaster alone: SIGINT is its fast shutdown
    wait_stopped 20 "$pid"
    say "postgres: stopped pid $pid"
  else
    say "postgres: not running"
  fi
  rm -f "$RUN/postgres.pid"
  if [ -n "$dir" ] && [ -d "$dir" ]; then
    case "$dir" in
      /dev/shm/cartbridge-testenv/*-postgres|"$STATE"/postgres) rm -rf "$dir"; say "removed $dir" ;;
      *) say "not removing unexpected postgres dir $dir" ;;
    esac
  fi
  rm -f "$RUN/postgres.dir"
}
