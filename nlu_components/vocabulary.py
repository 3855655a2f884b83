"""The words people stumble on, and how they ask what a word means: a pure module, no Rasa import.

One home for the glossary's *terms* (their keys and the spellings people use, typos and SMS
spelling included) and for the wording of « what is X? » / « where do I find X? » questions.
Three layers read it: the GlossaryGuard (nlu_components/glossary_guard.py) turns such a question
into the intent `definir`; `action_definir` (actions/glossary_actions.py) finds the term again and
says its definition (actions/glossary.py, the French texts); the no-repeat generator
(server_ext/nlg.py) answers a term asked about inside a repeated topic.

    >>> find_term("c quoi un rib ??")
    'rib'
    >>> find_term("je trouve pas le numero de serie de ma carte vital")
    'numero_serie'
    >>> find_term("c'est quoi un navigateur ?")
    'navigateur'
    >>> asks_definition("c'est quoi un navigateur ?")
    True
    >>> find_term("bonjour")
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple


@dataclass(frozen=True)
class Term:
    """A glossary term: its key, the spellings that name it, and how it may be asked about.

    findable: « je trouve pas X » asks where X is (a number on a card, a document), so it is a
    glossary question; « je trouve pas le code » is not (it is « code non reçu »).
    alone: the word typed on its own (« rib ») asks what it is; « carte vitale » on its own is a
    topic of its own (utter_carte_vitale), so it is not `alone`; nor is « l'appli », an answer to
    « ordinateur ou appli ? ».
    guarded: the GlossaryGuard may turn a question about it into `definir`. Not for the words a
    topic already answers (« c'est quoi les spams » is `verifier_spams`, « où est mon numéro de
    sécu » `numero_secu`), nor for personal data (« c'est quoi mon mot de passe » is a lost
    password, not a definition): DIET reads those, from their examples.
    """

    key: str
    aliases: Tuple[str, ...]
    findable: bool = False
    alone: bool = False
    guarded: bool = True


TERMS: Tuple[Term, ...] = (
    Term("rib", ("rib", "releve d identite bancaire", "relevé d'identité bancaire", "rip"), findable=True, alone=True),
    Term("iban", ("iban", "numero iban", "code iban"), findable=True, alone=True),
    Term(
        "nir",
        (
            "numero de securite sociale",
            "numero de secu",
            "numero secu",
            "num secu",
            "n de secu",
            "no de secu",
            "n secu",
            "numero de securite social",
            "numero sociale",
            "nir",
            "numero d assure",
            "numero d assure social",
            "securite sociale",
        ),
        findable=True,
        alone=True,
        guarded=False,
    ),
    Term(
        "numero_serie",
        (
            "numero de serie",
            "num de serie",
            "n de serie",
            "numero de serie de la carte vitale",
            "numero de la carte vitale",
            "numero carte vitale",
            "serie",
        ),
        findable=True,
        alone=True,
    ),
    Term("carte_vitale", ("carte vitale", "carte vital", "vitale"), guarded=False),
    Term("attestation", ("attestation de droits", "attestation de droit", "attestation"), findable=True, alone=True),
    Term(
        "mot_de_passe",
        ("mot de passe", "mdp", "code personnel", "code perso", "mot de pass", "password", "code secret"),
        guarded=False,
    ),
    Term(
        "code_securite",
        (
            "code de securite",
            "code securite",
            "code de verification",
            "code a 6 chiffres",
            "code a six chiffres",
            "code de confirmation",
        ),
    ),
    Term("code_provisoire", ("code provisoire", "code provisoir", "code temporaire"), guarded=False),
    Term(
        "spams",
        (
            "spams",
            "spam",
            "courrier indesirable",
            "courriers indesirables",
            "indesirables",
            "indesirable",
            "pourriel",
            "pourriels",
            "courrier indesirables",
            "junk mail",
            "junk",
        ),
        findable=True,
        alone=True,
        guarded=False,
    ),
    Term("navigateur", ("navigateur", "navigateur internet", "navigateur web", "browser")),
    Term("onglet", ("onglet", "onglets", "nouvel onglet"), alone=True),
    Term(
        "lien",
        ("lien", "liens", "lien de validation", "lien d activation", "mail de validation"),
        alone=True,
        guarded=False,
    ),
    Term(
        "email",
        (
            "adresse mail",
            "adresse e mail",
            "adresse email",
            "e mail",
            "email",
            "mail",
            "courriel",
            "adresse electronique",
            "boite mail",
            "boite aux lettres electronique",
            "messagerie",
        ),
    ),
    Term("appli", ("appli", "application", "appli ameli", "application ameli", "app")),
    Term(
        "france_services",
        (
            "france services",
            "france service",
            "maison france services",
            "maison france service",
            "espace france services",
        ),
    ),
    Term("cpam", ("cpam", "caisse primaire", "caisse d assurance maladie", "ma caisse", "la caisse")),
    Term("compte_ameli", ("compte ameli", "ameli", "espace ameli"), guarded=False),
    Term("cgu", ("cgu", "conditions generales", "conditions d utilisation", "conditions generales d utilisation")),
    Term("ordinateur_personnel", ("ordinateur personnel", "case ordinateur personnel", "ordi personnel")),
)
BY_KEY: Dict[str, Term] = {term.key: term for term in TERMS}

_WORD = re.compile(r"[a-z0-9]+")
# a word of at least this many letters may carry a typo (« navigatteur », « onglé »)
FUZZY_MIN_LENGTH = 5
FUZZY_RATIO = 0.8
# « c'est quoi X », « X ça veut dire quoi », « qu'est-ce qu'un X », « à quoi sert X », « kesako »
_DEFINITION = re.compile(
    r"\b(c ?est (?:quoi|koi|qoi)|c (?:quoi|koi)|s est (?:quoi|koi)|quoi (?:ce|cette)|c est quoi"
    r"|veu[tx]? dire(?: quoi)?|signifi\w*|qu ?est ?ce (?:que|qu)(?: c est)?|ce (?:que|qu) c est|k?esk?e? c est"
    r"|kesako|quesaco|definition(?: de| d)?|expliqu\w* (?:ce que|ce qu|le mot|ce mot)|comprends? pas (?:le mot|ce mot)"
    r"|a quoi (?:sert|servent|ca sert|sa sert)|(?:ca|sa) sert a quoi|sert a quoi|c est qui)\b"
)
# « je trouve pas X », « où trouver X », « X c'est où »
_FINDING = re.compile(
    r"\b((?:ne )?trouve (?:pas|plus|po)|trouv\w* ou|ou (?:trouver|est|sont|se trouve|je (?:trouve|vois))"
    r"|c est ou|(?:il|elle|est) est ou|est ou|(?:ne )?vois (?:pas|plus)|ou (?:ca|sa) se trouve|ou le trouver|ou la trouver|ou les trouver)\b"
)
# words that may stand between a term and the question: « c'est quoi un rib », « le rib, c'est quoi »
_FILLER = {
    "un",
    "une",
    "le",
    "la",
    "les",
    "l",
    "des",
    "du",
    "de",
    "d",
    "mon",
    "ma",
    "mes",
    "votre",
    "vos",
    "et",
    "euh",
    "hein",
    "alors",
    "donc",
    "ok",
    "ah",
    "bah",
    "ben",
    "quoi",
    "koi",
    "c",
    "ca",
    "sa",
    "s",
    "exactement",
    "au",
    "juste",
    "qu",
    "il",
    "elle",
    "ce",
    "cette",
    "cet",
    "son",
    "leur",
}


def normalise(text: Optional[str]) -> str:
    """Lower case, no accents, apostrophes and hyphens as spaces: « Qu'est-ce » -> « qu est ce »."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(plain))


def _alias_words() -> List[Tuple[Tuple[str, ...], str]]:
    out = [(tuple(normalise(alias).split()), term.key) for term in TERMS for alias in term.aliases]
    # longest first: « numero de serie de la carte vitale » wins over « carte vitale »
    return sorted(out, key=lambda item: -len(item[0]))


_ALIASES = _alias_words()


def _same(word: str, alias_word: str) -> bool:
    if word == alias_word:
        return True
    if len(alias_word) < FUZZY_MIN_LENGTH or len(word) < FUZZY_MIN_LENGTH - 1:
        return False
    matcher = difflib.SequenceMatcher(None, word, alias_word)
    # the cheap upper bounds first, as difflib.get_close_matches does
    return (
        matcher.real_quick_ratio() >= FUZZY_RATIO
        and matcher.quick_ratio() >= FUZZY_RATIO
        and matcher.ratio() >= FUZZY_RATIO
    )


_ALIAS_WORDS = frozenset(word for alias, _ in _ALIASES for word in alias)


@functools.lru_cache(maxsize=50_000)
def _matches(word: str) -> FrozenSet[str]:
    """The words of the glossary's names that `word` stands for (itself, or a near spelling).

    Computed once per word: every message is checked against every name, and comparing spellings
    (difflib) took about 8 % of a loaded Rasa server's CPU (make profile, issue 18)."""
    return frozenset(alias_word for alias_word in _ALIAS_WORDS if _same(word, alias_word))


@functools.lru_cache(maxsize=1024)
def _find_all_cached(words: Tuple[str, ...]) -> Tuple[Tuple[int, int, str], ...]:
    found: List[Tuple[int, int, str]] = []
    taken: set = set()
    matches = [_matches(word) for word in words]
    for alias, key in _ALIASES:
        size = len(alias)
        for start in range(len(words) - size + 1):
            if alias[0] not in matches[start]:
                continue
            span = set(range(start, start + size))
            if not span & taken and all(alias[i] in matches[start + i] for i in range(size)):
                found.append((start, size, key))
                taken |= span
    return tuple(found)


def _find_all(words: Sequence[str]) -> List[Tuple[int, int, str]]:
    """(start, length, key) of every term named in the words, longest names first, not overlapping."""
    return list(_find_all_cached(tuple(words)))


def _spans(pattern: re.Pattern, words: Sequence[str]) -> List[Tuple[int, int]]:
    """(first word, last word) of each match of the pattern in the words."""
    text = " ".join(words)
    return [(text[: m.start()].count(" "), text[: m.end()].count(" ")) for m in pattern.finditer(text)]


def _near(term: Tuple[int, int, str], spans: List[Tuple[int, int]], words: Sequence[str]) -> bool:
    """The question is right before or right after the term, with only small words between."""
    start, size, _ = term
    end = start + size - 1

    def only_fillers(first: int, last: int) -> bool:
        return first <= last + 1 and all(word in _FILLER for word in words[first : last + 1])

    return any(only_fillers(last + 1, start - 1) or only_fillers(end + 1, first - 1) for first, last in spans)


def find_term(text: Optional[str]) -> Optional[str]:
    """The key of the glossary term named in the text (the longest name wins), or None."""
    found = _find_all(normalise(text).split())
    return found[0][2] if found else None


def asks_definition(text: Optional[str]) -> bool:
    """« c'est quoi… », « … ça veut dire quoi », « qu'est-ce qu'un… », with SMS spellings."""
    return bool(_DEFINITION.search(normalise(text)))


def asks_where(text: Optional[str]) -> bool:
    """« je trouve pas… », « où trouver… », « … c'est où »."""
    return bool(_FINDING.search(normalise(text)))


def term_alone(text: Optional[str]) -> Optional[str]:
    """The term, when the message is nothing but a term (and small words): « rib ?? », « un navigateur »."""
    words = normalise(text).split()
    found = _find_all(words)
    if len(found) != 1:
        return None
    start, size, key = found[0]
    rest = words[:start] + words[start + size :]
    return key if all(word in _FILLER for word in rest) else None


def glossary_question(text: Optional[str]) -> Optional[str]:
    """The term a message asks about, when it is a question about a word; else None.

    « c quoi un rib ?? » -> 'rib'; « je trouve pas mon numéro de sécurité sociale » -> 'nir';
    « rib » -> 'rib'; « je trouve pas le code » -> None (a lost code is a topic, not a word);
    « carte vitale » alone -> None (a topic of its own).
    """
    words = normalise(text).split()
    found = _find_all(words)
    if not found:
        return None
    defining, finding = _spans(_DEFINITION, words), _spans(_FINDING, words)
    for term in found:
        key = term[2]
        if not BY_KEY[key].guarded:
            continue
        if _near(term, defining, words) or (BY_KEY[key].findable and _near(term, finding, words)):
            return key
    key = term_alone(text)
    return key if key is not None and BY_KEY[key].alone and BY_KEY[key].guarded else None
