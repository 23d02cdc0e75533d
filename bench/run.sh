#!/usr/bin/env bash
# make bench: the release server over loopback against pgbench running the same SQL, on
# generated catalogues of 10 k, 100 k and 1 M offers. Prints one table (also in bench/out/).
# BENCH_SIZES, BENCH_CONNECTIONS and BENCH_SECONDS override the defaults below.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${BENCH_SIZES:-"10000 100000 1000000"}
connections=${BENCH_CONNECTIONS:-"1 8 32"}
seconds=${BENCH_SECONDS:-5}
batch=50000
port=${BENCH_PORT:-3999}
out=bench/out
mkdir -p "$out"
results="$out/results.tsv"
printf 'size\tscenario\tconnections\trps\tp50_ms\tp99_ms\terrors\tpgbench_tps\tpeak_rss_mb\n' > "$results"

server_db=$(scripts/db.sh | tail -n 1 | cut -d= -f2-)
base=${server_db%/*}
db="$base/monstage_bench"
export TOKEN_ENCRYPTION_KEY
TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
psql_db() { psql -X -q -v ON_ERROR_STOP=1 "$db" "$@"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "bench: building the release server and the load generator" >&2
cargo build --release --locked --quiet --bin monstage --example loadgen --example bench_sql
bin=target/release/monstage
loadgen=target/release/examples/loadgen
bench_sql=target/release/examples/bench_sql
year=$(( $(date +%Y) + 1 ))

progress() { # done total
  local width=40 filled=$(( $1 * 40 / $2 ))
  printf '\r  [%s%s] %d/%d offers' "$(printf '#%.0s' $(seq 1 $filled) 2>/dev/null)" \
    "$(printf ' %.0s' $(seq 1 $((width - filled))) 2>/dev/null)" "$1" "$2" >&2
}

generate_catalogue() { # size
  psql -X -q "$base/postgres" -c "DROP DATABASE IF EXISTS monstage_bench WITH (FORCE)" -c "CREATE DATABASE monstage_bench"
  DATABASE_URL=$db "$bin" migrate >/dev/null
  DATABASE_URL=$db "$bin" seed >/dev/null
  psql_db -c "CREATE TABLE bench_operators (n int PRIMARY KEY, operator_id bigint, account_id bigint)"
  for i in $(seq 0 49); do
    local flag=""; [ "$i" -eq 0 ] && flag="--full-access"
    local created
    created=$(DATABASE_URL=$db "$bin" operator create --name "Opérateur $i" --email "bench$i@example.org" $flag)
    psql_db -c "INSERT INTO bench_operators VALUES ($i, $(echo "$created" | json_field "['operator_id']"), $(echo "$created" | json_field "['account_id']"))"
    [ "$i" -eq 0 ] && token=$(echo "$created" | json_field "['api_token']")
  done
  psql_db -f bench/setup.sql
  echo "bench: generating $1 offers" >&2
  local from=1 started=$SECONDS
  while [ "$from" -le "$1" ]; do
    local to=$(( from + batch - 1 )); [ "$to" -gt "$1" ] && to=$1
    psql_db -v from="$from" -v to="$to" -f bench/generate.sql
    progress "$to" "$1"
    from=$(( to + 1 ))
  done
  psql_db -c "VACUUM ANALYZE"
  echo " — $(( SECONDS - started )) s" >&2
}

pgbench_script() { # scenario file [search query]
  local statements
  case "$1" in
    create) pgbench_create_script > "$2"; return ;;
    offer_page) pgbench_page_script > "$2"; return ;;
    apply_redirect) pgbench_redirect_script > "$2"; return ;;
  esac
  statements=$(DATABASE_URL=$db "$bench_sql" --token "$token" ${3:+--search "$3"})
  echo "$statements" | python3 -c "import json,sys; [print(s + ';') for s in json.load(sys.stdin)['statements']]" > "$2"
}

pgbench_create_script() { # the statements of POST /api/internship_offers, as the server sends them
  local auth op acc sector w1 w2
  auth=$(DATABASE_URL=$db "$bench_sql" --token "$token" | python3 -c "import json,sys; print(json.load(sys.stdin)['statements'][0])")
  read -r op acc <<<"$(psql_db -Atc "SELECT operator_id, account_id FROM bench_operators WHERE n = 0" | tr '|' ' ')"
  sector=$(psql_db -Atc "SELECT id FROM sectors WHERE uuid = '92e5ad0c-6e30-43a4-8158-818236d01390'")
  read -r w1 w2 <<<"$(psql_db -Atc "SELECT string_agg(id::text, ' ' ORDER BY id) FROM weeks WHERE year = $year AND number IN (10, 11)")"
  cat <<SQL
\set r random(1, 2000000000)
$auth;
SELECT weeks.id, weeks.year, weeks.number, weeks.monday FROM weeks WHERE weeks.monday = ANY(ARRAY[(SELECT monday FROM weeks WHERE id = $w1), (SELECT monday FROM weeks WHERE id = $w2)]);
SELECT sectors.id FROM sectors WHERE sectors.uuid = '92e5ad0c-6e30-43a4-8158-818236d01390' LIMIT 1;
SELECT EXISTS (SELECT internship_offers.id FROM internship_offers WHERE internship_offers.operator_id = $op AND internship_offers.remote_id = 'pgb-' || :client_id || '-' || :r AND internship_offers.discarded_at IS NULL);
BEGIN;
INSERT INTO internship_offers (operator_id, account_id, remote_id, title, description, employer_name, employer_description, employer_website, street, zipcode, city, department, coordinates, sector_id, permalink, max_candidates, max_students_per_group, is_public, handicap_accessible, lunch_break, daily_hours, first_date, last_date, published_at) VALUES ($op, $acc, 'pgb-' || :client_id || '-' || :r, 'Commis de cuisine', 'Une semaine en cuisine avec notre cheffe.', 'Le Bistrot', NULL, NULL, '1 rue de la Paix', '75002', 'Paris', '75', ST_SetSRID(ST_MakePoint(2.3325, 48.8686), 4326)::geography, $sector, 'https://partenaire.example/offres/load', 1, 1, false, false, NULL, NULL, (SELECT monday FROM weeks WHERE id = $w1), (SELECT monday + 6 FROM weeks WHERE id = $w2), now()) RETURNING id, operator_id, account_id, remote_id, title, description, employer_name, employer_description, employer_website, street, zipcode, city, department, coordinates, sector_id, permalink, max_candidates, max_students_per_group, is_public, handicap_accessible, lunch_break, daily_hours, first_date, last_date, published_at, discarded_at, created_at, updated_at \\gset
INSERT INTO internship_offer_weeks (internship_offer_id, week_id) VALUES (:id, $w1), (:id, $w2) ON CONFLICT DO NOTHING;
COMMIT;
SQL
}

OFFER_COLUMNS="id, operator_id, account_id, remote_id, title, description, employer_name, employer_description, employer_website, street, zipcode, city, department, coordinates, sector_id, permalink, max_candidates, max_students_per_group, is_public, handicap_accessible, lunch_break, daily_hours, first_date, last_date, published_at, discarded_at, created_at, updated_at, approved_count"

pgbench_page_script() { # the statements of GET /offres-de-stage/{id}, as the server sends them
  cat <<SQL
SELECT $OFFER_COLUMNS FROM internship_offers WHERE internship_offers.id = $page_offer LIMIT 1;
SELECT operators.id, operators.name, operators.api_full_access, operators.created_at FROM operators WHERE operators.id = (SELECT operator_id FROM internship_offers WHERE id = $page_offer) LIMIT 1;
SELECT sectors.name FROM sectors WHERE sectors.id = (SELECT sector_id FROM internship_offers WHERE id = $page_offer) LIMIT 1;
SELECT weeks.year, weeks.number, weeks.monday FROM internship_offer_weeks INNER JOIN weeks ON internship_offer_weeks.week_id = weeks.id WHERE internship_offer_weeks.internship_offer_id = $page_offer ORDER BY weeks.monday;
INSERT INTO offer_daily_views (internship_offer_id, day, views) VALUES ($page_offer, CURRENT_DATE, 1) ON CONFLICT (internship_offer_id, day) DO UPDATE SET views = offer_daily_views.views + 1;
SQL
}

pgbench_redirect_script() { # the statements of GET /offres-de-stage/{id}/postuler?msta=N
  cat <<SQL
SELECT $OFFER_COLUMNS FROM internship_offers WHERE internship_offers.id = $page_offer LIMIT 1;
SELECT EXISTS (SELECT students.id FROM students WHERE students.id = $page_student);
INSERT INTO apply_clicks (internship_offer_id, student_id) VALUES ($page_offer, $page_student);
SQL
}

start_server() {
  DATABASE_URL=$db SEARCH_RESULT_CAP=$SEARCH_RESULT_CAP LISTEN_ADDR=127.0.0.1:$port RUST_LOG=warn DATABASE_POOL_SIZE=40 "$bin" serve >"$out/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/api/openapi.json" && return
    sleep 0.1
  done
  echo "bench: the server did not start (see $out/server.log)" >&2
  exit 1
}

run_scenario() { # size scenario method path [body]
  local script="$out/pgbench-$2.sql" query=""
  case "$4" in *\?*) query=${4#*\?} ;; esac
  case "$2" in search_*) ;; *) query="" ;; esac
  pgbench_script "$2" "$script" "$query"
  for c in $connections; do
    local body=${5:-}
    body=${body//@RUN@/$1-$c}
    local http
    http=$("$loadgen" "http://127.0.0.1:$port$4" --method "$3" --token "$token" --concurrency "$c" --seconds "$seconds" ${body:+--body "$body"})
    local threads=$(( c < 2 ? c : 2 ))
    local tps
    tps=$(pgbench -n -M extended -c "$c" -j "$threads" -T "$seconds" -f "$script" "$db" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
    echo "$http" | python3 -c "
import json, sys
r = json.load(sys.stdin)
print('\t'.join(map(str, ['$1', '$2', '$c', r['rps'], r['p50_ms'], r['p99_ms'], r['errors'], '${tps:-0}', ''])))" >> "$results"
    echo "  $2 c=$c: $(tail -n 1 "$results" | cut -f4-8)" >&2
  done
}

explain_searches() { # size
  local file="$out/explain-$1.txt"
  : > "$file"
  for query in "latitude=48.8566&longitude=2.3522" "keyword=cuisine" "keyword=astronaute" \
               "latitude=48.8566&longitude=2.3522&keyword=cuisine"; do
    DATABASE_URL=$db "$bench_sql" --token "$token" --search "$query" \
      | python3 -c "import json,sys; [print(s) for s in json.load(sys.stdin)['statements'][1:]]" \
      | while IFS= read -r statement; do
          { echo "-- search?$query"; echo "$statement;"; psql_db -Atc "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $statement"; echo; } >> "$file"
        done
  done
}

create_body="{\"internship_offer\": {\"remote_id\": \"load-@RUN@-{n}\", \"title\": \"Commis de cuisine\", \"description\": \"Une semaine en cuisine avec notre cheffe.\", \"employer_name\": \"Le Bistrot\", \"street\": \"1 rue de la Paix\", \"zipcode\": \"75002\", \"city\": \"Paris\", \"coordinates\": {\"latitude\": 48.8686, \"longitude\": 2.3325}, \"sector_uuid\": \"92e5ad0c-6e30-43a4-8158-818236d01390\", \"weeks\": [\"$year-W10\", \"$year-W11\"], \"permalink\": \"https://partenaire.example/offres/load\"}}"

low_cap=${BENCH_LOW_CAP:-100}
for size in $sizes; do
  generate_catalogue "$size"
  export SEARCH_RESULT_CAP=1000
  explain_searches "$size"
  start_server
  run_scenario "$size" search_geo GET "/api/internship_offers/search?latitude=48.8566&longitude=2.3522"
  run_scenario "$size" search_keyword GET "/api/internship_offers/search?keyword=cuisine"
  run_scenario "$size" search_geo_keyword GET "/api/internship_offers/search?latitude=48.8566&longitude=2.3522&keyword=cuisine"
  run_scenario "$size" my_offers GET "/api/internship_offers"
  rss_kb=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status")
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  # The same geo searches with a lower SEARCH_RESULT_CAP (fewer offers counted).
  export SEARCH_RESULT_CAP=$low_cap
  start_server
  run_scenario "$size" "search_geo_cap$low_cap" GET "/api/internship_offers/search?latitude=48.8566&longitude=2.3522"
  run_scenario "$size" "search_geo_keyword_cap$low_cap" GET "/api/internship_offers/search?latitude=48.8566&longitude=2.3522&keyword=cuisine"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  # Creation last: the offers it adds all sit on one point, which would skew the geo searches.
  export SEARCH_RESULT_CAP=1000
  start_server
  # The public page and the "Postuler" redirect (each counts a view or a click).
  page_offer=$(psql_db -Atc "SELECT id FROM internship_offers WHERE remote_id = 'bench-1'")
  page_student=$(DATABASE_URL=$db "$bin" student create --first-name Camille --last-name Bench | json_field "['student_id']")
  run_scenario "$size" offer_page GET "/offres-de-stage/$page_offer"
  run_scenario "$size" apply_redirect GET "/offres-de-stage/$page_offer/postuler?msta=$page_student"
  run_scenario "$size" create POST "/api/internship_offers" "$create_body"
  rss_now=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status")
  rss_kb=$(( rss_now > rss_kb ? rss_now : rss_kb ))
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  python3 - "$results" "$size" "$rss_kb" <<'PY'
import sys
path, size, rss = sys.argv[1], sys.argv[2], int(sys.argv[3] or 0)
rows = [l.rstrip('\n').split('\t') for l in open(path)]
for r in rows[1:]:
    if r[0] == size:
        r[8] = '%.0f' % (rss / 1024)
open(path, 'w').write(''.join('\t'.join(r) + '\n' for r in rows))
PY
done

python3 bench/report.py "$results" | tee "$out/results.md"
