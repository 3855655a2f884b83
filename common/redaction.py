"""Blank secrets out of what is written down: tracker events and log lines (no Rasa import).

What a secret looks like is decided in one place, common/secret_detector.py (also used by
the warning of the NLU pipeline and by the widget's masking); this module applies it to Rasa's
serialised events and log lines, with the context only they have. Users: the Rasa server's
tracker store (server_ext/tracker_store.py) and the log redaction of every server
(common/log_redaction.py). Which slots and entities hold a secret: common/names.py.

Rules:
1. Any free text: common/secret_detector.redact (NIR, password or code after its label, IBAN,
   any run of 6 digits or more, a bare number of a secret length, a short code after « code »).
   E-mail addresses, ISO dates and times, IPv4 addresses, postcodes, « 36 46 » stay readable.
2. A user message's e-mail addresses are blanked too, unless it answers the e-mail question of
   an exercise (requested_slot simu_email: the sandbox reads that slot again).
3. Context: a user message that answers a form question asking a secret (requested_slot
   in SECRET_SLOTS) is replaced whole, whatever it looks like ("mon code c'est 4821").
4. Values of SECRET_SLOTS and of SECRET_ENTITIES are replaced whole.
5. Log lines (redact_log_text) also get: e-mail addresses, quoted bare numbers ('4821'),
   "simu_login_code": "..." pairs, Rasa's "Current slot values:" dump lines of those slots,
   event reprs ("SlotSet(key: simu_login_code, value: ...)") and "text: 4826," fields.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, Iterable, Optional

from common import secret_detector as detector
from common.names import EMAIL_SLOT, REVERSIBLE_SLOTS, SECRET_ENTITIES, SECRET_SLOTS
from common.secret_detector import MIN_RUN_DIGITS, NIR_LENGTHS, REDACTED, SECRET_LENGTHS, looks_like_secret

__all__ = [
    "EMAIL_SLOT",
    "MIN_RUN_DIGITS",
    "NIR_LENGTHS",
    "REDACTED",
    "REVERSIBLE_SLOTS",
    "SECRET_ENTITIES",
    "SECRET_LENGTHS",
    "SECRET_SLOTS",
    "asks_secret",
    "looks_like_secret",
    "next_requested_slot",
    "redact_event",
    "redact_events",
    "redact_log_text",
    "redact_text",
    "secret_fragments",
    "without_fragments",
]

# In log lines: a quoted string that is only a number, and "secret_slot": "value" pairs.
_QUOTED = re.compile(r"""(['"])([^'"\n]{1,80})\1""")
_SECRET_NAMES = "|".join(sorted(SECRET_SLOTS | SECRET_ENTITIES))
_SLOT_PAIR = re.compile(r"""(['"]?\b(?:%s)['"]?\s*[:=]\s*)(['"])(.*?)\2""" % _SECRET_NAMES)
# Rasa's event reprs in DEBUG logs: "SlotSet(key: simu_login_code, value: 4826)".
_SLOT_REPR = re.compile(r"(\bkey:\s*(?:%s),\s*value:\s*)([^)\n]*)" % _SECRET_NAMES)
# "UserUttered(text: 4826, ...)", "value: 4826," in reprs: a bare number of a secret length.
_FIELD_NUMBER = re.compile(r"(\b(?:text|value)\s*[:=]\s*)(\d(?:[ .\-]?\d)*)(?=\s*[,)}\]|\n]|\s*$|\\n)")
# Rasa's "Current slot values:" dump: one "\tname: value" per line, value unquoted.
_SLOT_LINE = re.compile(r"(?m)^(\s*\b(?:%s):[ \t]+)(?!None$)(\S.*)$" % _SECRET_NAMES)


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def redact_text(text: Any, emails: bool = False) -> Any:
    """Blank every secret of `text` (common/secret_detector.redact); non-strings unchanged.

    emails: blank e-mail addresses too (a user message that does not answer the e-mail question).
    """
    return detector.redact(text, emails=emails)


def redact_log_text(text: str) -> str:
    """redact_text, plus quoted bare numbers ('4821') and secret slot/entity pairs of log lines."""
    if not text:
        return text
    text = _SLOT_PAIR.sub(
        lambda m: (
            f"{m.group(1)}{m.group(2)}{REDACTED}{m.group(2)}" if m.group(3) not in ("", "None", "null") else m.group(0)
        ),
        text,
    )
    text = _SLOT_LINE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _SLOT_REPR.sub(lambda m: m.group(1) + REDACTED if m.group(2).strip() != "None" else m.group(0), text)
    text = _FIELD_NUMBER.sub(
        lambda m: m.group(1) + REDACTED if _digit_count(m.group(2)) in SECRET_LENGTHS else m.group(0), text
    )
    text = _QUOTED.sub(
        lambda m: f"{m.group(1)}{REDACTED}{m.group(1)}" if looks_like_secret(m.group(2)) else m.group(0), text
    )
    return redact_text(text, emails=True)


def asks_secret(requested_slot: Optional[str]) -> bool:
    """True when the form question being answered asks a code or a NIR (rule 3)."""
    return requested_slot in SECRET_SLOTS


def _redact_parse_data(parse_data: Dict[str, Any], whole: bool, emails: bool) -> None:
    if "text" in parse_data:
        parse_data["text"] = REDACTED if whole and parse_data["text"] else redact_text(parse_data["text"], emails)
    for entity in parse_data.get("entities") or []:
        if not isinstance(entity, dict):
            continue
        if whole or entity.get("entity") in SECRET_ENTITIES or (emails and entity.get("entity") == "email"):
            entity["value"] = REDACTED
        else:
            entity["value"] = redact_text(entity.get("value"), emails)
        if "text" in entity:
            entity["text"] = REDACTED if whole else redact_text(entity["text"], emails)


def redact_event(
    event: Dict[str, Any], requested_slot: Optional[str] = None, encrypt: Optional[Any] = None
) -> Dict[str, Any]:
    """A redacted deep copy of a serialised Rasa event (`Event.as_dict()`).

    requested_slot: the slot the form was asking when this event happened (rule 3).
    encrypt: callable str -> str used for REVERSIBLE_SLOTS values instead of blanking.
    """
    out = copy.deepcopy(event)
    kind = out.get("event")
    whole = asks_secret(requested_slot)
    if kind == "user":
        text = out.get("text")
        emails = requested_slot != EMAIL_SLOT
        out["text"] = REDACTED if whole and text else redact_text(text, emails)
        if isinstance(out.get("parse_data"), dict):
            _redact_parse_data(out["parse_data"], whole, emails)
    elif kind == "bot":
        out["text"] = redact_text(out.get("text"))
    elif kind == "slot":
        name, value = out.get("name"), out.get("value")
        if name in SECRET_SLOTS and value not in (None, ""):
            if name in REVERSIBLE_SLOTS and encrypt is not None:
                out["value"] = encrypt(str(value))
            else:
                out["value"] = REDACTED
        elif isinstance(value, str):
            out["value"] = redact_text(value)
    elif kind == "entities":
        for entity in out.get("entities") or []:
            if isinstance(entity, dict) and entity.get("entity") in SECRET_ENTITIES:
                entity["value"] = REDACTED
    return out


def secret_fragments(event: Dict[str, Any], requested_slot: Optional[str] = None) -> frozenset:
    """The secrets a user event's text holds, as typed (« Loulou75 » of « mot de passe = Loulou75 »).

    Alone, such a value looks innocent: the NLU may still read it as an entity (a town) and a slot
    may take it. Every event of the same turn is cleaned of these fragments too."""
    if event.get("event") != "user" or not isinstance(event.get("text"), str):
        return frozenset()
    text = event["text"]
    return frozenset(
        text[s.start : s.end] for s in detector.find_secrets(text, requested_slot != EMAIL_SLOT) if s.end - s.start >= 4
    )


def without_fragments(value: Any, fragments: frozenset) -> Any:
    """A copy of a JSON value where every string holding one of `fragments` is REDACTED."""
    if not fragments:
        return value
    if isinstance(value, str):
        return REDACTED if any(f in value for f in fragments) else value
    if isinstance(value, list):
        return [without_fragments(v, fragments) for v in value]
    if isinstance(value, dict):
        return {k: without_fragments(v, fragments) for k, v in value.items()}
    return value


def redact_events(
    events: Iterable[Dict[str, Any]], requested_slot: Optional[str] = None, encrypt: Optional[Any] = None
) -> list:
    """Redact a sequence of serialised events, following requested_slot along the way.

    `requested_slot` is the value before the first event (from the stored history). The secrets
    of a user's message are also taken out of every later event of the batch (entities, slots).
    """
    out = []
    current, fragments = requested_slot, frozenset()  # type: Optional[str], frozenset
    for event in events:
        if event.get("event") == "user":
            fragments = secret_fragments(event, current)
        out.append(without_fragments(redact_event(event, current, encrypt), fragments))
        current = next_requested_slot(event, current)
    return out


def next_requested_slot(event: Dict[str, Any], current: Optional[str]) -> Optional[str]:
    """requested_slot after `event` (slot events set it; a form ending clears it)."""
    kind = event.get("event")
    if kind == "slot" and event.get("name") == "requested_slot":
        return event.get("value")
    if kind == "active_loop" and not event.get("name"):
        return None
    if kind in ("restart", "session_started"):
        return None
    return current
