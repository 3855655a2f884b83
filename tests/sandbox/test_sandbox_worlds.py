"""Worlds and workshops: one simulated ameli system per learner, a trainer's view of the room."""

from __future__ import annotations

from datetime import timedelta

from sandbox_helpers import JEAN_CODE, JEAN_NIR, MARIE_NIR, code_from, create_marie, link_from

from actions.sandbox import Reason, policy
from actions.sandbox.demo import DEMO_PEOPLE
from actions.sandbox_answers import say, status_label, step_label


def test_each_conversation_finds_the_seven_demo_dossiers_in_their_initial_state(sb) -> None:
    create_marie(sb, "first")
    for cid in ("first", "second"):
        dossiers = sb.list_dossiers(cid).data["dossiers"]
        assert [d.last_name for d in dossiers] == [p.last_name for p in DEMO_PEOPLE]
    assert [d.account for d in sb.list_dossiers("second").data["dossiers"]] == [
        None,
        "active",
        None,
        None,
        None,
        None,
        None,
    ]
    assert sb.start_creation("second", MARIE_NIR, "Durand", "12/05/1984").reason is Reason.CREATION_STARTED


def test_a_world_is_made_on_first_use_without_any_trainer_action(sb) -> None:
    """How long it takes is measured by `make bench` (bench/sandbox.py, goal < 50 ms), not here."""
    assert sb.count_worlds() == 0
    assert sb.start_creation("newcomer", MARIE_NIR, "Durand", "12/05/1984").reason is Reason.CREATION_STARTED
    assert sb.count_worlds() == 1
    assert sb.ensure_world("newcomer").ok and sb.count_worlds() == 1


def test_mailboxes_are_separate_and_the_newest_code_is_the_learners_own(sb) -> None:
    codes = {}
    for cid in ("lea", "max", "nour"):
        assert sb.login(cid, JEAN_NIR, JEAN_CODE, "pc").reason is Reason.SECURITY_CODE_REQUIRED
        codes[cid] = code_from(sb, cid, sb.request_security_code(cid))
    for cid in codes:
        assert len(sb.list_mails(cid).data["mails"]) == 1  # spam share 0: one mail, their own
        assert sb.enter_security_code(cid, codes[cid]).reason is Reason.LOGGED_IN


def test_the_five_codes_an_hour_count_in_each_world(sb, clock) -> None:
    for cid in ("lea", "max"):
        sb.login(cid, JEAN_NIR, JEAN_CODE, "pc")
    for _ in range(policy.MAX_CODES_PER_HOUR):
        assert sb.request_security_code("lea").ok
    assert sb.request_security_code("lea").reason is Reason.TOO_MANY_CODES
    assert sb.request_security_code("max").reason is Reason.SECURITY_CODE_SENT


def test_unused_worlds_are_purged_on_their_own_and_nothing_else_deletes_them(make_sandbox, clock) -> None:
    sb = make_sandbox()
    create_marie(sb, "old")
    clock.advance(timedelta(days=3))
    create_marie(sb, "recent")
    clock.advance(policy.WORLD_RETENTION - timedelta(days=1))  # "old": 8 days unused, "recent": 6
    assert sb.count_worlds() == 2
    sb.ensure_world("newcomer")  # a new world triggers the purge (at most once an hour)
    assert sb.count_worlds() == 2
    assert [d.account for d in sb.list_dossiers("recent").data["dossiers"]][0] == "inactive"
    assert [d.account for d in sb.list_dossiers("old").data["dossiers"]][0] is None  # a fresh world again


def test_retention_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(policy.WORLD_RETENTION_ENV, "2")
    assert policy.world_retention() == timedelta(days=2)
    for bad in ("0", "-1", "abc", ""):
        monkeypatch.setenv(policy.WORLD_RETENTION_ENV, bad)
        assert policy.world_retention() == policy.WORLD_RETENTION


def test_read_only_calls_never_create_a_world(sb) -> None:
    assert sb.list_mails("forged-id").reason is Reason.NO_MAILBOX
    assert sb.read_mail("forged-id", "0" * 32).reason is Reason.NO_MAILBOX
    assert sb.session_info("forged-id").reason is Reason.NOT_LOGGED_IN
    assert sb.count_worlds() == 0


# --------------------------------------------------------------------------------------- workshops


def _workshop(sb):
    created = sb.create_workshop("Atelier créer son compte")
    assert created.reason is Reason.WORKSHOP_CREATED
    code, secret = created.data["code"], created.data["trainer_secret"]
    assert len(code) == policy.WORKSHOP_CODE_LENGTH and set(code) <= set(policy.WORKSHOP_CODE_ALPHABET)
    return code, secret


def test_join_and_follow_the_room(sb) -> None:
    code, secret = _workshop(sb)
    assert sb.join_workshop("lea", f" {code[:3].lower()}-{code[3:]} ", "Léa").data["nickname"] == "Léa"
    assert sb.join_workshop("max", code, "léa").data["nickname"] == "léa (2)"
    assert sb.start_creation("lea", MARIE_NIR, "Durand", "12/05/1984").ok
    assert not sb.confirm_rib("lea", "0000000").ok
    assert not sb.confirm_rib("lea", "1111111").ok
    sb.login("max", JEAN_NIR, JEAN_CODE, "pc")
    sb.request_security_code("max")
    room = sb.workshop_room(secret)
    assert room.ok and room.data["code"] == code
    rows = {r.nickname: r for r in room.data["learners"]}
    assert (step_label(rows["Léa"]), rows["Léa"].mistakes, status_label(rows["Léa"])) == (
        "5/11 RIB (7 derniers caractères)",
        2,
        "en cours",
    )
    assert step_label(rows["léa (2)"]) == "5/6 code de sécurité demandé" and rows["léa (2)"].mistakes == 0
    assert sb.confirm_rib("lea", "7890189").ok
    assert {r.nickname: r for r in sb.workshop_room(secret).data["learners"]}["Léa"].mistakes == 0


def test_the_room_shows_done_and_stopped(sb) -> None:
    code, secret = _workshop(sb)
    sb.join_workshop("lea", code, "Léa")
    sb.join_workshop("max", code, "Max")
    sent = create_marie(sb, "lea")
    assert sb.open_validation_link("lea", link_from(sb, "lea", sent)).ok
    sb.start_creation("max", MARIE_NIR, "Durand", "12/05/1984")
    sb.stop_exercise("max")
    rows = {r.nickname: r for r in sb.workshop_room(secret).data["learners"]}
    assert (step_label(rows["Léa"]), status_label(rows["Léa"])) == ("11/11 compte activé", "terminé")
    assert status_label(rows["Max"]) == "arrêté"


def test_nothing_secret_in_the_room(sb) -> None:
    code, secret = _workshop(sb)
    cid = "conv-7f3a9e"
    sb.join_workshop(cid, code, "Léa")
    create_marie(sb, cid, email="adresse.privee@example.fr", code="97531864200")
    sb.login(cid, JEAN_NIR, JEAN_CODE, "pc")
    typed = code_from(sb, cid, sb.request_security_code(cid))
    room = sb.workshop_room(secret).data
    shown = repr(room)
    (row,) = room["learners"]
    assert "Léa" in shown and step_label(row) == "5/6 code de sécurité demandé"  # control: the row is there
    for secret_text in ("adresse.privee", "97531864200", typed, JEAN_CODE, MARIE_NIR, JEAN_NIR, cid, secret):
        assert secret_text not in shown, secret_text


def test_workshop_clock_for_the_room_or_one_learner(sb) -> None:
    code, secret = _workshop(sb)
    codes = {}
    for cid in ("lea", "max", "outsider"):
        if cid != "outsider":
            sb.join_workshop(cid, code, cid)
        sb.login(cid, JEAN_NIR, JEAN_CODE, "pc")
        codes[cid] = code_from(sb, cid, sb.request_security_code(cid))
    ids = {r.nickname: r.id for r in sb.workshop_room(secret).data["learners"]}
    # One learner: only that learner's code expires.
    assert sb.advance_workshop_clock(secret, timedelta(minutes=16), ids["lea"]).reason is Reason.WORKSHOP_CLOCK_MOVED
    assert sb.enter_security_code("lea", codes["lea"]).reason is Reason.CODE_EXPIRED
    assert sb.enter_security_code("max", codes["max"]).reason is Reason.LOGGED_IN
    # The whole workshop: every learner of the room, nobody outside it.
    sb.login("max", JEAN_NIR, JEAN_CODE, "pc")
    codes["max"] = code_from(sb, "max", sb.request_security_code("max"))
    moved = sb.advance_workshop_clock(secret, timedelta(minutes=16))
    assert moved.reason is Reason.WORKSHOP_CLOCK_MOVED and "toute la salle" in say(moved)
    assert sb.enter_security_code("max", codes["max"]).reason is Reason.CODE_EXPIRED
    assert sb.enter_security_code("outsider", codes["outsider"]).reason is Reason.LOGGED_IN
    assert sb.workshop_room(secret).data["clock_label"] == "16 minutes"


def test_trainer_resets_one_learner(sb) -> None:
    code, secret = _workshop(sb)
    for cid in ("lea", "max"):
        sb.join_workshop(cid, code, cid)
        create_marie(sb, cid)
    ids = {r.nickname: r.id for r in sb.workshop_room(secret).data["learners"]}
    assert sb.reset_learner(secret, ids["lea"]).reason is Reason.LEARNER_RESET
    assert sb.list_dossiers("lea").data["dossiers"][0].account is None
    assert sb.list_dossiers("max").data["dossiers"][0].account == "inactive"
    assert sb.workshop_of("lea").data["nickname"] == "lea"  # still in the workshop


def test_forged_trainer_calls_are_refused(sb) -> None:
    code, secret = _workshop(sb)
    other_code, other_secret = _workshop(sb)
    sb.join_workshop("lea", code, "Léa")
    sb.ensure_world("stranger")
    lea = sb.workshop_room(secret).data["learners"][0].id
    stranger = sb.ensure_world("stranger").data["world_id"]
    for forged in ("", "x", code, secret[:-1] + ("A" if secret[-1] != "A" else "B")):
        assert sb.workshop_room(forged).reason is Reason.WORKSHOP_UNKNOWN
        assert sb.reset_learner(forged, lea).reason is Reason.WORKSHOP_UNKNOWN
    assert sb.reset_learner(other_secret, lea).reason is Reason.LEARNER_UNKNOWN  # not in that workshop
    assert sb.reset_learner(secret, stranger).reason is Reason.LEARNER_UNKNOWN
    assert sb.advance_workshop_clock(secret, timedelta(hours=1), stranger).reason is Reason.LEARNER_UNKNOWN
    assert sb.advance_workshop_clock(secret, -timedelta(hours=1)).reason is Reason.CLOCK_INVALID


def test_join_checks_the_code_and_the_nickname(sb) -> None:
    code, _ = _workshop(sb)
    assert sb.join_workshop("c", "ZZZZZZ", "Léa").reason is Reason.WORKSHOP_UNKNOWN
    assert sb.join_workshop("c", "", "Léa").reason is Reason.WORKSHOP_UNKNOWN
    for bad in ("", "   ", "x" * 31, "<b>Léa</b>", "lea@example.fr", "2 84 05 38 185", "😀", "__"):
        assert sb.join_workshop("c", code, bad).reason is Reason.NICKNAME_INVALID, bad
    for good in ("Léa", "Jean-Pierre", "Mme O'Neil", "Max 2"):
        assert sb.join_workshop("c", code, good).ok, good
    assert sb.workshop_info(code.lower()).data["name"] == "Atelier créer son compte"
    assert sb.create_workshop("").reason is Reason.WORKSHOP_NAME_INVALID
    assert sb.create_workshop("<script>x</script>").data["name"] == "script x /script"
