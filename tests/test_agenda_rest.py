"""End to end over REST: « Mon agenda », typed the way people type, with the real servers.

Each path of issue 20: a reason in words, an unknown reason, slot preferences in words, a
preference at the confirmation, a preference outside the booking. Logged in as demo dossier 2
(the code read in the simulated mailbox), on the session's shared bot (tests/conftest.py: a
temporary sandbox with the real clock).
"""

from __future__ import annotations

import re

import pytest

from tests.rest_client import buttons, click, new_user, say, texts

JEAN_NIR, JEAN_CODE = "1 75 01 69 123 456 79", "24681357"
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")


def logged_in(bot: str) -> str:
    """A new learner logged in to the sandbox as Jean Martin (demo dossier 2)."""
    user = new_user("agenda")
    say(bot, user, "simuler une connexion")
    say(bot, user, "/depuis_ordinateur")
    say(bot, user, JEAN_NIR)
    say(bot, user, JEAN_CODE)
    replies = say(bot, user, "/affirmer")
    replies = say(bot, user, click(replies, "/simuler_boite_mail"))
    mail = texts(say(bot, user, click(replies, "/simuler_lire_mail")))
    say(bot, user, re.search(r"^(\d{6})$", mail, re.M).group(1))
    assert "Vous êtes connecté" in texts(say(bot, user, "/nier"))
    return user


def slot_titles(replies: list[dict]) -> list[str]:
    return [b["title"] for b in buttons(replies) if '"creneau"' in b["payload"]]


def short(replies: list[dict]) -> bool:
    return all(len(re.findall(r"\w+", r.get("text", ""))) <= 60 for r in replies)


def test_reason_in_words_then_slots_over_several_days(bot):
    user = logged_in(bot)
    replies = say(bot, user, "prendre un rdv (exercice)")
    assert "motif" in texts(replies)
    replies = say(bot, user, "pour un problème de remboursement")
    said = texts(replies)
    assert "connect" not in said.lower() and "délai" not in said, said
    titles = slot_titles(replies)
    assert 4 <= len(titles) <= 8 and len({t.split(",")[0] for t in titles}) >= 3, titles
    assert short(replies) and "jeudi" in said  # the preference words are suggested


def test_unknown_reason_says_which_reasons_exist(bot):
    user = logged_in(bot)
    say(bot, user, "/simuler_rdv")
    replies = say(bot, user, "c pour ma mutuelle")
    assert "reconnu le motif" in texts(replies) and "connect" not in texts(replies).lower()
    assert len([b for b in buttons(replies) if "motif_rdv" in b["payload"]]) == 5  # asked again, once
    replies = say(bot, user, "carte vital")
    assert slot_titles(replies), texts(replies)


@pytest.mark.parametrize(
    "typed, check",
    [
        ("vous avez pas plutôt jeudi ?", lambda t: t.startswith("jeudi")),
        ("plutot le matin", lambda t: int(t.split(", ")[1].split("h")[0]) < 12),
        ("apres 14h", lambda t: int(t.split(", ")[1].split("h")[0]) >= 14),
    ],
)
def test_slot_preferences_in_words(bot, typed, check):
    user = logged_in(bot)
    say(bot, user, "/simuler_rdv")
    say(bot, user, "arret de travail")
    replies = say(bot, user, typed)
    said, titles = texts(replies), slot_titles(replies)
    assert "oui ou par non" not in said and titles and all(check(t) for t in titles), (said, titles)
    assert short(replies)


def test_next_week_then_a_preference_at_the_confirmation_then_booked(bot):
    user = logged_in(bot)
    say(bot, user, "/simuler_rdv")
    say(bot, user, "mon compte ameli")
    replies = say(bot, user, "la semaine prochaine")
    assert "la semaine prochaine" in texts(replies) and slot_titles(replies)
    replies = say(bot, user, click(replies, '/informer{"creneau"'))
    assert "Vous confirmez" in texts(replies)
    replies = say(bot, user, "vous avez pas plutôt jeudi ?")
    said, titles = texts(replies), slot_titles(replies)
    assert "oui ou par non" not in said and titles and all(t.startswith("jeudi") for t in titles), (said, titles)
    replies = say(bot, user, click(replies, '/informer{"creneau"'))
    assert "Vous confirmez" in texts(replies) and "jeudi" in texts(replies)
    replies = say(bot, user, "oui")
    assert "rendez-vous téléphonique est pris" in texts(replies) and "jeudi" in texts(replies)
    replies = say(bot, user, "vs avez pas plutot le matin ?")  # outside the booking now
    assert "prise de rendez-vous" in texts(replies) and "/simuler_rdv" in [b["payload"] for b in buttons(replies)]
