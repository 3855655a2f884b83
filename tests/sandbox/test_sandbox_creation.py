"""Account creation (sheet 07), validation link (7 days) and code provisoire (sheet 1.1)."""

from __future__ import annotations

import re
import threading
import unicodedata
from datetime import timedelta

import pytest
from sandbox_helpers import AHMED_NIR, JEAN_NIR, MARIE_NIR, NADIA_CODE, NADIA_NIR, create_marie, link_from
from sqlalchemy import text

from actions.sandbox import Reason, policy
from actions.sandbox.policy import VALIDATION_LINK_VALIDITY
from actions.sandbox.steps import CreationStep
from actions.sandbox_answers import say
from tests.conftest import SHARED

LUC_NIR = "1 90 01 75 001 002 95"  # fictitious, key checked in test_luc_nir_key


def test_marie_creates_her_account_and_activates_it(sb) -> None:
    sent = create_marie(sb)
    assert sent.ok and sent.reason is Reason.VALIDATION_MAIL_SENT
    assert sent.data["masked_email"] == "m***@e***.fr"
    assert "7 jours" in say(sent) and "spams" in say(sent)
    # Not active until the link is used.
    assert sb.login("c-marie", MARIE_NIR, "13579246801").reason is Reason.ACCOUNT_NOT_ACTIVE
    assert sb.open_validation_link("c-marie", link_from(sb, "c-marie", sent)).reason is Reason.ACCOUNT_ACTIVATED
    assert sb.login("c-marie", MARIE_NIR, "13579246801").reason is Reason.SECURITY_CODE_REQUIRED
    assert sb.open_validation_link("c-marie", link_from(sb, "c-marie", sent)).reason is Reason.ACCOUNT_ALREADY_ACTIVE
    # Marie's account exists in this learner's world only.
    assert sb.login("another-learner", MARIE_NIR, "13579246801").reason is Reason.NO_ACCOUNT


def test_refusal_provisional_number(sb) -> None:
    result = sb.start_creation("c", "7 92 03 75 112 045 42", "Haddad", "08/03/1992")
    assert not result.ok and result.reason is Reason.NIR_PROVISIONAL
    assert "provisoire" in say(result) and "France Services" in say(result)


def test_refusal_no_rib_on_file(sb) -> None:
    result = sb.start_creation("c", "1 68 02 33 005 017 54", "Bernard", "17/02/1968")
    assert not result.ok and result.reason is Reason.NO_RIB
    assert "RIB" in say(result) and "France Services" in say(result)
    assert sb.confirm_rib("c", "1234567").reason is Reason.NO_ENROLMENT


def test_refusal_file_being_transferred(sb) -> None:
    result = sb.start_creation("c", "2 91 07 31 555 088 94", "Leroy", "30/07/1991")
    assert not result.ok and result.reason is Reason.FILE_TRANSFER
    assert "(MSA)" in say(result) and result.data["organism"] == "MSA"


def test_refusal_identity_and_existing_account(sb) -> None:
    assert sb.start_creation("c", MARIE_NIR, "Dupont", "12/05/1984").reason is Reason.IDENTITY_MISMATCH
    assert sb.start_creation("c", MARIE_NIR, "Durand", "13/05/1984").reason is Reason.IDENTITY_MISMATCH
    assert sb.start_creation("c", MARIE_NIR, "Durand", "le 12 mai").reason is Reason.BIRTH_DATE_FORMAT
    assert sb.start_creation("c", "2 84 05 38 185 123 28", "Durand", "12/05/1984").reason is Reason.NIR_KEY
    assert sb.start_creation("c", JEAN_NIR, "MARTIN", "23/01/1975").reason is Reason.ACCOUNT_EXISTS


def test_wrong_rib_wrong_vitale_and_steps_in_order(sb) -> None:
    assert sb.start_creation("c", MARIE_NIR, "durand", "1984-05-12").ok
    assert sb.confirm_vitale("c", "10234567891").reason is Reason.WRONG_STEP
    assert sb.confirm_rib("c", "7890188").reason is Reason.RIB_MISMATCH
    assert sb.confirm_rib("c", "7890189").ok
    assert sb.confirm_vitale("c", "10234567890").reason is Reason.VITALE_MISMATCH
    assert sb.confirm_vitale("c", "10234567891").ok
    assert sb.choose_code_personnel("c", "12345678").reason is Reason.WRONG_STEP
    assert sb.accept_terms("c", accepted=False).reason is Reason.TERMS_REFUSED
    assert sb.accept_terms("c").ok
    assert sb.set_contact_details("c", "marie@", "0611223344").reason is Reason.EMAIL_FORMAT
    assert sb.set_contact_details("c", "marie@example.fr", "0111223344").reason is Reason.MOBILE_FORMAT
    assert sb.set_contact_details("c", "marie@example.fr", "0611223344").reason is Reason.CONTACT_SAVED
    assert sb.choose_code_personnel("c", "1234567").reason is Reason.CODE_PERSONNEL_FORMAT
    assert sb.choose_code_personnel("c", "12345678").reason is Reason.VALIDATION_MAIL_SENT


def test_email_already_used_is_refused(sb) -> None:
    assert sb.start_creation("c", MARIE_NIR, "Durand", "12/05/1984").ok
    sb.confirm_rib("c", "7890189")
    sb.confirm_vitale("c", "10234567891")
    sb.accept_terms("c")
    result = sb.set_contact_details("c", "Jean.Martin@example.org", "0611223344")
    assert result.reason is Reason.EMAIL_TAKEN and not result.ok


def test_luc_nir_key() -> None:
    from stdnum.fr import nir

    assert nir.is_valid(LUC_NIR)


def test_learners_creating_the_same_account_at_once_each_get_it_in_their_world(make_sandbox) -> None:
    """The workshop case: several learners on dossier 1 with the same e-mail, two engines, at once."""
    engines = [make_sandbox(), make_sandbox()]
    learners = [f"learner-{i}" for i in range(6)]
    for i, cid in enumerate(learners):
        sandbox = engines[i % 2]
        assert sandbox.start_creation(cid, MARIE_NIR, "Durand", "12/05/1984").ok
        assert sandbox.confirm_rib(cid, "7890189").ok
        assert sandbox.confirm_vitale(cid, "10234567891").ok
        assert sandbox.accept_terms(cid).ok
        assert sandbox.set_contact_details(cid, "meme.adresse@example.fr", "0611223344").ok
    barrier, results = threading.Barrier(len(learners)), {}

    def finish(sandbox, cid) -> None:
        barrier.wait()
        results[cid] = sandbox.choose_code_personnel(cid, "11223344")

    threads = [threading.Thread(target=finish, args=(engines[i % 2], cid)) for i, cid in enumerate(learners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {r.reason for r in results.values()} == {Reason.VALIDATION_MAIL_SENT}
    for cid in learners:
        mails = engines[0].list_mails(cid).data["mails"] + engines[0].list_mails(cid, "spam").data["mails"]
        assert [m.id for m in mails] == [results[cid].data["mail_id"]]  # their own mail, nobody else's
        link = link_from(engines[1], cid, results[cid])
        assert engines[1].open_validation_link(cid, link).reason is Reason.ACCOUNT_ACTIVATED
        accounts = [d for d in engines[0].list_dossiers(cid).data["dossiers"] if d.email == "meme.adresse@example.fr"]
        assert [d.account for d in accounts] == ["active"]


def test_a_link_of_another_world_does_not_open(sb) -> None:
    sent = create_marie(sb, "learner-a")
    link = link_from(sb, "learner-a", sent)
    assert sb.open_validation_link("learner-b", link).reason is Reason.LINK_INVALID
    assert sb.read_mail("learner-b", sent.data["mail_id"]).reason is Reason.NO_MAILBOX
    create_marie(sb, "learner-b")
    assert sb.read_mail("learner-b", sent.data["mail_id"]).reason is Reason.MAIL_NOT_FOUND
    assert sb.open_validation_link("learner-b", link).reason is Reason.LINK_INVALID
    assert sb.open_validation_link("learner-a", link).reason is Reason.ACCOUNT_ACTIVATED


def test_validation_link_valid_on_day_7(sb, clock) -> None:
    sent = create_marie(sb)
    clock.advance(VALIDATION_LINK_VALIDITY)  # exactly 7 days later
    assert sb.open_validation_link("c-marie", link_from(sb, "c-marie", sent)).reason is Reason.ACCOUNT_ACTIVATED


def test_validation_link_expired_on_day_8_and_sent_again(sb, clock) -> None:
    sent = create_marie(sb)
    old_link = link_from(sb, "c-marie", sent)
    clock.advance(timedelta(days=8))
    result = sb.open_validation_link("c-marie", old_link)
    assert result.reason is Reason.LINK_EXPIRED and result.data["can_resend"]
    again = sb.resend_validation_link("c-marie")
    assert again.reason is Reason.LINK_RESENT
    assert sb.open_validation_link("c-marie", old_link).reason is Reason.LINK_INVALID
    clock.advance(timedelta(days=6))
    assert sb.open_validation_link("c-marie", link_from(sb, "c-marie", again)).reason is Reason.ACCOUNT_ACTIVATED
    assert sb.resend_validation_link("c-marie").reason is Reason.ACCOUNT_ALREADY_ACTIVE


def test_resend_link_from_a_login_attempt(sb, clock) -> None:
    create_marie(sb)
    clock.advance(timedelta(days=10))
    # Starting a creation again drops the enrolment (the account exists): only a login can resend.
    assert sb.start_creation("c-marie", MARIE_NIR, "Durand", "12/05/1984").reason is Reason.ACCOUNT_EXISTS
    assert sb.resend_validation_link("c-marie").reason is Reason.NO_ENROLMENT
    assert sb.login("c-marie", MARIE_NIR, "13579246801").reason is Reason.ACCOUNT_NOT_ACTIVE
    again = sb.resend_validation_link("c-marie")
    assert again.reason is Reason.LINK_RESENT
    assert sb.open_validation_link("c-marie", link_from(sb, "c-marie", again)).reason is Reason.ACCOUNT_ACTIVATED
    assert (
        sb.open_validation_link("c-marie", "https://exemple.invalid/valider?jeton=faux").reason is Reason.LINK_INVALID
    )


def test_code_provisoire_first_login_personalises_it(sb) -> None:
    assert sb.login("c", AHMED_NIR, "4827").reason is Reason.WRONG_CREDENTIALS
    first = sb.login("c", AHMED_NIR, "4826")
    assert first.reason is Reason.PERSONALISE_REQUIRED and "8 à 13 chiffres" in say(first)
    assert sb.accept_terms("c").reason is Reason.WRONG_STEP  # personalise first
    assert sb.choose_code_personnel("c", "4826").reason is Reason.CODE_PERSONNEL_FORMAT
    assert sb.choose_code_personnel("c", "9876543210").reason is Reason.CODE_PERSONNEL_SAVED
    assert sb.accept_terms("c").ok
    contact = sb.set_contact_details("c", "ahmed.benali@example.fr", "07 98 76 54 32")
    assert contact.reason is Reason.CONTACTS_CHOICE and contact.data["step"] == CreationStep.CONSENT
    sent = sb.choose_contacts("c", True)
    assert sent.reason is Reason.VALIDATION_MAIL_SENT
    with sb.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT mobile, accepts_contacts FROM sandbox_accounts WHERE email = 'ahmed.benali@example.fr'")
        ).one()
    assert tuple(stored) == ("0798765432", True)
    link = link_from(sb, "c", sent)
    assert sb.login("c", AHMED_NIR, "9876543210").reason is Reason.ACCOUNT_NOT_ACTIVE
    assert sb.open_validation_link("c", link).reason is Reason.ACCOUNT_ACTIVATED
    assert sb.login("c", AHMED_NIR, "4826").reason is Reason.WRONG_CREDENTIALS  # code provisoire replaced
    assert sb.login("c", AHMED_NIR, "9876543210").reason is Reason.SECURITY_CODE_REQUIRED
    # Another learner's Ahmed still has his code provisoire.
    assert sb.login("another-learner", AHMED_NIR, "4826").reason is Reason.PERSONALISE_REQUIRED


def test_login_refusals(sb) -> None:
    assert sb.login("c", MARIE_NIR, "12345678").reason is Reason.NO_ACCOUNT
    assert sb.login("c", JEAN_NIR, "24681358").reason is Reason.WRONG_CREDENTIALS
    assert sb.login("c", "1 75 01 69 123 456 78", "24681357").reason is Reason.NIR_KEY
    assert sb.request_security_code("c").reason is Reason.NO_PENDING_LOGIN


def sheet_text(name: str) -> str:
    """A sheet on one line, typographic apostrophes made plain (the sheets are needed: SHARED_DIR)."""
    path = SHARED / "seeds" / name
    assert path.is_file(), f"the sheets are needed: {path} (set SHARED_DIR)"
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).replace("’", "'"))


def test_sheet_1_1_only_the_4_digit_desk_code_is_personalised_the_8_digit_kiosk_code_logs_in_like_a_password(
    sb,
) -> None:
    sheet = sheet_text("004_3a21d8423102286a.txt")
    assert (
        "code provisoire remis à l'accueil de la CPAM ou code déjà personnalisé pour accéder aux bornes multi-services"
        in sheet
    )
    assert "le code provisoire à 4 chiffres devra être personnalisé en mot de passe de 8 à 13 chiffres" in sheet
    assert policy.CODE_PROVISOIRE_DESK_LENGTH == 4 and policy.CODE_KIOSK_LENGTH == 8
    assert sb.login("c", NADIA_NIR, "73519047").reason is Reason.WRONG_CREDENTIALS
    first = sb.login("c", NADIA_NIR, NADIA_CODE)
    assert first.reason is Reason.KIOSK_CODE_ACCEPTED and first.data["step"] == CreationStep.TERMS
    assert "bornes multi-services" in say(first) and "conditions" in say(first)
    assert sb.choose_code_personnel("c", "9876543210").reason is Reason.WRONG_STEP  # nothing to personalise
    assert sb.accept_terms("c").ok
    assert sb.set_contact_details("c", "nadia.moreau@example.fr", "06 11 22 33 44").reason is Reason.CONTACTS_CHOICE
    sent = sb.choose_contacts("c", False)
    assert sent.reason is Reason.VALIDATION_MAIL_SENT
    assert sb.open_validation_link("c", link_from(sb, "c", sent)).reason is Reason.ACCOUNT_ACTIVATED
    # the kiosk code stays the password
    assert sb.login("c", NADIA_NIR, NADIA_CODE).reason is Reason.SECURITY_CODE_REQUIRED
    # the 4-digit code of the desk still leads to the personalisation
    assert sb.login("c", AHMED_NIR, "4826").reason is Reason.PERSONALISE_REQUIRED


@pytest.mark.parametrize("accepts", [True, False])
def test_sheet_1_1_accepting_the_contacts_or_not_both_create_the_account(sb, accepts) -> None:
    assert "Accepter ou non les contacts" in sheet_text("004_3a21d8423102286a.txt")
    sb.login("c", AHMED_NIR, "4826")
    assert sb.choose_contacts("c", True).reason is Reason.WRONG_STEP  # after the e-mail and phone only
    sb.choose_code_personnel("c", "9876543210")
    sb.accept_terms("c")
    sb.set_contact_details("c", "ahmed.benali@example.fr", "07 98 76 54 32")
    assert sb.choose_contacts("c", accepts).reason is Reason.VALIDATION_MAIL_SENT
    with sb.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT accepts_contacts FROM sandbox_accounts WHERE email = 'ahmed.benali@example.fr'")
        ).scalar_one()
    assert bool(stored) is accepts
