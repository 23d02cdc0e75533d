# Sourced by scripts/fuzz.sh and scripts/contract.sh, which drive the tools partners use against a
# live server.
#
# `live_server NAME PORT` builds the debug server, starts it on 127.0.0.1:PORT over a fresh
# database NAME (migrated, seeded with the demo pupils) with limits the tools never reach, and
# creates a full-access operator. It sets `bin`, `base`, `token` (the operator's static token),
# `account_id` and `server` (its pid, stopped on exit); the server's log is .local/NAME/server.log.
live_server() {
  local name=$1 port=$2
  cargo build --locked --quiet --bin monstage
  bin="${CARGO_TARGET_DIR:-target}/debug/monstage"
  local base_url
  base_url=$(scripts/database-url.sh)
  export PGGSSENCMODE=disable
  psql "${base_url%/*}/postgres" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" \
    -c "CREATE DATABASE $name" >/dev/null
  export DATABASE_URL=${base_url%/*}/$name
  TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  export TOKEN_ENCRYPTION_KEY
  export LISTEN_ADDR=127.0.0.1:$port RUST_LOG=${RUST_LOG:-warn} WEBHOOK_ALLOW_LOOPBACK=true
  # Thousands of calls a minute: limits never reached (429s are tested elsewhere).
  export RATE_LIMIT_WRITE=100000000 RATE_LIMIT_READ=100000000 RATE_LIMIT_SEARCH=100000000 \
    RATE_LIMIT_TRACKING=100000000 RATE_LIMIT_UNAUTHENTICATED=100000000
  SEARCH_INDEX_DIR=$(mktemp -d)
  export SEARCH_INDEX_DIR
  "$bin" migrate >/dev/null
  "$bin" seed --demo >/dev/null
  local operator
  operator=$("$bin" operator create --name "$name" --email "$name@monstage.localhost" --full-access)
  token=$(echo "$operator" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_token"])')
  account_id=$(echo "$operator" | python3 -c 'import json,sys; print(json.load(sys.stdin)["account_id"])')
  base="http://$LISTEN_ADDR"
  mkdir -p ".local/$name"
  "$bin" serve > ".local/$name/server.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true; rm -rf "$SEARCH_INDEX_DIR"' EXIT
  for _ in $(seq 1 300); do curl -fsS "$base/ready" >/dev/null 2>&1 && break; sleep 0.2; done
}

# `pinned_venv REQUIREMENTS VENV`: a virtual environment with exactly the pinned requirements,
# made again when they change.
pinned_venv() {
  if ! cmp -s "$1" "$2/requirements.txt" 2>/dev/null; then
    rm -rf "$2"
    python3 -m venv "$2"
    "$2/bin/pip" install --quiet --disable-pip-version-check -r "$1"
    cp "$1" "$2/requirements.txt"
  fi
}

# Fails when the server's log holds a panic.
no_panic() {
  if grep -q "panicked" ".local/$1/server.log"; then
    echo "$1: the server panicked (see .local/$1/server.log)" >&2
    exit 1
  fi
}
