# monstage: see README.md.
.PHONY: run test fuzz contract deny db lint openapi bench screenshots demo

## Installs what is missing, starts PostgreSQL + PostGIS, migrates, seeds, serves on 127.0.0.1:3000.
run:
	@scripts/run.sh

## The server and, beside it, the demo partner app on http://127.0.0.1:4000 (OAuth2, webhooks).
demo:
	@scripts/demo.sh

## The whole test suite against a real database.
test:
	@scripts/test.sh

## Schemathesis on every operation of /api/openapi.json for FUZZ_SECONDS (240), then with a one-scope token and with none: no 5xx, nothing undocumented.
fuzz:
	@scripts/fuzz.sh

## The contract with the tools partners use: spec validator, Redocly lint, generated Python and TypeScript clients running a flow.
contract:
	@scripts/contract.sh

## The supply chain: licenses compatible with MIT, crates.io only, duplicate versions reported (deny.toml).
deny:
	@scripts/deny.sh

## Starts the local database only; the last line printed is DATABASE_URL=...
db:
	@scripts/db.sh

## Formatting and lints, as CI runs them.
lint:
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings

## Regenerates doc/openapi.json.
openapi:
	cargo run --quiet --locked -- openapi > doc/openapi.json

## Benchmark: the release server under a varied search mix on 10 k, 100 k, 1 M offers, beside the index alone and pgbench (see doc/performance.md).
bench:
	@bench/run.sh

## Refreshes the screenshots of the web pages in doc/captures (from the browser test).
screenshots:
	MONSTAGE_SCREENSHOTS_DIR=$(CURDIR)/doc/captures scripts/test.sh web::browser demo::
