#!/usr/bin/env bash
# Vendors the browser build of @microsoft/signalr into the web app (host/Crm.Server/WebApp/vendor/), with its
# version and licence beside it. The app loads it from the server: nothing comes from a CDN at run time.
# Run by hand to upgrade (needs node/npm and the npm registry); the result is committed, so builds and CI need neither.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${1:-10.0.11}"
dest="host/Crm.Server/WebApp/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@microsoft/signalr@${VERSION}" >/dev/null)
tar -xzf "$work"/microsoft-signalr-"${VERSION}".tgz -C "$work"
mkdir -p "$dest"
cp "$work/package/dist/browser/signalr.min.js" "$dest/signalr.min.js"
license="$(node -p "require('$work/package/package.json').license")"
# The package ships no licence file; its package.json says MIT, the file headers name the .NET Foundation.
[ "$license" = "MIT" ] || { echo "unexpected licence: $license" >&2; exit 1; }
cat > "$dest/signalr.LICENSE.txt" <<'MIT'
The MIT License (MIT)

Copyright (c) .NET Foundation and Contributors

All rights reserved.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
MIT
sha="$(sha256sum "$dest/signalr.min.js" | cut -d' ' -f1)"
cat > "$dest/signalr.VERSION" <<INFO
package: @microsoft/signalr
version: ${VERSION}
license: ${license} (signalr.LICENSE.txt)
file: dist/browser/signalr.min.js
sha256: ${sha}
INFO
echo "vendored @microsoft/signalr ${VERSION} into ${dest}"
