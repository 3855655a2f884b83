"""Guarded REST and socket.io channels: same names and URLs as Rasa's, with checks first.

credentials.yml:
    server_ext.channels.GuardedRestInput:        # still /webhooks/rest/webhook
    server_ext.channels.GuardedSocketIOInput:    # still /socket.io, same keys as `socketio:`
      user_message_evt: user_uttered
      ...

Checks, before Rasa sees the message:
- body larger than MAX_BODY_BYTES -> 413; not UTF-8 -> 400; not a JSON object -> 400;
  `sender` not a string of 1-128 printable characters -> 400; `message` not a string -> 400;
  `metadata` not an object -> 400 (short French JSON error: {"erreur": "..."}). Sanic's own
  limit (SANIC_REQUEST_MAX_SIZE, default 100 MB) still stops bigger bodies first.
- `input_channel` of the body is ignored (Rasa's RestInput lets a client choose it).
- NUL and other control characters of the message become spaces; lone surrogates go.
- rate limit per sender (token bucket, `ratelimit.py`): over the limit, the bot answers
  RATE_LIMITED_TEXT instead of processing the message (REST: 200 with that bot message;
  socket.io: the same text as a bot_uttered event).
- socket.io only: once a message is answered (or refused), the sending socket gets a
  `user_message_masked` event {"message_id": ..., "text": ..., "masked": bool} for a message whose
  metadata carries a `message_id` (the web widget sets one): `text` is the message with every
  secret turned into bullets by common/secret_detector.mask (« 2 84 •• •• ••• ••• 29 »). The
  widget keeps and shows only that form, so the rules of what is secret live in Python alone.
Settings: CHAT_MAX_BODY_BYTES, CHAT_RATE_BURST, CHAT_RATE_PER_SECOND, CHAT_RATE_REDIS_URL
(environment), or the same keys in lower case under the channel in credentials.yml. Without
CHAT_RATE_REDIS_URL, the lock store's Redis of endpoints.prod.yml (AMELIBOT_REDIS_HOST/PORT/DB)
is used when set, so the Rasa servers of `make run-prod` share one limit; else in memory.

The channels are what Rasa builds first from credentials.yml when `rasa run` starts, before it
loads the model: building one installs the log redaction and the Rasa server's extensions
(fast_paths, graph_runner, offload), once per process. Importing this module does nothing.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from common import heap, log_redaction, settings
from common.channel_answers import (  # the channels' French (server_ext does not import `actions`)
    ERR_ENCODING,
    ERR_JSON,
    ERR_MESSAGE,
    ERR_METADATA,
    ERR_SENDER,
    ERR_TOO_BIG,
    NOT_PROCESSED_TEXT,
    RATE_LIMITED_TEXT,
)
from common.secret_detector import mask

from . import admission, applied_events, fast_json, fast_paths, graph_runner, log_copies, offload, ratelimit, states

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
DEFAULT_MAX_BODY_BYTES = 32 * 1024
MASKED_EVENT = "user_message_masked"
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def masked_echo(message: Any, metadata: Any) -> Optional[Dict[str, Any]]:
    """What the widget keeps of a message it sent with a metadata `message_id`, or None."""
    message_id = metadata.get("message_id") if isinstance(metadata, dict) else None
    if not isinstance(message, str) or not isinstance(message_id, str) or not MESSAGE_ID.match(message_id):
        return None
    masked = mask(clean_text(message))
    return {"message_id": message_id, "text": masked, "masked": masked != clean_text(message)}


class BadRequest(Exception):
    """A request refused with an HTTP status and a short French reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def install_server_extensions() -> None:
    """The Rasa server's own additions, installed when Rasa builds a channel (idempotent): the log
    redaction, the fast paths, debug-only deep copies, fast JSON, the conversation states and applied events built once, the plain graph runner, the
    NLU worker threads and the arrival-order gate of turns."""
    log_redaction.install()
    fast_paths.install()
    log_copies.install()
    fast_json.install()
    states.install()
    applied_events.install()
    graph_runner.install()
    offload.install()
    admission.install()


async def _freeze_heap(*_: Any) -> None:
    """After Rasa's `before_server_start` listener has loaded the model: common/heap.py."""
    logger.debug("heap: %d objects left out of garbage collection", heap.freeze())


def _setting(credentials: Optional[Dict[Text, Any]], key: str, default: Any, cast: Callable[[Any], Any]) -> Any:
    raw = (credentials or {}).get(key.lower())
    if raw in (None, ""):
        raw = settings.optional(key.upper())
    try:
        return cast(raw) if raw is not None else default
    except (TypeError, ValueError):
        return default


def clean_text(text: str) -> str:
    """Control characters (NUL...) become spaces, lone surrogates go; \\n and \\t stay."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs":
            continue
        out.append(" " if category == "Cc" and ch not in "\n\t" else ch)
    return "".join(out)


def valid_sender(sender: Any) -> bool:
    return (
        isinstance(sender, str)
        and 1 <= len(sender) <= MAX_SENDER_CHARS
        and sender.strip() != ""
        and all(ch.isprintable() for ch in sender)
    )


def check_payload(data: Any) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    """(sender, cleaned message, metadata) of a decoded body, or BadRequest(400)."""
    if not isinstance(data, dict):
        raise BadRequest(400, ERR_JSON)
    sender = data.get("sender")
    if not isinstance(sender, str) or not valid_sender(sender):
        raise BadRequest(400, ERR_SENDER)
    message = data.get("message")
    if not isinstance(message, str):
        raise BadRequest(400, ERR_MESSAGE)
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest(400, ERR_METADATA)
    return sender, clean_text(message), metadata


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


def parse_body(body: bytes, max_bytes: int) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    """Check a raw HTTP body: size, UTF-8, JSON object, fields. Raises BadRequest."""
    if len(body) > max_bytes:
        raise BadRequest(413, ERR_TOO_BIG)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, ERR_ENCODING) from None
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except (ValueError, RecursionError):
        raise BadRequest(400, ERR_JSON) from None
    return check_payload(data)


class _Guard:
    """Shared settings and rate limiter of both channels."""

    def _setup_guard(self, credentials: Optional[Dict[Text, Any]]) -> None:
        install_server_extensions()
        self.max_body_bytes = _setting(credentials, "CHAT_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, int)
        self.limiter = ratelimit.make_limiter(
            burst=_setting(credentials, "CHAT_RATE_BURST", ratelimit.DEFAULT_BURST, float),
            per_second=_setting(credentials, "CHAT_RATE_PER_SECOND", ratelimit.DEFAULT_PER_SECOND, float),
            redis_url=_setting(credentials, "CHAT_RATE_REDIS_URL", None, str) or settings.stack_redis_url(),
        )


class GuardedRestInput(RestInput, _Guard):
    """RestInput with body checks, a size limit and a rate limit per sender."""

    def __init__(self, credentials: Optional[Dict[Text, Any]] = None) -> None:
        self._setup_guard(credentials)

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedRestInput":
        return cls(credentials)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        webhook.listener("after_server_stop")(fast_json.close_sessions)  # the action server's session
        webhook.listener("after_server_start")(_freeze_heap)  # once the model is loaded

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = parse_body(request.body or b"", self.max_body_bytes)
            except BadRequest as refused:
                return response.json({"erreur": refused.reason}, status=refused.status)
            if not await self.limiter.allow(sender):
                logger.info("rest: rate limit reached for one sender")
                return response.json([{"recipient_id": sender, "text": RATE_LIMITED_TEXT}])
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except CancelledError:
                logger.error("rest: message processing timed out")
            except Exception:
                logger.exception("rest: message processing failed")
            if not collector.messages:  # never a silent reply: say something the user understands
                return response.json([{"recipient_id": sender, "text": NOT_PROCESSED_TEXT}])
            return response.json(collector.messages)

        return webhook


class GuardedSocketIOInput(SocketIOInput, _Guard):
    """SocketIOInput whose user_uttered handler gets the same checks as the REST channel."""

    def __init__(self, *args: Any, credentials: Optional[Dict[Text, Any]] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_guard(credentials)

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedSocketIOInput":
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", False),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
            credentials=credentials,
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        webhook.listener("after_server_stop")(fast_json.close_sessions)  # the action server's session
        webhook.listener("after_server_start")(_freeze_heap)  # once the model is loaded
        sio = self.sio
        # Packets up to twice the limit reach the handler (which answers « Message trop long »);
        # engine.io drops bigger ones (the connection closes) before they are decoded.
        sio.eio.max_http_buffer_size = 2 * self.max_body_bytes
        namespace = self.namespace or "/"

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            output = SocketIOOutput(sio, self.bot_message_evt)
            if not isinstance(data, dict):
                await sio.emit("erreur", {"erreur": ERR_JSON}, room=sid, namespace=namespace)
                return
            if self.session_persistence:
                sender = data.get("session_id")
            else:
                sender = sid
            if not valid_sender(sender):
                await sio.emit("erreur", {"erreur": ERR_SENDER}, room=sid, namespace=namespace)
                return
            message = data.get("message", "")
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = None
            if not isinstance(message, str) or not isinstance(metadata, dict):
                await sio.emit(
                    "erreur",
                    {"erreur": ERR_MESSAGE if not isinstance(message, str) else ERR_METADATA},
                    room=sid,
                    namespace=namespace,
                )
                return
            try:
                if len(message.encode("utf-8", "surrogatepass")) > self.max_body_bytes:
                    await output.send_text_message(sender, ERR_TOO_BIG)
                    return
                if not await self.limiter.allow(sender):
                    await output.send_text_message(sender, RATE_LIMITED_TEXT)
                    return
                await on_new_message(
                    UserMessage(clean_text(message), output, sender, input_channel=self.name(), metadata=metadata)
                )
            finally:
                # Answered (or refused): tell the sending tab what to keep of its message.
                echo = masked_echo(message, metadata)
                if echo is not None:
                    await sio.emit(MASKED_EVENT, echo, room=sid, namespace=namespace)

        return webhook
