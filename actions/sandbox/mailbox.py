"""Texts of the mails the sandbox sends, and where they land (inbox or spam).

The security-code mail uses the exact wording of the sheet "Connexion compte ameli"
(step 4). Bodies keep SECRET_MARK where the code or the link goes: the database stores
the body with the mark and the secret encrypted; `render` puts the secret back when the
simulated user reads the mail.
"""

from __future__ import annotations

import hashlib
from typing import Optional

from . import policy

SECRET_MARK = "[[SECRET]]"
SENDER = "l'Assurance Maladie"
UNREADABLE = "(contenu illisible : la clé du bac à sable a changé)"

SECURITY_CODE_SUBJECT = "Votre code de sécurité pour votre compte ameli"
VALIDATION_SUBJECT = "Activez votre compte ameli"

_FOOTER = (
    'Ce message est généré par un automate. Ne pas utiliser la fonctionnalité "répondre à".\n'
    "\n"
    "Merci de votre confiance.\n"
    "\n"
    "Votre caisse d'assurance maladie"
)


def security_code_body() -> str:
    """Body of the security-code mail, with SECRET_MARK where the code goes."""
    minutes = int(policy.SECURITY_CODE_VALIDITY.total_seconds() // 60)
    return (
        "Bonjour,\n"
        "\n"
        "Nous vous adressons votre code de sécurité pour vous connecter à votre compte ameli :\n"
        "\n"
        f"{SECRET_MARK}\n"
        "\n"
        f"Attention ! Ce code est valable seulement {minutes} minutes. "
        "Au-delà de ce délai, vous devrez demander un nouveau code.\n"
        "\n"
        "Ce code est strictement personnel et ne doit jamais être communiqué.\n"
        "Nous ne demandons jamais de code par téléphone.\n"
        "\n"
        "Si vous n'êtes pas à l'origine de cette demande, contactez votre caisse d'assurance "
        "maladie qui vous donnera les consignes à suivre. Sachez néanmoins que votre compte "
        "ameli reste sécurisé.\n"
        "\n" + _FOOTER
    )


def validation_body() -> str:
    """Body of the account validation mail, with SECRET_MARK where the link goes."""
    days = policy.VALIDATION_LINK_VALIDITY.days
    return (
        "Bonjour,\n"
        "\n"
        "Votre compte ameli est créé. Pour l'activer, cliquez sur ce lien :\n"
        "\n"
        f"{SECRET_MARK}\n"
        "\n"
        f"Attention, ce lien est valable {days} jours. "
        "Sans cette validation, votre compte ne sera pas activé.\n"
        "\n"
        "Ensuite, connectez-vous avec votre numéro de sécurité sociale et votre code personnel.\n"
        "\n" + _FOOTER
    )


def validation_link(token: str) -> str:
    """The clickable link put in the validation mail."""
    return policy.VALIDATION_LINK_BASE + token


def token_from_link(link_or_token: str) -> str:
    """Accept the whole link or just the token."""
    text = (link_or_token or "").strip()
    return text.split("jeton=", 1)[1].split("&", 1)[0] if "jeton=" in text else text


def folder_for(mail_id: str, spam_share: float) -> str:
    """Deterministic per mail: the mail id hashes to a number in [0, 1)."""
    point = int.from_bytes(hashlib.sha256(mail_id.encode("ascii")).digest()[:8], "big") / 2**64
    return "spam" if point < spam_share else "inbox"


def render(body: str, secret: Optional[str]) -> str:
    """The body as the simulated user reads it, the secret in clear."""
    return body.replace(SECRET_MARK, secret if secret is not None else UNREADABLE)
