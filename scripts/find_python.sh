#!/usr/bin/env bash
# Print the path of a Python that Rasa 3.6 supports (>=3.8,<3.11), preferring 3.10.
# Looks on PATH first, then in pyenv. Exits 1 with instructions when there is none.
set -u

supported() {  # $1: interpreter; true when it runs and is 3.8, 3.9 or 3.10
  "$1" -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] < (3, 11) else 1)' 2>/dev/null
}

if [ -n "${PYTHON:-}" ]; then
  if supported "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not Python 3.8–3.10, which Rasa 3.6 needs." >&2
  exit 1
fi

for name in python3.10 python3.9 python3.8 python3 python; do
  path=$(command -v "$name" 2>/dev/null) || continue
  # pyenv shims answer even when the version is not installed: check it really runs.
  if supported "$path"; then echo "$path"; exit 0; fi
done

if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(10|9|8)\.[0-9]+$' | sort -t. -k2,2nr -k3,3nr); do
    prefix=$(pyenv prefix "$version" 2>/dev/null) || continue
    if supported "$prefix/bin/python"; then echo "$prefix/bin/python"; exit 0; fi
  done
fi
for candidate in "$HOME"/.pyenv/versions/3.10.*/bin/python; do
  if [ -x "$candidate" ] && supported "$candidate"; then echo "$candidate"; exit 0; fi
done

cat >&2 <<'MSG'
No Python 3.8–3.10 found. Rasa 3.6 does not run on Python 3.11 or newer.
Install Python 3.10, then run the command again. For example:
  - with pyenv:   pyenv install 3.10.13
  - on Debian:    apt-get install python3.10 python3.10-venv   (where your release has it)
  - or point to one you have:   make run PYTHON=/path/to/python3.10
MSG
exit 1
