#!/usr/bin/env bash
# The contract, proven with the tools partners use, against a live debug server on a fresh
# database (scripts/harness.sh); versions pinned in contract/requirements.txt (PyPI, in
# .local/contract-venv) and contract/package-lock.json (npm, in contract/node_modules):
#  1. openapi-spec-validator and Redocly lint (recommended rules, each example checked against its
#     schema): no error, no warning;
#  2. openapi-python-client generates a client with no warning, and contract/flow.py uses it:
#     a token, create, read, update, search with facets, bulk, both changes feeds, delete, and
#     refusals (no token, a narrow-scope token, bad bodies…), each answer declared and parsed;
#  3. openapi-typescript + openapi-fetch: contract/flow.ts, type-checked by `tsc --strict`, runs
#     a shorter flow.
# Called by .ci/run; `make contract` runs it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/harness.sh

scripts/setup.sh
venv=.local/contract-venv
pinned_venv contract/requirements.txt "$venv"
(cd contract && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

live_server monstage_contract "${CONTRACT_PORT:-3097}"
out=.local/monstage_contract
curl -fsS "$base/api/openapi.json" > "$out/openapi.json"

echo "contract: openapi-spec-validator, Redocly lint" >&2
"$venv/bin/openapi-spec-validator" "$out/openapi.json"
(cd contract && npx --no-install redocly lint --extends recommended "../$out/openapi.json") \
  2>&1 | tee "$out/redocly.log"
# A warning (an example that does not match its schema, say) fails too.
if grep -qE "You have [0-9]+ warnings?" "$out/redocly.log"; then
  echo "contract: Redocly lint warned" >&2
  exit 1
fi

echo "contract: openapi-python-client" >&2
rm -rf "$out/python"
"$venv/bin/openapi-python-client" generate --path "$out/openapi.json" --meta none \
  --config contract/python-client.yaml --output-path "$out/python/monstage_client" \
  > "$out/python-client.log" 2>&1 || { cat "$out/python-client.log" >&2; exit 1; }
if grep -qi "warning" "$out/python-client.log"; then
  cat "$out/python-client.log" >&2
  echo "contract: openapi-python-client warned" >&2
  exit 1
fi
client() {
  "$bin" client create --account-id "$account_id" --name "$@" \
    | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["client_id"], c["client_secret"])'
}
read -r CLIENT_ID CLIENT_SECRET < <(client contract-full)
read -r NARROW_ID NARROW_SECRET < <(client contract-narrow --scopes offers:read)
export BASE_URL=$base CLIENT_ID CLIENT_SECRET NARROW_ID NARROW_SECRET
PYTHONPATH="$out/python" "$venv/bin/python" contract/flow.py

echo "contract: openapi-typescript, openapi-fetch, tsc --strict" >&2
(cd contract && npx --no-install openapi-typescript "../$out/openapi.json" -o generated/schema.d.ts \
  && npx --no-install tsc -p tsconfig.json)
node contract/generated/js/flow.js
no_panic monstage_contract
