#!/usr/bin/env bash
# Run a command in its own process group, in the foreground of the terminal: Ctrl-C reaches the
# command (and the servers it started), not make, so `make run` ends with the command's own exit
# status (0 and « Stopped. » after Ctrl-C) instead of make's "Interrupt" or "Error".
# Without a terminal (CI, a pipe) there is no Ctrl-C: the command runs as is.
if [ -t 0 ] && [ -t 1 ]; then
  set -m
fi
"$@"
