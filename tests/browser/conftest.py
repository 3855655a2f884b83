"""Browser tests of the web widget: real servers, real headless Chromium (Debian's package).

The action server, the Rasa server (socket.io with session persistence, credentials.yml) and the
widget's server (web/server.py) start once for the session on free ports, with a sandbox
database of their own. Chromium is Debian's /usr/bin/chromium (scripts/install_chromium.sh
installs it when missing), driven by Playwright for Python: never a browser download.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Callable, Dict, Iterator, List

import pytest

from tests.servers import ROOT, running_bot, running_web

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# var/screenshots by default, so a test run leaves the tracked copies alone; `make screenshots`
# writes them to docs/screenshots (the README links those)
SCREENSHOTS = ROOT / os.environ.get("SCREENSHOTS_DIR", "var/screenshots")
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        subprocess.run([str(ROOT / "scripts" / "install_chromium.sh")], check=True)
    return CHROMIUM


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Dict[str, str]]:
    """{"bot": Rasa URL, "web": widget URL, "db": sandbox URL}; the Rasa API is on for trackers."""
    tmp = tmp_path_factory.mktemp("browser")
    db = f"sqlite:///{tmp / 'sandbox.sqlite3'}"
    env = {"SANDBOX_DATABASE_URL": db}
    with ExitStack() as stack:
        bot = stack.enter_context(running_bot(tmp, env=env, extra_args=["--enable-api"]))
        web = stack.enter_context(running_web(tmp, bot, env=env))
        yield {"bot": bot, "web": web, "db": db}


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def open_context(playwright_driver, chromium) -> Iterator[Callable]:
    """open_context(viewport) -> a fresh browser (new user-data-dir) with one page."""
    contexts: List = []
    dirs: List[str] = []

    def make(viewport: Dict[str, int] = DESKTOP, **options):
        user_data_dir = tempfile.mkdtemp(prefix="chromium-profile-")
        dirs.append(user_data_dir)
        context = playwright_driver.chromium.launch_persistent_context(
            user_data_dir,
            executable_path=str(chromium),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=viewport,
            locale="fr-FR",
            **options,
        )
        context.set_default_timeout(60_000)
        # Nothing leaves the machine: links to the real sites answer with a stub page.
        context.route(
            lambda url: not url.startswith(("http://127.0.0.1", "http://localhost", "ws://", "data:", "about:")),
            lambda route: route.fulfill(status=200, content_type="text/html", body="<p>page externe (test)</p>"),
        )
        contexts.append(context)
        page = context.pages[0] if context.pages else context.new_page()
        return context, page

    yield make
    for context in contexts:
        context.close()
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)


def tracker(bot: str, conversation_id: str) -> dict:
    with urllib.request.urlopen(f"{bot}/conversations/{conversation_id}/tracker", timeout=30) as response:
        return json.loads(response.read())


def axe_audit(page) -> List[dict]:
    """Run axe-core (web/node_modules, pinned) in the page; the serious and critical violations.

    Injected through the DevTools protocol, not a <script> tag (the page's CSP forbids inline
    scripts, and rightly so)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
