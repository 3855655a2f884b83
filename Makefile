# The assistant's commands. Two are enough to start: `make run` and `make test`.
# Each target installs what it needs first (Python 3.10 venv in .venv, pinned deps).
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
# A clean console (the same settings as scripts/quiet_env.sh, which explains them): no TensorFlow
# notices, no third-party deprecation warnings, Rasa telemetry off for this project. Errors still show.
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONWARNINGS := ignore::DeprecationWarning,ignore::PendingDeprecationWarning,ignore::FutureWarning
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false
# `rasa` with those warning filters set again after sanic's import (scripts/rasa_cli.py says why)
RASA  := $(BIN)/python scripts/rasa_cli.py
# Sanic (under the Rasa server and the action server) closes a connection whose request it has not
# started reading within KEEP_ALIVE_TIMEOUT (5 s by default): with a workshop typing at once on a busy
# machine, the Rasa server's call to the action server was cut and a turn lost. 75 s, nginx's default.
export SANIC_KEEP_ALIVE_TIMEOUT := 75

.PHONY: help setup setup-dev data domain train run run-prod shell test lint check-deploy test-data test-core test-nlu test-py test-browser screenshots test-prod crossval bench bench-smoke profile lock clean

help:
	@echo "make run       install if needed (the bot only), train if needed, start the bot (REST + socket.io)"
	@echo "make run-prod  production mode on this machine: PostgreSQL, Redis, 2 Rasa servers, nginx"
	@echo "make shell     talk to the bot in the terminal (rasa shell)"
	@echo "make test      every check: lint, deploy files, data, conversations, held-out NLU, pytest"
	@echo "make lint      ruff (lint + format check) and mypy on the pure packages, in seconds"
	@echo "make crossval  5-fold NLU cross-validation, written to docs/nlu-crossval.md"
	@echo "make bench     NLU quality vs baselines, latency, throughput, cost -> docs/benchmarks.md (about 2 hours)"
	@echo "make bench-smoke  the same with tiny settings (a few minutes): checks the report is complete"
	@echo "make profile   py-spy on a Rasa server under the bench's load -> var/profile/ (flame graphs, top functions);"
	@echo "               PROFILE_PROD=1: the production layout (2 Rasa servers, PostgreSQL, Redis, nginx)"
	@echo "make data      download a newer France Services list when online (the bot ships one: actions/locator/data)"
	@echo "make domain    rebuild the responses of domain.yml from actions/answers.py"
	@echo "make screenshots  renew docs/screenshots/*.png (the browser tests write theirs to var/screenshots)"

setup:
	@scripts/setup.sh

# the bot and the development tools (tests, lint, deploy checks, profiler)
setup-dev:
	@scripts/setup.sh dev

data: setup
	@$(BIN)/python -m scripts.fetch_france_services

domain: setup
	@$(BIN)/python -m scripts.build_domain

train: setup domain
	@scripts/train.sh

# foreground.sh: Ctrl-C stops the servers and `make run` exits 0 with « Stopped. »
run: train
	@scripts/foreground.sh scripts/run.sh

# Production mode (docs/production.md): installs PostgreSQL, Redis and nginx from Debian when
# missing, then starts the stack in var/prod/ (ports: `python -m scripts.prod.stack --help`).
run-prod: train
	@scripts/prod/install.sh
	@web/install.sh || echo "    The web widget needs npm; the bot itself works without it."
	@scripts/foreground.sh $(BIN)/python -m scripts.prod.stack

shell: train
	@scripts/shell.sh

test: setup-dev
	@$(MAKE) --no-print-directory lint check-deploy
	@echo "==> Checking that domain.yml matches actions/answers.py"
	@$(BIN)/python -m scripts.build_domain --check
	@$(MAKE) --no-print-directory test-data
	@scripts/train.sh
	@$(MAKE) --no-print-directory test-core test-nlu test-py test-browser test-prod bench-smoke
	@echo "==> All tests passed."

# Style and types first, so that a slip fails in seconds (rules: pyproject.toml).
lint: setup-dev
	@echo "==> ruff check, ruff format --check, mypy (common, actions/sandbox, actions/locator, server_ext)"
	@$(BIN)/ruff check --quiet --output-format concise .
	@$(BIN)/ruff format --check --quiet . || { echo "    run: $(BIN)/ruff format ."; exit 1; }
	@$(BIN)/mypy

# deploy/ (Dockerfiles, Kubernetes manifests, nginx template) checked offline: scripts/check_deploy.sh
check-deploy: setup-dev
	@scripts/check_deploy.sh

test-data:
	@echo "==> rasa data validate --fail-on-warnings"
	@$(RASA) data validate --fail-on-warnings --quiet 2>&1 | grep -v -E "^WARNING: Location" ; exit $${PIPESTATUS[0]}

test-core:
	@mkdir -p var/log var/results
	@echo "==> Conversation tests (rasa test core --e2e --fail-on-prediction-errors): the NLU reads each message as the story says, then the dialogue"
	@$(RASA) test core --model models --stories tests/conversations --e2e --fail-on-prediction-errors \
	  --out var/results/core >var/log/test-core.log 2>&1 \
	  || { tail -n 40 var/log/test-core.log; cat var/results/core/failed_test_stories.yml 2>/dev/null; exit 1; }
	@echo "    all conversation tests passed"

test-nlu:
	@mkdir -p var/log var/results
	@echo "==> Held-out NLU test set (tests/nlu, never trained on): macro-F1 must be >= 0.90"
	@$(BIN)/python scripts/nlu_overlap.py | tail -n 20; exit $${PIPESTATUS[0]}
	@$(RASA) test nlu --model models --nlu tests/nlu --out var/results/nlu >var/log/test-nlu.log 2>&1 \
	  || { tail -n 40 var/log/test-nlu.log; exit 1; }
	@$(BIN)/python scripts/nlu_report.py var/results/nlu/intent_report.json --min-macro-f1 0.90

# Test tiers are pytest markers (pyproject.toml; tests/tiers.py gives each test its tier): unit,
# rest (one bot shared by the session), browser, prod, bench. Each target picks its tier with -m;
# the other targets also name their folder, only to spare collecting the whole tree (~30 s).
# test-py prints the coverage of the pure packages by their own tests (at least 90 %: pyproject.toml).
test-py: setup-dev
	@echo "==> pytest -m 'unit or rest' (actions, answers, catalogue, sandbox, locator, REST end to end on one bot)"
	@$(BIN)/python -m pytest -q -m "unit or rest" --cov=actions/sandbox --cov=actions/locator --cov-report=term:skip-covered

test-browser: setup-dev
	@echo "==> Browser tests of the web widget (Debian chromium + Playwright)"
	@scripts/install_chromium.sh
	@web/install.sh
	@$(BIN)/python -m pytest -q -m browser tests/browser

# the screenshots the README links (a test run writes its own to var/screenshots)
screenshots: train
	@scripts/install_chromium.sh
	@web/install.sh
	@SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q -m browser -k screenshots tests/browser

test-prod: setup-dev
	@scripts/prod/install.sh
	@scripts/train.sh
	@echo "==> Production mode: PostgreSQL, Redis, nginx, 2 Rasa servers, 2 action servers; faults (tests/prod)"
	@$(BIN)/python -m pytest -q -m prod tests/prod

crossval: setup  # trains its own 5 models: no need for models/
	@scripts/crossval.sh

# Settings: env vars BENCH_* or flags, e.g. `make bench BENCH_REPEATS=5` (see bench/settings.py).
bench: train
	@$(BIN)/python -m bench

bench-smoke: setup-dev train
	@$(BIN)/python -m pytest -q -m bench tests/test_bench_smoke.py

# py-spy on both servers during the bench's throughput load (bench/profile.py; PROFILE_USERS, PROFILE_SECONDS)
profile: setup-dev train
	@$(BIN)/python -m bench.profile

lock: setup-dev
	@(echo "# Full pinned set, generated by \`make lock\` from a working .venv; used as pip constraints."; \
	  $(BIN)/pip freeze --exclude-editable) > requirements.lock

clean:
	rm -rf models var/results
