#!/usr/bin/env bash
# Regenerates plugins/Crm.Plugins.Standard/Dedup/Data/{regions.tsv,t2s.txt,pinyin.tsv} from the npm packages pinned in
# package.json (node 18+ and npm). The packages are installed into a temporary folder; only the generated files are kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../plugins/Crm.Plugins.Standard/Dedup/Data"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/generate.mjs" "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent && node generate.mjs "$out")
