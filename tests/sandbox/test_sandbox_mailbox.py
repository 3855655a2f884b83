"""Simulated mailbox: exact security-code wording, spam folder, list/read/move."""

from __future__ import annotations

from sandbox_helpers import JEAN_CODE, JEAN_NIR, create_marie, mail_body

from actions.sandbox import Reason, mailbox

SHEET_SENTENCES = [
    "Nous vous adressons votre code de sécurité pour vous connecter à votre compte ameli :",
    "Attention ! Ce code est valable seulement 15 minutes. Au-delà de ce délai, vous devrez demander un nouveau code.",
    "Ce code est strictement personnel et ne doit jamais être communiqué.",
    "Nous ne demandons jamais de code par téléphone.",
    "Si vous n'êtes pas à l'origine de cette demande, contactez votre caisse d'assurance maladie qui vous donnera "
    "les consignes à suivre. Sachez néanmoins que votre compte ameli reste sécurisé.",
    "Merci de votre confiance.",
    "Votre caisse d'assurance maladie",
]


def test_security_code_mail_has_the_sheet_wording_and_the_code(sb) -> None:
    sb.login("c", JEAN_NIR, JEAN_CODE, "pc")
    sent = sb.request_security_code("c")
    body = mail_body(sb, "c", sent.data["mail_id"])
    for sentence in SHEET_SENTENCES:
        assert sentence in body
    assert mailbox.SECRET_MARK not in body
    lines = [line for line in body.splitlines() if line.isdigit()]
    assert len(lines) == 1 and len(lines[0]) == 6


def test_list_read_and_move(sb) -> None:
    sb.login("c", JEAN_NIR, JEAN_CODE, "pc")
    sent = sb.request_security_code("c")
    listing = sb.list_mails("c")
    assert listing.reason is Reason.MAILS_LISTED and [m.id for m in listing.data["mails"]] == [sent.data["mail_id"]]
    assert not listing.data["mails"][0].read
    sb.read_mail("c", sent.data["mail_id"])
    assert sb.list_mails("c").data["mails"][0].read
    assert sb.move_mail("c", sent.data["mail_id"], "spam").reason is Reason.MAIL_MOVED
    assert sb.list_mails("c").data["mails"] == []
    assert len(sb.list_mails("c", "spam").data["mails"]) == 1
    assert sb.move_mail("c", sent.data["mail_id"], "corbeille").reason is Reason.FOLDER_UNKNOWN
    assert sb.list_mails("c", "corbeille").reason is Reason.FOLDER_UNKNOWN


def test_spam_share_one_puts_every_mail_in_spam(make_sandbox) -> None:
    sb = make_sandbox(spam_share=1.0)
    sb.login("c", JEAN_NIR, JEAN_CODE, "pc")
    sent = sb.request_security_code("c")
    assert sent.data["mail_folder"] == "spam"
    assert sb.list_mails("c").data["mails"] == []
    assert [m.id for m in sb.list_mails("c", "spam").data["mails"]] == [sent.data["mail_id"]]


def test_spam_decision_is_deterministic_per_mail() -> None:
    ids = [f"{i:032x}" for i in range(400)]
    first = [mailbox.folder_for(i, 0.5) for i in ids]
    assert first == [mailbox.folder_for(i, 0.5) for i in ids]
    assert 120 < first.count("spam") < 280
    assert {mailbox.folder_for(i, 0.0) for i in ids} == {"inbox"}


def test_mailbox_belongs_to_the_conversation(sb) -> None:
    assert sb.list_mails("inconnu").reason is Reason.NO_MAILBOX
    sent = create_marie(sb, "c-marie")
    assert sb.read_mail("c-marie", sent.data["mail_id"]).ok
    sb.login("c-jean", JEAN_NIR, JEAN_CODE, "pc")
    assert sb.read_mail("c-jean", sent.data["mail_id"]).reason is Reason.MAIL_NOT_FOUND
    assert sb.move_mail("c-jean", sent.data["mail_id"], "spam").reason is Reason.MAIL_NOT_FOUND


def test_mail_unreadable_with_another_key(make_sandbox) -> None:
    sb = make_sandbox()
    sent = create_marie(sb)
    other = make_sandbox(secret_key=b"z" * 32)
    body = mail_body(other, "c-marie", sent.data["mail_id"])
    assert "jeton=" not in body and mailbox.UNREADABLE in body
