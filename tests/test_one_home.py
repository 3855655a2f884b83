"""One home for each fact: a fact written twice must be the same fact, read from one place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions import answers
from actions.simulation.common import nir_from_text
from common.formats import NIR_PATTERN

ROOT = Path(__file__).resolve().parent.parent


def read_by_rasa(payload: str) -> tuple:
    """(intent, {entity: value}) as Rasa reads a button's payload (RegexMessageHandler)."""
    message = YAMLStoryReader.unpack_regex_message(Message(data={TEXT: payload}))
    return message.get(INTENT, {}).get("name"), {e["entity"]: e["value"] for e in message.get(ENTITIES) or []}


@pytest.mark.parametrize(
    "value",
    [
        "Saint-Denis (97400)",
        "L'Haÿ-les-Roses",
        'le "grand" {parc}',
        'x"}, "simu_code_securite": "123456',  # a value cannot add an entity
        "back\\slash",
    ],
)
def test_a_payload_gives_back_its_values_whatever_they_hold(value):
    payload = answers.payload("informer", commune=value)
    assert read_by_rasa(payload) == ("informer", {"commune": value})
    assert answers.button("Choisir", "informer", commune=value)["payload"] == payload


def test_a_payload_without_entities_is_the_intent_alone():
    assert answers.payload("affirmer") == "/affirmer" == answers.button("Oui", "affirmer")["payload"]
    assert read_by_rasa(answers.payload("informer", mail_id=12, motif_rdv="autre")) == (
        "informer",
        {"mail_id": "12", "motif_rdv": "autre"},
    )


def test_no_module_builds_a_payload_of_its_own():
    """Every `/intent{…}` of the code comes from answers.payload."""
    hand_made = re.compile(r"""["']/\w+\{""")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("actions", "server_ext", "common", "web")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hand_made.search(line)
    ]
    assert offenders == []


def test_the_nir_pattern_of_the_nlu_data_is_the_one_of_common_formats():
    data = yaml.safe_load((ROOT / "data" / "nlu" / "regex.yml").read_text(encoding="utf-8"))
    (nir,) = [entry for entry in data["nlu"] if entry.get("regex") == "nir"]
    assert nir["examples"].strip() == rf"- \b{NIR_PATTERN}\b"


@pytest.mark.parametrize(
    "text, nir",
    [
        ("c'est le 2 84 05 38 185 123 29 merci", "2 84 05 38 185 123 29"),
        ("284053818512329", "284053818512329"),
        ("mon numéro 1.75.01.2A.123.456.79", "1.75.01.2A.123.456.79"),
        ("je ne sais pas", "je ne sais pas"),
    ],
)
def test_the_exercises_find_a_nir_in_a_sentence_with_that_pattern(text, nir):
    assert nir_from_text(text) == nir


def test_blocking_work_is_offloaded_by_one_helper():
    """Only common/aio.py hands work to the default thread pool (server_ext/offload.py runs Rasa's
    NLU on threads of its own, a different thing)."""
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("actions", "server_ext", "common", "web", "nlu_components")
        for path in (ROOT / folder).rglob("*.py")
        if "run_in_executor" in path.read_text(encoding="utf-8") or "to_thread" in path.read_text(encoding="utf-8")
    ]
    assert sorted(offenders) == ["common/aio.py", "server_ext/offload.py"]


def test_a_sandbox_call_runs_off_the_event_loop_opening_included(monkeypatch):
    import asyncio
    import threading

    from actions.simulation import common

    threads = {}

    def opened():
        threads["open"] = threading.current_thread()
        return "the sandbox"

    monkeypatch.setattr(common, "get_sandbox", opened)

    def operation(box, value):
        threads["operation"] = threading.current_thread()
        return box, value

    async def main():
        threads["loop"] = threading.current_thread()
        return await common.call(operation, 42)

    assert asyncio.run(main()) == ("the sandbox", 42)
    assert threads["open"] is not threads["loop"] and threads["operation"] is not threads["loop"]

    async def failing():
        return await common.call(lambda box: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        asyncio.run(failing())


# --- Each French sentence in the answers modules, each link in the catalogue ----------------

RUNTIME = ("actions", "server_ext", "common", "web", "nlu_components", "rasa_sdk_plugins")
# The answers modules: the only homes of what the bot and its pages say.
ANSWERS = {
    "actions/answers.py",
    "actions/simulation_answers.py",
    "actions/sandbox_answers.py",
    "actions/web_answers.py",
    "actions/glossary.py",  # an answers module: the glossary's explanations
    "actions/guides.py",  # an answers module: the guided mode's steps, in the sheets' words
    "common/channel_answers.py",  # the channels' texts (server_ext does not import `actions`)
    "common/formats.py",  # how dates, times and durations are written (one helper for all)
}
# French that is not said by the bot, module by module, and why.
NOT_SAID = {
    "actions/facts.py": "the sheets' own words, each checked against its sheet (tests/test_facts.py)",
    "actions/sandbox/mailbox.py": "the simulated mails: the sandbox world's content, stored in its database",
    "actions/simulation/agenda_reading.py": "what people type to choose a slot",
    "nlu_components/vocabulary.py": "the words people type",
    "nlu_components/language_guard.py": "word lists that tell French from English",
    "nlu_components/glossary_guard.py": "what people type to ask a question",
    "common/secret_detector.py": "patterns of what people type",
}
# ... and module-level names (module, name) in other modules.
NOT_SAID_NAMES = {
    ("actions/simulation/common.py", "YES"): "what people type to say yes",
    ("actions/simulation/common.py", "NO"): "what people type to say no",
    ("actions/sandbox/policy.py", "APPOINTMENT_REASONS"): "the motifs of the simulated « Mon agenda » page",
    ("actions/locator/offices.py", "BOUNDING_BOXES"): "territories checked, never said",
    ("actions/sandbox/demo.py", "DEMO_PEOPLE"): "the fictitious dossiers, each with its case (the trainer's list)",
}
_FRENCH_WORD = re.compile(
    r"(?i)(?<![\w'-])(?:vous|votre|vos|je|j'|il|le|la|les|l'|un|une|des|du|de|d'|est|et|ou|pour|sur|avec|"
    r"dans|pas|ne|n'|ce|cette|au|aux|à|en|oui|non|mon|ma|mes|qui|que|qu'|c'est|sont|par)(?![\w-])"
)
_ACCENT = re.compile(r"[àâçéèêëîïôûùüÿœÀÂÇÉÈÊËÎÏÔÛÙÜŸŒ«»]")
_URL = re.compile(r"https?://[A-Za-z0-9]")
# Links that are not the catalogue's: local servers, and the simulation's own fake domain (.invalid).
_NOT_A_LINK = re.compile(r"https?://(localhost|127\.0\.0\.1)[:/]|https?://[\w.-]+\.invalid/")
_PATTERN_CALLS = {"compile", "search", "match", "fullmatch", "sub", "findall", "finditer", "split"}


def french(text: str) -> bool:
    """A sentence or a label in French: several words with a French one, or an accented word
    beside a space (« Téléphone : »). A code of one word (« Bus_équivalent », « lundi ») is not."""
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) >= 2 and (_ACCENT.search(text) or _FRENCH_WORD.search(text)):
        return " " in text.strip() or "'" in text
    return bool(_ACCENT.search(text)) and " " in text


def _strings(source: str):
    """(line, text, module-level name or None) of each string of a module, docstrings and regex
    patterns (arguments of re.compile, re.search…) left out."""
    import ast

    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in _PATTERN_CALLS:
            if isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", None) == "re":
                skipped.update(id(n) for arg in node.args[:1] for n in ast.walk(arg))
    names = {}
    for statement in tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
        value = getattr(statement, "value", None)
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                names.update({id(n): target.id for n in ast.walk(value)})
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in skipped:  # an f-string: its text, {} for values
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            skipped.update(id(v) for v in node.values)
            yield node.lineno, "".join(str(part) for part in parts), names.get(id(node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            yield node.lineno, node.value, names.get(id(node))


# Where a text is said whatever its words (even one word, « Annuler », « OK »): a button's title, a
# bot message's text, a message or a label of a JSON answer of the web pages or the channels.
_SAID_KEYS = {"title", "message", "erreur", "label", "folder_label", "status_label"}
_SAID_CALLS = {"utter_message", "send_text_message", "button"}


def _letters(node) -> bool:
    """A written string (or the written parts of an f-string) with a letter in it."""
    import ast

    if isinstance(node, ast.JoinedStr):
        return any(_letters(value) for value in node.values)
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(re.search(r"[^\W\d_]", node.value))


def _said_in_place(source: str):
    """(line, text) of each string written where the user reads it: a button title, a message text."""
    import ast

    for node in ast.walk(ast.parse(source)):
        written = []
        if isinstance(node, ast.Dict):
            written = [v for k, v in zip(node.keys, node.values) if getattr(k, "value", None) in _SAID_KEYS]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in _SAID_CALLS:
                written = [kw.value for kw in node.keywords if kw.arg in ("text", "title")] + node.args[:1]
        for value in written:
            if _letters(value):
                yield value.lineno, ast.unparse(value)


def wording_outside_its_home(path: Path, source: str):
    """What a runtime module writes that belongs to the answers modules or to the catalogue."""
    module = path.relative_to(ROOT).as_posix()
    if module not in ANSWERS and module != "actions/catalogue.py":
        for line, text in _said_in_place(source):
            yield f"Said {module}:{line}: {text[:60]}"
    for line, text, name in _strings(source):
        where = f"{module}:{line}: {text[:60]!r}"
        if _URL.search(text) and not _NOT_A_LINK.search(text) and module != "actions/catalogue.py":
            yield "link " + where
        elif (
            french(text)
            and module not in ANSWERS
            and module not in NOT_SAID
            and (module, name) not in NOT_SAID_NAMES
            and module != "actions/catalogue.py"  # the links' names, as the sheets write them
        ):
            yield "French " + where


def runtime_modules():
    return sorted(path for folder in RUNTIME for path in (ROOT / folder).rglob("*.py"))


def test_each_french_sentence_is_in_an_answers_module_and_each_link_in_the_catalogue():
    offenders = [
        found for path in runtime_modules() for found in wording_outside_its_home(path, path.read_text("utf-8"))
    ]
    assert offenders == []


def test_the_mail_folders_are_named_once_as_the_chat_names_them():
    """The web mailbox and the chat: the same folders, the same words (the sheets: « vos spams »)."""
    from actions import sandbox_answers
    from actions.sandbox import policy
    from web import server

    assert server.FOLDERS == policy.MAIL_FOLDERS and server.FOLDER_LABELS is sandbox_answers.FOLDER_LABELS
    assert set(sandbox_answers.FOLDER_LABELS) == set(policy.MAIL_FOLDERS)
    assert sandbox_answers.FOLDER_LABELS["spam"] == "Spam"


def test_the_widget_names_the_mail_folders_as_the_chat():
    """The tabs of index.html (static HTML, which cannot read Python) and the widget's tab titles
    (WIDGET_TEXTS, served as /static/texts.js) say sandbox_answers.FOLDER_LABELS, word for word."""
    from actions.sandbox_answers import FOLDER_LABELS
    from actions.web_answers import WIDGET_TEXTS

    page = (ROOT / "web" / "static" / "index.html").read_text(encoding="utf-8")
    tabs = dict(re.findall(r'class="mail-tab" data-folder="(\w+)"[^>]*>([^<]+)<', page))
    assert tabs == FOLDER_LABELS
    assert {folder: WIDGET_TEXTS["folder_" + folder] for folder in FOLDER_LABELS} == FOLDER_LABELS
    widget = (ROOT / "web" / "static" / "widget.js").read_text(encoding="utf-8")
    assert widget.count("say('folder_' + ") == 2
    assert FOLDER_LABELS["spam"] not in widget and FOLDER_LABELS["inbox"] not in widget  # no copy of a name


def test_the_guard_finds_a_sentence_or_a_link_written_elsewhere():
    """The guard can fail: a sentence, a button title or a link written in an action is found."""
    action = ROOT / "actions" / "feedback_actions.py"
    for written in (
        'THANKS = "Merci pour votre avis."',
        'dispatcher.utter_message(text="Votre compte est créé.")',
        'buttons = [button("Oui, je confirme", "affirmer")]',
        'lines.append(f"   Téléphone : {office.phone}")',
        'HELP = "https://anct-carto.github.io/france_services/"',
        # one word, no accent: found where it is said
        'buttons = [button("Annuler", "arreter")]',
        'buttons = [{"title": "Suivant", "payload": answers.payload("affirmer")}]',
        'dispatcher.utter_message(text="OK")',
        'dispatcher.utter_message(text=f"{text} Merci")',
        'return web.json_response({"ok": False, "message": "Introuvable"})',
    ):
        assert list(wording_outside_its_home(action, written)), written
    assert not list(wording_outside_its_home(action, 'THANKS = answers.FEEDBACK_THANKS\nre.compile(r"oui|non merci")'))
    assert not list(
        wording_outside_its_home(
            action,
            'dispatcher.utter_message(text=f"{text}\\n{txt.TOO_MANY_TRIES}", buttons=[button(txt.NEXT, "affirmer")])\n'
            'web.json_response({"ok": True, "message": "", "label": labels[folder]})',
        )
    )
    assert not list(wording_outside_its_home(ROOT / "actions" / "answers.py", 'THANKS = "Merci pour votre avis."'))
    for allowed in NOT_SAID:  # each exception is a module that exists
        assert (ROOT / allowed).is_file(), allowed
    assert all((ROOT / module).is_file() for module, _ in NOT_SAID_NAMES)


def test_the_sandbox_says_no_french_its_callers_do():
    """actions/sandbox returns reasons and raw values; only its command line (an adapter) reads the
    answers modules."""
    reading = [
        path.name
        for path in (ROOT / "actions" / "sandbox").glob("*.py")
        if re.search(
            r"^\s*(from|import) actions\.\w*answers|^\s*from actions import \w*answers", path.read_text("utf-8"), re.M
        )
    ]
    assert reading == ["__main__.py"]


# ---------------------------------------------------------------- the pages' scripts (web/static/*.js)
# Their words live in actions/web_answers.WIDGET_TEXTS (served as /static/texts.js): a string
# literal of a script with French in it is a text written where it is said.
JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\])//[^\n]*", re.S)
# A regex literal (after an operator or a bracket): its quotes and guillemets are not a string.
JS_REGEX = re.compile(r"(?<=[(,=:!&|?{};\[])(\s*)/(?![/*])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\[\n])+/[dgimsuy]*")
JS_STRING = re.compile(r"'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"|`(?:\\.|[^`\\])*`")
FRENCH_IN_JS = re.compile(
    r"[À-ÖØ-öø-ÿŒœ«»’…]"  # a French letter or mark
    r"|\b[cdjlmnstCDJLMNST]'[A-Za-z]"  # an elision: « l'assistant », « d'un »
    r"|\b(?:le|la|les|de|des|du|un|une|et|ou|au|aux|ce|cette|ne|pas|votre|vos|vous|est|pour|avec|dans|sur"
    r"|nouvel|nouvelle|nouveau|oui|non|merci)\b"
    r"|^[A-Z][a-z]+(?:[ .?!:]*$| [a-z])"  # a capitalised word or phrase: « Spam », « Avancer »
)
# Literals a script keeps, each with its reason.
JS_ALLOWED = {
    "'Content-Type'": "an HTTP header's name",
    "'X-Cle-Animateur'": "the header of the trainer's secret (web/workshops.TRAINER_HEADER)",
    "'Escape'": "a key's name (KeyboardEvent.key)",
    "'Enter'": "a key's name (KeyboardEvent.key)",
    "'—'": "the mark of an empty cell of the trainer's table, not a word",
}


def js_string_literals(source: str):
    """(line, literal) for each string literal of a script, comments and regex literals left out."""
    code = JS_REGEX.sub(
        lambda m: m.group(1) + "/regex/", JS_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), source)
    )
    for match in JS_STRING.finditer(code):
        yield code.count("\n", 0, match.start()) + 1, match.group()


def french_js_literals(source: str):
    for line, literal in js_string_literals(source):
        if literal not in JS_ALLOWED and FRENCH_IN_JS.search(literal[1:-1]):
            yield f"{line}: {literal}"


def test_the_scripts_of_the_pages_write_no_french_of_their_own():
    offenders = [
        f"web/static/{path.name}:{found}"
        for path in sorted((ROOT / "web" / "static").glob("*.js"))
        for found in french_js_literals(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_js_guard_finds_a_text_written_in_a_script():
    for written in (
        "status('Le serveur ne répond pas.');",
        'error.textContent = "Indiquez un prénom.";',
        "t.textContent = folder === 'spam' ? 'Spam' : 'Inbox';",
        "button.textContent = 'Avancer';",
        "addNotice(`Nouvelle conversation ${n}`);",
        "row.setAttribute('aria-label', 'Votre avis');",
        "node('span', 'visually-hidden', \"L'assistant : \");",
        "a.appendChild(node('span', 'visually-hidden', ' (nouvel onglet)'));",
    ):
        assert list(french_js_literals(written)), written
    for kept in (
        "// « Fermer et effacer » erases the keys\nvar a = 'amelibot.atelier.';",
        "var URL = /https?:\\/\\/[^\\s<>\"'«»]+/g; node('div', 'msg msg--user');",
        "fetch('/api/atelier', { headers: { 'Content-Type': 'application/json' } });",
        "say('workshop_title', { name: data.name });",
    ):
        assert not list(french_js_literals(kept)), kept
    for literal in JS_ALLOWED:  # each exception is still in a script
        assert any(
            literal in (lit for _, lit in js_string_literals(path.read_text(encoding="utf-8")))
            for path in (ROOT / "web" / "static").glob("*.js")
        ), literal


def test_each_text_a_script_asks_for_exists_and_each_text_is_asked_for():
    from actions.web_answers import WIDGET_TEXTS

    scripts = "\n".join(
        JS_COMMENT.sub("", path.read_text(encoding="utf-8")) for path in (ROOT / "web" / "static").glob("*.js")
    )
    asked = set(re.findall(r"\bsay\('(\w+)'(?! \+)", scripts))
    asked |= {
        key for key in WIDGET_TEXTS for prefix in re.findall(r"\bsay\('(\w+_)' \+", scripts) if key.startswith(prefix)
    }
    assert asked <= set(WIDGET_TEXTS), asked - set(WIDGET_TEXTS)
    assert set(WIDGET_TEXTS) <= asked, set(WIDGET_TEXTS) - asked
