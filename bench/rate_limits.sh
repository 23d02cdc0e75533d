#!/usr/bin/env bash
# What rate limiting costs on the hot paths, in the same run: two release servers on one fresh
# database, one counting every request (limits set high enough that nothing is refused) and one
# with RATE_LIMIT_ENABLED=false, take turns under examples/loadgen (CONCURRENCY, 8) for
# SECONDS_EACH (5) on a plain read (GET one offer) and on a catalogue search, four times each.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/fresh_server.sh
seconds=${SECONDS_EACH:-5}
concurrency=${CONCURRENCY:-8}
off_index=$(mktemp -d)
RATE_LIMIT_ENABLED=false LISTEN_ADDR=127.0.0.1:3098 SEARCH_INDEX_DIR=$off_index target/release/monstage serve &
off=$!
trap 'kill $server $off 2>/dev/null || true; rm -rf "$SEARCH_INDEX_DIR" "$off_index"' EXIT
OFF="http://127.0.0.1:3098"
until curl -fsS "$OFF/ready" >/dev/null 2>&1; do sleep 0.2; done
offer='{"internship_offer": {"remote_id": "bench-1", "title": "Boulangerie", "description": "Une semaine au fournil.",
  "employer_name": "Boulangerie du Canal", "street": "12 quai de Valmy", "zipcode": "75010", "city": "Paris",
  "coordinates": {"latitude": 48.8708, "longitude": 2.364}, "sector_uuid": "1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6",
  "permalink": "https://partenaire.example/bench-1", "max_candidates": 2}}'
curl -fsS -X POST "$BASE/api/internship_offers" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
  -d "$offer" >/dev/null
loadgen=target/release/examples/loadgen
runs=()
# Four turns, the measuring order swapped every other turn: the first of a pair has an edge (about
# 1.1x on the short read, seen with both servers counting), which the swap cancels out.
for turn in 1 2 3 4; do
  if [ $((turn % 2)) -eq 1 ]; then order=("$OFF" "$BASE"); else order=("$BASE" "$OFF"); fi
  for path in "/api/internship_offers/bench-1" "/api/internship_offers/search?keyword=boulangerie"; do
    for base in "${order[@]}"; do
      runs+=("$(echo -n "$path $base "; "$loadgen" "$base$path" --token "$TOKEN" --concurrency "$concurrency" --seconds "$seconds")")
    done
  done
done
python3 - "$BASE" "${runs[@]}" <<'PY'
import json, statistics, sys
counted = sys.argv[1]
rows = {}
for run in sys.argv[2:]:
    path, base, result = run.split(" ", 2)
    rows.setdefault((path, base == counted), []).append(json.loads(result))
print("| route | rate limits | req/s | p50 ms | p99 ms | errors |")
print("|---|---|---:|---:|---:|---:|")
for (path, on), rs in sorted(rows.items()):
    med = lambda k: statistics.median(r[k] for r in rs)
    print("| %s | %s | %.0f | %.2f | %.2f | %d |" % (path, "counted" if on else "off", med("rps"), med("p50_ms"), med("p99_ms"), sum(r["errors"] for r in rs)))
for path in sorted({p for p, _ in rows}):
    on, off = rows[(path, True)], rows[(path, False)]
    ratio = [a["p50_ms"] / b["p50_ms"] for a, b in zip(on, off)]
    thr = statistics.median(r["rps"] for r in off) / statistics.median(r["rps"] for r in on)
    print("%s: counted / off, p50 turn by turn %s; throughput %.2f×" % (path, ", ".join("%.2f×" % r for r in ratio), thr))
PY
