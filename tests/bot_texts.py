"""Every text the bot can send, collected from the modules that hold the wording.

Used by the length test and the facts test. Walks:
- the responses of domain.yml (actions/answers.py and simulation_answers.py RESPONSES);
- every module-level string, list or dict of strings of actions/answers.py,
  actions/glossary.py, actions/simulation_answers.py and actions/sandbox_answers.py (texts the actions send),
  the form prompts and the exercise introductions;
- every step, problem and summary of the guided mode (actions/guides.py).
URLs (bare or inside a markdown link's parentheses) are not words: they are removed before counting.
"""

from __future__ import annotations

import re
from typing import Dict, Iterator, Tuple

URL = re.compile(r"\]\((https?://[^\s)]+)\)|https?://[^\s)>\]]+")
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)")


def without_urls(text: str) -> str:
    """The text a reader reads: markdown links become their label, bare URLs disappear."""
    text = MARKDOWN_LINK.sub(r"\1", text)
    return re.sub(r"https?://\S+", " ", text)


def words(text: str) -> int:
    """Words without URLs; « », :, -, •, numbering marks alone are not words."""
    return len([w for w in without_urls(text).split() if re.search(r"\w", w)])


def _strings(prefix: str, value) -> Iterator[Tuple[str, str]]:
    if isinstance(value, str):
        yield prefix, value
    elif isinstance(value, dict):
        if "text" in value and isinstance(value["text"], str):
            yield prefix, value["text"]
            return
        for key, item in value.items():
            yield from _strings(f"{prefix}[{key}]", item)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _strings(f"{prefix}[{i}]", item)


# Module-level names that are not messages (sources, URLs, labels of buttons, patterns).
NOT_MESSAGES = re.compile(
    r"^(_|[a-z])|URL$|_URL|BUTTON|LABELS|MARK|SUBJECT|SENDER|UNREADABLE|_LINE$|CANCEL$|MAIL_OPEN|"
    r"CLICK_LINK|PERSO$|MAP$|PROVISOIRE_LENGTHS|ACCOUNT_STATE|FOLDER_LABELS|^LOCATOR_MOBILE$|"
    r"MAIL_HEADER|INTENT_LABELS|^GUIDE_OFFERS$"
)


def bot_texts() -> Dict[str, str]:
    """{where: text} for every message the bot can send."""
    from actions import answers, glossary, sandbox_answers, simulation_answers

    found: Dict[str, str] = {}
    modules = [answers, simulation_answers, sandbox_answers, glossary]
    try:
        from actions import guides
    except ImportError:  # before the guided mode exists
        guides = None
    for module in modules:
        for name, value in vars(module).items():
            if NOT_MESSAGES.search(name) or callable(value) or isinstance(value, type):
                continue
            if name == "MESSAGES":
                for reason, text in value.items():
                    found[f"{module.__name__}.MESSAGES[{reason.name}]"] = text
                continue
            for where, text in _strings(f"{module.__name__}.{name}", value):
                if not isinstance(text, str) or not text.strip() or " " not in text.strip():
                    continue  # a button title of one word, a value
                found[where] = text
    # button titles are not messages
    found = {k: v for k, v in found.items() if "['title']" not in k and "[title]" not in k}
    for intro in ("intro_creation", "intro_connexion"):
        for index, text in enumerate(getattr(simulation_answers, intro)()):
            found[f"simulation_answers.{intro}()[{index}]"] = text
    if guides is not None:
        for where, text in guides.all_texts().items():
            found[f"guides.{where}"] = text
    return found
