#!/usr/bin/env bash
# Webhook benchmark: a release server on a fresh database, the demo operator's token, and
# examples/webhook_bench (writes without then with a subscription, end-to-end delivery
# latency to a loopback receiver). WEBHOOK_OFFERS (2000), WEBHOOK_CONCURRENCY (8).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked --quiet --bin monstage --example webhook_bench
base_url=$(scripts/database-url.sh)
db=monstage_webhook_bench
admin_url=${base_url%/*}/postgres
psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
export DATABASE_URL=${base_url%/*}/$db
export TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export WEBHOOK_ALLOW_LOOPBACK=true RUST_LOG=warn LISTEN_ADDR=127.0.0.1:3099
export SEARCH_INDEX_DIR=$(mktemp -d)
bin=target/release/monstage
"$bin" migrate >/dev/null
token=$("$bin" seed --demo | jq -r .demo_operator.api_token)
"$bin" serve &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$SEARCH_INDEX_DIR"' EXIT
until curl -fsS "http://$LISTEN_ADDR/ready" >/dev/null 2>&1; do sleep 0.2; done
target/release/examples/webhook_bench "http://$LISTEN_ADDR" "$token" \
  --offers "${WEBHOOK_OFFERS:-2000}" --concurrency "${WEBHOOK_CONCURRENCY:-8}"
