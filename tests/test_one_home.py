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
