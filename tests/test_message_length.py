"""Short messages (issue 15): no bot message over 60 words, median at most 35, URLs not counted.

Computed over every response of domain.yml and every text an action can send (tests/bot_texts.py
walks actions/answers.py, simulation_answers.py, sandbox_answers.py and actions/guides.py).
Run with -s to see the figures.
"""

from __future__ import annotations

import statistics

import yaml

from tests.bot_texts import bot_texts, without_urls, words
from tests.test_answers import ROOT

MAX_WORDS = 60
MAX_MEDIAN = 35


def figures(counts):
    values = sorted(counts.values())
    return {
        "messages": len(values),
        "median": statistics.median(values),
        "max": values[-1],
        "over_60": sum(v > MAX_WORDS for v in values),
    }


def test_words_are_counted_without_urls():
    assert words("Ouvrez [la carte des France Services](https://anct-carto.github.io/france_services/?lat=1).") == 6
    assert words("Le forum : https://forum-assures.ameli.fr/") == 2
    assert "https" not in without_urls("voir https://pastel.cpam-isere.fr/ ici")


def test_no_message_over_60_words_and_a_median_of_35_at_most():
    counts = {where: words(text) for where, text in bot_texts().items()}
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    responses = {name: words(v["text"]) for name, variants in domain.items() for v in variants}
    every, only_responses = figures(counts), figures(responses)
    print(f"\nevery message the bot can send: {every}")
    print(f"responses of domain.yml: {only_responses}")
    too_long = {w: n for w, n in counts.items() if n > MAX_WORDS}
    assert not too_long, too_long
    # the exercise introductions are counted, one message per dossier (no exemption)
    assert any(w.startswith("simulation_answers.intro_connexion()[") for w in counts)
    assert every["median"] <= MAX_MEDIAN and only_responses["median"] <= MAX_MEDIAN
    assert only_responses["over_60"] == 0


def test_long_procedures_end_with_the_offer_of_the_guide():
    from actions import guides

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    for response, guide in guides.GUIDE_OFFERS.items():
        text = domain[response][0]["text"]
        assert text.rstrip().lower().endswith("je vous guide pas à pas ?"), response
        payloads = [b["payload"] for b in domain[response][0]["buttons"]]
        assert f'/guide_moi{{"guide":"{guide}"}}' in payloads, response


def test_help_is_one_button_not_five_links_under_every_answer():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    for name, variants in domain.items():
        for variant in variants:
            links = variant["text"].count("http")
            assert links <= 1, name
            assert "https://anct-carto.github.io/france_services/?" not in variant["text"].replace(
                "](https://anct-carto.github.io/france_services/?", ""
            ), f"{name}: the map must be link text, « la carte des France Services »"
    relances = [n for n in domain if n.endswith("_relance")]
    assert relances
    for name in relances:
        assert "/besoin_aide" in [b["payload"] for b in domain[name][0].get("buttons", [])], name
