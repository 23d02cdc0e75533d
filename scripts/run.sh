#!/usr/bin/env bash
# One command to a running server: PostgreSQL + PostGIS (installed and started if needed),
# migrations, referentials, a demo operator (its token is printed once), a demo admin (an
# invitation link is printed until it has a password), then the API and the web pages on
# LISTEN_ADDR (default 127.0.0.1:3000). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE_URL=$(scripts/database-url.sh)
export DATABASE_URL

# The key that seals API tokens: generated once for this checkout, kept out of git.
if [ -z "${TOKEN_ENCRYPTION_KEY:-}" ]; then
  key_file=.local/token_encryption_key
  mkdir -p .local
  if [ ! -s "$key_file" ]; then
    (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$key_file")
  fi
  TOKEN_ENCRYPTION_KEY=$(cat "$key_file")
fi
export TOKEN_ENCRYPTION_KEY

cargo build --release --locked --quiet
bin=target/release/monstage
"$bin" migrate >/dev/null
seeded=$("$bin" seed --demo)
python3 - "$seeded" <<'PY' >&2
import json, sys
seeded = json.loads(sys.argv[1])
demo = seeded.get("demo_operator")
if demo:
    print("\nDemo operator created. Its API token (shown only this once):\n\n    %s\n" % demo["api_token"])
    print("Try: curl -H 'Authorization: Bearer %s' http://127.0.0.1:3000/api/sectors\n" % demo["api_token"])
else:
    print("Demo operator already exists (its token was printed on the first run;"
          " `monstage account rotate-token --account-id 1` issues a new one).")
admin = seeded.get("demo_admin_invitation")
if admin:
    print("\nWeb pages: the demo admin (admin@monstage.localhost) chooses a password here (single use,"
          " valid 72 h):\n\n    %s\n" % admin["invitation_url"])
    print("Operator accounts get their link from the admin pages or"
          " `monstage account invite --account-id ID`.")
if seeded.get("demo_student_ids"):
    print("Demo pupils created (msta): %s" % ", ".join(map(str, seeded["demo_student_ids"])))
PY
echo "Serving on http://${LISTEN_ADDR:-127.0.0.1:3000} (sign-in: /connexion, docs: /documentation/ and /api/docs)" >&2
# Local development: webhooks may target this machine (the quickstart's receiver, make demo).
export WEBHOOK_ALLOW_LOOPBACK=${WEBHOOK_ALLOW_LOOPBACK:-true}
exec "$bin" serve
