#!/usr/bin/env bash
# The supply chain's policy (deny.toml): licenses compatible with MIT, the public registry as the
# only source, duplicate versions reported. Installs cargo-deny (pinned) when missing. Advisories
# are checked where the RustSec database can be fetched: `cargo deny check advisories`.
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.20.2
if ! cargo deny --version 2>/dev/null | grep -q "$version"; then
  cargo install --locked --quiet "cargo-deny@$version"
fi
cargo deny --locked check licenses sources bans
