#!/usr/bin/env bash
# Start the web chat widget's server (web/server.py): the help page with the chat bubble on
# http://localhost:${WEB_PORT:-8080}/, and the simulated mailbox API. The widget talks to the
# Rasa server (RASA_URL, default http://localhost:${RASA_PORT:-5005}) over socket.io.
# Installs the widget's pinned npm packages first when missing (web/install.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

WEB_PORT=${WEB_PORT:-8080}
RASA_URL=${RASA_URL:-http://localhost:${RASA_PORT:-5005}}
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore

web/install.sh
if (exec 3<>"/dev/tcp/127.0.0.1/$WEB_PORT") 2>/dev/null; then
  echo "Port $WEB_PORT is already in use (another widget server?). Stop it first, or set WEB_PORT." >&2
  exit 1
fi
exec .venv/bin/python -m web.server --port "$WEB_PORT" --rasa-url "$RASA_URL"
