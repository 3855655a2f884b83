"""End to end over REST, one test per path of issue 20 (items 4 and 5): no computer, locked out
after too many codes, seeing one's reimbursements, a complaint, another language, thanks after
a failure. On the session's shared bot (`bot`, tests/conftest.py)."""

from __future__ import annotations

from actions import answers
from tests.rest_client import new_user, payloads, say, texts

APP_LOGIN = "saisissez votre numéro de sécurité sociale et votre mot de passe"


def test_no_computer_and_no_account_gets_who_can_help_with_the_nearest_office(bot):
    user = new_user()
    say(bot, user, "j'habite à Voiron")  # the place is known: the nearest office is added
    say(bot, user, "mais jai pas de compte")
    replies = say(bot, user, "jai pas d'ordinateur, juste mon téléphone")
    answer = texts(replies)
    assert APP_LOGIN not in answer
    assert "France Services" in answer and "proche" in answer and "accueil de votre CPAM" in answer
    assert "code provisoire à 4 chiffres" in answer and "appli ameli" in answer
    assert "Près de chez vous (Voiron (38500))" in answer
    assert "/france_services" in payloads(replies) and "/code_provisoire" in payloads(replies)
    # and from the app, in the middle of the creation: the same help, not the login
    user = new_user()
    say(bot, user, "comment créer mon compte ameli")
    answer = texts(say(bot, user, "je suis sur mon tel"))
    assert APP_LOGIN not in answer and "France Services" in answer


def test_locked_out_gets_the_limit_then_the_wait_then_no_appointment_from_the_account(bot):
    user = new_user()
    first = texts(say(bot, user, "j'ai demandé 6 codes ça marche plus"))
    assert "5 codes max par heure" in first and "15 minutes" in first and "36 46" in first
    second = texts(say(bot, user, "je dois attendre combien de temps ?"))
    assert second != first and "par heure" in second and "36 46" in second
    rdv = texts(say(bot, user, "je peux prendre un rendez vous avec un conseiller ?"))
    assert "36 46" in rdv and "France Services" in rdv
    assert "Mon agenda" not in rdv and "depuis votre compte" not in rdv


def test_an_adviser_asked_by_someone_who_cannot_log_in_is_not_sent_to_the_account(bot):
    user = new_user()
    say(bot, user, "jai pas recu le code")
    answer = texts(say(bot, user, "je voudrais parler a un conseiller"))
    assert "36 46" in answer and "France Services" in answer
    assert "Mon agenda" not in answer and "depuis votre compte" not in answer
    # nothing said about a blocked login: the appointment from the account is offered too
    answer = texts(say(bot, new_user(), "je voudrais parler a un conseiller"))
    assert "36 46" in answer and "Mon agenda" in answer


def test_voir_mes_remboursements_says_what_the_account_gives_and_how_to_get_one(bot):
    replies = say(bot, new_user(), "voir mes remboursements")
    answer = texts(replies)
    assert "remboursements" in answer and "compte ameli" in answer and "créer" in answer
    assert "délais" not in answer.lower()
    assert {"/creer_compte", "/se_connecter", "/sans_ordinateur"} <= set(payloads(replies))


def test_a_complaint_gets_an_apology_and_a_way_forward(bot):
    user = new_user()
    say(bot, user, "le code il arrive pas")
    replies = say(bot, user, "vous êtes pas très utile")
    answer = texts(replies)
    assert "désolé" in answer and "36 46" in answer and "Avec plaisir" not in answer
    assert {"/guide_moi", "/parler_conseiller", "/france_services"} <= set(payloads(replies))
    # « Guidez-moi » starts the guide of the topic under discussion
    from actions import guides

    assert guides.step_text(guides.GUIDES["code_mail"], 0) in texts(say(bot, user, "/guide_moi"))


def test_another_language_gets_je_ne_parle_que_francais(bot):
    for message in ("do you speak english?", "hablas español", "parlez-vous anglais ?"):
        replies = say(bot, new_user(), message)
        assert "Je ne parle que français" in texts(replies), message
        assert "/france_services" in payloads(replies)


def test_thanks_after_a_failure_is_not_avec_plaisir(bot):
    user = new_user()
    say(bot, user, "nul ce robot")
    answer = texts(say(bot, user, "ok merci quand même"))
    assert "Avec plaisir" not in answer and "désolé" in answer and "36 46" in answer
    # after an answer that helped, a thanks is still « Avec plaisir »
    user = new_user()
    say(bot, user, "je n'ai pas reçu mon code")
    assert "Avec plaisir" in texts(say(bot, user, "merci beaucoup"))
    # after a message not understood, too
    user = new_user()
    say(bot, user, "zblorg kwarf plimp")
    assert "Avec plaisir" not in texts(say(bot, user, "merci"))
    assert answers.THANKS_AFTER_FAILURE in texts(say(bot, new_user(), "merci tant pis"))
