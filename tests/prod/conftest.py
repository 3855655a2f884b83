"""The production-mode stack for tests: `prod_stack`, started once per test session.

These tests start real services (PostgreSQL, Redis, nginx, 2 Rasa servers, 2 action servers):
they are the `prod` tier (tests/conftest.py): `make test-prod` (which `make test` calls at its end),
or `pytest -m prod`; a plain `pytest` deselects them.

`prod_stack` is a `scripts/prod/stack.py` `Stack` on free ports in a temporary directory
(kept, with its logs, when a test failed; its path is printed). Attributes and methods:

- `.rasa_urls`     list of the Rasa servers' base URLs (REST: `<url>/webhooks/rest/webhook`)
- `.nginx_url`     nginx, public side: the widget, /webhooks/, /socket.io/, /api/
- `.actions_proxy_url`  nginx, internal side, as the Rasa servers call the action servers
- `.action_urls`   the action servers themselves
- `.postgres_dsn`  libpq URL of the tracker store's database (table `events`)
- `.sandbox_dsn`   libpq URL of the sandbox's database (tables `sandbox_*`)
- `.redis_url`     the lock store's Redis
- `.log_dir`       every service's log (rasa-0.log, actions-1.log, postgres.log, nginx-*.log...)
- `.env()`         the environment the servers run with (secrets included)
- `.rasa_names()`, `.action_names()`: service names ("rasa-0", "actions-1"...); the others are
  "postgres", "redis", "nginx", "web-api"
- `.stop_service(name)` (SIGTERM; `kill=True` for SIGKILL), `.kill_service(name)`,
  `.start_service(name)` (waits until ready), `.restart_service(name)`, `.running()`
- `.services[name].ready_after`: seconds the last start took; `.rss_mib()`: memory per service

A test that stops a service must start it again before it ends (use try/finally): the stack
is shared by every test of the session. Each conversation practises in its own sandbox world
(a new sender id finds the demo dossiers in their initial state), so a test may create Marie's
account or ask Jean's security codes without changing what the next test finds. Helpers to talk and to read the tracker store:
tests/prod/helpers.py (`say`, `texts`, `click`, `events`, `assert_events_consistent`, `query`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def prod_stack(request):
    from scripts.prod import stack as prod
    from tests.conftest import locator_env

    # Not under pytest's 0700 tmp dir: the `postgres` user must reach its data directory.
    state = Path(tempfile.mkdtemp(prefix="amelibot-prod-", dir="/tmp"))
    os.chmod(state, 0o755)
    extra = locator_env(state)
    the_stack = prod.Stack(state, prod.Ports.free(), extra_env=extra, quiet=True)
    print(f"\nproduction stack in {state}", flush=True)
    with the_stack:
        yield the_stack
    if request.session.testsfailed:
        print(f"\nproduction stack logs kept in {the_stack.log_dir}")
    else:
        shutil.rmtree(state, ignore_errors=True)
