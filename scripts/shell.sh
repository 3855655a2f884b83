#!/usr/bin/env bash
# `rasa shell` against the action server of `make run`; starts one for the
# shell's lifetime when none is running. The shell's own server uses port 5006
# so that it does not clash with `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/quiet_env.sh  # no third-party warnings or telemetry notice; "${RASA[@]}" is rasa
mkdir -p var/log
ACTIONS_PORT=${ACTIONS_PORT:-5055}
actions_pid=""
if ! (exec 3<>"/dev/tcp/127.0.0.1/$ACTIONS_PORT") 2>/dev/null; then
  echo "==> No action server on port $ACTIONS_PORT: starting one for this shell"
  "${RASA[@]}" run actions --port "$ACTIONS_PORT" >var/log/actions-shell.log 2>&1 &
  actions_pid=$!
  trap '[ -n "$actions_pid" ] && kill "$actions_pid" 2>/dev/null' EXIT
fi
# --quiet: no info lines before « Bot loaded » (a -v passed to this script still wins)
"${RASA[@]}" shell --quiet --model models --endpoints endpoints.yml --port 5006 "$@"
