#!/usr/bin/env bash
# `make demo`: the server (as `make run`, webhooks to loopback allowed) and, beside it, the demo
# partner app on DEMO_ADDR (default 127.0.0.1:4000) with an OAuth2 client of the demo operator.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

export WEBHOOK_ALLOW_LOOPBACK=true
listen=${LISTEN_ADDR:-127.0.0.1:3000}
cargo build --release --locked --quiet --example partner-demo
scripts/run.sh &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fsS "http://$listen/ready" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { echo "demo: the server stopped" >&2; exit 1; }
  sleep 0.5
done

DATABASE_URL=$(scripts/database-url.sh)
TOKEN_ENCRYPTION_KEY=${TOKEN_ENCRYPTION_KEY:-$(cat .local/token_encryption_key)}
export DATABASE_URL TOKEN_ENCRYPTION_KEY
bin=target/release/monstage
account=$("$bin" operator list | jq -r '.operators[] | select(.name == "Opérateur de démonstration") | .accounts[0].id')
client=$("$bin" client create --account-id "$account" --name "Application de démonstration" --expires-in-days 1)
export CLIENT_ID=$(echo "$client" | jq -r .client_id)
export CLIENT_SECRET=$(echo "$client" | jq -r .client_secret)
export MONSTAGE_URL="http://$listen"
echo "demo: client $CLIENT_ID (expires in a day); open http://${DEMO_ADDR:-127.0.0.1:4000}" >&2
target/release/examples/partner-demo
