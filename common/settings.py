"""Every setting the assistant reads from the environment, in one place: its name, what it does,
how its text is read. The rules behind the defaults stay where they belong (a sandbox default in
actions/sandbox/policy.py, a channel default in server_ext/channels.py) and are applied there.

Each setting is read when asked, never on import: a server reads it when it starts or when it
needs it, and a test's `monkeypatch.setenv` takes effect at once. Only the scripts that start the
servers (scripts/, bench/, tests/) read the environment elsewhere, to hand it on.
The production values come from endpoints.prod.yml, deploy/k8s/config.yaml and scripts/prod/stack.py.
"""

from __future__ import annotations

import os
from typing import Optional

# --- the practice sandbox (action server, web server) --------------------------------------
SANDBOX_DATABASE_URL = "SANDBOX_DATABASE_URL"  # SQLAlchemy URL; default var/sandbox.sqlite3
SANDBOX_SECRET_KEY = "SANDBOX_SECRET_KEY"  # key of the mail secrets; default a key file
SANDBOX_SPAM_SHARE = "SANDBOX_SPAM_SHARE"  # share of mails put in the spam folder, 0 to 1
SANDBOX_WORLD_RETENTION_DAYS = "SANDBOX_WORLD_RETENTION_DAYS"  # days before an unused world goes
SANDBOX_TRAINER_COMMANDS = "SANDBOX_TRAINER_COMMANDS"  # "off": no reset or clock move from the chat
# --- France Services locator (action server) ------------------------------------------------
FRANCE_SERVICES_CSV = "FRANCE_SERVICES_CSV"  # the ANCT list to read (relative to the repository)
PGEOCODE_DATA_DIR = "PGEOCODE_DATA_DIR"  # a folder of GeoNames files instead of the snapshot
# --- Rasa server --------------------------------------------------------------------------
TRACKER_SECRET_KEY = "TRACKER_SECRET_KEY"  # key of the slots the tracker store encrypts
RASA_NLU_THREADS = "RASA_NLU_THREADS"  # worker threads of the NLU (0: Rasa's own behaviour)
RASA_TURNS_AT_ONCE = "RASA_TURNS_AT_ONCE"  # messages a Rasa server handles at once (0: Rasa's own behaviour)
TURNS_AT_ONCE_DEFAULT = 3
CHAT_MAX_BODY_BYTES = "CHAT_MAX_BODY_BYTES"  # the channels' settings (server_ext/channels.py)
CHAT_RATE_BURST = "CHAT_RATE_BURST"
CHAT_RATE_PER_SECOND = "CHAT_RATE_PER_SECOND"
CHAT_RATE_REDIS_URL = "CHAT_RATE_REDIS_URL"
# the lock store's Redis of the production stack (endpoints.prod.yml)
AMELIBOT_REDIS_HOST, AMELIBOT_REDIS_PORT, AMELIBOT_REDIS_DB = (
    "AMELIBOT_REDIS_HOST",
    "AMELIBOT_REDIS_PORT",
    "AMELIBOT_REDIS_DB",
)
# --- web widget's server ------------------------------------------------------------------
WIDGET_IDLE_MINUTES = "WIDGET_IDLE_MINUTES"  # minutes without activity before the tab forgets
WEB_HOST, WEB_PORT, RASA_URL = "WEB_HOST", "WEB_PORT", "RASA_URL"

_OFF = frozenset({"off", "0", "false", "no"})


def text(name: str) -> str:
    """The setting's text, without surrounding spaces; "" when unset."""
    return os.environ.get(name, "").strip()


def optional(name: str) -> Optional[str]:
    """The setting's text, or None when unset or blank."""
    return text(name) or None


def number(name: str) -> Optional[float]:
    """The setting as a number, or None when unset or not a number."""
    raw = text(name)
    try:
        return float(raw) if raw else None
    except ValueError:
        return None


# --- the practice sandbox -----------------------------------------------------------------
def sandbox_database_url() -> str:
    return text(SANDBOX_DATABASE_URL)


def sandbox_secret_key() -> str:
    return text(SANDBOX_SECRET_KEY)


def sandbox_spam_share() -> Optional[float]:
    return number(SANDBOX_SPAM_SHARE)


def sandbox_world_retention_days() -> Optional[float]:
    return number(SANDBOX_WORLD_RETENTION_DAYS)


def trainer_commands_enabled() -> bool:
    """On unless SANDBOX_TRAINER_COMMANDS is off, 0, false or no."""
    return (text(SANDBOX_TRAINER_COMMANDS) or "on").lower() not in _OFF


# --- France Services locator ----------------------------------------------------------------
def france_services_csv() -> Optional[str]:
    return os.environ.get(FRANCE_SERVICES_CSV) or None


def pgeocode_data_dir() -> Optional[str]:
    return os.environ.get(PGEOCODE_DATA_DIR) or None


# --- Rasa server --------------------------------------------------------------------------
def tracker_secret_key() -> str:
    return text(TRACKER_SECRET_KEY)


def nlu_threads() -> int:
    """RASA_NLU_THREADS as a count >= 0; 0 when unset or not a whole number."""
    try:
        return max(0, int(os.environ.get(RASA_NLU_THREADS, "0")))
    except ValueError:
        return 0


def turns_at_once() -> int:
    """RASA_TURNS_AT_ONCE as a count >= 0; TURNS_AT_ONCE_DEFAULT when unset or not a whole number."""
    try:
        return max(0, int(os.environ.get(RASA_TURNS_AT_ONCE, str(TURNS_AT_ONCE_DEFAULT))))
    except ValueError:
        return TURNS_AT_ONCE_DEFAULT


def stack_redis_url() -> Optional[str]:
    """The lock store's Redis of the production stack, when its host and port are set."""
    host, port = text(AMELIBOT_REDIS_HOST), text(AMELIBOT_REDIS_PORT)
    if not host or not port:
        return None
    return f"redis://{host}:{port}/{text(AMELIBOT_REDIS_DB) or '0'}"


# --- web widget's server ------------------------------------------------------------------
def widget_idle_minutes() -> str:
    return os.environ.get(WIDGET_IDLE_MINUTES, "")


def web_host() -> str:
    return os.environ.get(WEB_HOST, "127.0.0.1")


def web_port() -> int:
    return int(os.environ.get(WEB_PORT, "8080"))


def rasa_url() -> str:
    return os.environ.get(RASA_URL, "http://localhost:5005")
