#!/usr/bin/env bash
# The sign-in flood of issue 10, against the release server: bursts of 100 concurrent sign-ins,
# each from its own forged address (TRUSTED_PROXIES=127.0.0.1) with an unknown email, so that
# no lock stops them and every one asks for an argon2id check (19 MiB). Prints the server's
# resident memory before, at its peak (VmHWM) and 15 s after, and the answers by status.
# FLOOD_CALLS (100), FLOOD_BURSTS (3) and SIGN_IN_CONCURRENCY override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

calls=${FLOOD_CALLS:-100}
bursts=${FLOOD_BURSTS:-3}
port=${FLOOD_PORT:-3998}
server_db=$(scripts/db.sh | tail -n 1 | cut -d= -f2-)
base=${server_db%/*}
db="$base/monstage_flood"
export TOKEN_ENCRYPTION_KEY
TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

cargo build --release --locked --quiet --bin monstage
bin=target/release/monstage
psql -X -q "$base/postgres" -c "DROP DATABASE IF EXISTS monstage_flood WITH (FORCE)" -c "CREATE DATABASE monstage_flood"
DATABASE_URL=$db "$bin" migrate >/dev/null
DATABASE_URL=$db "$bin" seed >/dev/null

DATABASE_URL=$db LISTEN_ADDR=127.0.0.1:$port TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn "$bin" serve &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/connexion" >/dev/null && break; sleep 0.1; done

rss() { awk -v k="$1:" '$1 == k {print int($2 / 1024)}' "/proc/$server/status"; }
before=$(rss VmRSS)
python3 - "$port" "$calls" "$bursts" <<'PY'
import collections, http.cookiejar, re, sys, threading, time, urllib.parse, urllib.request
port, calls, bursts = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
base = f"http://127.0.0.1:{port}"

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None

def attempt(n, barrier, statuses):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(f"{base}/connexion").read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": csrf, "email": f"inconnu{n}@flood.test", "password": "devine"}).encode()
    request = urllib.request.Request(f"{base}/connexion", data=form, headers={"X-Forwarded-For": f"198.18.{n // 250}.{n % 250}"})
    barrier.wait()
    try:
        status = opener.open(request).status
    except urllib.error.HTTPError as e:
        status = e.code
    statuses[status] += 1

for burst in range(bursts):
    statuses, barrier = collections.Counter(), threading.Barrier(calls)
    threads = [threading.Thread(target=attempt, args=(burst * calls + n, barrier, statuses)) for n in range(calls)]
    started = time.time()
    for t in threads: t.start()
    for t in threads: t.join()
    answers = ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items()))
    print(f"burst {burst + 1}: {calls} sign-ins in {time.time() - started:.1f} s: {answers}", file=sys.stderr)
PY
peak=$(rss VmHWM)
sleep 15
after=$(rss VmRSS)
printf '| calls | bursts | RSS before | peak RSS (VmHWM) | RSS 15 s after |\n|---:|---:|---:|---:|---:|\n'
printf '| %d | %d | %d MB | %d MB | %d MB |\n' "$calls" "$bursts" "$before" "$peak" "$after"
