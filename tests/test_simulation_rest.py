"""End to end over REST: the sandbox exercises with the real servers, on the session's shared bot
(tests/conftest.py: its sandbox database is temporary, and every mail lands in the spam folder, so
the learner must look there).

Log in as demo dossier 2 (the code is read in the simulated mailbox, in the chat), then
create the account of demo dossier 1 up to its activation.
"""

from __future__ import annotations

import json
import re

from tests.rest_client import buttons, click, new_user, say, texts


def test_login_as_demo_dossier_2_with_the_code_from_the_simulated_mailbox(bot):
    user = new_user("simu")
    replies = say(bot, user, "simuler une connexion")
    assert "simulation" in texts(replies) and "1 75 01 69 123 456 79" in texts(replies)
    assert all(len(re.findall(r"\w+", r.get("text", ""))) <= 60 for r in replies)  # short messages
    assert "ordinateur ou dans l'appli" in texts(replies)
    assert "numéro de sécurité sociale" in texts(say(bot, user, click(replies, "/depuis_ordinateur")))
    assert "mot de passe" in texts(say(bot, user, "1 75 01 69 123 456 79"))
    replies = say(bot, user, "24681357")
    assert "code de sécurité est nécessaire" in texts(replies) and "24681357" not in texts(replies)
    replies = say(bot, user, click(replies, "/affirmer"))  # « Recevoir un code de sécurité »
    assert "15 minutes" in texts(replies) and "ordinateur personnel" not in texts(replies)
    assert "boîte mail" in texts(replies) and "nouvel onglet" in texts(replies)
    replies = say(bot, user, click(replies, "/simuler_boite_mail"))
    assert "Spam : 1 mail" in texts(replies), texts(replies)
    replies = say(bot, user, click(replies, "/simuler_lire_mail"))
    mail = texts(replies)
    assert "strictement personnel" in mail and "spams" in mail
    code = re.search(r"^(\d{6})$", mail, re.M).group(1)
    replies = say(bot, user, code)  # sheets 09 and « Connexion »: the code first, then the box
    assert "ordinateur personnel" in texts(replies) and "oui ou par non" not in texts(replies)
    assert code not in texts(replies)
    replies = say(bot, user, click(replies, "/nier"))
    assert "Vous êtes connecté" in texts(replies) and code not in texts(replies)
    assert "/simuler_rdv" in [b["payload"] for b in buttons(replies)]


def test_login_in_the_app_has_no_box_and_no_tabs(bot):
    """Sheet 08: « en prenant soin de laisser ouverte la fenêtre avec l'appli ameli », no box."""
    user = new_user("simu")
    replies = say(bot, user, "simuler une connexion")
    assert "silhouette" in texts(say(bot, user, click(replies, "/depuis_appli")))  # sheet 08's words
    assert "Se connecter" in texts(say(bot, user, "1 75 01 69 123 456 79"))
    say(bot, user, "24681357")
    replies = say(bot, user, "/affirmer")  # « Recevoir un code de sécurité »
    assert "gardant l'appli ameli ouverte" in texts(replies) and "onglet" not in texts(replies)
    replies = say(bot, user, click(replies, "/simuler_boite_mail"))
    mail = texts(say(bot, user, click(replies, "/simuler_lire_mail")))
    code = re.search(r"^(\d{6})$", mail, re.M).group(1)
    replies = say(bot, user, code)
    assert "Vous êtes connecté" in texts(replies) and "ordinateur personnel" not in texts(replies)


def test_first_login_with_the_code_provisoire_asks_to_accept_the_contacts_or_not(bot):
    """Sheet 1.1: 4-digit code provisoire, new password, terms, e-mail + phone, « Accepter ou non les contacts »."""
    user = new_user("simu")
    say(bot, user, "simuler une connexion")
    say(bot, user, "/depuis_ordinateur")
    say(bot, user, "1 55 05 99 350 012 58")
    assert "personnalisé" in texts(say(bot, user, "4826"))
    say(bot, user, "24680135")
    say(bot, user, "/affirmer")
    say(bot, user, "ahmed.benali@example.org")
    replies = say(bot, user, "06 98 76 54 32")
    assert "accepter ou non les contacts" in texts(replies)
    replies = say(bot, user, click(replies, "/nier"))
    assert "Votre compte est créé" in texts(replies)


def test_create_the_account_of_demo_dossier_1_up_to_activation(bot):
    user = new_user("simu")
    assert "Marie" in texts(say(bot, user, "je veux m'entraîner à créer mon compte"))
    say(bot, user, "2 84 05 38 185 123 29")
    say(bot, user, "Durand")
    assert "reconnues" in texts(say(bot, user, "12/05/1984"))
    assert "ne correspondent pas" in texts(say(bot, user, "1234567"))  # a wrong RIB: why, and retry
    assert "carte Vitale" in texts(say(bot, user, "7890189"))
    assert "conditions" in texts(say(bot, user, "10234567891"))
    assert "adresse mail" in texts(say(bot, user, "/affirmer"))
    say(bot, user, "marie.durand@example.org")
    assert "code personnel" in texts(say(bot, user, "06 11 22 33 44"))
    replies = say(bot, user, "13572468")
    assert "Votre compte est créé" in texts(replies) and "13572468" not in texts(replies)
    replies = say(bot, user, click(replies, "/simuler_boite_mail"))
    replies = say(bot, user, click(replies, "/simuler_lire_mail"))
    assert "Activez votre compte ameli" in texts(replies)
    assert "activé" in texts(say(bot, user, click(replies, "/simuler_clic_lien")))


def test_a_question_in_the_middle_then_back_to_the_form_then_stop(bot):
    user = new_user("simu")
    say(bot, user, "je veux m'entraîner à créer mon compte")
    replies = say(bot, user, "/carte_vitale")  # a question while the social security number is asked
    assert "15 chiffres" in texts(replies)  # help on the field asked…
    assert "Saisissez le numéro de sécurité sociale" in texts(replies)  # …then the same question
    assert "arrêté" in texts(say(bot, user, "annuler"))


def test_forced_slot_does_not_log_in(bot):
    user = new_user("simu")
    replies = say(bot, user, '/simuler_rdv{"simu_connecte": true, "simu_etape": "connecte"}')
    assert "connecter" in texts(replies)
    replies = say(bot, user, '/simuler_mes_rdv{"rdv_id": "1"}')
    assert "Connectez-vous" in texts(replies)


def test_personal_computer_skips_the_code_until_another_browser(bot):
    user, device = new_user("simu"), {"device_id": new_user("pc")}

    def login(expect_code: bool) -> list[dict]:
        say(bot, user, "simuler une connexion", device)
        say(bot, user, "/depuis_ordinateur", device)
        say(bot, user, "1 75 01 69 123 456 79", device)
        replies = say(bot, user, "24681357", device)
        assert ("code de sécurité est nécessaire" in texts(replies)) is expect_code, texts(replies)
        return replies

    login(expect_code=True)
    say(bot, user, "/affirmer", device)  # « Recevoir un code de sécurité »
    replies = say(bot, user, "/simuler_boite_mail", device)
    mail = texts(say(bot, user, click(replies, "/simuler_lire_mail"), device))
    code = re.search(r"^(\d{6})$", mail, re.M).group(1)
    say(bot, user, code, device)  # the code, then
    assert "6 mois" in texts(say(bot, user, "/affirmer", device))  # tick « ordinateur personnel »
    assert "déconnecté" in texts(say(bot, user, "me déconnecter", device))
    assert "reconnu" in texts(login(expect_code=False))  # same browser: no code
    assert "autre navigateur" in texts(say(bot, user, "changer de navigateur", device))
    login(expect_code=True)  # another browser asks for the code again
    say(bot, user, "annuler", device)


# ------------------------------------------------------------------ a workshop room (issue 14)


def test_thirty_learners_create_dossier_1_at_once_each_in_their_own_world(rest_bot):
    from actions.sandbox import Sandbox
    from tests.workshop_flows import create_marie, room

    finished = room(rest_bot.url, 30, create_marie)
    assert all("activé" in words for words in finished.values()), [w for w in finished.values() if "activé" not in w]
    sandbox = Sandbox(rest_bot.sandbox_url)
    try:
        for user in finished:
            assert [d.account for d in sandbox.list_dossiers(user).data["dossiers"]][:2] == ["active", "active"]
            mails = sandbox.list_mails(user, "inbox").data["mails"] + sandbox.list_mails(user, "spam").data["mails"]
            assert [m.subject for m in mails] == ["Activez votre compte ameli"], mails  # their own mail only
    finally:
        sandbox.close()


def test_ten_learners_log_into_dossier_2_at_once_each_reading_their_own_code(rest_bot):
    from actions.sandbox import Sandbox
    from tests.workshop_flows import login_jean, room

    finished = room(rest_bot.url, 10, login_jean)
    assert all("Vous êtes connecté" in words for words in finished.values()), list(finished.values())
    sandbox = Sandbox(rest_bot.sandbox_url)
    try:
        for user in finished:
            assert len(sandbox.list_mails(user, "spam").data["mails"]) == 1  # one code, theirs
    finally:
        sandbox.close()


def test_a_learner_cannot_reach_another_world_by_forging_a_payload(bot):
    alice, bob = new_user("simu"), new_user("simu")
    say(bot, alice, "je veux m'entraîner à créer mon compte")
    for text in (
        "2 84 05 38 185 123 29",
        "Durand",
        "12/05/1984",
        "7890189",
        "10234567891",
        "/affirmer",
        "marie.durand@example.org",
        "06 11 22 33 44",
    ):
        say(bot, alice, text)
    replies = say(bot, alice, "13572468")
    replies = say(bot, alice, click(replies, "/simuler_boite_mail"))
    read = click(replies, "/simuler_lire_mail")
    mail_id = json.loads("{" + read.split("{", 1)[1])["mail_id"]
    link_mail = texts(say(bot, alice, read))
    link = re.search(r"https://\S+jeton=\S+", link_mail).group(0)
    # Bob forges Alice's mail id in the payloads, and pastes her link.
    assert "jeton=" not in texts(say(bot, bob, f'/simuler_lire_mail{{"mail_id": "{mail_id}"}}'))
    assert "activé" not in texts(say(bot, bob, f'/simuler_clic_lien{{"mail_id": "{mail_id}"}}'))
    assert "activé" not in texts(say(bot, bob, f"j'ai cliqué sur le lien {link}"))
    # Alice's link still works for Alice: Bob's attempts changed nothing in her world.
    assert "activé" in texts(say(bot, alice, f'/simuler_clic_lien{{"mail_id": "{mail_id}"}}'))
