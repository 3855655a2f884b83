"""Storage: persistence, secrets never in clear, DB-enforced uniqueness, processes, trainer ops."""

from __future__ import annotations

import multiprocessing
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sandbox_helpers import JEAN_CODE, JEAN_NIR, KEY, MARIE_NIR, START, code_from, create_marie, link_from, login_jean
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from actions.sandbox import FakeClock, Reason, Sandbox, db
from actions.sandbox.demo import DEMO_PEOPLE


def _db_bytes(path: Path) -> bytes:
    """The SQLite file and its WAL/shared-memory companions."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_data_survives_reopening(make_sandbox, db_url, clock) -> None:
    first = make_sandbox()
    sent = create_marie(first)
    link = link_from(first, "c-marie", sent)
    first.advance_clock("c-marie", timedelta(hours=2))
    first.close()
    second = make_sandbox()  # a new engine on the same file
    assert second.now("c-marie") == clock.now() + timedelta(hours=2)  # the world's offset kept
    assert second.open_validation_link("c-marie", link).reason is Reason.ACCOUNT_ACTIVATED
    assert second.login("c-marie", MARIE_NIR, "13579246801", "pc").reason is Reason.SECURITY_CODE_REQUIRED
    dossiers = second.list_dossiers("c-marie").data["dossiers"]
    assert [d.account for d in dossiers if d.last_name == "Durand"] == ["active"]
    assert len(dossiers) == len(DEMO_PEOPLE)  # demo loaded once


def test_only_hashes_and_sealed_secrets_in_the_database(make_sandbox, tmp_path) -> None:
    sb = make_sandbox()
    sent = create_marie(sb, code="13579246801")
    token = link_from(sb, "c-marie", sent).split("jeton=")[1]
    assert sb.open_validation_link("c-marie", token).ok
    sb.login("c-jean", JEAN_NIR, JEAN_CODE, "pc")
    typed = code_from(sb, "c-jean", sb.request_security_code("c-jean"))
    assert sb.enter_security_code("c-jean", typed).ok
    sb.close()
    content = _db_bytes(tmp_path / "sandbox.sqlite3")
    # Control: the scan does see clear data (so it can fail).
    assert b"marie.durand@example.fr" in content and b"Durand" in content
    assert b"Nous vous adressons votre code" in content  # mail body, stored with a placeholder
    for secret in ("13579246801", JEAN_CODE, typed, token):
        assert secret.encode() not in content, secret
    # No NIR in clear either (keyed digest + masked form), in any spelling.
    for person in DEMO_PEOPLE:
        for spelling in (person.nir, person.nir.replace(" ", ""), person.nir.replace(" ", "")[:13]):
            assert spelling.encode() not in content, spelling
    assert b"1 75 01 \xe2\x80\xa2\xe2\x80\xa2" in content  # Jean Martin's masked NIR
    # The mail still shows the code to the simulated user.
    reopened = make_sandbox()
    mails = reopened.list_mails("c-jean").data["mails"]
    assert any(typed in reopened.read_mail("c-jean", m.id).data["mail"].body for m in mails)


def test_unique_email_in_a_world_is_enforced_by_the_database(sb) -> None:
    first, second = (sb.ensure_world(cid).data["world_id"] for cid in ("c1", "c2"))
    insert = text(
        "INSERT INTO sandbox_accounts (world_id, dossier_id, nir_digest, email, mobile, code_hash, active, "
        "terms_accepted_at, created_at) VALUES (:w, :d, :n, 'jean.martin@example.org', :m, :c, 0, :t, :t)"
    )
    with sb.engine.begin() as conn:
        row = conn.execute(
            text("SELECT mobile, code_hash, created_at FROM sandbox_accounts WHERE world_id = :w"), {"w": first}
        ).one()
        marie = {
            w: conn.execute(
                text("SELECT id, nir_digest FROM sandbox_dossiers WHERE last_name = 'Durand' AND world_id = :w"),
                {"w": w},
            ).one()
            for w in (first, second)
        }
    values = {"m": row.mobile, "c": row.code_hash, "t": row.created_at}
    with pytest.raises(IntegrityError):  # Jean's address is taken in world 1
        with sb.engine.begin() as conn:
            conn.execute(insert, {"w": first, "d": marie[first].id, "n": marie[first].nir_digest, **values})
    # Two worlds are independent: the same dossier and e-mail exist once in each.
    with pytest.raises(IntegrityError):
        with sb.engine.begin() as conn:
            conn.execute(insert, {"w": second, "d": marie[second].id, "n": marie[second].nir_digest, **values})


def _create_in_process(url: str, cid: str, barrier, queue) -> None:
    """Child process: its own Sandbox; one learner's creation of Marie's account up to the last step."""
    sandbox = Sandbox(url, clock=FakeClock(START), spam_share=0.0, secret_key=KEY)
    assert sandbox.start_creation(cid, MARIE_NIR, "Durand", "12/05/1984").ok
    assert sandbox.confirm_rib(cid, "7890189").ok
    assert sandbox.confirm_vitale(cid, "10234567891").ok
    assert sandbox.accept_terms(cid).ok
    assert sandbox.set_contact_details(cid, "partagee@example.fr", "0611223344").ok
    barrier.wait(timeout=30)
    queue.put(sandbox.choose_code_personnel(cid, "11223344").reason.value)
    sandbox.close()


def test_two_processes_two_learners_same_dossier_and_email_both_succeed(make_sandbox, db_url) -> None:
    sb = make_sandbox()
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_create_in_process, args=(db_url, cid, barrier, queue)) for cid in ("lea", "max")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert [queue.get(timeout=5) for _ in procs] == [Reason.VALIDATION_MAIL_SENT.value] * 2
    for cid in ("lea", "max"):
        emails = [d.email for d in sb.list_dossiers(cid).data["dossiers"]]
        assert emails.count("partagee@example.fr") == 1


def test_a_learner_clock_moves_only_their_world(make_sandbox) -> None:
    learner, other, trainer = make_sandbox(), make_sandbox(), make_sandbox()
    learner.login("c", JEAN_NIR, JEAN_CODE, "pc")
    code = code_from(learner, "c", learner.request_security_code("c"))
    other.login("o", JEAN_NIR, JEAN_CODE, "pc")
    other_code = code_from(other, "o", other.request_security_code("o"))
    assert trainer.advance_clock("c", timedelta(minutes=16)).reason is Reason.CLOCK_MOVED  # another process
    assert learner.enter_security_code("c", code).reason is Reason.CODE_EXPIRED
    assert other.enter_security_code("o", other_code).reason is Reason.LOGGED_IN
    assert trainer.advance_clock("c", timedelta(0)).reason is Reason.CLOCK_INVALID
    assert trainer.advance_clock("c", -timedelta(days=1)).reason is Reason.CLOCK_INVALID


def test_reset_drops_the_world_data_and_reloads_demo(sb) -> None:
    create_marie(sb, "c")
    login_jean(sb, "c")
    create_marie(sb, "other-learner")
    sb.advance_clock("c", timedelta(days=3))
    assert sb.reset("c").reason is Reason.SANDBOX_RESET
    dossiers = sb.list_dossiers("c").data["dossiers"]
    assert [d.last_name for d in dossiers] == [p.last_name for p in DEMO_PEOPLE]
    assert [d.account for d in dossiers] == [None, "active", None, None, None, None, None]
    assert sb.now("c") == sb.clock.now()
    assert sb.session_info("c").reason is Reason.NOT_LOGGED_IN
    assert sb.list_mails("c").reason is Reason.NO_MAILBOX
    assert create_marie(sb, "c").ok  # Marie can create her account again
    # The other learner's world is untouched.
    assert [d.account for d in sb.list_dossiers("other-learner").data["dossiers"]][0] == "inactive"
    assert sb.list_mails("other-learner").ok


def test_list_dossiers_has_no_secrets(sb) -> None:
    listing = sb.list_dossiers("c")
    assert listing.reason is Reason.DOSSIERS_LISTED
    ahmed = next(d for d in listing.data["dossiers"] if d.last_name == "Benali")
    assert ahmed.has_code_provisoire and "4826" not in repr(ahmed)
    assert len(listing.data["demo_people"]) == 7


def test_add_dossier_checks(sb) -> None:
    assert sb.add_dossier("c", MARIE_NIR, "M", "D", "01/01/1984").reason is Reason.DOSSIER_EXISTS
    assert sb.add_dossier("c", "1 90 01 75 001 002 94", "L", "P", "01/01/1990").reason is Reason.NIR_KEY
    assert (
        sb.add_dossier("c", "1 90 01 75 001 002 95", "L", "P", "01/01/1990", iban="FR76 1234").reason
        is Reason.IBAN_INVALID
    )


def test_database_url_from_environment(monkeypatch, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'dir' / 'env.sqlite3'}"
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    sandbox = Sandbox(clock=FakeClock(START), spam_share=0.0)
    try:
        assert sandbox.url == url
        assert (tmp_path / "sub" / "dir" / "env.sqlite3").exists()  # folder created on first start
        assert (tmp_path / "sub" / "dir" / "env.key").exists()  # mail key kept off the database
        assert len(sandbox.list_dossiers("c").data["dossiers"]) == len(DEMO_PEOPLE)
    finally:
        sandbox.close()
    monkeypatch.delenv(db.DATABASE_URL_ENV)
    default = db.database_url()
    assert default.startswith("sqlite:///") and default.endswith(str(Path("var") / "sandbox.sqlite3"))
    assert re.search(r"/var/sandbox\.sqlite3$", default) and str(db.REPO_ROOT) in default


def test_shared_sandbox_and_trainer_cli(monkeypatch, tmp_path, capsys) -> None:
    from actions.sandbox import __main__ as cli
    from actions.sandbox import service

    monkeypatch.setenv(db.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setattr(service, "_shared", None)
    shared = service.get_sandbox()
    try:
        assert service.get_sandbox() is shared
    finally:
        shared.close()
    assert cli.parse_duration("15m") == timedelta(minutes=15)
    assert cli.parse_duration("8j") == timedelta(days=8)
    assert cli.parse_duration("demain") is None

    def sandbox_now(cid):
        sandbox = Sandbox(clock=FakeClock(START))
        try:
            sandbox.ensure_world(cid)
            return sandbox.now(cid)
        finally:
            sandbox.close()

    before = sandbox_now("salle-1")
    assert cli.main(["advance", "2h", "salle-1"]) == 0
    assert "2 heures" in capsys.readouterr().out
    assert cli.main(["dossiers"]) == 0
    assert "Ahmed Benali" in capsys.readouterr().out
    assert sandbox_now("salle-1") == before + timedelta(hours=2)
    assert sandbox_now("salle-2") == before  # another world
    assert cli.main(["advance", "hier", "salle-1"]) == 2
    assert cli.main(["advance", "2h"]) == 2
    assert cli.main(["worlds"]) == 0 and capsys.readouterr().out.split()[-1] == "2"
    assert cli.main(["purge", "0"]) == 2
    capsys.readouterr()
    # Both worlds were last used in January 2025 (the fake clock): the real-time purge removes them.
    assert cli.main(["purge"]) == 0 and "2 mondes supprimé(s)" in capsys.readouterr().out
    assert cli.main(["worlds"]) == 0 and capsys.readouterr().out.split()[-1] == "0"


def test_nirs_are_looked_up_by_keyed_digest_and_shown_masked(make_sandbox) -> None:
    sb = make_sandbox()
    assert (
        sb.add_dossier("c", "1 90 01 75 001 002 95", "Luc", "Petit", "01/01/1990").data["nir"]
        == "1 90 01 •• ••• ••• 95"
    )
    shown = {d.last_name: d.nir for d in sb.list_dossiers("c").data["dossiers"]}
    assert shown["Petit"] == "1 90 01 •• ••• ••• 95"  # a trainer's dossier: masked
    assert shown["Martin"] == JEAN_NIR  # demo NIRs are public (README): shown in full
    other_key = make_sandbox(secret_key=b"another-key-0123456789")
    assert other_key.nir_digest("190017500100295") != sb.nir_digest("190017500100295")


def test_an_old_sandbox_file_with_clear_nirs_is_rebuilt(db_url) -> None:
    engine = db.make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE sandbox_dossiers (id INTEGER PRIMARY KEY, nir VARCHAR(15))"))
        conn.execute(text("INSERT INTO sandbox_dossiers (nir) VALUES ('175016912345679')"))
    engine.dispose()
    sb = Sandbox(db_url, clock=FakeClock(START), spam_share=0.0, secret_key=KEY)
    try:
        assert sb.login("c", JEAN_NIR, JEAN_CODE, "pc").reason is Reason.SECURITY_CODE_REQUIRED
        with sb.engine.begin() as conn:
            assert "175016912345679" not in str(conn.execute(text("SELECT * FROM sandbox_dossiers")).all())
    finally:
        sb.close()
