#!/usr/bin/env bash
# make bench: the release server on generated catalogues of 10 k, 100 k and 1 M realistic offers
# (bench/offers.py, loaded with `monstage offers import`), under a varied, seeded search mix
# (bench/mix.py: 60 places weighted by population, radii 1-50 km, 100 words of every frequency,
# sector and week filters, pages 1-50, facets) sent by wrk at 1, 8 and 32 connections, beside the
# index's own query time with no HTTP (examples/index_bench.rs). Also: my offers against pgbench
# on the same SQL, creation against pgbench on its statements (bench/create.pgbench), freshness
# under 200 writes/s, import and rebuild times, peak RSS, index size.
# BENCH_SIZES, BENCH_CONNECTIONS, BENCH_SECONDS and BENCH_QUERIES override the defaults below.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${BENCH_SIZES:-"10000 100000 1000000"}
connections=${BENCH_CONNECTIONS:-"1 8 32"}
seconds=${BENCH_SECONDS:-5}
queries=${BENCH_QUERIES:-2000}
shapes="geo keyword geo_keyword filtered deep facets"
port=${BENCH_PORT:-3999}
out=bench/out
mkdir -p "$out"
results="$out/results.tsv"
printf 'size\tshape\tconnections\trps\tp50_ms\tp99_ms\terrors\tlimit\n' > "$results"
facts="$out/facts.tsv"
printf 'size\tfact\tvalue\n' > "$facts"

[ -x /usr/bin/wrk ] || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq wrk >&2; }
server_db=$(scripts/db.sh | tail -n 1 | cut -d= -f2-)
base=${server_db%/*}
db="$base/monstage_bench"
# Requests are counted as in production (rate limits on), with limits no load here reaches.
export RATE_LIMIT_WRITE=100000000 RATE_LIMIT_READ=100000000 RATE_LIMIT_SEARCH=100000000 RATE_LIMIT_TRACKING=100000000
export TOKEN_ENCRYPTION_KEY
TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
psql_db() { psql -X -q -v ON_ERROR_STOP=1 "$db" "$@"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
fact() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$facts"; echo "  $2: $3" >&2; }

echo "bench: building the release server and the tools" >&2
cargo build --release --locked --quiet --bin monstage --example loadgen --example bench_sql --example index_bench
bin=target/release/monstage
loadgen=target/release/examples/loadgen
bench_sql=target/release/examples/bench_sql
index_bench=target/release/examples/index_bench

start_server() { # size
  DATABASE_URL=$db SEARCH_INDEX_DIR=$out/index-$1 LISTEN_ADDR=127.0.0.1:$port RUST_LOG=warn \
    DATABASE_POOL_SIZE=40 "$bin" serve >"$out/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 6000); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/ready" && return
    sleep 0.05
  done
  echo "bench: the server never became ready (see $out/server.log)" >&2
  exit 1
}

stop_server() {
  peak_kb=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status")
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
}

load_catalogue() { # size
  psql -X -q "$base/postgres" -c "DROP DATABASE IF EXISTS monstage_bench WITH (FORCE)" -c "CREATE DATABASE monstage_bench"
  DATABASE_URL=$db "$bin" migrate >/dev/null
  DATABASE_URL=$db "$bin" seed >/dev/null
  local created
  created=$(DATABASE_URL=$db "$bin" operator create --name "Ministère du bench" --email bench@example.org --full-access)
  token=$(echo "$created" | json_field "['api_token']")
  operator=$(echo "$created" | json_field "['operator_id']")
  reader=$(DATABASE_URL=$db "$bin" operator create --name "Lecteur" --email lecteur@example.org --full-access | json_field "['api_token']")
  sectors=$(psql_db -Atc "SELECT string_agg(uuid::text, ',' ORDER BY id) FROM sectors")
  python3 bench/offers.py "$1" 42 "$sectors" > "$out/offers.jsonl"
  local started=$SECONDS
  DATABASE_URL=$db "$bin" offers import --operator-id "$operator" "$out/offers.jsonl" > "$out/import.json"
  fact "$1" "import (s)" "$(( SECONDS - started ))"
  fact "$1" "import result" "$(tail -n 1 "$out/import.json")"
  psql_db -c "VACUUM ANALYZE"
  weeks=$(python3 -c "import json; print(','.join(sorted({w for l in open('$out/offers.jsonl') for w in json.loads(l)['weeks']})))")
}

wrk_row() { # size shape connections paths limit
  local report
  report=$(BENCH_PATHS=$4 BENCH_TOKEN=$token wrk -t "$(( $3 < 2 ? $3 : 2 ))" -c "$3" -d "${seconds}s" --latency \
    -s bench/mix.lua "http://127.0.0.1:$port" 2>&1)
  echo "$report" | python3 -c "
import re, sys
t = sys.stdin.read()
def ms(label):
    m = re.search(r'\s' + label + r'%\s+([\d.]+)(us|ms|s)\b', t)
    if not m: return 0.0
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1))
errors = sum(int(n) for n in re.findall(r'Non-2xx or 3xx responses: (\d+)', t))
print('\t'.join(map(str, ['$1', '$2', '$3', round(rps), round(ms('50'), 2), round(ms('99'), 2), errors, '$5'])))" >> "$results"
  echo "  $2 c=$3: $(tail -n 1 "$results" | cut -f4-8)" >&2
}

freshness() { # lag between a write answered and another partner's search showing it, while
  # other writes arrive at 200 a second (p50, p99, max of 100 probes)
  local body=${create_body//@RUN@/fresh-$1}
  "$loadgen" "http://127.0.0.1:$port/api/internship_offers" --method POST --token "$token" \
    --concurrency 8 --rate 200 --seconds 20 --body "$body" > "$out/freshness-load.json" &
  local load=$!
  sleep 1
  python3 - "$port" "$token" "$reader" <<'PY'
import json, sys, time, urllib.request
port, writer, reader = sys.argv[1], sys.argv[2], sys.argv[3]
base = f"http://127.0.0.1:{port}/api/internship_offers"
def call(method, url, token, body=None):
    req = urllib.request.Request(url, method=method, data=body and json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
offer = json.loads(open("bench/out/offers.jsonl").readline())
lags = []
for i in range(100):
    word = f"fraicheur{i}x{int(time.time())}"
    body = dict(offer, remote_id=f"fresh-{word}", title=f"Stage {word}")
    call("POST", base, writer, {"internship_offer": body})
    written = time.time()
    while call("GET", f"{base}/search?keyword={word}", reader)["pagination"]["totalInternshipOffers"] == 0:
        time.sleep(0.002)
    lags.append((time.time() - written) * 1000)
lags.sort()
print(f"p50 {lags[len(lags)//2]:.0f} ms, p99 {lags[98]:.0f} ms, max {lags[-1]:.0f} ms", end="")
PY
  wait "$load"
  echo ", with $(json_field "['rps']" < "$out/freshness-load.json") other writes/s"
}

create_limit() { # connections: pgbench on the statements of a creation (bench/create.pgbench)
  local account hash sector week1 week2 first last
  account=$(psql_db -Atc "SELECT id FROM accounts WHERE operator_id = $operator ORDER BY id LIMIT 1")
  hash=$(psql_db -Atc "SELECT encode(token_hash, 'hex') FROM accounts WHERE id = $account")
  sector=$(psql_db -Atc "SELECT id FROM sectors WHERE uuid = '92e5ad0c-6e30-43a4-8158-818236d01390'")
  read -r week1 first < <(psql_db -Atc "SELECT id, monday FROM weeks WHERE year = $year AND number = 10" | tr '|' ' ')
  read -r week2 last < <(psql_db -Atc "SELECT id, monday + 6 FROM weeks WHERE year = $year AND number = 11" | tr '|' ' ')
  pgbench -n -M extended -c "$1" -j "$(( $1 < 2 ? $1 : 2 ))" -T "$seconds" -f bench/create.pgbench \
    -D operator="$operator" -D account="$account" -D hash="$hash" -D sector="$sector" \
    -D week1="$week1" -D week2="$week2" -D first_date="$first" -D last_date="$last" "$db" 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1
}

year=$(( $(date +%Y) + 1 ))
create_body="{\"internship_offer\": {\"remote_id\": \"load-@RUN@-{n}\", \"title\": \"Commis de cuisine\", \"description\": \"Une semaine en cuisine avec notre cheffe.\", \"employer_name\": \"Le Bistrot\", \"street\": \"1 rue de la Paix\", \"zipcode\": \"75002\", \"city\": \"Paris\", \"coordinates\": {\"latitude\": 48.8686, \"longitude\": 2.3325}, \"sector_uuid\": \"92e5ad0c-6e30-43a4-8158-818236d01390\", \"weeks\": [\"$year-W10\", \"$year-W11\"], \"permalink\": \"https://partenaire.example/offres/load\"}}"

declare -A limits
for size in $sizes; do
  echo "bench: $size offers" >&2
  load_catalogue "$size"
  rm -rf "$out/index-$size"
  started=$(date +%s.%N)
  start_server "$size"
  fact "$size" "rebuild to ready (s)" "$(python3 -c "print(round($(date +%s.%N) - $started, 1))")"
  stop_server
  for shape in $shapes; do
    python3 bench/mix.py "$shape" "$queries" 7 "$sectors" "$weeks" > "$out/mix-$shape.txt"
    limits[$shape]=$(DATABASE_URL=$db "$index_bench" --index "$out/index-$size" --paths "$out/mix-$shape.txt")
  done
  start_server "$size"
  for shape in $shapes; do
    limit=$(echo "${limits[$shape]}" | json_field "['p50_ms']")/$(echo "${limits[$shape]}" | json_field "['p99_ms']")/$(echo "${limits[$shape]}" | json_field "['max_ms']")
    for c in $connections; do wrk_row "$size" "$shape" "$c" "$out/mix-$shape.txt" "index $limit ms"; done
  done
  echo "/api/internship_offers" > "$out/mix-my_offers.txt"
  DATABASE_URL=$db "$bench_sql" --token "$token" | python3 -c "import json,sys; [print(s + ';') for s in json.load(sys.stdin)['statements']]" > "$out/pgbench-my_offers.sql"
  for c in $connections; do
    tps=$(pgbench -n -M extended -c "$c" -j "$(( c < 2 ? c : 2 ))" -T "$seconds" -f "$out/pgbench-my_offers.sql" "$db" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
    wrk_row "$size" my_offers "$c" "$out/mix-my_offers.txt" "pgbench ${tps%.*} tps"
  done
  fact "$size" "freshness (another partner's search)" "$(freshness "$size")"
  for c in $connections; do
    body=${create_body//@RUN@/$size-$c}
    r=$("$loadgen" "http://127.0.0.1:$port/api/internship_offers" --method POST --token "$token" --concurrency "$c" --seconds "$seconds" --body "$body")
    tps=$(create_limit "$c")
    echo "$r" | python3 -c "import json,sys; r=json.load(sys.stdin); print('\t'.join(map(str, ['$size', 'create', '$c', round(r['rps']), r['p50_ms'], r['p99_ms'], r['errors'], 'pgbench ${tps%.*} tps'])))" >> "$results"
    echo "  create c=$c: $(tail -n 1 "$results" | cut -f4-7)" >&2
  done
  stop_server
  fact "$size" "server peak RSS (MB)" "$(( peak_kb / 1024 ))"
  fact "$size" "index on disk (MB)" "$(du -sm "$out/index-$size" | cut -f1)"
done

python3 bench/report.py "$results" "$facts" | tee "$out/results.md"
