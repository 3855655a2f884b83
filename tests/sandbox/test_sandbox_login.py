"""Login with a security code (sheets 09, 08, "Connexion compte ameli")."""

from __future__ import annotations

from datetime import timedelta

from sandbox_helpers import JEAN_CODE, JEAN_NIR, code_from, login_jean

from actions.sandbox import Reason, policy
from actions.sandbox_answers import say


def _ask_code(sb, cid: str = "c", device: str = "pc-maison"):
    assert sb.login(cid, JEAN_NIR, JEAN_CODE, device).reason is Reason.SECURITY_CODE_REQUIRED
    return sb.request_security_code(cid)


def test_password_step_shows_the_masked_email(sb) -> None:
    result = sb.login("c", JEAN_NIR, JEAN_CODE, "pc")
    assert result.ok and result.data == {"logged_in": False, "masked_email": "j***@e***.org"}
    assert "j***@e***.org" in say(result) and "Recevoir un code de sécurité" in say(result)
    assert sb.session_info("c").reason is Reason.NOT_LOGGED_IN  # not logged in before the code


def test_code_valid_at_14_59(sb, clock) -> None:
    code = code_from(sb, "c", _ask_code(sb))
    clock.advance(timedelta(minutes=14, seconds=59))
    assert sb.enter_security_code("c", code).reason is Reason.LOGGED_IN
    info = sb.session_info("c")
    assert info.ok and info.data["name"] == "Jean Martin" and info.data["device_id"] == "pc-maison"


def test_code_refused_at_15_01(sb, clock) -> None:
    code = code_from(sb, "c", _ask_code(sb))
    clock.advance(timedelta(minutes=15, seconds=1))
    result = sb.enter_security_code("c", code)
    assert result.reason is Reason.CODE_EXPIRED and "15 minutes" in say(result)
    assert sb.session_info("c").reason is Reason.NOT_LOGGED_IN
    # A new code works.
    assert sb.enter_security_code("c", code_from(sb, "c", sb.request_security_code("c"))).ok


def test_sixth_code_in_the_hour_is_refused_with_the_time_to_wait(sb, clock) -> None:
    _ask_code(sb)
    for _ in range(policy.MAX_CODES_PER_HOUR - 1):
        clock.advance(timedelta(minutes=1))
        assert sb.request_security_code("c").reason is Reason.SECURITY_CODE_SENT
    clock.advance(timedelta(minutes=1))  # 5 minutes after the first code
    refused = sb.request_security_code("c")
    assert not refused.ok and refused.reason is Reason.TOO_MANY_CODES
    assert refused.data["retry_after"] == timedelta(minutes=55)
    assert "5 codes au maximum par heure" in say(refused) and "55 minutes" in say(refused)
    clock.advance(timedelta(minutes=54, seconds=59))
    assert sb.request_security_code("c").reason is Reason.TOO_MANY_CODES
    clock.advance(timedelta(seconds=1))  # one hour after the first code
    assert sb.request_security_code("c").reason is Reason.SECURITY_CODE_SENT
    again = sb.request_security_code("c")  # the second code is still in the window
    assert again.reason is Reason.TOO_MANY_CODES and again.data["retry_after"] == timedelta(minutes=1)


def test_codes_used_to_log_in_do_not_count(sb) -> None:
    for _ in range(policy.MAX_CODES_PER_HOUR + 2):
        login_jean(sb)


def test_limit_counts_in_each_learner_world_only(sb) -> None:
    for _ in range(policy.MAX_CODES_PER_HOUR):
        assert _ask_code(sb, "c").ok
    assert _ask_code(sb, "c").reason is Reason.TOO_MANY_CODES
    # Another learner logging into the same demo dossier at the same time is not blocked.
    assert _ask_code(sb, "another-learner").reason is Reason.SECURITY_CODE_SENT


def test_wrong_entries_limit(sb) -> None:
    code = code_from(sb, "c", _ask_code(sb))
    wrong = "000000" if code != "000000" else "111111"
    first = sb.enter_security_code("c", wrong)
    assert first.reason is Reason.CODE_WRONG and first.data["attempts_left"] == 2 and "2 essais" in say(first)
    assert sb.enter_security_code("c", wrong).data["attempts_left"] == 1
    assert sb.enter_security_code("c", "12 34").reason is Reason.SECURITY_CODE_FORMAT  # not counted
    assert sb.enter_security_code("c", wrong).reason is Reason.CODE_BLOCKED
    assert sb.enter_security_code("c", code).reason is Reason.CODE_BLOCKED  # even the right one
    assert sb.enter_security_code("c", code_from(sb, "c", sb.request_security_code("c"))).reason is Reason.LOGGED_IN


def test_only_the_latest_code_works(sb) -> None:
    old = code_from(sb, "c", _ask_code(sb))
    new = code_from(sb, "c", sb.request_security_code("c"))
    if old != new:
        assert sb.enter_security_code("c", old).reason is Reason.CODE_SUPERSEDED
    assert sb.enter_security_code("c", new).reason is Reason.LOGGED_IN


def test_code_without_request_or_login(sb) -> None:
    assert sb.enter_security_code("c", "123456").reason is Reason.NO_PENDING_LOGIN
    sb.login("c", JEAN_NIR, JEAN_CODE, "pc")
    assert sb.enter_security_code("c", "123456").reason is Reason.NO_CODE_REQUESTED


def test_trusted_device_for_six_months_only_on_that_device(sb, clock) -> None:
    login_jean(sb, "c1", device="pc-maison", personal_computer=True)
    clock.advance(timedelta(days=30))
    trusted = sb.login("c1", JEAN_NIR, JEAN_CODE, "pc-maison")
    assert trusted.reason is Reason.LOGGED_IN_TRUSTED_DEVICE and sb.session_info("c1").ok
    assert sb.login("c1", JEAN_NIR, JEAN_CODE, "autre-navigateur").reason is Reason.SECURITY_CODE_REQUIRED
    assert sb.login("c1", JEAN_NIR, JEAN_CODE, None).reason is Reason.SECURITY_CODE_REQUIRED
    # Another learner's world knows nothing of this trusted computer.
    assert sb.login("c2", JEAN_NIR, JEAN_CODE, "pc-maison").reason is Reason.SECURITY_CODE_REQUIRED
    clock.advance(policy.TRUSTED_DEVICE_DURATION - timedelta(days=30, minutes=1))
    assert sb.login("c1", JEAN_NIR, JEAN_CODE, "pc-maison").reason is Reason.LOGGED_IN_TRUSTED_DEVICE
    clock.advance(timedelta(minutes=2))  # 6 months are over
    assert sb.login("c1", JEAN_NIR, JEAN_CODE, "pc-maison").reason is Reason.SECURITY_CODE_REQUIRED
    assert policy.TRUSTED_DEVICE_DURATION == timedelta(days=183)


def test_not_ticking_personal_computer_trusts_nothing(sb) -> None:
    login_jean(sb, "c1", device="pc-maison", personal_computer=False)
    assert sb.login("c1", JEAN_NIR, JEAN_CODE, "pc-maison").reason is Reason.SECURITY_CODE_REQUIRED


def test_wrong_password_on_a_trusted_device_is_still_refused(sb) -> None:
    login_jean(sb, "c1", device="pc-maison", personal_computer=True)
    assert sb.login("c1", JEAN_NIR, "00000000", "pc-maison").reason is Reason.WRONG_CREDENTIALS
    assert sb.session_info("c1").reason is Reason.NOT_LOGGED_IN


def test_logout_and_new_login_resets_the_session(sb) -> None:
    login_jean(sb, "c1")
    assert sb.logout("c1").reason is Reason.LOGGED_OUT
    assert sb.session_info("c1").reason is Reason.NOT_LOGGED_IN
    login_jean(sb, "c1")
    assert sb.login("c1", JEAN_NIR, "99999999", "pc").reason is Reason.WRONG_CREDENTIALS
    assert sb.session_info("c1").reason is Reason.NOT_LOGGED_IN
