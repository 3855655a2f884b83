"""/static/texts.js (web/server.py): the words of the pages' scripts, from actions/web_answers.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

from aiohttp.test_utils import TestClient

from actions.web_answers import WIDGET_TEXTS
from tests.web import run
from web.server import SAY_SCRIPT, texts_script

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
ASSIGNMENT = re.compile(r"\Awindow\.AMELIBOT_TEXTS = (\{.*\});\n\Z", re.S)


def test_the_route_gives_every_text_as_a_script() -> None:
    async def scenario(client: TestClient) -> None:
        response = await client.get("/static/texts.js")
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/javascript; charset=utf-8"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        body = await response.text()
        assert body == texts_script()
        assert body.endswith(SAY_SCRIPT)  # the pages' one reader of the words
        match = ASSIGNMENT.match(body[: -len(SAY_SCRIPT)])
        assert match, body[:80]
        assert json.loads(match.group(1)) == WIDGET_TEXTS  # every key, each text as written
        assert "Boîte de réception" in body and "\\u" not in body.replace("\\u00a0", "")  # UTF-8, not escapes
        # Revalidated like the files of /static/: same words, same ETag, nothing sent again.
        etag = response.headers["ETag"]
        again = await client.get("/static/texts.js", headers={"If-None-Match": etag})
        assert again.status == 304 and again.headers["ETag"] == etag
        # The other static files are still served from web/static.
        widget = await client.get("/static/widget.js")
        assert widget.status == 200

    run(None, scenario)


def test_the_script_holds_any_text_safely() -> None:
    """A quote, a backslash or a line break in a text cannot end the string or the script."""
    tricky = {"a": 'l\'« aide » "x" \\ </script>\nfin', "b": "\u2028"}
    match = ASSIGNMENT.match(texts_script(tricky)[: -len(SAY_SCRIPT)])
    assert match and json.loads(match.group(1)) == tricky


def test_each_page_loads_the_texts_before_its_scripts() -> None:
    for page in ("index.html", "atelier.html", "animateur.html"):
        scripts = re.findall(r'<script src="([^"]+)"', (STATIC / page).read_text(encoding="utf-8"))
        assert scripts[0] == "/static/texts.js", page
        assert {"/static/widget.js", "/static/atelier.js"} & set(scripts), page


def test_the_pages_reader_puts_the_values_in_the_marks() -> None:
    """AMELIBOT_SAY, run by node on the served script: a text, a text with values (a mark without a
    value stays), a missing key given back as it is."""
    import shutil
    import subprocess

    node = shutil.which("node")
    assert node, "node is needed (web/install.sh installs the widget's packages with npm)"
    words = {"hello": "Bonjour {name} ({other})", "plain": "Spam"}
    program = (
        "var window = {};\n"
        + texts_script(words)
        + "console.log(JSON.stringify([window.AMELIBOT_SAY('plain'), window.AMELIBOT_SAY('hello', {name: 'Léa'}),"
        " window.AMELIBOT_SAY('missing')]));"
    )
    out = subprocess.run([node, "-e", program], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["Spam", "Bonjour Léa ({other})", "missing"]
