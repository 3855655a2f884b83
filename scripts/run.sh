#!/usr/bin/env bash
# Start the action server (5055), the Rasa server (5005: REST + socket.io) and the web
# widget (8080), wait until they answer, say where to talk to the bot, and stop them all
# on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
WEB_PORT=${WEB_PORT:-8080}
mkdir -p var/log
source scripts/quiet_env.sh  # no third-party warnings or telemetry notice; "${RASA[@]}" is rasa

# The France Services list and GeoNames postcodes are shipped (actions/locator/data);
# `make data` fetches a newer list when wanted: nothing to download here.

pids=()
stop() {  # $1: the exit status (0 after Ctrl-C)
  local status=${1:-0}
  trap - INT TERM EXIT
  echo
  echo "==> Stopping the servers"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "==> Stopped."
  exit "$status"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
web/install.sh || echo "    The web widget needs npm; the bot itself works without it."

for port in "$ACTIONS_PORT" "$RASA_PORT" "$WEB_PORT"; do
  if port_busy "$port"; then
    echo "Port $port is already in use (another \`make run\`?). Stop it first." >&2
    exit 1
  fi
done

echo "==> Starting the action server on port $ACTIONS_PORT (log: var/log/actions.log)"
"${RASA[@]}" run actions --port "$ACTIONS_PORT" >var/log/actions.log 2>&1 &
pids+=($!)

echo "==> Starting the Rasa server on port $RASA_PORT (log: var/log/rasa.log)"
"${RASA[@]}" run --model models --port "$RASA_PORT" --cors "*" \
  --credentials credentials.yml --endpoints endpoints.yml >var/log/rasa.log 2>&1 &
pids+=($!)

wait_for() {  # $1 name, $2 url, $3 pid
  local waited=0
  until .venv/bin/python -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$2" 2>/dev/null; do
    if ! kill -0 "$3" 2>/dev/null; then
      echo "The $1 stopped while starting. Last lines of its log:" >&2
      tail -n 20 "var/log/$( [ "$1" = "action server" ] && echo actions || echo rasa).log" >&2
      exit 1
    fi
    sleep 1; waited=$((waited + 1))
    [ $((waited % 10)) -eq 0 ] && echo "    still waiting for the $1 (${waited}s)…"
  done
  echo "==> The $1 is ready."
}
if [ -d web/node_modules ]; then
  echo "==> Starting the web widget on port $WEB_PORT (log: var/log/web.log)"
  .venv/bin/python -m web.server --port "$WEB_PORT" --rasa-url "http://localhost:$RASA_PORT" >var/log/web.log 2>&1 &
  pids+=($!)
fi

wait_for "action server" "http://127.0.0.1:$ACTIONS_PORT/health" "${pids[0]}"
wait_for "Rasa server" "http://127.0.0.1:$RASA_PORT/" "${pids[1]}"

cat <<MSG

  The assistant is running. Talk to it:
    - in a browser:   http://localhost:$WEB_PORT/  (the blue bubble, bottom right)
    - in a terminal:  make shell
    - over REST:      curl -s localhost:$RASA_PORT/webhooks/rest/webhook \\
                        -H 'Content-Type: application/json' \\
                        -d '{"sender": "moi", "message": "je n ai pas reçu mon code"}'
    - over socket.io: ws://localhost:$RASA_PORT/socket.io (events user_uttered / bot_uttered)

  Press Ctrl-C to stop the servers.
MSG
wait -n "${pids[@]}" || true
echo "A server stopped on its own: see var/log/." >&2
exit 1
