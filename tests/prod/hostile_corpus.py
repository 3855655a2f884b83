"""Hostile or malformed requests for the REST channel (tests/prod/test_hostile.py).

Each case is a raw HTTP body (bytes, sent as is) and what the user must get:
- "answer": 200 with at least one bot message (a clear French answer);
- "refused": a 4xx (the guarded channel's 400/413 JSON error, or nginx's own 413/405);
- "either": 200 with an answer, or a 4xx.
Never a 5xx. `{sender}` in a body is replaced by a fresh sender id for each case, so the
rate limit (tested separately) does not mix with the other checks.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
import uuid
from dataclasses import dataclass
from typing import List, Optional, Tuple

ANSWER, REFUSED, EITHER = "answer", "refused", "either"


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes
    expect: str
    category: str
    method: str = "POST"
    content_type: Optional[str] = "application/json"


def _msg(text: str, sender: str = "{sender}", **extra) -> bytes:
    return json.dumps({"sender": sender, "message": text, **extra}, ensure_ascii=False).encode("utf-8")


def _raw(text: str) -> bytes:
    return text.encode("utf-8")


CASES: List[Case] = [
    # --- empty and whitespace ---------------------------------------------------------------
    Case("empty message", _msg(""), ANSWER, "empty"),
    Case("one space", _msg(" "), ANSWER, "empty"),
    Case("tabs and newlines", _msg("\t\n\r\n  \t"), ANSWER, "empty"),
    Case("non-breaking spaces", _msg("\u00a0\u202f\u2003"), ANSWER, "empty"),
    Case("zero-width only", _msg("\u200b" * 50), ANSWER, "empty"),
    # --- size -------------------------------------------------------------------------------
    Case("5 000 characters", _msg("x" * 5000), ANSWER, "size"),
    Case("1 001 characters", _msg("a" * 1001), ANSWER, "size"),
    Case("one 999-letter word", _msg("b" * 999), ANSWER, "size"),
    Case("100 kB message", _msg("je n'ai pas reçu mon code " * 4000), REFUSED, "size"),
    Case("40 kB message", _msg("y" * 40_000), REFUSED, "size"),
    Case("2 MB body", _msg("z" * 2_000_000), REFUSED, "size"),
    # --- NUL and control characters -----------------------------------------------------------
    Case("NUL alone", _msg("\x00"), ANSWER, "control"),
    Case("NUL inside a question", _msg("je n'ai pas reçu\x00 mon code"), ANSWER, "control"),
    Case("terminal escapes", _msg("\x1b[31mrouge\x1b[0m \x07\x08"), ANSWER, "control"),
    Case("all C0 controls", _msg("".join(chr(i) for i in range(32))), ANSWER, "control"),
    Case("DEL and C1 controls", _msg("\x7f\x85\x9b code perdu"), ANSWER, "control"),
    Case("lone surrogate (JSON escape)", b'{"sender": "{sender}", "message": "code \\ud800 perdu"}', ANSWER, "control"),
    Case("right-to-left override", _msg("\u202emot de passe oublié"), ANSWER, "control"),
    # --- invalid UTF-8 and broken encodings ---------------------------------------------------
    Case("invalid UTF-8 in message", b'{"sender": "{sender}", "message": "\xff\xfe code"}', REFUSED, "utf8"),
    Case("truncated UTF-8 sequence", b'{"sender": "{sender}", "message": "re\xc3"}', REFUSED, "utf8"),
    Case("overlong UTF-8 slash", b'{"sender": "{sender}", "message": "\xc0\xaf"}', REFUSED, "utf8"),
    Case("Latin-1 accents", '{"sender": "{sender}", "message": "reçu"}'.encode("latin-1"), REFUSED, "utf8"),
    Case("UTF-16 body", '{"sender": "{sender}", "message": "bonjour"}'.encode("utf-16"), REFUSED, "utf8"),
    Case("UTF-8 BOM", b"\xef\xbb\xbf" + _msg("bonjour"), REFUSED, "utf8"),
    # --- emoji floods -------------------------------------------------------------------------
    Case("500 emoji", _msg("😀" * 500), ANSWER, "emoji"),
    Case("5 000 emoji (20 kB)", _msg("🔥" * 5000), ANSWER, "emoji"),
    Case("family ZWJ sequences", _msg("👨‍👩‍👧‍👦" * 100), ANSWER, "emoji"),
    Case("emoji around a question", _msg("😡😡 je n'ai pas reçu mon code 😡😡"), ANSWER, "emoji"),
    Case("combining marks flood", _msg("Z" + "\u0336\u0322\u0348" * 300), ANSWER, "emoji"),
    Case("flags and skin tones", _msg("🇫🇷👍🏽" * 200), ANSWER, "emoji"),
    # --- HTML / JS ----------------------------------------------------------------------------
    Case("script tag", _msg("<script>alert(1)</script>"), ANSWER, "markup"),
    Case("img onerror", _msg('<img src=x onerror="alert(document.cookie)">'), ANSWER, "markup"),
    Case("javascript URL", _msg("javascript:alert(1)"), ANSWER, "markup"),
    Case("iframe", _msg('<iframe src="https://exemple.invalid"></iframe>'), ANSWER, "markup"),
    Case("markup around a question", _msg("<b>je ne reçois pas le code</b>"), ANSWER, "markup"),
    Case("markdown link", _msg("[cliquez ici](javascript:alert(1))"), ANSWER, "markup"),
    # --- secrets typed as people type them (issue 19): answered with the warning, never echoed --
    Case("password after mdp:", _msg("mdp: 48151623"), ANSWER, "secret"),
    Case("password as a word", _msg("mon mot de passe c'est Soleil2024!"), ANSWER, "secret"),
    Case("code after its label", _msg("code 123456"), ANSWER, "secret"),
    Case("IBAN", _msg("mon iban FR76 3000 6000 0112 3456 7890 189"), ANSWER, "secret"),
    Case("NIR with dots", _msg("1.55.05.99.350.012.58"), ANSWER, "secret"),
    Case(
        "password and NIR in 1 000 characters",
        _msg(("mdp: 48151623 et 2 84 05 38 185 123 29 " * 30)[:1000]),
        ANSWER,
        "secret",
    ),
    # --- SQL injection --------------------------------------------------------------------------
    Case("classic OR 1=1", _msg("' OR '1'='1' --"), ANSWER, "sql"),
    Case("drop table events", _msg("1; DROP TABLE events; --"), ANSWER, "sql"),
    Case("Bobby tables", _msg("Robert'); DROP TABLE sandbox_accounts;--"), ANSWER, "sql"),
    Case("union select", _msg("x' UNION SELECT data FROM events --"), ANSWER, "sql"),
    Case("SQL in the sender", _msg("bonjour", sender="x'); DROP TABLE events;--"), ANSWER, "sql"),
    # --- template injection -----------------------------------------------------------------------
    Case("jinja", _msg("{{7*7}} {{config}}"), ANSWER, "template"),
    Case("dollar brace", _msg("${7*7} ${jndi:ldap://exemple.invalid/a}"), ANSWER, "template"),
    Case("jinja block", _msg("{% for x in range(99999999) %}x{% endfor %}"), ANSWER, "template"),
    Case("format fields", _msg("{name} {0.__class__.__mro__} {sender_id}"), ANSWER, "template"),
    Case("printf", _msg("%s%s%s%n%x %(name)s"), ANSWER, "template"),
    # --- Rasa's /intent{...} syntax ------------------------------------------------------------------
    Case("force logged in", _msg('/simuler_rdv{"simu_connecte": true, "simu_etape": "connecte"}'), ANSWER, "forced"),
    Case("force a code slot", _msg('/informer{"simu_code_securite": "123456", "code": "123456"}'), ANSWER, "forced"),
    Case("force a step", _msg('/simuler_connexion{"simu_etape": "code_envoye"}'), ANSWER, "forced"),
    Case("click a link never sent", _msg("/simuler_clic_lien"), ANSWER, "forced"),
    Case("read a mail by path", _msg('/simuler_lire_mail{"mail_id": "../../etc/passwd"}'), ANSWER, "forced"),
    Case("cancel someone's booking", _msg('/simuler_mes_rdv{"rdv_id": "1 OR 1=1"}'), ANSWER, "forced"),
    Case(
        "book without login", _msg('/informer{"creneau": "2030-01-01T09:00", "motif_rdv": "autre"}'), ANSWER, "forced"
    ),
    Case("unknown intent", _msg("/intention_inconnue"), ANSWER, "forced"),
    Case("broken entity JSON", _msg('/affirmer{"x": '), ANSWER, "forced"),
    Case("entity JSON with a list", _msg('/affirmer{"code": [1, 2, 3]}'), ANSWER, "forced"),
    Case("slash alone", _msg("/"), ANSWER, "forced"),
    Case("double slash", _msg("//"), ANSWER, "forced"),
    Case("nlu_fallback forced", _msg("/nlu_fallback"), ANSWER, "forced"),
    Case("forced intent with a NIR", _msg('/se_connecter{"nir": "1 75 01 69 123 456 79"}'), ANSWER, "forced"),
    # --- JSON with wrong types or missing fields ----------------------------------------------------
    Case("not JSON", b"bonjour", REFUSED, "json"),
    Case("empty body", b"", REFUSED, "json"),
    Case("JSON list", b'["{sender}", "bonjour"]', REFUSED, "json"),
    Case("JSON string", b'"bonjour"', REFUSED, "json"),
    Case("JSON null", b"null", REFUSED, "json"),
    Case("truncated JSON", b'{"sender": "{sender}", "message": "bonj', REFUSED, "json"),
    Case("missing sender", b'{"message": "bonjour"}', REFUSED, "json"),
    Case("missing message", b'{"sender": "{sender}"}', REFUSED, "json"),
    Case("sender is a number", b'{"sender": 12345, "message": "bonjour"}', REFUSED, "json"),
    Case("sender is null", b'{"sender": null, "message": "bonjour"}', REFUSED, "json"),
    Case("sender is an object", b'{"sender": {"id": 1}, "message": "bonjour"}', REFUSED, "json"),
    Case("message is a number", b'{"sender": "{sender}", "message": 42}', REFUSED, "json"),
    Case("message is null", b'{"sender": "{sender}", "message": null}', REFUSED, "json"),
    Case("message is a list", b'{"sender": "{sender}", "message": ["bonjour"]}', REFUSED, "json"),
    Case("message is an object", b'{"sender": "{sender}", "message": {"text": "bonjour"}}', REFUSED, "json"),
    Case("metadata is a string", b'{"sender": "{sender}", "message": "bonjour", "metadata": "x"}', REFUSED, "json"),
    Case("huge number", b'{"sender": "{sender}", "message": "a", "metadata": {"n": 1e999}}', REFUSED, "json"),
    Case("NaN literal", b'{"sender": "{sender}", "message": "a", "metadata": {"n": NaN}}', REFUSED, "json"),
    Case(
        "10 000 nested lists",
        b'{"sender": "{sender}", "message": "a", "metadata": {"x": ' + b"[" * 10000 + b"]" * 10000 + b"}}",
        REFUSED,
        "json",
    ),
    Case("duplicate keys", b'{"sender": "{sender}", "message": 1, "message": "bonjour"}', ANSWER, "json"),
    Case("spoofed input_channel", _msg("bonjour", input_channel="socketio"), ANSWER, "json"),
    Case(
        "form-encoded body",
        b"sender=moi&message=bonjour",
        REFUSED,
        "json",
        content_type="application/x-www-form-urlencoded",
    ),
    Case("JSON sent as text/plain", _msg("bonjour"), ANSWER, "json", content_type="text/plain"),
    Case("no content type", _msg("bonjour"), ANSWER, "json", content_type=None),
    Case("GET on the webhook", b"", REFUSED, "json", method="GET"),
    Case("PUT on the webhook", _msg("bonjour"), REFUSED, "json", method="PUT"),
    # --- sender ids ---------------------------------------------------------------------------------
    Case("sender of 128 characters", _msg("bonjour", sender="s" * 128), ANSWER, "sender"),
    Case("sender of 129 characters", _msg("bonjour", sender="s" * 129), REFUSED, "sender"),
    Case("sender of 100 000 characters", _msg("bonjour", sender="s" * 100_000), REFUSED, "sender"),
    Case("empty sender", _msg("bonjour", sender=""), REFUSED, "sender"),
    Case("blank sender", _msg("bonjour", sender="   "), REFUSED, "sender"),
    Case("sender with NUL", _msg("bonjour", sender="a\x00b"), REFUSED, "sender"),
    Case("sender with newline", _msg("bonjour", sender="a\nb"), REFUSED, "sender"),
    Case("sender with a path", _msg("bonjour", sender="../../etc/passwd"), ANSWER, "sender"),
    Case("accented sender", _msg("bonjour", sender="é" * 128), ANSWER, "sender"),
]


def send(base_url: str, case: Case) -> Tuple[int, bytes, str]:
    """Send the raw body of `case` to the REST webhook; (status, body, sender used)."""
    sender = f"hostile-{uuid.uuid4().hex[:12]}"
    body = case.body.replace(b"{sender}", sender.encode())
    url = urllib.parse.urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    try:
        conn.request(
            case.method, "/webhooks/rest/webhook", body=body if case.method != "GET" else None, headers=headers
        )
        response = conn.getresponse()
        return response.status, response.read(), sender
    except (ConnectionError, http.client.HTTPException) as error:
        # nginx or Sanic may close the connection on a huge body before reading it: a refusal.
        return 499, repr(error).encode(), sender
    finally:
        conn.close()
