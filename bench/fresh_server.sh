# Sourced by the small benches: a release server on a fresh database (the local cluster), the demo
# operator's token in $TOKEN and the server's address in $BASE. Stopped when the bench exits.
cargo build --release --locked --quiet --bin monstage --examples
base_url=$(scripts/database-url.sh)
db=monstage_small_bench
psql "${base_url%/*}/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
export DATABASE_URL=${base_url%/*}/$db
export TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export WEBHOOK_ALLOW_LOOPBACK=true RUST_LOG=warn LISTEN_ADDR=127.0.0.1:3099
# Requests are counted as in production, but no load here may be refused (429).
export RATE_LIMIT_WRITE=${RATE_LIMIT_WRITE:-100000000} RATE_LIMIT_READ=${RATE_LIMIT_READ:-100000000} \
  RATE_LIMIT_SEARCH=${RATE_LIMIT_SEARCH:-100000000} RATE_LIMIT_TRACKING=${RATE_LIMIT_TRACKING:-100000000}
export SEARCH_INDEX_DIR=$(mktemp -d)
target/release/monstage migrate >/dev/null
TOKEN=$(target/release/monstage seed --demo | jq -r .demo_operator.api_token)
BASE="http://$LISTEN_ADDR"
target/release/monstage serve &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$SEARCH_INDEX_DIR"' EXIT
until curl -fsS "$BASE/ready" >/dev/null 2>&1; do sleep 0.2; done
