#!/usr/bin/env bash
# Installs (if needed) Debian's Chromium for the web app's real-browser tests (tests/Crm.Tests/WebApp), which drive
# it with Playwright for .NET through ExecutablePath: Playwright's own browser download is never used.
# Safe to run any number of times. Debian 12, run as root. Prints the browser's path last.
set -euo pipefail

CHROMIUM="${CRM_TEST_CHROMIUM:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium.sh: $CHROMIUM is missing; run as root to install it" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium
fi

"$CHROMIUM" --version >&2
echo "$CHROMIUM"
