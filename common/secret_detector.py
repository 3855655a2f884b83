"""What a secret looks like in what a person types, and how to hide it. Pure Python, no Rasa import.

The one detector of the project. It serves:
- the warning: nlu_components/input_guard.py routes a message holding a secret to `informer`,
  and `action_informer` answers answers.SECRET_WARNING (no echo);
- the tracker store and the logs: common/redaction.py blanks with `redact`;
- the web widget: server_ext/channels.py sends back `mask(text)` for each message once it is
  answered, and the widget keeps and shows only that form (web/static/widget.js).

`find_secrets(text)` finds, with their kind:
- "nir": a social security number, 13 digits or 15 with the key, spaced, dotted, dashed or
  compact, Corsica 2A / 2B (first digit 1, 2, 3, 4, 7 or 8): common/formats.py `looks_like_nir`,
  wider than the NIR_PATTERN the exercises read (each NIR they read is found here);
- "password": the word after « mot de passe », « mdp », « password »… when it looks like a
  password (a digit, a sign, mixed case), or after « : », « = », « est », « c'est » unless it is an
  ordinary word (« mon mot de passe est bloqué » is not a secret);
- "code": a number of 4 or 6+ digits after « code », « code personnel », « mdp », « pin »…
  (« code 123456 », « code provisoire 48 26 »; never « code postal 75001 »);
- "iban": an IBAN (FR76 3000 …), or what follows « iban » / « rib »;
- "number": any other run of 6 digits or more (spaces, dots, dashes between them allowed):
  a security code, a code personnel, a card number, a NIR with a typo;
- "email" (only with emails=True): an e-mail address.
Never secrets: French phone numbers (« 09 72 72 39 14 », « +33 6 … »), « 36 46 », postcodes,
dates (« 12/05/1984 », « 12.05.1984 », ISO), times, years, IP addresses, web addresses,
amounts and counts with their unit (« 1 250 000 € », « 100 000 caractères »).

`redact(text)` is wider, for what is written down (tracker store, logs): every span of
find_secrets, plus every run of 6 digits or more (phone numbers and dotted dates too), a text
that is only a number of a secret length (the 4-digit code provisoire), and a number of a
secret length right after « code » / « mot de passe ». The lengths are read from
common/formats.py (shared with the sandbox's rules), never repeated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from common import formats

REDACTED = "[masqué]"
BULLET = "\u2022"

KIND_NIR, KIND_PASSWORD, KIND_CODE, KIND_IBAN, KIND_NUMBER, KIND_EMAIL = (
    "nir",
    "password",
    "code",
    "iban",
    "number",
    "email",
)

MIN_RUN_DIGITS = formats.SECURITY_CODE_LENGTH
NIR_LENGTHS = formats.NIR_LENGTHS
SECRET_LENGTHS = frozenset(
    {formats.SECURITY_CODE_LENGTH, *formats.CODE_PROVISOIRE_LENGTHS, *NIR_LENGTHS}
    | set(range(formats.CODE_PERSONNEL_MIN_LENGTH, formats.CODE_PERSONNEL_MAX_LENGTH + 1))
)
# A labelled code: the shortest code provisoire, or a number long enough to be any other code.
_SHORTEST_CODE = min(formats.CODE_PROVISOIRE_LENGTHS)


@dataclass(frozen=True)
class Secret:
    """A secret found in a text: its kind and where its value is (the label stays readable)."""

    kind: str
    start: int
    end: int

    def value(self, text: str) -> str:
        return text[self.start : self.end]


# ---------------------------------------------------------------------------------- shapes
_SEP = r"[ .\-\u00a0\u202f]"
# Digits, possibly Corsica letters (2A / 2B inside a NIR), with one separator between groups.
_UNIT = rf"(?:{formats.NIR_CORSICA}|\d)"
_RUN = re.compile(rf"(?<!\d){_UNIT}(?:{_SEP}?{_UNIT})*(?!\d)")
_EMAIL = r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
_URL = r"(?:https?://|www\.)[^\s<>\"'«»]+"
_ISO_DATE = r"(?<![\d.])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d-])"
_IPV4 = r"(?<![.\d])\d{1,3}(?:\.\d{1,3}){3}(?![.\d])"
# In what a person types, « 24.68.13.57 » is a code written in pairs, not an address: only an
# address with a 3-digit part or a private / loopback first part is kept as one.
_IPV4_LIKELY = r"(?<![.\d])(?=[\d.]*\d{3}|(?:10|127|0)\.)\d{1,3}(?:\.\d{1,3}){3}(?![.\d])"
_DATE = r"(?<![\d.])(?:0?[1-9]|[12]\d|3[01])[ ./\-](?:0?[1-9]|1[0-2])[ ./\-](?:19|20)\d{2}(?![\d])"
_PHONE = rf"(?<![\d+])(?:(?:\+|00)33{_SEP}?(?:\(0\){_SEP}?)?|0)[1-9](?:{_SEP}?\d{{2}}){{4}}(?!\d)"
# An amount or a count written with thousands groups: « 100 000 caractères », « 1 250 000 € ».
_AMOUNT = (
    r"(?<![\d.])\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?\s*(?:€|euros?\b|eur\b|caract[eè]res\b|"
    r"habitants\b|personnes\b|km\b|m\b|kg\b)"
)
_IBAN = (
    r"(?<![A-Za-z0-9])(?:[A-Z]{2}|[Ff][Rr])\d{2}(?:[ \-]?[A-Za-z0-9]{4}){2,7}(?:[ \-]?[A-Za-z0-9]{1,3})?"
    r"(?![A-Za-z0-9])"
)
_IBAN_RE = re.compile(_IBAN)
# A year after a word that says so (« en 2024 », « depuis 2019 », « mars 2023 »): a bare « 2024 »
# could still be a code provisoire, so the word is required.
_YEAR = (
    r"(?i:\b(?:en|depuis|année|annee|avant|après|apres|fin|début|debut|janvier|février|fevrier|mars|avril|"
    r"mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\s+(?:19|20)\d\d(?!\d))"
)
# Never secrets, and kept intact by the wide rule of `redact` where noted in _KEEP_WIDE.
_NEVER = re.compile(
    "|".join(f"(?:{p})" for p in (_URL, _EMAIL, _ISO_DATE, _IPV4_LIKELY, _DATE, _PHONE, _AMOUNT, _YEAR))
)
# What `redact` leaves readable: e-mail addresses (the sandbox reads simu_email again), ISO
# dates and times (appointment slots, log timestamps), IPv4 addresses.
_KEEP_WIDE = re.compile("|".join(f"(?:{p})" for p in (_EMAIL, _ISO_DATE, _IPV4)))
_EMAIL_RE = re.compile(_EMAIL)

# ---------------------------------------------------------------------------------- labels
_APOS = r"['’`]"
# « mot de passe », typed as people type it: « mot de pass », « mot 2 passe », « mdp », « MDP »…
_PASSWORD_LABEL = r"mots?\s*(?:de|d|2)\s*pa(?:s{1,2}e?|ss?)s?|mdp|pass?words?|passwd|pwd|mot\s*de\s*passse"
_CODE_LABEL = r"codes?|pin|cod"
_IBAN_LABEL = r"iban|rib|bic"
# Words allowed between the label and the value: « code personnel : », « mdp actuel = ».
_QUALIFIER = (
    r"(?:\s+(?:actuel(?:le)?|ameli|perso(?:nnel)?|provisoire|secret|confidentiel|temporaire|habituel|"
    r"nouveau|ancien|pin|de\s+s[ée]curit[ée]|de\s+securite|d['’ ]?acc[eè]s|de\s+connexion|"
    r"d['’ ]?activation|de\s+validation|re[çc]u|du\s+mail|par\s+mail|sms|ameli))*"
)
# « : », « = », « est », « c'est », « c est », « était », « ->  »: an explicit value follows.
_ASSIGN = rf"(?:\s*(?:[:=]|->|=>)\s*|\s+(?:c{_APOS}?\s?est|est|etait|était|sera|serait|is)\s*(?::\s*)?)"
_QUOTE_OPEN = r"[«\"'“(\[]?\s*"
_LABELLED = re.compile(
    rf"(?i)(?<![\w])(?P<label>{_PASSWORD_LABEL}|{_CODE_LABEL}|{_IBAN_LABEL})(?![\w])"
    rf"(?!\s+(?:postal|postale|de\s+la\s+route|promo)\b)"
    rf"{_QUALIFIER}(?P<assign>{_ASSIGN}|\s+)(?:(?:mon|ma|le|la|un)\s+)?{_QUOTE_OPEN}"
    rf"(?P<value>(?:\d(?:{_SEP}?\d)*(?!\w))|[^\s«»\"“”()\[\]]+)"
)
_PASSWORD_LABEL_RE = re.compile(rf"(?i)^(?:{_PASSWORD_LABEL})$")
_IBAN_LABEL_RE = re.compile(rf"(?i)^(?:{_IBAN_LABEL})$")
_TRAILING = ".,;:!?»\"'”)]"
# Words that follow « mot de passe est » / « mdp : » and are not a password.
_NOT_A_PASSWORD = frozenset(
    """
pas plus jamais toujours encore trop tres très bien mal quoi quel quelle quels lequel laquelle
celui celle faux fausse bon bonne mauvais mauvaise incorrect incorrecte invalide valide correct
correcte juste nul vide introuvable inconnu inconnue different différent differente différente
refuse refusé refusée bloque bloqué bloquée perdu perdue oublie oublié oubliée expire expiré
expirée errone erroné erronée change changé changée modifie modifié modifiée long longue court
courte simple compliqué complique difficile facile le la les un une des mon ma mes ton ta son sa
votre vos notre ce cet cette ces qui que quand comment pourquoi ou où et mais donc car ni
je tu il elle on nous vous ils elles me te se moi toi lui leur y en ne n non oui ok okay
dans sur sous avec sans pour par chez vers depuis avant après apres du de d des au aux
demande demandé demandée requis requise necessaire nécessaire obligatoire sécurisé securise
securisé sécurise fort forte faible ici la-bas là-bas svp merci stp aide help reinitialise
réinitialisé réinitialiser changer modifier recevoir reçu recu envoye envoyé envoyée
""".split()
)
_WORD_CHARS = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ'’\-]+$")


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _strip_trailing(value: str) -> str:
    return value.rstrip(_TRAILING)


def _looks_like_password(value: str, assigned: bool) -> bool:
    """A word typed after « mot de passe »: a password, or an ordinary word?"""
    core = _strip_trailing(value).lstrip("«\"'“([")
    if len(core) < 4 or core.lower() in _NOT_A_PASSWORD:
        return False
    if any(ch.isdigit() for ch in core):
        return True
    if not _WORD_CHARS.match(core):  # a sign inside: « sol@il », « p4ss! » (digits caught above)
        return True
    if any(ch.isupper() for ch in core[1:]):  # « soLeil », « AZERTY »
        return True
    if not assigned:  # « mdp oublié », « mot de passe trop court »: no explicit value
        return False
    lowered = core.lower()
    # « mon mot de passe est bloqué / changé / fermé »: a participle, not a password.
    return not lowered.endswith(("é", "ée", "és", "ées", "er", "ir", "ment"))


def _labelled(text: str, taken: List[Tuple[int, int]]) -> List[Secret]:
    out = []
    for m in _LABELLED.finditer(text):
        label, value = m.group("label"), m.group("value")
        start, end = m.start("value"), m.start("value") + len(_strip_trailing(value) or value)
        if any(s < end and start < e for s, e in taken):
            continue
        assigned = m.group("assign").strip() != ""
        digits = _digits(value)
        is_number = digits and re.fullmatch(rf"\d(?:{_SEP}?\d)*", _strip_trailing(value))
        if _IBAN_LABEL_RE.match(label):
            # « mon iban FR76… », « rib : 30006 00001 … »: whatever follows, to the end of the IBAN.
            if digits >= 2:
                iban = _IBAN_RE.match(text, start)
                run_end = iban.end() if iban else end
                run = re.compile(r"[A-Za-z0-9]+(?:[ \-]?[A-Za-z0-9]*\d[A-Za-z0-9]*)*").match(text, start)
                out.append(Secret(KIND_IBAN, start, max(run_end, run.end() if run else end)))
            continue
        if is_number:
            if digits == _SHORTEST_CODE or digits >= MIN_RUN_DIGITS:
                out.append(Secret(KIND_CODE if not _PASSWORD_LABEL_RE.match(label) else KIND_PASSWORD, start, end))
            continue
        if _PASSWORD_LABEL_RE.match(label) and _looks_like_password(value, assigned):
            out.append(Secret(KIND_PASSWORD, m.start("value"), m.end("value")))
    return out


def _spans(pattern: "re.Pattern[str]", text: str) -> List[Tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def find_secrets(text: Any, emails: bool = False) -> List[Secret]:
    """Every secret of `text`, in order; [] for a non-string. emails: also e-mail addresses."""
    if not isinstance(text, str) or not text:
        return []
    never = _spans(_NEVER, text)
    found: List[Secret] = []
    for m in _IBAN_RE.finditer(text):
        if _digits(m.group(0)) >= 10 and not any(s <= m.start() < e for s, e in never):
            found.append(Secret(KIND_IBAN, m.start(), m.end()))
    found += _labelled(text, never + [(s.start, s.end) for s in found])
    taken = never + [(s.start, s.end) for s in found]
    for m in _RUN.finditer(text):
        run = m.group(0).rstrip(" .-\u00a0\u202f")
        start, end = m.start(), m.start() + len(run)
        if any(s < end and start < e for s, e in taken):
            continue
        if formats.looks_like_nir(run):
            found.append(Secret(KIND_NIR, start, end))
        elif _digits(run) >= MIN_RUN_DIGITS:
            found.append(Secret(KIND_NUMBER, start, end))
    if emails:
        found += [Secret(KIND_EMAIL, s, e) for s, e in _spans(_EMAIL_RE, text)]
    return sorted(found, key=lambda s: s.start)


def has_secret(text: Any, emails: bool = False) -> bool:
    return bool(find_secrets(text, emails))


# ---------------------------------------------------------------------------------- masking
def mask_value(value: str, kind: str) -> str:
    """Bullets for a secret's characters; separators stay, so the shape stays readable.

    A NIR keeps its first digit, its year and its key (« 2 84 •• •• ••• ••• 29 »), an IBAN its
    country (« FR•• •••• … »), an e-mail its first letter and its ending (« m•••@e••••.org »);
    anything else is bullets only.
    """
    chars = list(value)
    alnum = [i for i, ch in enumerate(chars) if ch.isalnum()]
    keep = set()
    if kind == KIND_NIR and len(alnum) >= 13:
        keep = set(alnum[:3]) | (set(alnum[-2:]) if len(alnum) == 15 else set())
    elif kind == KIND_IBAN:
        keep = set(i for i in alnum[:2] if chars[i].isalpha())
    elif kind == KIND_EMAIL:
        at = value.find("@")
        dot = value.rfind(".")
        keep = {0, at} | set(range(dot, len(value))) | ({at + 1} if at + 1 < dot else set())
        return "".join(ch if i in keep or ch == "." and i > at else BULLET for i, ch in enumerate(chars))
    return "".join(ch if (i in keep or not ch.isalnum()) else BULLET for i, ch in enumerate(chars))


def mask(text: Any, emails: bool = True) -> Any:
    """`text` with every secret turned into bullets (for the widget); non-strings unchanged."""
    if not isinstance(text, str):
        return text
    out, last = [], 0
    for secret in find_secrets(text, emails):
        if secret.start < last:
            continue
        out.append(text[last : secret.start])
        out.append(mask_value(secret.value(text), secret.kind))
        last = secret.end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------------------------- redaction
_ONLY_NUMBER = re.compile(rf"^\s*\d+(?:{_SEP}+\d+)*\s*$")
# « code provisoire 4826 », « mot de passe 48 26 »: a number of a secret length after the word
# code or mot de passe (never « code postal 75001 »).
_CODE_CONTEXT = re.compile(
    r"(?i)(\b(?:codes?|mot de passe|mdp)\b(?!\s+postal)[^\d\n]{0,25}?)(\d(?:[ .\-]?\d){3,})(?!\d)"
)
_WIDE = re.compile(rf"(?P<keep>{_KEEP_WIDE.pattern})|(?P<run>{_RUN.pattern})")


def looks_like_secret(text: Any) -> bool:
    """True when `text` is only a number with a secret length (4, 6, 8-13 or 15 digits)."""
    if not isinstance(text, str) or not _ONLY_NUMBER.match(text):
        return False
    return _digits(text) in SECRET_LENGTHS


def is_secret_number(value: Any, message: Optional[str] = None) -> bool:
    """A value that is only a number of a secret length and not a date, a phone number or an
    amount (« 4826 », « 24681357 »; not « 12 05 1984 », « 09 72 72 39 14 »), nor part of one
    in `message` (« 05 1984 » of « né le 12 05 1984 »)."""
    if not looks_like_secret(value) or _NEVER.fullmatch(value.strip()):
        return False
    if isinstance(message, str):
        at = message.find(value)
        if at >= 0 and any(s <= at and at + len(value) <= e for s, e in _spans(_NEVER, message)):
            return False
    return True


def redact(text: Any, emails: bool = False, replacement: str = REDACTED) -> Any:
    """`text` with every secret, and every number that could be one, replaced by `replacement`.

    Wider than find_secrets (what is written down may hide a phone number too): runs of 6
    digits or more, a text that is only a number of a secret length, a number of a secret length
    after « code » / « mot de passe ». emails: blank e-mail addresses too. Non-strings unchanged.
    """
    if not isinstance(text, str) or not text:
        return text
    if looks_like_secret(text):
        return replacement
    spans = [(s.start, s.end) for s in find_secrets(text, emails)]
    for m in _CODE_CONTEXT.finditer(text):
        if _digits(m.group(2)) in SECRET_LENGTHS:
            spans.append(m.span(2))
    for m in _WIDE.finditer(text):
        if m.group("run") and _digits(m.group(0)) >= MIN_RUN_DIGITS:
            spans.append(m.span())
    if not spans:
        return text
    spans.sort()
    merged: List[List[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)
