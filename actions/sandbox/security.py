"""Secrets: salted hashes, random codes and tokens, and the mailbox secret cipher.

- Codes personnels, codes provisoires and security codes are stored only as
  scrypt hashes with a per-record random salt; comparisons use hmac.compare_digest.
- Validation-link tokens are long random strings: stored as a SHA-256 digest (no salt
  needed at 256 bits of entropy), so they can be looked up directly.
- A mail shown to the simulated user must contain the code or the link in clear. The
  database keeps the mail body with a placeholder and the secret encrypted with a key
  held OUTSIDE the database (env SANDBOX_SECRET_KEY, or a key file next to the SQLite
  file): `SecretBox` and `load_or_create_key` of common/crypto.py, shared with the
  Rasa server's tracker store.
Nothing here logs secrets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from typing import Optional

from common import settings
from common.crypto import SecretBox, load_or_create_key  # noqa: F401  (the cipher of the mail secrets)

from . import policy

SECRET_KEY_ENV = settings.SANDBOX_SECRET_KEY


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
