"""The typed steps (actions/sandbox/steps.py) are exactly the strings the sandbox reports and stores."""

from __future__ import annotations

from sandbox_helpers import AHMED_NIR, JEAN_CODE, JEAN_NIR, MARIE_NIR, code_from, create_marie
from sqlalchemy.orm import Session

from actions.sandbox import db
from actions.sandbox.steps import CreationStep, EnrolmentRoute, LoginStage
from actions.sandbox_answers import STEP_PROMPTS


def _stored(sb, model, key, column):
    with Session(sb.engine) as s:
        return getattr(s.get(model, key), column)


def test_steps_are_their_strings() -> None:
    assert CreationStep.RIB == "rib" and {"rib": 1}[CreationStep.RIB] == 1
    assert str(LoginStage.LOGGED_IN) == "logged_in" and f"{EnrolmentRoute.PROVISIONAL}" == "provisional"
    assert set(CreationStep) == set(STEP_PROMPTS)  # every step has its prompt, and no other


def test_creation_reports_and_stores_each_step_in_the_sheets_order(sb) -> None:
    steps = [
        sb.start_creation("c", MARIE_NIR, "Durand", "12/05/1984"),
        sb.confirm_rib("c", "7890189"),
        sb.confirm_vitale("c", "10234567891"),
        sb.accept_terms("c"),
        sb.set_contact_details("c", "marie.durand@example.fr", "06 11 22 33 44"),
    ]
    assert [r.data["step"] for r in steps] == [
        CreationStep.RIB,
        CreationStep.VITALE,
        CreationStep.TERMS,
        CreationStep.CONTACT,
        CreationStep.CODE,
    ]
    assert _stored(sb, db.Enrolment, "c", "route") == EnrolmentRoute.CREATION
    assert sb.choose_code_personnel("c", "13579246801").data["step"] == CreationStep.DONE
    assert _stored(sb, db.Enrolment, "c", "step") == CreationStep.DONE


def test_code_provisoire_route_and_login_stages(sb) -> None:
    assert sb.login("p", AHMED_NIR, "4826").data["step"] == CreationStep.CODE
    assert _stored(sb, db.Enrolment, "p", "route") == EnrolmentRoute.PROVISIONAL
    assert sb.choose_code_personnel("p", "9876543210").data["step"] == CreationStep.TERMS
    create_marie(sb, "m")
    assert sb.login("m", MARIE_NIR, "13579246801").ok is False  # not activated yet
    assert _stored(sb, db.Conversation, "m", "stage") == LoginStage.INACTIVE
    sb.login("j", JEAN_NIR, JEAN_CODE, "pc")
    assert _stored(sb, db.Conversation, "j", "stage") == LoginStage.CODE
    sb.enter_security_code("j", code_from(sb, "j", sb.request_security_code("j")))
    assert _stored(sb, db.Conversation, "j", "stage") == LoginStage.LOGGED_IN
    sb.logout("j")
    assert _stored(sb, db.Conversation, "j", "stage") == LoginStage.NONE
