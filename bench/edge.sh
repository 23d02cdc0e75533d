#!/usr/bin/env bash
# What the edge costs against another binary, in the same run: two release servers on one
# catalogue of BENCH_SIZE (10 000) offers (bench/offers.py, imported), this checkout's and the one
# built from BASE_COMMIT (9f8c4a7, before the route table) into target/edge-base, take turns
# (the order swapped every other turn, TURNS 4) under the varied search mix (bench/mix.py: every
# shape, facets included) sent by wrk, and under creations (examples/loadgen), at CONNECTIONS (32)
# for SECONDS_EACH (5). SHAPES narrows the mix; WITH_CREATE= leaves creations out. Prints one
# table and each shape's ratio (this / base) of medians.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${BENCH_SIZE:-10000}
turns=${TURNS:-4}
seconds=${SECONDS_EACH:-5}
connections=${CONNECTIONS:-32}
base_commit=${BASE_COMMIT:-9f8c4a7}
out=bench/out/edge
mkdir -p "$out"

if [ ! -x target/edge-base/monstage ] || [ "$(cat target/edge-base/commit 2>/dev/null)" != "$base_commit" ]; then
  rm -rf "$out/base-tree" && git worktree add -f "$out/base-tree" "$base_commit" >/dev/null
  (cd "$out/base-tree" && CARGO_TARGET_DIR=../../../../target cargo build --release --locked --quiet --bin monstage)
  mkdir -p target/edge-base && cp target/release/monstage target/edge-base/monstage
  echo "$base_commit" > target/edge-base/commit
  git worktree remove --force "$out/base-tree"
fi
cargo build --release --locked --quiet --bin monstage --example loadgen
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

server_db=$(scripts/db.sh | tail -n 1 | cut -d= -f2-)
export DATABASE_URL=${server_db%/*}/monstage_edge_bench PGGSSENCMODE=disable
psql -X -q "${server_db%/*}/postgres" -c "DROP DATABASE IF EXISTS monstage_edge_bench WITH (FORCE)" \
  -c "CREATE DATABASE monstage_edge_bench"
export TOKEN_ENCRYPTION_KEY RUST_LOG=warn DATABASE_POOL_SIZE=40
TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export RATE_LIMIT_WRITE=100000000 RATE_LIMIT_READ=100000000 RATE_LIMIT_SEARCH=100000000 RATE_LIMIT_TRACKING=100000000
bin=target/release/monstage
"$bin" migrate >/dev/null && "$bin" seed >/dev/null
created=$("$bin" operator create --name "Bench" --email bench@example.org --full-access)
token=$(echo "$created" | json_field "['api_token']")
sectors=$(psql -X -Atc "SELECT string_agg(uuid::text, ',' ORDER BY id) FROM sectors" "$DATABASE_URL")
python3 bench/offers.py "$size" 42 "$sectors" > "$out/offers.jsonl"
"$bin" offers import --operator-id "$(echo "$created" | json_field "['operator_id']")" "$out/offers.jsonl" >/dev/null
weeks=$(python3 -c "import json; print(','.join(sorted({w for l in open('$out/offers.jsonl') for w in json.loads(l)['weeks']})))")
shapes=${SHAPES:-"geo keyword geo_keyword filtered deep facets"}
for shape in $shapes; do python3 bench/mix.py "$shape" 2000 7 "$sectors" "$weeks" > "$out/mix-$shape.txt"; done

pids=()
serve() { # binary port
  LISTEN_ADDR=127.0.0.1:$2 SEARCH_INDEX_DIR=$(mktemp -d) "$1" serve >"$out/server-$2.log" 2>&1 &
  pids+=($!)
  until curl -fs -o /dev/null "http://127.0.0.1:$2/ready"; do sleep 0.1; done
}
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
serve target/edge-base/monstage 3201
serve "$bin" 3202

row() { # label port shape
  if [ "$3" = create ]; then
    local body="{\"internship_offer\": {\"remote_id\": \"edge-$1-$RANDOM-{n}\", \"title\": \"Commis de cuisine\", \"description\": \"Une semaine en cuisine.\", \"employer_name\": \"Le Bistrot\", \"street\": \"1 rue de la Paix\", \"zipcode\": \"75002\", \"city\": \"Paris\", \"coordinates\": {\"latitude\": 48.8686, \"longitude\": 2.3325}, \"sector_uuid\": \"92e5ad0c-6e30-43a4-8158-818236d01390\", \"permalink\": \"https://partenaire.example/offres/load\", \"max_candidates\": 2}}"
    target/release/examples/loadgen "http://127.0.0.1:$2/api/internship_offers" --method POST \
      --token "$token" --concurrency "$connections" --seconds "$seconds" --body "$body" \
      | python3 -c "import json,sys; r=json.load(sys.stdin); print('$1 $3', round(r['rps']), r['p99_ms'], r['errors'])"
    return
  fi
  BENCH_PATHS=$out/mix-$3.txt BENCH_TOKEN=$token wrk -t 2 -c "$connections" -d "${seconds}s" --latency \
    -s bench/mix.lua "http://127.0.0.1:$2" | python3 -c "
import re, sys
t = sys.stdin.read()
m = re.search(r'\s99%\s+([\d.]+)(us|ms|s)\b', t)
p99 = float(m.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[m.group(2)]
errors = sum(int(n) for n in re.findall(r'Non-2xx or 3xx responses: (\d+)', t))
print('$1 $3', round(float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))), round(p99, 2), errors)"
}

: > "$out/rows.txt"
for turn in $(seq 1 "$turns"); do
  if [ $((turn % 2)) -eq 1 ]; then order="base:3201 this:3202"; else order="this:3202 base:3201"; fi
  for shape in $shapes ${WITH_CREATE-create}; do
    for server in $order; do row "${server%:*}" "${server#*:}" "$shape" | tee -a "$out/rows.txt" >&2; done
  done
done
python3 - "$out/rows.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, shape, rps, p99, errors = line.split()
    rows.setdefault((shape, label), []).append((float(rps), float(p99), int(errors)))
print("| shape | base req/s | this req/s | this / base | base p99 ms | this p99 ms | errors |")
print("|---|---:|---:|---:|---:|---:|---:|")
ratios = []
for shape in dict.fromkeys(s for s, _ in rows):
    base, this = rows[(shape, "base")], rows[(shape, "this")]
    med = lambda rs, i: statistics.median(r[i] for r in rs)
    ratio = med(this, 0) / med(base, 0)
    ratios.append(ratio)
    print(f"| {shape} | {med(base, 0):.0f} | {med(this, 0):.0f} | {ratio:.3f} | {med(base, 1):.1f} | {med(this, 1):.1f} | {sum(r[2] for r in base + this)} |")
print(f"geometric mean of this / base: {statistics.geometric_mean(ratios):.3f}")
PY
