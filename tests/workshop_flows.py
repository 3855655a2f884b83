"""A room of learners over REST (issue 14): each creates dossier 1's account or logs into dossier 2,
all at once, each in their own world. Shared by the SQLite (tests/) and PostgreSQL (tests/prod/) runs."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List

from tests.rest_client import click, new_user, say, texts

Say = Callable[[str, str, str], List[dict]]


def rest_say(bot: str, sender: str, message: str) -> List[dict]:
    """`say` with room for a whole room of learners typing at once on a busy machine."""
    return say(bot, sender, message, timeout=300)


def create_marie(bot: str, user: str, say: Say = rest_say) -> str:
    """Sheet 07 for Marie Durand, up to clicking the validation link; the bot's last words."""
    say(bot, user, "je veux m'entraîner à créer mon compte")
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
        say(bot, user, text)
    replies = say(bot, user, "13572468")
    assert "Votre compte est créé" in texts(replies), texts(replies)
    replies = say(bot, user, click(replies, "/simuler_boite_mail"))
    replies = say(bot, user, click(replies, "/simuler_lire_mail"))
    return texts(say(bot, user, click(replies, "/simuler_clic_lien")))


def login_jean(bot: str, user: str, say: Say = rest_say) -> str:
    """Sheet 09 for Jean Martin, the code read from the learner's own simulated mailbox, typed,
    then the « ordinateur personnel » box left unticked (the sheet's order)."""
    say(bot, user, "simuler une connexion")
    say(bot, user, "/depuis_ordinateur")  # « Sur ordinateur »
    say(bot, user, "1 75 01 69 123 456 79")
    replies = say(bot, user, "24681357")
    assert "code de sécurité est nécessaire" in texts(replies), texts(replies)
    say(bot, user, "/affirmer")  # « Recevoir un code de sécurité »
    replies = say(bot, user, "/simuler_boite_mail")
    mail = texts(say(bot, user, click(replies, "/simuler_lire_mail")))
    code = re.search(r"^(\d{6})$", mail, re.M).group(1)
    replies = say(bot, user, code)
    assert "ordinateur personnel" in texts(replies), texts(replies)
    return texts(say(bot, user, "/nier"))  # not a personal computer


def room(bot: str, learners: int, flow: Callable[[str, str], str]) -> Dict[str, str]:
    """Run `flow` for that many new learners at once; {conversation id: the bot's last words}."""
    users = [new_user("learner") for _ in range(learners)]
    with ThreadPoolExecutor(max_workers=learners) as pool:
        results = list(pool.map(lambda user: flow(bot, user), users))
    return dict(zip(users, results))
