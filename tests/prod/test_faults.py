"""Production mode (issue 7): two Rasa servers on one PostgreSQL tracker store and one Redis
lock store, action servers behind nginx. Each test asserts what the user sees and what the
tracker store holds (the `events` table: no event lost or duplicated)."""

from __future__ import annotations

import re
import threading
import time

from tests.prod.helpers import assert_events_consistent, events, query
from tests.rest_client import buttons, click, new_user, say, texts

JEAN_NIR, JEAN_CODE = "1 75 01 69 123 456 79", "24681357"
UNAVAILABLE = "momentanément indisponible"


def test_messages_alternating_between_the_two_rasa_servers_keep_the_conversation(prod_stack):
    first, second = prod_stack.rasa_urls[:2]
    user = new_user("alternate")
    replies = say(first, user, "simuler une connexion")
    assert "simulation" in texts(replies) and JEAN_NIR in texts(replies)
    say(second, user, click(replies, "/depuis_ordinateur"))
    # The form's state (which field is asked) was written by one server, read by the other.
    assert "mot de passe" in texts(say(first, user, JEAN_NIR))
    replies = say(second, user, JEAN_CODE)
    assert "code de sécurité est nécessaire" in texts(replies)
    replies = say(first, user, click(replies, "/affirmer"))  # « Recevoir un code de sécurité »
    assert "15 minutes" in texts(replies) and "boîte mail" in texts(replies)
    replies = say(second, user, click(replies, "/simuler_boite_mail"))
    mail = texts(say(first, user, click(replies, "/simuler_lire_mail")))
    code = re.search(r"^(\d{6})$", mail, re.M).group(1)
    # The code typed on one server waits (encrypted in the tracker store) for the box, answered on the other.
    assert "ordinateur personnel" in texts(say(second, user, code))
    assert "Vous êtes connecté" in texts(say(first, user, "/nier"))
    assert_events_consistent(events(prod_stack.postgres_dsn, user), messages_sent=9)


def test_two_messages_of_one_conversation_at_once_on_both_servers_are_both_kept(prod_stack):
    """The Redis lock store serialises them: both turns stored, none interleaved or lost."""
    first, second = prod_stack.rasa_urls[:2]
    user = new_user("together")
    say(first, user, "bonjour")
    rounds = 3  # the race this guards against (two servers taking one lock ticket) is a matter of ms

    def send(barrier: threading.Barrier, results: dict, url: str, message: str) -> None:
        barrier.wait()
        results[url] = say(url, user, message)

    for _ in range(rounds):
        results: dict = {}
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=send, args=(barrier, results, url, msg))
            for url, msg in ((first, "je n'ai pas reçu mon code"), (second, "comment prendre un rendez-vous"))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        assert all(results.get(url) for url in (first, second)), results
    assert_events_consistent(events(prod_stack.postgres_dsn, user), messages_sent=1 + 2 * rounds)


def test_a_rasa_server_killed_and_restarted_mid_conversation(prod_stack):
    first, second = prod_stack.rasa_urls[:2]
    name = prod_stack.rasa_names()[0]
    user = new_user("killed")
    assert JEAN_NIR in texts(say(first, user, "simuler une connexion"))
    say(first, user, "/depuis_ordinateur")
    prod_stack.kill_service(name)  # SIGKILL: no clean shutdown
    try:
        # Meanwhile the other server carries on, and nginx sends the traffic there.
        assert "mot de passe" in texts(say(second, user, JEAN_NIR))
        other = new_user("meanwhile")
        assert texts(say(prod_stack.nginx_url, other, "je n'ai pas reçu mon code"))
    finally:
        prod_stack.start_service(name)
    # Back up: the restarted server continues the conversation where it was.
    replies = say(first, user, JEAN_CODE)
    assert "code de sécurité est nécessaire" in texts(replies), texts(replies)
    assert_events_consistent(events(prod_stack.postgres_dsn, user), messages_sent=4)


def test_action_servers_down_the_user_gets_a_short_french_message_then_it_works_again(prod_stack):
    url = prod_stack.rasa_urls[0]
    user = new_user("actions-down")
    assert texts(say(url, user, "bonjour"))
    for name in prod_stack.action_names():
        prod_stack.stop_service(name)
    try:
        # « simuler une connexion » runs a custom action, then a form: with no action server the
        # user gets the message once, with the help options, and the bot listens (no loop).
        replies = say(url, user, "simuler une connexion")
        assert UNAVAILABLE in texts(replies), replies
        assert texts(replies).count(UNAVAILABLE) == 1
        assert "France Services" in texts(replies)
        assert "/france_services" in [b["payload"] for b in buttons(replies)]
        rows = events(prod_stack.postgres_dsn, user)
        assert rows[-1]["event"] == "action" and rows[-1]["action"] == "action_listen"
        assert not any(r["event"] == "active_loop" and r["data"].get("name") for r in rows)
        # Messages that need no custom action are still answered normally.
        assert UNAVAILABLE not in texts(say(url, user, "je n'ai pas reçu mon code"))
    finally:
        for name in prod_stack.action_names():
            prod_stack.start_service(name)
    time.sleep(2)  # nginx retries an upstream it marked failed after fail_timeout (2 s)
    replies = say(url, user, "simuler une connexion")
    assert UNAVAILABLE not in texts(replies) and JEAN_NIR in texts(replies), texts(replies)
    say(prod_stack.rasa_urls[-1], user, "/depuis_ordinateur")
    assert "mot de passe" in texts(say(prod_stack.rasa_urls[-1], user, JEAN_NIR))
    assert_events_consistent(events(prod_stack.postgres_dsn, user), messages_sent=6)


def test_one_action_server_down_is_invisible(prod_stack):
    url = prod_stack.rasa_urls[0]
    name = prod_stack.action_names()[0]
    prod_stack.stop_service(name)
    try:
        for _ in range(3):  # round robin would have hit the stopped one
            user = new_user("one-down")
            replies = say(url, user, "simuler une connexion")
            assert UNAVAILABLE not in texts(replies) and JEAN_NIR in texts(replies)
    finally:
        prod_stack.start_service(name)


def test_postgresql_restarted_the_servers_reconnect_and_nothing_is_lost(prod_stack, monkeypatch):
    from actions.sandbox import Sandbox

    first, second = prod_stack.rasa_urls[:2]
    user = new_user("pg-restart")
    assert JEAN_NIR in texts(say(first, user, "simuler une connexion"))
    say(second, user, "/depuis_ordinateur")
    assert "mot de passe" in texts(say(second, user, JEAN_NIR))
    env = prod_stack.env()
    monkeypatch.setenv("SANDBOX_SECRET_KEY", env["SANDBOX_SECRET_KEY"])
    sandbox = Sandbox(env["SANDBOX_DATABASE_URL"])
    try:
        assert sandbox.ensure_world(user).ok  # the learner's world, as its first sandbox call makes it
    finally:
        sandbox.close()
    world_accounts = (
        "SELECT a.id, a.email FROM sandbox_accounts a JOIN sandbox_worlds w ON a.world_id = w.id "
        "WHERE w.key = %s ORDER BY a.id"
    )
    accounts_before = query(prod_stack.sandbox_dsn, world_accounts, (user,))
    assert ("jean.martin@example.org",) in [(a[1],) for a in accounts_before]
    events_before = len(events(prod_stack.postgres_dsn, user))

    prod_stack.restart_service("postgres")

    # Both Rasa servers and the action servers reconnect: the conversation goes on where it was,
    # on either server; the sandbox still knows Jean's account (the code is checked against it).
    replies = say(first, user, JEAN_CODE)
    assert "code de sécurité est nécessaire" in texts(replies), texts(replies)
    replies = say(second, user, click(replies, "/affirmer"))
    assert "15 minutes" in texts(replies), texts(replies)
    other = new_user("pg-after")
    assert JEAN_NIR in texts(say(second, other, "simuler une connexion"))
    assert query(prod_stack.sandbox_dsn, world_accounts, (user,)) == accounts_before
    rows = events(prod_stack.postgres_dsn, user)
    assert len(rows) > events_before
    assert_events_consistent(rows, messages_sent=5)


def _marie_up_to_the_code(url: str, user: str, email: str) -> None:
    assert "Marie" in texts(say(url, user, "je veux m'entraîner à créer mon compte"))
    say(url, user, "2 84 05 38 185 123 29")
    say(url, user, "Durand")
    assert "reconnues" in texts(say(url, user, "12/05/1984"))
    assert "carte Vitale" in texts(say(url, user, "7890189"))
    assert "conditions" in texts(say(url, user, "10234567891"))
    assert "adresse mail" in texts(say(url, user, "/affirmer"))
    say(url, user, email)
    assert "code personnel" in texts(say(url, user, "06 11 22 33 44"))


def _ahmed_up_to_the_mobile(url: str, user: str, email: str) -> None:
    assert "simulation" in texts(say(url, user, "simuler une connexion"))
    say(url, user, "/depuis_ordinateur")
    say(url, user, "1 55 05 99 350 012 58")
    say(url, user, "4826")
    say(url, user, "24680135")
    say(url, user, "/affirmer")
    say(url, user, email)


def test_two_learners_create_accounts_with_the_same_email_at_once_on_two_servers(prod_stack):
    """Each conversation practises in its own sandbox world: both accounts are created, one in each."""
    first, second = prod_stack.rasa_urls[:2]
    email = f"meme.adresse.{new_user('x')[2:]}@example.org"
    marie, ahmed = new_user("race-marie"), new_user("race-ahmed")
    _marie_up_to_the_code(first, marie, email)
    _ahmed_up_to_the_mobile(second, ahmed, email)
    assert "contacts" in texts(say(second, ahmed, "06 98 76 54 32"))  # sheet 1.1: then « accepter ou non les contacts »

    results: dict = {}
    barrier = threading.Barrier(2)

    def send(key: str, url: str, user: str, message: str) -> None:
        barrier.wait()
        results[key] = texts(say(url, user, message))

    threads = [
        threading.Thread(target=send, args=("marie", first, marie, "13572468")),  # creates the account
        threading.Thread(target=send, args=("ahmed", second, ahmed, "/nier")),  # contacts: no; idem
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    created = [k for k, text in results.items() if "Votre compte est créé" in text]
    assert sorted(created) == ["ahmed", "marie"], results
    rows = query(
        prod_stack.sandbox_dsn,
        "SELECT a.world_id, w.key FROM sandbox_accounts a JOIN sandbox_worlds w "
        "ON a.world_id = w.id WHERE a.email = %s",
        (email,),
    )
    assert sorted(key for _, key in rows) == sorted([marie, ahmed])  # one account in each world
    assert_events_consistent(events(prod_stack.postgres_dsn, marie), messages_sent=10)
    assert_events_consistent(events(prod_stack.postgres_dsn, ahmed), messages_sent=9)


# ------------------------------------------------------------------ a workshop room on PostgreSQL (issue 14)


def test_thirty_learners_create_dossier_1_at_once_on_postgresql(prod_stack, monkeypatch):
    from actions.sandbox import Sandbox
    from tests.workshop_flows import create_marie, login_jean, room

    finished = room(prod_stack.nginx_url, 30, create_marie)
    assert all("activé" in words for words in finished.values()), [w for w in finished.values() if "activé" not in w]
    logged = room(prod_stack.nginx_url, 10, login_jean)
    assert all("Vous êtes connecté" in words for words in logged.values()), list(logged.values())
    env = prod_stack.env()
    monkeypatch.setenv("SANDBOX_SECRET_KEY", env["SANDBOX_SECRET_KEY"])  # the stack's key reads the mails
    sandbox = Sandbox(env["SANDBOX_DATABASE_URL"])
    try:
        for user in finished:
            assert [d.account for d in sandbox.list_dossiers(user).data["dossiers"]][:2] == ["active", "active"]
            mails = sandbox.list_mails(user, "inbox").data["mails"] + sandbox.list_mails(user, "spam").data["mails"]
            assert [m.subject for m in mails] == ["Activez votre compte ameli"]
        for user in logged:
            mails = sandbox.list_mails(user, "inbox").data["mails"] + sandbox.list_mails(user, "spam").data["mails"]
            assert len(mails) == 1
    finally:
        sandbox.close()
