"""The link catalogue is the one home of every URL and menu path the bot cites."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from actions import catalogue as cat
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parent.parent
SEEDS = SHARED / "seeds"
URL = re.compile(r"https?://[^\s)>\"']+")
MENU = re.compile(r"« [^»]+ / [^»]+ »")


def _bot_texts() -> list[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    texts = [v["text"] for variants in domain["responses"].values() for v in variants]
    from actions import answers

    texts += [v for k, v in vars(answers).items() if k.isupper() and isinstance(v, str)]
    texts += list(answers.INVALID_INPUT.values())
    return texts


def test_every_url_the_bot_cites_comes_from_the_catalogue():
    known = {e.value for e in cat.all_entries().values()}
    for text in _bot_texts():
        for url in URL.findall(text):
            url = url.rstrip(".,;")
            assert url in known or url.startswith(cat.FRANCE_SERVICES_MAP.value + "?"), url


def test_every_menu_path_the_bot_cites_comes_from_the_catalogue():
    known = {e.value for e in cat.all_entries().values()}
    found = {m for text in _bot_texts() for m in MENU.findall(text)}
    assert found, "the answers cite the « Mon agenda » and « Suivre mes démarches » menus"
    assert found <= known


def test_national_map_link_is_the_one_printed_on_the_sheets():
    # The sheets print z=5.550000000000001; the map reads it the same as 5.55.
    url = cat.france_services_map_url()
    assert url.startswith("https://anct-carto.github.io/france_services/?lat=46.413220&lng=1.219482&z=5.55")


def test_map_link_centred_on_a_point():
    assert cat.france_services_map_url(45.36, 5.59, 12) == (
        "https://anct-carto.github.io/france_services/?lat=45.360000&lng=5.590000&z=12"
    )


def test_catalogue_urls_and_menus_are_those_of_the_sheets():
    assert SEEDS.is_dir(), f"the sheets are needed: {SEEDS} (set SHARED_DIR)"
    sheets = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    sheets = re.sub(r"\s+", " ", sheets)
    for entry in (cat.FORUM, cat.TUTORIALS, cat.FRANCE_SERVICES_MAP, cat.MENU_AGENDA, cat.MENU_DELAYS):
        assert entry.value in sheets, entry
