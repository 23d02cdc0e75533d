#!/usr/bin/env bash
# What an idempotent replay costs beside a plain read, in the same run: GET of one offer, then the
# same POST replayed with one Idempotency-Key (the stored answer), in turns, each for SECONDS_EACH (5) at
# CONCURRENCY (8) connections with examples/loadgen, against a release server on a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/fresh_server.sh
seconds=${SECONDS_EACH:-5}
concurrency=${CONCURRENCY:-8}
offer='{"internship_offer": {"remote_id": "bench-1", "title": "Boulangerie", "description": "Une semaine au fournil.",
  "employer_name": "Boulangerie du Canal", "street": "12 quai de Valmy", "zipcode": "75010", "city": "Paris",
  "coordinates": {"latitude": 48.8708, "longitude": 2.364}, "sector_uuid": "1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6",
  "permalink": "https://partenaire.example/bench-1", "max_candidates": 2}}'
curl -fsS -X POST "$BASE/api/internship_offers" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
  -H "Idempotency-Key: bench" -d "$offer" >/dev/null
loadgen=target/release/examples/loadgen
# Read and replay take turns, three times each, so that neither gets the machine's quieter moments.
runs=()
for _ in 1 2 3; do
  runs+=("$("$loadgen" "$BASE/api/internship_offers/bench-1" --token "$TOKEN" --concurrency "$concurrency" --seconds "$seconds")")
  runs+=("$("$loadgen" "$BASE/api/internship_offers" --method POST --token "$TOKEN" --concurrency "$concurrency" \
    --seconds "$seconds" --body "$offer" --header "Idempotency-Key: bench")")
done
python3 - "${runs[@]}" <<'PY'
import json, statistics, sys
runs = [json.loads(a) for a in sys.argv[1:]]
reads, replays = runs[0::2], runs[1::2]
print("| median of 3 | req/s | p50 ms | p99 ms | errors |")
print("|---|---|---|---|---|")
def median(rs, key): return statistics.median(r[key] for r in rs)
for name, rs in (("GET one offer (plain read)", reads), ("POST replayed (Idempotency-Key)", replays)):
    print("| %s | %.0f | %.2f | %.2f | %d |" % (name, median(rs, "rps"), median(rs, "p50_ms"), median(rs, "p99_ms"), sum(r["errors"] for r in rs)))
ratios = [b["p50_ms"] / a["p50_ms"] for a, b in zip(reads, replays)]
print("replay / read, p50, turn by turn: %s (median %.2f×); throughput median %.2f×" % (
    ", ".join("%.2f×" % r for r in ratios), statistics.median(ratios), median(reads, "rps") / median(replays, "rps")))
PY
