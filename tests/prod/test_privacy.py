"""No code personnel, security code or full NIR in clear anywhere the system writes.

The sandbox flows are played over REST, then every place that stores or logs is scanned for
each secret typed (as typed, and digits only):
- the production stack (`prod_stack`): PostgreSQL tracker table `events`, every sandbox
  table (PostgreSQL), every log file of every service (default log level);
- a second bot at DEBUG level (`rasa run --debug`, `rasa run actions` with LOG_LEVEL=DEBUG),
  with the same redacting tracker store on SQLite: its tracker file, sandbox file and logs.
Each scan has a control: a value that must be found (so a scan that reads nothing fails).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterable, Iterator, List

from tests.prod.helpers import query
from tests.rest_client import click, free_port, new_user, say, texts
from tests.servers import BIN, RASA_SERVER, _wait

ROOT = Path(__file__).resolve().parents[2]

MARIE_NIR = "2 84 05 38 185 123 29"  # typed with spaces
JEAN_NIR = "175016912345679"  # typed without spaces
AHMED_NIR = "1.55.05.99.350.012.58"  # typed with dots
JEAN_CODE = "24681357"
AHMED_CODE_PROVISOIRE = "4826"


def play_flows(url: str) -> Dict[str, str]:
    """The four sandbox flows; returns every secret typed or read, by name."""
    secrets: Dict[str, str] = {}
    # 1. Creation of dossier 1 (Marie Durand) with a code personnel.
    user = new_user("privacy-marie")
    assert "Marie" in texts(say(url, user, "je veux m'entraîner à créer mon compte"))
    say(url, user, MARIE_NIR)
    say(url, user, "Durand")
    assert "reconnues" in texts(say(url, user, "12/05/1984"))
    say(url, user, "7890189")
    say(url, user, "10234567891")
    say(url, user, "/affirmer")
    say(url, user, f"marie.{user[-6:]}@example.org")
    assert "code personnel" in texts(say(url, user, "06 11 22 33 44"))
    marie_code = "13572468"
    assert "Votre compte est créé" in texts(say(url, user, marie_code))
    secrets.update(marie_nir=MARIE_NIR, marie_code=marie_code)

    # 2. Login of dossier 2 (Jean Martin) with the security code read in the mailbox.
    user = new_user("privacy-jean")
    say(url, user, "simuler une connexion")
    say(url, user, "/depuis_ordinateur")
    say(url, user, JEAN_NIR)
    replies = say(url, user, JEAN_CODE)
    assert "code de sécurité est nécessaire" in texts(replies), texts(replies)
    replies = say(url, user, click(replies, "/affirmer"))
    replies = say(url, user, click(replies, "/simuler_boite_mail"))
    mail = texts(say(url, user, click(replies, "/simuler_lire_mail")))
    code = re.search(r"^(\d{6})$", mail, re.M).group(1)
    replies = say(url, user, f"mon code est {code}")  # kept for the box, encrypted in the store
    assert "ordinateur personnel" in texts(replies), texts(replies)
    replies = say(url, user, "/nier")
    assert "Vous êtes connecté" in texts(replies)
    secrets.update(jean_nir=JEAN_NIR, jean_code=JEAN_CODE, security_code=code)
    # A phone appointment: the slot chosen at one turn is booked at the next one, from the
    # tracker read back from the store (redaction must keep it usable).
    replies = say(url, user, click(replies, "/simuler_rdv"))
    replies = say(url, user, click(replies, '/informer{"motif_rdv"'))
    replies = say(url, user, click(replies, '/informer{"creneau"'))
    replies = say(url, user, click(replies, "/affirmer"))
    assert "1 rendez-vous" in texts(say(url, user, "/simuler_mes_rdv")), texts(replies)

    # 3. Code provisoire of dossier 6 (Ahmed Benali), then his new code personnel.
    user = new_user("privacy-ahmed")
    say(url, user, "simuler une connexion")
    say(url, user, "/depuis_ordinateur")
    say(url, user, AHMED_NIR)
    reply = texts(say(url, user, AHMED_CODE_PROVISOIRE))
    assert "code provisoire" in reply, reply
    ahmed_code = "1122334455"
    say(url, user, ahmed_code)
    secrets.update(ahmed_nir=AHMED_NIR, code_provisoire=AHMED_CODE_PROVISOIRE, ahmed_code=ahmed_code)

    # 4. A NIR typed in full outside any form, with and without spaces.
    user = new_user("privacy-free")
    say(url, user, "mon numéro de sécu est 1 68 02 33 005 017 54 je n'arrive pas à me connecter")
    say(url, user, "et celui de ma femme 291073155508894")
    secrets.update(free_nir_spaced="1 68 02 33 005 017 54", free_nir_compact="291073155508894")

    # 5. Secrets as people type them (issue 19), outside any exercise: each gets the warning.
    user = new_user("privacy-typed")
    for name, (message, secret) in TYPED_SECRETS.items():
        assert "ne donnez jamais" in texts(say(url, user, message)), message
        secrets[name] = secret
    return secrets


# message typed -> the secret in it (tests/secret_corpus.py has many more forms, checked over REST);
# none of them is a value of the demo dossiers (the sandbox tables hold those by design)
TYPED_SECRETS = {
    "typed_mdp": ("mdp: 48151623", "48151623"),
    "typed_password_word": ("mon mot de passe c'est Tournesol1987", "Tournesol1987"),
    "typed_password_plain": ("mot de passe : capucine", "capucine"),
    "typed_code": ("code 739251", "739251"),
    "typed_code_provisoire": ("code provisoire 73 51", "73 51"),
    "typed_code_dots": ("mon code perso 24.68.13.97", "24.68.13.97"),
    "typed_iban": ("mon iban FR76 1751 5900 0008 0042 1937 215", "FR76 1751 5900 0008 0042 1937 215"),
    "typed_card": ("ma carte 4970 1012 3456 7890", "4970 1012 3456 7890"),
}


def patterns(secrets: Dict[str, str]) -> Dict[str, "re.Pattern[str]"]:
    """A regex per secret: as typed, digits only, and (NIRs) the 13 digits without the key.

    Bounded by non-alphanumerics, so a longer number, a hash or a PID does not match.
    """
    out = {}
    for name, value in secrets.items():
        digits = re.sub(r"\D", "", value)
        variants = {re.escape(value)}
        if re.fullmatch(r"[\d .\-]+", value):  # a number: its digits alone too
            variants.add(digits)
        if "iban" in name:
            variants |= {value.replace(" ", ""), value.replace(" ", "")[4:]}
        if "nir" in name:
            variants |= {digits[:13], r"[ .\-]?".join(re.escape(d) for d in digits)}
        elif len(digits) >= 6:
            variants.add(r"\s".join(digits))  # « 4 0 0 3 6 5 »
        alternatives = "|".join(sorted(variants, key=len, reverse=True))
        out[name] = re.compile(rf"(?<![0-9A-Za-z\[])(?:{alternatives})(?![0-9A-Za-z\]])")
    return out


def find_secrets(where: str, text: str, found: Dict[str, "re.Pattern[str]"]) -> List[str]:
    return [
        f"{name} in {where}: …{text[max(0, m.start() - 60) : m.end() + 60]!r}…"
        for name, pattern in found.items()
        for m in [pattern.search(text)]
        if m
    ]


def scan_files(paths: Iterable[Path], found) -> List[str]:
    leaks = []
    for path in paths:
        if path.is_file():
            leaks += find_secrets(str(path), path.read_text(errors="replace"), found)
    return leaks


def test_no_secret_in_postgres_nor_in_the_logs_of_the_stack(prod_stack):
    secrets = play_flows(prod_stack.nginx_url)
    found = patterns(secrets)

    events = "\n".join(r[0] for r in query(prod_stack.postgres_dsn, "SELECT data FROM events"))
    assert "privacy-marie" in "\n".join(
        r[0] for r in query(prod_stack.postgres_dsn, "SELECT DISTINCT sender_id FROM events")
    )
    assert "Durand" in events  # control: the scan reads the conversations
    leaks = find_secrets("tracker events", events, found)

    tables = [
        r[0] for r in query(prod_stack.sandbox_dsn, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'sandbox_%%'")
    ]
    assert "sandbox_dossiers" in tables
    dump = "\n".join(
        str(row) for table in tables for row in query(prod_stack.sandbox_dsn, f"SELECT t::text FROM {table} t")
    )
    assert "Durand" in dump  # control
    leaks += find_secrets("sandbox tables", dump, found)

    logs = sorted(Path(prod_stack.log_dir).rglob("*.log"))
    assert logs
    leaks += scan_files(logs, found)
    assert not leaks, "\n".join(leaks)


@contextmanager
def debug_bot(tmp: Path) -> Iterator[str]:
    """Action server and Rasa server at DEBUG level, redacting tracker store on SQLite."""
    actions_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        "tracker_store:\n  type: server_ext.tracker_store.RedactingSQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {tmp / 'tracker.db'}\n"
    )
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONWARNINGS": "ignore",
        "LOG_LEVEL": "DEBUG",
        "SANDBOX_DATABASE_URL": f"sqlite:///{tmp / 'sandbox.sqlite3'}",
        "SANDBOX_SPAM_SHARE": "0",
        "TRACKER_SECRET_KEY": "privacy-test-key-0123456789",
    }
    rasa = str(BIN / "rasa")
    commands = {
        "actions": [rasa, "run", "actions", "--port", str(actions_port), "--debug"],
        "rasa": [  # as `make run` starts it (scripts/rasa_cli.py)
            *RASA_SERVER,
            "run",
            "--model",
            "models",
            "--port",
            str(rasa_port),
            "--endpoints",
            str(endpoints),
            "--credentials",
            "credentials.yml",
            "--debug",
        ],
    }
    procs = {}
    try:
        for name, argv in commands.items():
            procs[name] = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=(tmp / f"{name}.log").open("w"), stderr=subprocess.STDOUT
            )
        _wait(f"http://127.0.0.1:{actions_port}/health", procs["actions"], tmp / "actions.log")
        _wait(f"http://127.0.0.1:{rasa_port}/", procs["rasa"], tmp / "rasa.log")
        yield f"http://127.0.0.1:{rasa_port}"
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_no_secret_at_debug_level(tmp_path):
    tmp = tmp_path
    with debug_bot(tmp) as url:
        secrets = play_flows(url)
    found = patterns(secrets)
    with sqlite3.connect(tmp / "tracker.db") as conn:
        events = "\n".join(r[0] for r in conn.execute("SELECT data FROM events"))
    assert "Durand" in events
    files = sorted(tmp.glob("*.log"))
    debug_lines = sum(text.count("DEBUG") for text in (p.read_text(errors="replace") for p in files))
    assert debug_lines > 100, "the servers did not log at DEBUG level"
    sandbox_bytes = b"".join(p.read_bytes() for p in tmp.glob("sandbox.sqlite3*"))
    assert b"Durand" in sandbox_bytes
    leaks = find_secrets("tracker.db", events, found)
    leaks += find_secrets("sandbox.sqlite3", sandbox_bytes.decode("utf-8", "replace"), found)
    leaks += scan_files(files, found)
    assert not leaks, "\n".join(leaks[:20])
