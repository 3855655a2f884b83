"""Secrets: salted hashes, random codes and tokens, and the mailbox secret cipher.

- Codes personnels, codes provisoires and security codes are stored only as
  scrypt hashes with a per-record random salt; comparisons use hmac.compare_digest.
- Validation-link tokens are long random strings: stored as a SHA-256 digest (no salt
  needed at 256 bits of entropy), so they can be looked up directly.
- A mail shown to the simulated user must contain the code or the link in clear. The
  database keeps the mail body with a placeholder and the secret encrypted with a key
  held OUTSIDE the database (env SANDBOX_SECRET_KEY, or a key file next to the SQLite
  file). The cipher is Fernet, from the well-kept `cryptography` package.
Nothing here logs secrets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from typing import Optional

from cryptography.fernet import Fernet, InvalidToken

from . import policy

SECRET_KEY_ENV = "SANDBOX_SECRET_KEY"


def hash_secret(secret: str) -> str:
    """'scrypt$n$r$p$salt$hash' with a fresh random salt (base64 parts)."""
    salt = os.urandom(policy.SALT_BYTES)
    digest = _scrypt(secret, salt, policy.SCRYPT_N, policy.SCRYPT_R, policy.SCRYPT_P)
    return "$".join(
        ["scrypt", str(policy.SCRYPT_N), str(policy.SCRYPT_R), str(policy.SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_secret(secret: str, stored: Optional[str]) -> bool:
    """True when `secret` matches the stored hash (constant-time comparison)."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = _scrypt(secret, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, _unb64(digest))


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def new_security_code() -> str:
    """A random code of SECURITY_CODE_LENGTH digits."""
    size = policy.SECURITY_CODE_LENGTH
    return str(secrets.randbelow(10**size)).zfill(size)


def new_token() -> str:
    """A random URL-safe token for validation links (256 bits)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """SHA-256 hex digest of a token, what the database stores."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def derive_key(master: bytes, purpose: str) -> bytes:
    """A sub-key of the sandbox key for one purpose (so one key never serves two uses)."""
    return hmac.new(master, f"amelibot-sandbox:{purpose}".encode("utf-8"), hashlib.sha256).digest()


def nir_digest(key: bytes, compact_nir: str) -> str:
    """HMAC-SHA256 hex digest of a compact NIR: what the database stores and looks up.

    Keyed (the key is off the database), so the 15-digit space cannot be brute-forced
    from a stolen database alone; deterministic, so a NIR can still be looked up.
    """
    return hmac.new(key, compact_nir.upper().encode("utf-8"), hashlib.sha256).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SecretBox:
    """Encrypts the short secret of a mail (a code or a link) with a key kept off the DB.

    Fernet (AES-128-CBC + HMAC-SHA256) from the `cryptography` package.
    """

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


def load_or_create_key(key_file: Path) -> bytes:
    """The mailbox key: SANDBOX_SECRET_KEY if set, else the key file (created, mode 0600)."""
    from_env = os.environ.get(SECRET_KEY_ENV, "").strip()
    if from_env:
        return hashlib.sha256(from_env.encode("utf-8")).digest()
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
