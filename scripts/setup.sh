#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the project (pyproject.toml) with its pinned
# dependencies, once: `uv pip install -e . -c requirements.lock` (pip if uv fails). `scripts/setup.sh dev` (make test,
# make lint…) adds the development tools: `pip install -e .[dev] -c requirements.lock`.
# `make run` and `make shell` install only what the bot needs: a first start is quicker.
# A second run does nothing unless pyproject.toml, a requirements file or the lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
extras=${1:-}  # "" (the bot) or "dev" (the bot and the development tools)
stamp_value=$(cat pyproject.toml requirements.txt requirements-actions.txt requirements-dev.txt requirements.lock \
  | sha256sum | cut -c1-16)
stamp_file="$VENV/.installed"
installed=$(cat "$stamp_file" 2>/dev/null || true)  # "<hash>" or "<hash> dev"

if [ -x "$VENV/bin/python" ] && { [ "$installed" = "$stamp_value dev" ] \
  || { [ -z "$extras" ] && [ "$installed" = "$stamp_value" ]; }; }; then
  exit 0
fi
target="."
[ "$extras" = dev ] && target=".[dev]"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info[:2] < (3, 11) else 1)'; then
  python=$(scripts/find_python.sh)
  echo "==> Creating $VENV with $python ($("$python" --version 2>&1))"
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
fi

if [ "$extras" = dev ]; then
  echo "==> Installing the project, its pinned dependencies and the development tools into $VENV"
else
  echo "==> Installing the project and its pinned dependencies into $VENV (under a minute the first time)"
fi
# uv (pinned) installs the same pinned set as pip, in about 30 s instead of 4 minutes on 2 cores:
# it downloads in parallel and does not compile every module to bytecode up front (Python does it
# on first import). pip stays the fallback when uv cannot be installed or fails. Editable install:
# the code is imported from this folder (no sys.path edits anywhere). pipefail keeps the status.
UV_VERSION=0.13.9
install_with_uv() {
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION" 2>&1 \
    | { grep -v -E "^WARNING: Location" || true; } \
    && SSL_CERT_FILE=${SSL_CERT_FILE:-${PIP_CERT:-}} "$VENV/bin/python" -m uv pip install \
      --python "$VENV/bin/python" -e "$target" -c requirements.lock 2>&1 \
    | { grep -v -E "^ [+-] " || true; }
}
install_with_pip() {
  "$VENV/bin/python" -m pip install --disable-pip-version-check -e "$target" -c requirements.lock 2>&1 \
    | { grep -v -E "^WARNING: Location|DEPRECATION|Requirement already satisfied" || true; }
}
install_with_uv || { echo "==> uv failed: installing with pip (a few minutes)"; install_with_pip; }
"$VENV/bin/python" -c 'import rasa' \
  && "$VENV/bin/python" -I -c 'import common, actions, server_ext, nlu_components, web, rasa_sdk_plugins' \
  || { echo "Installation failed: see the messages above." >&2; exit 1; }
echo "$stamp_value${extras:+ $extras}" > "$stamp_file"
echo "==> Dependencies ready."
