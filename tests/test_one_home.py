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
