"""What a secret looks like, and how to blank it out (pure functions, no Rasa import).

Secrets (rules read from actions/sandbox/policy.py, never repeated here):
- security code: SECURITY_CODE_LENGTH digits, often typed or shown spaced ("4 0 0 3 6 5");
- code personnel: CODE_PERSONNEL_MIN_LENGTH to CODE_PERSONNEL_MAX_LENGTH digits;
- code provisoire: CODE_PROVISOIRE_LENGTHS digits (4 or 8);
- NIR: 13 digits + 2-digit key, with or without spaces, dots or dashes, Corsica 2A/2B.

Rules:
1. In any free text, a run of digits (single spaces, dots or dashes allowed between them)
   holding at least SECURITY_CODE_LENGTH digits is replaced by REDACTED. Shorter runs are
   kept: postcodes (5 digits), years, "36 46", hours stay readable; so do e-mail
   addresses, ISO dates and times (appointment slots, log timestamps) and IPv4 addresses.
2. A text that is only a number (after trimming) with a secret length (this includes the
   4-digit code provisoire) is replaced whole; so is a number of a secret length right after
   the word "code" or "mot de passe" ("code provisoire 4826"; never "code postal").
3. Context: a user message that answers a form question asking a secret (requested_slot
   in SECRET_SLOTS) is replaced whole, whatever it looks like ("mon code c'est 4821").
4. Values of SECRET_SLOTS and of SECRET_ENTITIES are replaced whole.
5. Log lines (redact_log_text) also get: quoted bare numbers ('4821'), "simu_login_code":
   "..." pairs, Rasa's "Current slot values:" dump lines of those slots, event reprs
   ("SlotSet(key: simu_login_code, value: ...)") and "text: 4826," fields.
"""
from __future__ import annotations

import copy
import re
from typing import Any, Dict, Iterable, Optional

from actions.sandbox import policy

REDACTED = "[masqué]"

# Slots whose value is a code or a NIR (domain.yml, forms of actions/simulation/),
# plus the bank and carte Vitale numbers asked by the same form.
SECRET_SLOTS = frozenset(
    {
        "simu_nir",
        "simu_login_nir",
        "simu_code_perso",
        "simu_login_code",
        "simu_code_securite",
        "simu_rib",
        "simu_vitale",
    }
)
# Slots the exercises read again in a later turn: the NIR (validate_simu_naissance,
# validate_simu_login_code) and the security code typed before the « ordinateur personnel »
# box (validate_simu_ordi_perso, then emptied): the tracker store encrypts them instead of blanking.
REVERSIBLE_SLOTS = frozenset({"simu_nir", "simu_login_nir", "simu_code_securite"})
# Entities of domain.yml that carry a code or a NIR.
SECRET_ENTITIES = frozenset({"nir", "code"})

MIN_RUN_DIGITS = policy.SECURITY_CODE_LENGTH
NIR_LENGTHS = (13, 15)
SECRET_LENGTHS = frozenset(
    {policy.SECURITY_CODE_LENGTH, *policy.CODE_PROVISOIRE_LENGTHS, *NIR_LENGTHS}
    | set(range(policy.CODE_PERSONNEL_MIN_LENGTH, policy.CODE_PERSONNEL_MAX_LENGTH + 1))
)
_SEP = r"[ .\-\u00a0\u202f]"
# Digits, possibly Corsica letters (2A / 2B inside a NIR), with one separator between groups.
_UNIT = r"(?:2[ABab]|\d)"
_RUN_BODY = rf"(?<!\d){_UNIT}(?:{_SEP}?{_UNIT})*(?!\d)"
# Shapes that are never secrets and that the sandbox or the logs need intact: e-mail
# addresses (the sandbox reads simu_email again at the next turn), ISO dates and times
# (appointment slots "2030-01-07T09:00", log timestamps), IPv4 addresses.
_KEEP = (
    r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
    r"|(?<![\d.])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?![\d-])"
    r"|(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![.\d])"
)
_RUN = re.compile(rf"(?P<keep>{_KEEP})|(?P<run>{_RUN_BODY})")
_ONLY_NUMBER = re.compile(rf"^\s*[\d]+(?:{_SEP}+\d+)*\s*$")
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


# "code provisoire 4826", "mon code : 48 26", "mot de passe 4826": a short number right after
# the word code or mot de passe is a secret too (never "code postal 75001").
_CODE_CONTEXT = re.compile(
    r"(?i)(\b(?:codes?|mot de passe|mdp)\b(?!\s+postal)[^\d\n]{0,25}?)(\d(?:[ .\-]?\d){3,})(?!\d)"
)


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def looks_like_secret(text: Any) -> bool:
    """True when `text` is only a number with a secret length (4, 6, 8-13 or 15 digits)."""
    if not isinstance(text, str) or not _ONLY_NUMBER.match(text):
        return False
    return _digit_count(text) in SECRET_LENGTHS


def redact_text(text: Any) -> Any:
    """Blank every secret-looking number of `text` (rules 1 and 2); non-strings unchanged."""
    if not isinstance(text, str) or not text:
        return text
    if looks_like_secret(text):
        return REDACTED

    def _sub(match: "re.Match[str]") -> str:
        run = match.group(0)
        if match.group("keep") or _digit_count(run) < MIN_RUN_DIGITS:
            return run
        return REDACTED

    text = _CODE_CONTEXT.sub(
        lambda m: m.group(1) + REDACTED if _digit_count(m.group(2)) in SECRET_LENGTHS else m.group(0), text
    )
    return _RUN.sub(_sub, text)


def redact_log_text(text: str) -> str:
    """redact_text, plus quoted bare numbers ('4821') and secret slot/entity pairs of log lines."""
    if not text:
        return text
    text = _SLOT_PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}{m.group(2)}"
                          if m.group(3) not in ("", "None", "null") else m.group(0), text)
    text = _SLOT_LINE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _SLOT_REPR.sub(lambda m: m.group(1) + REDACTED if m.group(2).strip() != "None" else m.group(0), text)
    text = _FIELD_NUMBER.sub(
        lambda m: m.group(1) + REDACTED if _digit_count(m.group(2)) in SECRET_LENGTHS else m.group(0), text
    )
    text = _QUOTED.sub(
        lambda m: f"{m.group(1)}{REDACTED}{m.group(1)}" if looks_like_secret(m.group(2)) else m.group(0), text
    )
    return redact_text(text)


def asks_secret(requested_slot: Optional[str]) -> bool:
    """True when the form question being answered asks a code or a NIR (rule 3)."""
    return requested_slot in SECRET_SLOTS


def _redact_parse_data(parse_data: Dict[str, Any], whole: bool) -> None:
    if "text" in parse_data:
        parse_data["text"] = REDACTED if whole and parse_data["text"] else redact_text(parse_data["text"])
    for entity in parse_data.get("entities") or []:
        if not isinstance(entity, dict):
            continue
        if whole or entity.get("entity") in SECRET_ENTITIES:
            entity["value"] = REDACTED
        else:
            entity["value"] = redact_text(entity.get("value"))
        if "text" in entity:
            entity["text"] = REDACTED if whole else redact_text(entity["text"])


def redact_event(event: Dict[str, Any], requested_slot: Optional[str] = None,
                 encrypt: Optional[Any] = None) -> Dict[str, Any]:
    """A redacted deep copy of a serialised Rasa event (`Event.as_dict()`).

    requested_slot: the slot the form was asking when this event happened (rule 3).
    encrypt: callable str -> str used for REVERSIBLE_SLOTS values instead of blanking.
    """
    out = copy.deepcopy(event)
    kind = out.get("event")
    whole = asks_secret(requested_slot)
    if kind == "user":
        text = out.get("text")
        out["text"] = REDACTED if whole and text else redact_text(text)
        if isinstance(out.get("parse_data"), dict):
            _redact_parse_data(out["parse_data"], whole)
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


def redact_events(events: Iterable[Dict[str, Any]], requested_slot: Optional[str] = None,
                  encrypt: Optional[Any] = None) -> list:
    """Redact a sequence of serialised events, following requested_slot along the way.

    `requested_slot` is the value before the first event (from the stored history).
    """
    out = []
    current = requested_slot
    for event in events:
        out.append(redact_event(event, current, encrypt))
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
