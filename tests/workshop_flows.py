"""A room of learners over REST (issue 14): each creates dossier 1's account or logs into dossier 2,
all at once, each in their own world. Shared by the SQLite (tests/) and PostgreSQL (tests/prod/) runs."""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List

Say = Callable[[str, str, str], List[dict]]


def rest_say(bot: str, sender: str, message: str) -> List[dict]:
    request = urllib.request.Request(
        f"{bot}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        assert response.status == 200
        return json.loads(response.read())


def _texts(replies: List[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def _payload(replies: List[dict], starts_with: str) -> str:
    return next(b["payload"] for r in replies for b in r.get("buttons", []) if b["payload"].startswith(starts_with))


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
    assert "Votre compte est créé" in _texts(replies), _texts(replies)
    replies = say(bot, user, _payload(replies, "/simuler_boite_mail"))
    replies = say(bot, user, _payload(replies, "/simuler_lire_mail"))
    return _texts(say(bot, user, _payload(replies, "/simuler_clic_lien")))


def login_jean(bot: str, user: str, say: Say = rest_say) -> str:
    """Sheet 09 for Jean Martin, the code read from the learner's own simulated mailbox, typed,
    then the « ordinateur personnel » box left unticked (the sheet's order)."""
    say(bot, user, "simuler une connexion")
    say(bot, user, "/depuis_ordinateur")  # « Sur ordinateur »
    say(bot, user, "1 75 01 69 123 456 79")
    replies = say(bot, user, "24681357")
    assert "code de sécurité est nécessaire" in _texts(replies), _texts(replies)
    say(bot, user, "/affirmer")  # « Recevoir un code de sécurité »
    replies = say(bot, user, "/simuler_boite_mail")
    mail = _texts(say(bot, user, _payload(replies, "/simuler_lire_mail")))
    code = re.search(r"^(\d{6})$", mail, re.M).group(1)
    replies = say(bot, user, code)
    assert "ordinateur personnel" in _texts(replies), _texts(replies)
    return _texts(say(bot, user, "/nier"))  # not a personal computer


def room(bot: str, learners: int, flow: Callable[[str, str], str]) -> Dict[str, str]:
    """Run `flow` for that many new learners at once; {conversation id: the bot's last words}."""
    users = [f"learner-{uuid.uuid4().hex[:12]}" for _ in range(learners)]
    with ThreadPoolExecutor(max_workers=learners) as pool:
        results = list(pool.map(lambda user: flow(bot, user), users))
    return dict(zip(users, results))
