#!/usr/bin/env bash
# Copies the French State design system (DSFR, npm @gouvfr/dsfr) into assets/dsfr, so the
# pages render offline: the stylesheet, its script (ES module: the mobile menu), the
# Marianne/Spectral fonts, the favicon and the icons the stylesheet refers to. The files are
# committed; re-run only to upgrade.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-1.15.3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@gouvfr/dsfr@$version" >/dev/null && tar xzf gouvfr-dsfr-*.tgz)
dist="$work/package/dist"
out=assets/dsfr
rm -rf "$out"
mkdir -p "$out"
cp "$dist/dsfr.min.css" "$dist/dsfr.module.min.js" "$out/"
cp -r "$dist/fonts" "$dist/favicon" "$out/"
grep -o 'url(icons/[^)]*)' "$dist/dsfr.min.css" | sed 's/^url(//; s/)$//' | sort -u |
  while read -r icon; do
    mkdir -p "$out/$(dirname "$icon")"
    cp "$dist/$icon" "$out/$icon"
  done
cp "$work/package/LICENSE.md" "$out/LICENSE.md"
echo "$version" > "$out/VERSION"
du -sh "$out"
