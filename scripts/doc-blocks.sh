#!/usr/bin/env bash
# Runs every ```bash block of a Markdown file, in order, in one shell that stops at the first
# failure (set -euo pipefail), from the repository's root. The tests run the quickstart this way
# against a live server (tests/docs.rs), so that the documentation cannot rot.
#   scripts/doc-blocks.sh doc/demarrage-rapide.md
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: scripts/doc-blocks.sh FILE.md}
script=$(awk '/^```bash[[:space:]]*$/ { inside = 1; next } /^```/ { if (inside) { inside = 0; print "" } ; next } inside { print }' "$file")
if [ -z "$script" ]; then
  echo "doc-blocks: no bash block in $file" >&2
  exit 1
fi
exec bash -euo pipefail -c "$script"
