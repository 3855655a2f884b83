"""Workshops on the widget's server: the trainer opens one, learners join it, the trainer follows the room.

Pages (static files in web/static, no inline script):
- `/atelier`: open a workshop (a name) -> the learners' link, its QR code and the trainer's link;
- `/atelier/animateur#cle=…`: the trainer's view of the room; the secret stays in the URL's
  fragment (never sent in a request line, a log or a Referer) and goes to the API in a header;
- `/atelier/{code}`: a learner's page: the help page with the chat, asking for a first name or
  nickname first, then the conversation practises in its own world of the workshop.

JSON API (same sandbox database as the action server, calls run off the event loop):
- `POST /api/atelier` {name} -> {code, name, join_path, trainer_path}
- `GET  /api/atelier/{code}` -> {name, code} (what the join page shows)
- `POST /api/atelier/{code}/rejoindre` {session, nickname, replaces?} -> {nickname, name}
- `GET  /api/atelier/salle` (header X-Cle-Animateur) -> the rows of the room
- `POST /api/atelier/horloge` (header) {minutes, learner?} -> move the clock (room or one learner)
- `POST /api/atelier/remise-a-zero` (header) {learner} -> one learner back to the demo dossiers
- `GET  /atelier/{code}/qr.svg` -> the QR code of the join link (segno)
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Optional, TypeVar

from aiohttp import web

from actions import web_answers as txt
from actions.sandbox_answers import say
from common.aio import offload

T = TypeVar("T")

TRAINER_HEADER = "X-Cle-Animateur"
CODE = re.compile(r"^[A-Za-z0-9-]{4,16}$")
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
CLOCK_MOVES = txt.CLOCK_MOVES  # the clock moves a trainer can ask for, in minutes
MAX_BODY = 4096


def _json_error(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "message": message}, status=status)


class WorkshopApi:
    """aiohttp handlers over the sandbox's workshop operations."""

    def __init__(self, sandbox: Callable[[], Any], static: Path) -> None:
        self._sandbox = sandbox
        self._static = static

    async def _run(self, use: Callable[[Any], T]) -> T:
        """`use(sandbox)` off the event loop (common/aio.py): the sandbox, opened on first use, is
        synchronous (SQLAlchemy, scrypt)."""
        return await offload(lambda: use(self._sandbox()))

    @staticmethod
    async def _body(request: web.Request) -> Dict[str, Any]:
        if request.content_length is not None and request.content_length > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
        try:
            body = await request.json()
        except Exception:
            body = None
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(
                text=json.dumps({"ok": False, "message": txt.BAD_REQUEST}, ensure_ascii=False),
                content_type="application/json",
            )
        return body

    @staticmethod
    def _secret(request: web.Request) -> str:
        return request.headers.get(TRAINER_HEADER, "").strip()[:200]

    # ------------------------------------------------------------------ pages

    async def open_page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(self._static / "atelier.html")

    async def trainer_page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(self._static / "animateur.html")

    async def join_page(self, request: web.Request) -> web.StreamResponse:
        if not CODE.match(request.match_info["code"]):
            raise web.HTTPNotFound()
        return web.FileResponse(self._static / "index.html")  # the help page; rejoindre.js adds the join panel

    async def qr(self, request: web.Request) -> web.Response:
        import segno

        code = request.match_info["code"]
        if not CODE.match(code):
            raise web.HTTPNotFound()
        info = await self._run(lambda box: box.workshop_info(code))
        if not info.ok:
            raise web.HTTPNotFound()
        link = f"{request.scheme}://{request.host}/atelier/{info.data['code']}"
        out = io.BytesIO()
        segno.make(link, error="m").save(out, kind="svg", scale=6, border=2, title=txt.qr_title(link))
        return web.Response(body=out.getvalue(), content_type="image/svg+xml")

    # ------------------------------------------------------------------ API

    async def create(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        result = await self._run(lambda box: box.create_workshop(str(body.get("name", ""))[:500]))
        if not result.ok:
            return _json_error(400, say(result))
        code = result.data["code"]
        return web.json_response(
            {
                "ok": True,
                "message": say(result),
                "code": code,
                "name": result.data["name"],
                "join_path": f"/atelier/{code}",
                "trainer_path": f"/atelier/animateur#cle={result.data['trainer_secret']}",
            }
        )

    async def info(self, request: web.Request) -> web.Response:
        code = request.match_info["code"]
        result = await self._run(lambda box: box.workshop_info(code)) if CODE.match(code) else None
        if result is None or not result.ok:
            return _json_error(404, txt.WORKSHOP_UNKNOWN)
        return web.json_response({"ok": True, "name": result.data["name"], "code": result.data["code"]})

    async def join(self, request: web.Request) -> web.Response:
        code = request.match_info["code"]
        body = await self._body(request)
        session, replaces = str(body.get("session", "")), body.get("replaces")
        if not CODE.match(code) or not SESSION_ID.match(session):
            return _json_error(400, txt.BAD_REQUEST)
        if isinstance(replaces, str) and SESSION_ID.match(replaces) and replaces != session:
            await self._run(
                lambda box: box.leave_workshop(replaces, code)
            )  # « Recommencer »: the old conversation leaves
        nickname = str(body.get("nickname", ""))[:200]
        result = await self._run(lambda box: box.join_workshop(session, code, nickname))
        if not result.ok:
            return _json_error(404 if result.reason.value == "workshop_unknown" else 400, say(result))
        return web.json_response(
            {
                "ok": True,
                "message": say(result),
                "nickname": result.data["nickname"],
                "name": result.data["name"],
                "code": result.data["code"],
            }
        )

    async def room(self, request: web.Request) -> web.Response:
        result = await self._run(lambda box: box.workshop_room(self._secret(request)))
        if not result.ok:
            return _json_error(403, txt.TRAINER_LINK_INVALID)
        now = datetime.now(timezone.utc)
        return web.json_response(
            {
                "ok": True,
                "name": result.data["name"],
                "code": result.data["code"],
                "join_path": f"/atelier/{result.data['code']}",
                "clock_label": result.data["clock_label"],
                "clock_moves": [{"minutes": m, "label": label} for m, label in CLOCK_MOVES.items()],
                "learners": [
                    {
                        "id": row.id,
                        "nickname": row.nickname,
                        **txt.learner_labels(row),
                        "mistakes": row.mistakes,
                        "status": row.status or "",
                        "last_activity": row.last_activity.isoformat(),
                        "last_activity_label": txt.ago(row.last_activity, now),
                        "world_time": row.world_time,
                        "own_clock_label": row.own_clock_label,
                    }
                    for row in result.data["learners"]
                ],
            }
        )

    @staticmethod
    def _learner(body: Dict[str, Any]) -> Optional[int]:
        value = body.get("learner")
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
            raise web.HTTPBadRequest(
                text=json.dumps({"ok": False, "message": txt.LEARNER_UNKNOWN}, ensure_ascii=False),
                content_type="application/json",
            )
        return int(value)

    async def clock(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        minutes = body.get("minutes")
        if isinstance(minutes, bool) or minutes not in CLOCK_MOVES:
            return _json_error(400, txt.CHOOSE_DELAY)
        secret, learner = self._secret(request), self._learner(body)
        result = await self._run(lambda box: box.advance_workshop_clock(secret, timedelta(minutes=minutes), learner))
        if not result.ok:
            return _json_error(403 if result.reason.value == "workshop_unknown" else 400, say(result))
        return web.json_response({"ok": True, "message": say(result)})

    async def reset(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        learner = self._learner(body)
        if learner is None:
            return _json_error(400, txt.LEARNER_UNKNOWN)
        result = await self._run(lambda box: box.reset_learner(self._secret(request), learner))
        if not result.ok:
            return _json_error(403 if result.reason.value == "workshop_unknown" else 400, say(result))
        return web.json_response({"ok": True, "message": say(result)})


def add_routes(app: web.Application, sandbox: Callable[[], Any], static: Path) -> None:
    """The workshop pages and API on the widget's server."""
    api = WorkshopApi(sandbox, static)
    app.router.add_get("/atelier", api.open_page)
    app.router.add_get("/atelier/animateur", api.trainer_page)
    app.router.add_get("/atelier/{code}/qr.svg", api.qr)
    app.router.add_get("/atelier/{code}", api.join_page)
    app.router.add_post("/api/atelier", api.create)
    app.router.add_get("/api/atelier/salle", api.room)
    app.router.add_post("/api/atelier/horloge", api.clock)
    app.router.add_post("/api/atelier/remise-a-zero", api.reset)
    app.router.add_get("/api/atelier/{code}", api.info)
    app.router.add_post("/api/atelier/{code}/rejoindre", api.join)
