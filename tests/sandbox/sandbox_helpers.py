"""Helpers and demo constants shared by the sandbox tests."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from actions.sandbox import Reason, Sandbox, policy

PRODUCTION_SCRYPT_N = policy.SCRYPT_N  # read before the fast_hashing fixture patches it

# Monday 6 January 2025, 9:00 in Paris (8:00 UTC).
START = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)
KEY = b"k" * 32

JEAN_NIR = "1 75 01 69 123 456 79"
JEAN_CODE = "24681357"
MARIE_NIR = "2 84 05 38 185 123 29"
AHMED_NIR = "1 55 05 99 350 012 58"
NADIA_NIR = "2 62 10 69 055 078 27"  # 8-digit code of the kiosks
NADIA_CODE = "73519046"


def mail_body(sandbox: Sandbox, conversation_id: str, mail_id: str) -> str:
    result = sandbox.read_mail(conversation_id, mail_id)
    assert result.ok, result
    return result.data["mail"].body


def code_from(sandbox: Sandbox, conversation_id: str, sent) -> str:
    """The 6-digit code read from the mail a request_security_code result points to."""
    assert sent.reason is Reason.SECURITY_CODE_SENT, sent
    match = re.search(r"^(\d{6})$", mail_body(sandbox, conversation_id, sent.data["mail_id"]), re.M)
    assert match
    return match.group(1)


def link_from(sandbox: Sandbox, conversation_id: str, sent) -> str:
    """The validation link read from the mail a creation result points to."""
    match = re.search(r"https://\S+jeton=\S+", mail_body(sandbox, conversation_id, sent.data["mail_id"]))
    assert match
    return match.group(0)


def login_jean(
    sandbox: Sandbox, conversation_id: str = "c-jean", device: str = "pc-maison", personal_computer: bool = False
) -> None:
    """Full login of Jean Martin with a security code."""
    assert sandbox.login(conversation_id, JEAN_NIR, JEAN_CODE, device).reason is Reason.SECURITY_CODE_REQUIRED
    code = code_from(sandbox, conversation_id, sandbox.request_security_code(conversation_id))
    assert sandbox.enter_security_code(conversation_id, code, personal_computer).reason is Reason.LOGGED_IN


def create_marie(
    sandbox: Sandbox,
    conversation_id: str = "c-marie",
    email: str = "marie.durand@example.fr",
    code: str = "13579246801",
):
    """Run sheet 07 for Marie Durand up to the validation mail; returns the last result."""
    assert sandbox.start_creation(conversation_id, MARIE_NIR, "Durand", "12/05/1984").ok
    assert sandbox.confirm_rib(conversation_id, "7890189").ok
    assert sandbox.confirm_vitale(conversation_id, "10234567891").ok
    assert sandbox.accept_terms(conversation_id).ok
    assert sandbox.set_contact_details(conversation_id, email, "06 11 22 33 44").ok
    return sandbox.choose_code_personnel(conversation_id, code)
