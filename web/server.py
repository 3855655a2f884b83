"""The web chat widget's server: the help page, its static files, and the simulated mailbox API.

    .venv/bin/python -m web.server [--port 8080] [--rasa-url http://localhost:5005]

- `/` is a help page with the chat bubble (web/static/); the widget talks to the Rasa server
  over socket.io directly. `/api/config` (widget_config) gives it the Rasa URL, the longest
  message (common/input_checks.MAX_MESSAGE_CHARS) and the minutes without activity after which
  the tab forgets the conversation (WIDGET_IDLE_MINUTES or --idle-minutes, default 30).
- `/static/texts.js` sets `window.AMELIBOT_TEXTS`: the words the pages' scripts write
  (actions/web_answers.WIDGET_TEXTS), loaded by each page before its own script.
- `/vendor/socket.io.min.js` is socket.io-client from web/node_modules (pinned in
  web/package-lock.json, installed by web/install.sh): never a CDN.
- `GET /api/mailbox?session=<conversation id>` lists the inbox and the spam folder of the demo
  account of that conversation; `GET /api/mailbox/mail?session=…&id=…` opens one mail. Both call
  the sandbox package directly (same database as the action server: SANDBOX_DATABASE_URL).
- `/atelier…`: workshops (web/workshops.py): a trainer opens one, learners join it with a short
  code or a QR code, the trainer's page follows each learner's step.
- Every response carries a Content-Security-Policy that forbids inline scripts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, TypeVar
from urllib.parse import urlsplit

from aiohttp import web

from actions import web_answers as txt
from actions.sandbox import policy
from actions.sandbox_answers import say
from common import log_redaction, settings
from common.aio import offload
from common.input_checks import MAX_MESSAGE_CHARS
from web.workshops import add_routes

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"
VENDOR = {
    "socket.io.min.js": WEB / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
}

logger = logging.getLogger("web")

# A conversation id as the widget makes them (32 hex), or any sane id from another client.
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
MAIL_ID = re.compile(r"^[A-Za-z0-9]{8,64}$")
FOLDERS = policy.MAIL_FOLDERS
FOLDER_LABELS = txt.FOLDER_LABELS  # the chat's names of the folders (« Spam », the sheets' « spams »)
DEFAULT_IDLE_MINUTES = 30


def idle_minutes_setting(value: Any = None) -> int:
    """Minutes without activity before the widget forgets (WIDGET_IDLE_MINUTES), 1 to 1440."""
    raw = value if value is not None else settings.widget_idle_minutes()
    try:
        minutes = int(str(raw).strip())
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return minutes if 1 <= minutes <= 1440 else DEFAULT_IDLE_MINUTES


def widget_config(rasa_url: str, idle_minutes: Optional[int] = None) -> Dict[str, Any]:
    """What the widget reads from /api/config (also served by nginx in production mode)."""
    return {
        "rasa_url": rasa_url,
        "max_message_chars": MAX_MESSAGE_CHARS,
        "idle_minutes": idle_minutes_setting(idle_minutes),
    }


# The one reader of those words, for every page's script: AMELIBOT_SAY('key', {name: value}) gives the
# text with the values in its {name} marks (the key itself when the text is missing).
SAY_SCRIPT = """window.AMELIBOT_SAY = function (key, values) {
  var texts = window.AMELIBOT_TEXTS || {};
  var text = typeof texts[key] === 'string' ? texts[key] : key;
  return values ? text.replace(/\\{(\\w+)\\}/g, function (all, name) {
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
  }) : text;
};
"""


def texts_script(texts: Optional[Dict[str, str]] = None) -> str:
    """/static/texts.js: the pages' words and their reader as a script (no inline script under the CSP)."""
    words = txt.WIDGET_TEXTS if texts is None else texts
    return (
        "window.AMELIBOT_TEXTS = "
        + json.dumps(words, ensure_ascii=False, indent=1, sort_keys=True)
        + ";\n"
        + SAY_SCRIPT
    )


def rasa_origins(rasa_url: str) -> List[str]:
    """The http and ws origins of the Rasa server, for localhost and 127.0.0.1 alike."""
    parts = urlsplit(rasa_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    secure = parts.scheme == "https"
    hosts = [parts.hostname or "localhost"]
    for alias in ("localhost", "127.0.0.1"):
        if hosts[0] in ("localhost", "127.0.0.1") and alias not in hosts:
            hosts.append(alias)
    origins = []
    for host in hosts:
        origins += [f"{'https' if secure else 'http'}://{host}:{port}", f"{'wss' if secure else 'ws'}://{host}:{port}"]
    return origins


def content_security_policy(rasa_url: str) -> str:
    """No inline script, no eval, nothing from elsewhere; connections to self and Rasa only."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self' " + " ".join(rasa_origins(rasa_url)),
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _iso(value: Optional[datetime]) -> Optional[str]:
    return value.isoformat() if value else None


class MailboxApi:
    """The JSON API over the sandbox: only the mails of the conversation's own mailbox."""

    def __init__(self, sandbox_factory: Optional[Callable[[], Any]] = None) -> None:
        self._factory = sandbox_factory
        self._sandbox: Any = None

    def sandbox(self) -> Any:
        if self._sandbox is None:
            if self._factory is None:
                from actions.sandbox.service import get_sandbox

                self._factory = get_sandbox
            self._sandbox = self._factory()
        return self._sandbox

    async def _run(self, use: Callable[[Any], T]) -> T:
        """`use(sandbox)` off the event loop (common/aio.py): the sandbox, opened on first use, is
        synchronous (SQLAlchemy, scrypt)."""
        return await offload(lambda: use(self.sandbox()))

    @staticmethod
    def _session(request: web.Request) -> str:
        session = request.query.get("session", "")
        if not SESSION_ID.match(session):
            raise web.HTTPBadRequest(
                text=json.dumps({"ok": False, "message": txt.BAD_SESSION}, ensure_ascii=False),
                content_type="application/json",
            )
        return session

    async def mailbox(self, request: web.Request) -> web.Response:
        session = self._session(request)
        folders: Dict[str, Any] = {}
        for folder in FOLDERS:
            result = await self._run(lambda box, folder=folder: box.list_mails(session, folder))
            if not result.ok:
                # No mailbox yet for this conversation (not logged in, no account created).
                return web.json_response({"ok": False, "message": say(result), "folders": {}})
            folders[folder] = {
                "label": FOLDER_LABELS[folder],
                "mails": [
                    {
                        "id": m.id,
                        "subject": m.subject,
                        "sender": m.sender,
                        "read": m.read,
                        "received_at": _iso(m.received_at),
                        "received_label": txt.received_label(m.received_at),
                    }
                    for m in result.data.get("mails", [])
                ],
            }
        account = await self._run(lambda box: box.session_info(session))
        logged_in = (
            {"name": account.data.get("name"), "masked_email": account.data.get("masked_email")} if account.ok else None
        )
        return web.json_response({"ok": True, "message": "", "folders": folders, "logged_in": logged_in})

    async def mail(self, request: web.Request) -> web.Response:
        session = self._session(request)
        mail_id = request.query.get("id", "")
        if not MAIL_ID.match(mail_id):
            return web.json_response({"ok": False, "message": txt.MAIL_NOT_FOUND}, status=404)
        result = await self._run(lambda box: box.read_mail(session, mail_id))
        if not result.ok:
            return web.json_response({"ok": False, "message": say(result)}, status=404)
        view = result.data["mail"]
        return web.json_response(
            {
                "ok": True,
                "mail": {
                    "id": view.id,
                    "subject": view.subject,
                    "sender": view.sender,
                    "folder": view.folder,
                    "folder_label": FOLDER_LABELS.get(view.folder, view.folder),
                    "received_at": _iso(view.received_at),
                    "received_label": txt.received_label(view.received_at),
                    "body": view.body,
                },
            }
        )


def make_app(
    rasa_url: str = "http://localhost:5005",
    sandbox_factory: Optional[Callable[[], Any]] = None,
    idle_minutes: Optional[int] = None,
) -> web.Application:
    csp = content_security_policy(rasa_url)
    widget_settings = widget_config(rasa_url, idle_minutes)

    @web.middleware
    async def security_headers(request: web.Request, handler: Callable) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as error:
            response = error
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        if isinstance(response, web.HTTPException) and response.status >= 400:
            raise response
        return response

    api = MailboxApi(sandbox_factory)
    texts_body = texts_script().encode("utf-8")
    texts_etag = '"' + hashlib.sha256(texts_body).hexdigest()[:32] + '"'

    async def index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def config(request: web.Request) -> web.Response:
        return web.json_response(widget_settings)

    async def vendor(request: web.Request) -> web.FileResponse:
        path = VENDOR.get(request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound()
        if not path.is_file():
            raise web.HTTPServiceUnavailable(text="socket.io-client is not installed: run web/install.sh")
        return web.FileResponse(path, headers={"Content-Type": "application/javascript; charset=utf-8"})

    async def texts(request: web.Request) -> web.Response:
        # Revalidated as the files of /static/ are (ETag): the words change with a deployment.
        headers = {"ETag": texts_etag, "Cache-Control": "no-cache"}
        if texts_etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers=headers)
        return web.Response(
            body=texts_body, headers={**headers, "Content-Type": "application/javascript; charset=utf-8"}
        )

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(middlewares=[security_headers])
    app.router.add_get("/", index)
    app.router.add_get("/health", health)
    app.router.add_get("/api/config", config)
    app.router.add_get("/api/mailbox", api.mailbox)
    app.router.add_get("/api/mailbox/mail", api.mail)
    app.router.add_get("/vendor/{name}", vendor)
    app.router.add_get("/static/texts.js", texts)  # before the files of /static/
    add_routes(app, api.sandbox, STATIC)
    app.router.add_static("/static/", STATIC, show_index=False, follow_symlinks=False)
    return app


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.web_host())
    parser.add_argument("--port", type=int, default=settings.web_port())
    parser.add_argument("--rasa-url", default=settings.rasa_url())
    parser.add_argument(
        "--idle-minutes",
        type=int,
        default=None,
        help="minutes without activity before the widget forgets the conversation (default 30)",
    )
    args = parser.parse_args(argv)
    log_redaction.install()  # the web server's entry point: its logs never show a code or a NIR
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    web.run_app(
        make_app(args.rasa_url, idle_minutes=args.idle_minutes),
        host=args.host,
        port=args.port,
        print=None,
        access_log=None,
    )


if __name__ == "__main__":
    main()
