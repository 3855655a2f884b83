#!/usr/bin/env bash
# Install the widget's pinned npm packages (web/package-lock.json) into web/node_modules
# when missing or older than the lock: socket.io-client (served to the browser by
# web/server.py) and axe-core (injected by the browser tests). No build step.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] \
   && [ -f node_modules/socket.io-client/dist/socket.io.min.js ] && [ -f node_modules/axe-core/axe.min.js ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: install Node.js (Debian: apt-get install -y nodejs npm) for the web widget." >&2
  exit 1
fi
echo "==> Installing the web widget's pinned packages (npm ci in web/)"
npm ci --no-audit --no-fund --loglevel=error
