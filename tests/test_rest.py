"""End to end: the real servers, spoken to over Rasa's REST channel, as a client would."""

from __future__ import annotations

import pytest

from tests.rest_client import new_user, payloads, say, texts

# `bot`: the session's shared bot (tests/conftest.py)


def test_code_not_received_mentions_spams_and_15_minutes(bot):
    answer = texts(say(bot, new_user(), "je n'ai pas reçu mon code"))
    assert "Spam" in answer and "15 minutes" in answer


def test_follow_up_is_answered_for_the_topic(bot):
    user = new_user()
    say(bot, user, "je n'ai pas reçu mon code de sécurité")
    answer = texts(say(bot, user, "et depuis l'appli ?"))
    assert "laissez ouverte l'appli ameli" in answer and "onglet" not in answer
    answer = texts(say(bot, user, "et si je ne l'ai toujours pas ?"))
    assert "Contactez votre caisse" in answer or "contactez votre caisse" in answer


def test_connection_asks_computer_or_app_with_buttons(bot):
    replies = say(bot, new_user(), "comment me connecter à mon compte ameli")
    assert {"/depuis_ordinateur", "/depuis_appli"} <= set(payloads(replies))


def test_a_button_payload_gets_its_answer(bot):
    answer = texts(say(bot, new_user(), "/depuis_ordinateur"))
    assert "« Recevoir un code de sécurité »" in answer and "nouvel onglet" in answer


@pytest.mark.parametrize(
    "message, expected",
    [
        ("", "vide"),
        ("   ", "vide"),
        ("x" * 5000, "très long"),
        ("😀😀😀😀", "avec des mots"),
        ("<img src=x onerror=alert(1)>", "code informatique"),
    ],
    ids=["empty", "blank", "5000-chars", "emoji", "markup"],
)
def test_bad_input_gets_a_clear_french_answer(bot, message, expected):
    assert expected in texts(say(bot, new_user(), message))


def test_gibberish_gets_the_fallback_with_buttons(bot):
    replies = say(bot, new_user(), "zblorg kwarf plimp")
    assert {"/out_of_scope", "/forum"} & set(payloads(replies)), replies


def test_the_conversation_goes_on_after_bad_input(bot):
    user = new_user()
    say(bot, user, "😀😀😀")
    assert "Spam" in texts(say(bot, user, "je n'ai pas reçu mon code"))


def test_nearest_france_services_after_asking_the_place(bot):
    user = new_user()
    answer = texts(say(bot, user, "où est la France Services la plus proche ?"))
    assert "ville" in answer and "code postal" in answer
    answer = texts(say(bot, user, "38500"))
    # the list shipped in the repo: offices of Isère, with the list's date and sources
    assert "Les France Services les plus proches de Voiron (38500)" in answer
    assert "38" in answer and "liste officielle du 1er août 2024" in answer and "ANCT" in answer


def test_a_name_read_as_a_town_in_a_sandbox_form_is_not_the_place_of_a_later_search(bot):
    user = new_user()
    say(bot, user, "je veux m'entraîner à créer mon compte")
    say(bot, user, "2 84 05 38 185 123 29")
    # the name step, as if the NLU had read the name as a town (Rasa's forced-intent syntax)
    assert "naissance" in texts(say(bot, user, '/informer{"commune": "Grenoble"}'))
    assert "arrêté" in texts(say(bot, user, "annuler"))
    answer = texts(say(bot, user, "où est la France Services la plus proche ?"))
    assert "ville" in answer and "code postal" in answer  # the place is asked, not taken from the name
    assert "Grenoble" not in answer


def test_a_town_in_the_question_is_used_directly(bot):
    answer = texts(say(bot, new_user(), "une france services à Guise svp"))
    assert answer.index("France services Guise") < answer.index("Bohain")


# ------------------------------------------------------------------ the guided mode (issue 15)


@pytest.mark.parametrize("guide", ["creation", "ordinateur", "appli", "provisoire", "code_mail"])
def test_each_guided_path_to_its_end_with_je_bloque_at_every_step(bot, guide):
    from actions import guides

    g, user = guides.GUIDES[guide], new_user()
    replies = say(bot, user, f'/guide_moi{{"guide":"{guide}"}}')
    assert g.ready in texts(replies) and guides.step_text(g, 0) in texts(replies)
    for index, step in enumerate(g.steps):
        stuck = say(bot, user, "/je_bloque")
        assert step.stuck in texts(stuck) and guides.step_text(g, index) in texts(stuck)
        assert payloads(stuck) == ["/etape_faite", "/je_bloque", "/repeter", "/arreter"]
        replies = say(bot, user, "/etape_faite")
    assert g.done in texts(replies)
    assert "Aucun guide" not in texts(replies)
    # the guide is over: « C'est fait » offers the guides again
    assert guides.NO_GUIDE in texts(say(bot, user, "/etape_faite"))


def test_oui_to_the_offer_then_a_question_in_the_middle_then_back_then_leave(bot):
    from actions import guides

    g, user = guides.GUIDES["code_mail"], new_user()
    assert "Je vous guide pas à pas ?" in texts(say(bot, user, "je n'ai pas reçu mon code"))
    assert guides.step_text(g, 0) in texts(say(bot, user, "oui"))
    assert guides.step_text(g, 1) in texts(say(bot, user, "c'est fait"))
    # another question in the middle is answered…
    answer = texts(say(bot, user, "où trouver mon numéro de sécurité sociale ?"))
    assert "carte Vitale" in answer
    # …and the guide goes on where it was
    assert guides.step_text(g, 1) in texts(say(bot, user, "répétez s'il vous plaît"))
    assert guides.STOPPED in texts(say(bot, user, "annuler"))
    assert guides.NO_GUIDE in texts(say(bot, user, "/repeter"))


def test_besoin_d_aide_button_gives_the_help_options(bot):
    user = new_user()
    say(bot, user, "mon code est expiré")
    relance = say(bot, user, "ça ne marche toujours pas")
    assert "/besoin_aide" in payloads(relance)
    options = say(bot, user, "/besoin_aide")
    assert {"/france_services", "/prendre_rdv", "/forum", "/tutoriels"} <= set(payloads(options))
