"""The cipher of short secrets, with its key kept off the databases.

Two users: the sandbox encrypts the code or the link of a simulated mail (actions/sandbox), the
Rasa server's tracker store encrypts the slots an exercise reads again in a later turn
(server_ext/tracker_store.py). The cipher is Fernet (AES-128-CBC + HMAC-SHA256) from the
well-kept `cryptography` package. Nothing here logs secrets.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import time
from pathlib import Path
from typing import Optional

from cryptography.fernet import Fernet, InvalidToken

from common import settings


class SecretBox:
    """Encrypts a short secret (a code, a link, a NIR) with a key kept off the database."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the mailbox key must have at least 16 bytes")
        self._fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(key).digest()))

    def seal(self, secret: str) -> str:
        """Encrypt; returns a Fernet token (ASCII text)."""
        return self._fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> Optional[str]:
        """Decrypt; None when the key is wrong or the data was altered."""
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError, TypeError, UnicodeError):
            return None


def key_from_text(text: str) -> bytes:
    """A 32-byte key from a key given as text (an environment setting)."""
    return hashlib.sha256(text.encode("utf-8")).digest()


def load_or_create_key(key_file: Path) -> bytes:
    """The sandbox key: SANDBOX_SECRET_KEY if set, else the key file (created, mode 0600)."""
    from_env = settings.sandbox_secret_key()
    if from_env:
        return key_from_text(from_env)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:  # we won the race to create it
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    for _ in range(50):  # another process may be writing it right now
        text = key_file.read_text().strip()
        if len(text) == 64:
            return bytes.fromhex(text)
        time.sleep(0.02)
    raise RuntimeError(f"unreadable sandbox key file: {key_file}")
