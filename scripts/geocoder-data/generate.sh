#!/usr/bin/env bash
# Regenerates plugins/Crm.Plugins.Standard/Geocoding/Data/division-points.tsv from the npm package pinned in package.json
# (node 18+ and npm) and the committed regions table (plugins/Crm.Plugins.Standard/Dedup/Data/regions.tsv, made by
# scripts/dedup-data). The package (about 65 MB) is installed into a temporary folder; only the generated file is kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
plugin="$here/../../plugins/Crm.Plugins.Standard"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/generate.mjs" "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent && node generate.mjs "$plugin/Dedup/Data/regions.tsv" "$plugin/Geocoding/Data/division-points.tsv")
