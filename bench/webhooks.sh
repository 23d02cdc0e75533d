#!/usr/bin/env bash
# Webhook benchmark: examples/webhook_bench against a release server on a fresh database (writes
# without then with a subscription, end-to-end delivery latency to a loopback receiver).
# WEBHOOK_OFFERS (2000), WEBHOOK_CONCURRENCY (8).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/fresh_server.sh
target/release/examples/webhook_bench "$BASE" "$TOKEN" \
  --offers "${WEBHOOK_OFFERS:-2000}" --concurrency "${WEBHOOK_CONCURRENCY:-8}"
