"""The `Sandbox` façade: every operation the chat actions call, nothing else holds rules.

Each operation takes the conversation id; the state of a conversation (creation step, login
stage, device, who is logged in) lives in the database, so the caller never tells the sandbox
that something was verified. Results are `Result` objects with an ok flag, a reason code, the
French message and some data.

Worlds: every conversation practises in its own world (`db.World`, keyed by the conversation
id), made from the demo definition on first use. Every query is scoped to the caller's world,
so learners practising at the same time never see or change each other's dossiers, mails,
codes or clock. Worlds unused for `policy.WORLD_RETENTION` are purged on their own.
"""

from __future__ import annotations

import functools
import secrets
import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, TypeVar, Union

from sqlalchemy import delete, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from . import appointments, db, identifiers, mailbox, policy, progress, security
from .clock import Clock, SystemClock
from .demo import DEMO_PEOPLE, load_demo
from .reasons import Reason
from .results import AppointmentView, DossierView, MailSummary, MailView, Result, Slot
from .steps import AccountState, CreationStep, EnrolmentRoute, LoginStage
from .workshops import WorkshopOps

_PURGE_KEY = "worlds_purged_at"
# Tables that hold a world's rows, children first (explicit deletes: no reliance on cascades).
_WORLD_TABLES = (
    db.Appointment,
    db.Mail,
    db.TrustedDevice,
    db.SecurityCode,
    db.Conversation,
    db.ValidationLink,
    db.Enrolment,
    db.Account,
    db.Dossier,
)
F = TypeVar("F", bound=Callable[..., Result])


def _ok(reason: Reason, data: Optional[Dict[str, Any]] = None, **values: Any) -> Result:
    """A success; `values` are the raw values of its text (actions/sandbox_answers.py writes it)."""
    return Result(True, reason, dict(data or {}), values)


def _fail(reason: Reason, data: Optional[Dict[str, Any]] = None, **values: Any) -> Result:
    return Result(False, reason, dict(data or {}), values)


def _tracked(exercise: str, step: str) -> Callable[[F], F]:
    """Record, for the trainer's view, the outcome of an exercise step (see `progress`)."""

    def decorate(operation: F) -> F:
        @functools.wraps(operation)
        def run(self: "Sandbox", conversation_id: str, *args: Any, **kwargs: Any) -> Result:
            result = operation(self, conversation_id, *args, **kwargs)
            self._record(conversation_id, exercise, step, result)
            return result

        return run  # type: ignore[return-value]

    return decorate


class Sandbox(WorkshopOps):
    """The simulated ameli account system (sheets 07, 08, 09, 1.1, "Connexion compte ameli")."""

    def __init__(
        self,
        database_url: Optional[str] = None,
        *,
        clock: Optional[Clock] = None,
        spam_share: Optional[float] = None,
        secret_key: Optional[bytes] = None,
    ) -> None:
        """Open (and create if needed) the sandbox database.

        database_url: any SQLAlchemy URL; default SANDBOX_DATABASE_URL, else var/sandbox.sqlite3.
        clock: SystemClock by default; a FakeClock in tests.
        spam_share: share of mails put in the spam folder (0..1); default SANDBOX_SPAM_SHARE.
        secret_key: key that encrypts mail secrets; default SANDBOX_SECRET_KEY, else a key file.
        """
        self.url = db.database_url(database_url)
        self.engine = db.make_engine(self.url)
        self.clock: Clock = clock or SystemClock()
        self.spam_share = policy.spam_share_from_env() if spam_share is None else min(1.0, max(0.0, spam_share))
        key = secret_key or security.load_or_create_key(self._key_file())
        self._box = security.SecretBox(key)
        self._nir_key = security.derive_key(key, "nir")
        self._demo_hashes: Dict[str, str] = {}
        for person in DEMO_PEOPLE:  # once per process, so that a new world costs no key derivation
            for secret in (person.code_provisoire, person.code_personnel):
                if secret:
                    self._hash_demo_secret(secret)
        self._create_schema()

    # ------------------------------------------------------------------ infrastructure

    def _key_file(self) -> Path:
        path = db.sqlite_path(self.url)
        return path.with_suffix(".key") if path else db.REPO_ROOT / "var" / "sandbox.key"

    def _create_schema(self) -> None:
        self._drop_schema_with_clear_nir()
        try:
            db.Base.metadata.create_all(self.engine)
        except (OperationalError, ProgrammingError, IntegrityError):
            db.Base.metadata.create_all(self.engine)  # another process created it meanwhile

    def _drop_schema_with_clear_nir(self) -> None:
        """A sandbox file from before worlds (no `world_id`) or NIR digests (`nir` in clear) is rebuilt.

        The sandbox only holds fictitious practice data: starting again from the demo
        dossiers is the safe migration, and it erases the clear NIRs.
        """
        inspector = sa_inspect(self.engine)
        if not inspector.has_table("sandbox_dossiers"):
            return
        columns = {c["name"] for c in inspector.get_columns("sandbox_dossiers")}
        if "nir" in columns or "world_id" not in columns:
            db.Base.metadata.drop_all(self.engine)
            with self.engine.begin() as conn:  # tables of the old schema that no model lists any more
                for table in ("sandbox_dossiers", "sandbox_settings"):
                    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")

    def nir_digest(self, compact_nir: str) -> str:
        """The keyed digest under which a NIR is stored (see security.nir_digest)."""
        return security.nir_digest(self._nir_key, compact_nir)

    def _hash_demo_secret(self, secret: str) -> str:
        """Salted hash of a public demo code, computed once per process (a world costs no scrypt)."""
        if secret not in self._demo_hashes:
            self._demo_hashes[secret] = security.hash_secret(secret)
        return self._demo_hashes[secret]

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """One transaction; commits on success, rolls back on error."""
        with Session(self.engine, expire_on_commit=False, **db.FUTURE) as session:
            with session.begin():
                yield session

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()

    # ------------------------------------------------------------------ worlds

    def _find_world(self, s: Session, conversation_id: str) -> Optional[db.World]:
        return s.execute(select(db.World).where(db.World.key == conversation_id)).scalar_one_or_none()

    def _world(self, s: Session, conversation_id: str) -> db.World:
        """The caller's world, made from the demo definition on first use; marks it used."""
        world = self._find_world(s, conversation_id)
        if world is None:
            world = self._create_world(s, conversation_id)
        world.last_used_at = self.clock.now()
        return world

    def _create_world(self, s: Session, conversation_id: str) -> db.World:
        real_now = self.clock.now()
        try:
            with s.begin_nested():
                world = db.World(
                    key=conversation_id,
                    created_at=real_now,
                    last_used_at=real_now,
                    clock_offset_seconds=0.0,
                    mistakes=0,
                )
                s.add(world)
                s.flush()
                load_demo(s, world.id, real_now, self.nir_digest, self._hash_demo_secret)
        except IntegrityError:  # made by another process at the same moment
            found = self._find_world(s, conversation_id)
            if found is None:
                raise
            return found
        self._purge_if_due(s, real_now)
        return world

    def ensure_world(self, conversation_id: str) -> Result:
        """Make the caller's world now (else it is made on first use); data: world_id."""
        with self._tx() as s:
            return _ok(Reason.WORLD_READY, {"world_id": self._world(s, conversation_id).id})

    def _existing_world(self, s: Session, conversation_id: str) -> Optional[db.World]:
        """The caller's world if it exists (read-only paths never create one)."""
        world = self._find_world(s, conversation_id)
        if world is not None:
            world.last_used_at = self.clock.now()
        return world

    def _offset(self, s: Session, world: db.World) -> timedelta:
        seconds = world.clock_offset_seconds or 0.0
        if world.workshop_id is not None:
            workshop = s.get(db.Workshop, world.workshop_id)
            seconds += workshop.clock_offset_seconds if workshop is not None else 0.0
        return timedelta(seconds=seconds)

    def _now(self, s: Session, world: db.World) -> datetime:
        """Time in a world: the clock, plus the world's and its workshop's offsets."""
        return self.clock.now() + self._offset(s, world)

    def now(self, conversation_id: str) -> datetime:
        """Sandbox time in the caller's world (aware UTC)."""
        with self._tx() as s:
            world = self._existing_world(s, conversation_id)
            return self.clock.now() if world is None else self._now(s, world)

    def _delete_world_rows(self, s: Session, world_ids: List[int]) -> None:
        for table in _WORLD_TABLES:
            s.execute(delete(table).where(table.world_id.in_(world_ids)))

    def _purge_if_due(self, s: Session, real_now: datetime) -> None:
        """Purge unused worlds at most once an hour, on the way (nothing else deletes them)."""
        row = s.get(db.Setting, _PURGE_KEY)
        if row is not None and real_now - datetime.fromisoformat(row.value) < policy.WORLD_PURGE_INTERVAL:
            return
        if row is None:
            s.add(db.Setting(key=_PURGE_KEY, value=real_now.isoformat()))
        else:
            row.value = real_now.isoformat()
        self._purge(s, real_now - policy.world_retention())

    def _purge(self, s: Session, before: datetime) -> int:
        ids = list(s.execute(select(db.World.id).where(db.World.last_used_at < before)).scalars())
        if ids:
            self._delete_world_rows(s, ids)
            s.execute(delete(db.World).where(db.World.id.in_(ids)).execution_options(synchronize_session=False))
        used = select(db.World.workshop_id).where(db.World.workshop_id.is_not(None))
        s.execute(
            delete(db.Workshop)
            .where(db.Workshop.created_at < before, db.Workshop.id.not_in(used))
            .execution_options(synchronize_session=False)
        )
        return len(ids)

    def purge(self, retention: Optional[timedelta] = None) -> Result:
        """Delete the worlds unused for `retention` (default policy.world_retention())."""
        kept = policy.world_retention() if retention is None else retention
        with self._tx() as s:
            count = self._purge(s, self.clock.now() - kept)
        return _ok(Reason.WORLDS_PURGED, {"count": count}, count=count, days=kept)

    def _record(self, conversation_id: str, exercise: str, step: str, result: Result) -> None:
        """Note the step reached and the mistakes made on it (no secret: reason codes only)."""
        with self._tx() as s:
            world = self._find_world(s, conversation_id)
            if world is not None:
                progress.record(world, exercise, step, result.ok, result.reason.value, result.data.get("step"))

    def stop_exercise(self, conversation_id: str) -> Result:
        """The learner left the exercise: shown as stopped in the trainer's view."""
        with self._tx() as s:
            world = self._existing_world(s, conversation_id)
            if world is not None:
                progress.stop(world)
        return _ok(Reason.EXERCISE_STOPPED)

    def _conversation(self, s: Session, world: db.World, conversation_id: str) -> db.Conversation:
        conv = s.get(db.Conversation, conversation_id)
        if conv is None:
            conv = db.Conversation(
                conversation_id=conversation_id,
                world_id=world.id,
                stage=LoginStage.NONE,
                updated_at=self._now(s, world),
            )
            s.add(conv)
            s.flush()
        return conv

    @staticmethod
    def _lock_account(s: Session, account_id: int) -> db.Account:
        """The account row, locked until commit (FOR UPDATE; SQLite is already serialised)."""
        return s.execute(select(db.Account).where(db.Account.id == account_id).with_for_update()).scalar_one()

    def _dossier_by_nir(self, s: Session, world: db.World, nir: str) -> Optional[db.Dossier]:
        digest = self.nir_digest(nir)
        return s.execute(
            select(db.Dossier).where(
                db.Dossier.world_id == world.id,
                db.Dossier.nir_digest == digest,
            )
        ).scalar_one_or_none()

    def _account_by_nir(self, s: Session, world: db.World, nir: str) -> Optional[db.Account]:
        return self._account_by_digest(s, world, self.nir_digest(nir))

    @staticmethod
    def _account_by_digest(s: Session, world: db.World, digest: str) -> Optional[db.Account]:
        return s.execute(
            select(db.Account).where(
                db.Account.world_id == world.id,
                db.Account.nir_digest == digest,
            )
        ).scalar_one_or_none()

    def _send_mail(
        self,
        s: Session,
        world: db.World,
        recipient: str,
        kind: str,
        subject: str,
        body: str,
        secret: str,
    ) -> db.Mail:
        mail_id = secrets.token_hex(16)
        mail = db.Mail(
            id=mail_id,
            world_id=world.id,
            recipient=recipient,
            folder=mailbox.folder_for(mail_id, self.spam_share),
            kind=kind,
            sender=mailbox.SENDER,
            subject=subject,
            body=body,
            sealed_secret=self._box.seal(secret),
            received_at=self._now(s, world),
        )
        s.add(mail)
        return mail

    def _send_validation_link(self, s: Session, world: db.World, account: db.Account) -> db.Mail:
        """New 7-day link; older unused links of the account stop working."""
        now = self._now(s, world)
        s.execute(delete(db.ValidationLink).where(db.ValidationLink.account_id == account.id))
        token = security.new_token()
        s.add(
            db.ValidationLink(
                world_id=world.id,
                account_id=account.id,
                token_digest=security.token_digest(token),
                created_at=now,
                expires_at=now + policy.VALIDATION_LINK_VALIDITY,
            )
        )
        return self._send_mail(
            s,
            world,
            account.email,
            "validation_link",
            mailbox.VALIDATION_SUBJECT,
            mailbox.validation_body(),
            mailbox.validation_link(token),
        )

    # ------------------------------------------------------------------ account creation (sheet 07)

    @_tracked(progress.CREATION, "identity")
    def start_creation(self, conversation_id: str, nir: str, last_name: str, birth_date: Union[date, str]) -> Result:
        """Step "informations personnelles": NIR + last name + birth date; refusal cases of sheet 07."""
        check = identifiers.check_nir(nir)
        if not check.ok:
            return _fail(check.reason)
        born = identifiers.parse_birth_date(birth_date)
        if born is None:
            return _fail(Reason.BIRTH_DATE_FORMAT)
        with self._tx() as s:
            world = self._world(s, conversation_id)
            s.execute(delete(db.Enrolment).where(db.Enrolment.conversation_id == conversation_id))
            dossier = self._dossier_by_nir(s, world, check.value or "")
            if dossier is None or dossier.birth_date != born or not identifiers.same_name(last_name, dossier.last_name):
                return _fail(Reason.IDENTITY_MISMATCH)
            if self._account_by_digest(s, world, dossier.nir_digest) is not None:
                return _fail(Reason.ACCOUNT_EXISTS)
            if dossier.status == "transfer":
                return _fail(Reason.FILE_TRANSFER, {"organism": dossier.transfer_from}, organism=dossier.transfer_from)
            if not dossier.iban:
                return _fail(Reason.NO_RIB)
            s.add(
                db.Enrolment(
                    conversation_id=conversation_id,
                    world_id=world.id,
                    route=EnrolmentRoute.CREATION,
                    dossier_id=dossier.id,
                    step=CreationStep.RIB,
                    updated_at=self._now(s, world),
                )
            )
            return _ok(Reason.CREATION_STARTED, {"step": CreationStep.RIB, "first_name": dossier.first_name})

    def _enrolment(self, s: Session, conversation_id: str, step: str) -> Union[Tuple[db.World, db.Enrolment], Result]:
        """The world and enrolment of the conversation if it is at `step`, else the refusal to return."""
        world = self._world(s, conversation_id)
        enrolment = s.get(db.Enrolment, conversation_id)
        if enrolment is None or enrolment.world_id != world.id:
            return _fail(Reason.NO_ENROLMENT)
        if enrolment.step != step:
            return _fail(Reason.WRONG_STEP, {"step": enrolment.step}, expected=enrolment.step)
        return world, enrolment

    @_tracked(progress.CREATION, CreationStep.RIB)
    def confirm_rib(self, conversation_id: str, last_characters: str) -> Result:
        """Step "7 derniers caractères du RIB", compared with the IBAN on file."""
        return self._check_dossier_step(
            conversation_id,
            CreationStep.RIB,
            CreationStep.VITALE,
            Reason.RIB_OK,
            lambda dossier: identifiers.check_rib_suffix(last_characters, dossier.iban or ""),
        )

    @_tracked(progress.CREATION, CreationStep.VITALE)
    def confirm_vitale(self, conversation_id: str, last_digits: str) -> Result:
        """Step "11 derniers chiffres du n° de série de la carte Vitale"."""
        return self._check_dossier_step(
            conversation_id,
            CreationStep.VITALE,
            CreationStep.TERMS,
            Reason.VITALE_OK,
            lambda dossier: identifiers.check_vitale_suffix(last_digits, dossier.vitale_serial or ""),
        )

    def _check_dossier_step(
        self, conversation_id: str, step: str, next_step: str, ok_reason: Reason, check: Any
    ) -> Result:
        """A creation step that compares what was typed with the dossier, then moves on."""
        with self._tx() as s:
            found = self._enrolment(s, conversation_id, step)
            if isinstance(found, Result):
                return found
            world, enrolment = found
            outcome = check(s.get(db.Dossier, enrolment.dossier_id))
            if not outcome.ok:
                return _fail(outcome.reason, {"step": step})
            enrolment.step, enrolment.updated_at = next_step, self._now(s, world)
            return _ok(ok_reason, {"step": next_step})

    @_tracked(progress.CREATION, CreationStep.TERMS)
    def accept_terms(self, conversation_id: str, accepted: bool = True) -> Result:
        """Step "conditions d'utilisation" (both routes)."""
        with self._tx() as s:
            found = self._enrolment(s, conversation_id, CreationStep.TERMS)
            if isinstance(found, Result):
                return found
            world, enrolment = found
            if not accepted:
                return _fail(Reason.TERMS_REFUSED, {"step": CreationStep.TERMS})
            now = self._now(s, world)
            enrolment.terms_accepted_at, enrolment.step, enrolment.updated_at = now, CreationStep.CONTACT, now
            return _ok(Reason.TERMS_ACCEPTED, {"step": CreationStep.CONTACT})

    @_tracked(progress.CREATION, CreationStep.CONTACT)
    def set_contact_details(
        self, conversation_id: str, email: str, mobile: str, accepts_contacts: bool = False
    ) -> Result:
        """Step "adresse e-mail unique et personnelle + n° de portable" (both routes).

        accepts_contacts: sheet 1.1 "accepter ou non les contacts" (optional, default no).
        On the code provisoire route (sheet 1.1) the choice of contacts comes next (choose_contacts).
        """
        email_check, mobile_check = identifiers.check_email(email), identifiers.check_mobile(mobile)
        if not email_check.ok:
            return _fail(email_check.reason, {"step": CreationStep.CONTACT})
        if not mobile_check.ok:
            return _fail(mobile_check.reason, {"step": CreationStep.CONTACT})
        with self._tx() as s:
            found = self._enrolment(s, conversation_id, CreationStep.CONTACT)
            if isinstance(found, Result):
                return found
            world, enrolment = found
            address = email_check.value or ""
            if s.execute(
                select(db.Account.id).where(db.Account.world_id == world.id, db.Account.email == address)
            ).first():
                return _fail(Reason.EMAIL_TAKEN, {"step": CreationStep.CONTACT})
            enrolment.email, enrolment.mobile, enrolment.updated_at = address, mobile_check.value, self._now(s, world)
            enrolment.accepts_contacts = accepts_contacts
            self._conversation(s, world, conversation_id).mailbox = address
            if enrolment.route == EnrolmentRoute.PROVISIONAL:
                enrolment.step = CreationStep.CONSENT
                return _ok(Reason.CONTACTS_CHOICE, {"step": CreationStep.CONSENT})
            enrolment.step = CreationStep.CODE
            return _ok(Reason.CONTACT_SAVED, {"step": CreationStep.CODE})

    @_tracked(progress.CREATION, CreationStep.CONSENT)
    def choose_contacts(self, conversation_id: str, accepts_contacts: bool) -> Result:
        """Sheet 1.1, « Accepter ou non les contacts »: both answers are fine; the account is then
        created and the validation mail sent."""
        with self._tx() as s:
            found = self._enrolment(s, conversation_id, CreationStep.CONSENT)
            if isinstance(found, Result):
                return found
            world, enrolment = found
            enrolment.accepts_contacts, enrolment.updated_at = bool(accepts_contacts), self._now(s, world)
            return self._finish_enrolment(s, world, enrolment)

    @_tracked(progress.CREATION, CreationStep.CODE)
    def choose_code_personnel(self, conversation_id: str, code: str) -> Result:
        """Step "je choisis un code personnel" (8 to 13 digits).

        Sheet 07: last step, creates the account and sends the validation mail.
        Sheet 1.1: first step after logging in with a code provisoire (personalisation).
        """
        check = identifiers.check_code_personnel(code)
        if not check.ok:
            return _fail(check.reason, {"step": CreationStep.CODE})
        with self._tx() as s:
            found = self._enrolment(s, conversation_id, CreationStep.CODE)
            if isinstance(found, Result):
                return found
            world, enrolment = found
            enrolment.code_hash, enrolment.updated_at = security.hash_secret(check.value or ""), self._now(s, world)
            if enrolment.route == EnrolmentRoute.PROVISIONAL:
                enrolment.step = CreationStep.TERMS
                return _ok(Reason.CODE_PERSONNEL_SAVED, {"step": CreationStep.TERMS})
            return self._finish_enrolment(s, world, enrolment)

    def _finish_enrolment(self, s: Session, world: db.World, enrolment: db.Enrolment) -> Result:
        """Create the inactive account (the DB enforces one e-mail, one NIR a world) and send the link."""
        dossier = s.get(db.Dossier, enrolment.dossier_id)
        now = self._now(s, world)
        account = db.Account(
            world_id=world.id,
            dossier_id=dossier.id,
            nir_digest=dossier.nir_digest,
            email=enrolment.email,
            mobile=enrolment.mobile,
            code_hash=enrolment.code_hash,
            active=False,
            accepts_contacts=enrolment.accepts_contacts,
            terms_accepted_at=enrolment.terms_accepted_at,
            created_at=now,
        )
        try:
            with s.begin_nested():
                s.add(account)
                s.flush()
        except IntegrityError:
            if self._account_by_digest(s, world, dossier.nir_digest) is not None:
                s.delete(enrolment)
                return _fail(Reason.ACCOUNT_EXISTS)
            enrolment.step, enrolment.email = CreationStep.CONTACT, None  # e-mail taken meanwhile: ask another one
            return _fail(Reason.EMAIL_TAKEN, {"step": CreationStep.CONTACT})
        dossier.code_provisoire_hash = None  # replaced by the code personnel
        mail = self._send_validation_link(s, world, account)
        enrolment.step, enrolment.account_id, enrolment.code_hash = CreationStep.DONE, account.id, None
        masked = identifiers.mask_email(account.email)
        return _ok(
            Reason.VALIDATION_MAIL_SENT,
            {"step": CreationStep.DONE, "masked_email": masked, "mail_id": mail.id, "mail_folder": mail.folder},
            masked_email=masked,
        )

    @_tracked(progress.CREATION, CreationStep.DONE)
    def open_validation_link(self, conversation_id: str, link: str) -> Result:
        """The user clicks the link of the validation mail (whole link or token), in their own world."""
        digest = security.token_digest(mailbox.token_from_link(link))
        with self._tx() as s:
            world = self._world(s, conversation_id)
            row = s.execute(
                select(db.ValidationLink).where(
                    db.ValidationLink.world_id == world.id,
                    db.ValidationLink.token_digest == digest,
                )
            ).scalar_one_or_none()
            if row is None:
                return _fail(Reason.LINK_INVALID)
            account = self._lock_account(s, row.account_id)
            if account.active:
                return _fail(Reason.ACCOUNT_ALREADY_ACTIVE)
            now = self._now(s, world)
            if now > row.expires_at:
                return _fail(Reason.LINK_EXPIRED, {"can_resend": True})
            account.active, account.activated_at, row.used_at = True, now, now
            return _ok(Reason.ACCOUNT_ACTIVATED)

    def resend_validation_link(self, conversation_id: str) -> Result:
        """Send a new 7-day link for the account created, or logged into, in this conversation."""
        with self._tx() as s:
            world = self._world(s, conversation_id)
            enrolment = s.get(db.Enrolment, conversation_id)
            conv = s.get(db.Conversation, conversation_id)
            account_id = enrolment.account_id if enrolment is not None and enrolment.account_id else None
            if account_id is None and conv is not None and conv.stage == LoginStage.INACTIVE:
                account_id = conv.account_id
            if account_id is None:
                return _fail(Reason.NO_ENROLMENT)
            account = self._lock_account(s, account_id)
            if account.active:
                return _fail(Reason.ACCOUNT_ALREADY_ACTIVE)
            mail = self._send_validation_link(s, world, account)
            masked = identifiers.mask_email(account.email)
            return _ok(
                Reason.LINK_RESENT,
                {"masked_email": masked, "mail_id": mail.id, "mail_folder": mail.folder},
                masked_email=masked,
            )

    # ------------------------------------------------------------------ login (sheets 09, 08, 003, 1.1)

    @_tracked(progress.LOGIN, "credentials")
    def login(self, conversation_id: str, nir: str, password: str, device_id: Optional[str] = None) -> Result:
        """ "Me connecter" with NIR + code personnel (or a code provisoire, sheet 1.1).

        Reasons: SECURITY_CODE_REQUIRED (then request_security_code), LOGGED_IN_TRUSTED_DEVICE,
        PERSONALISE_REQUIRED (4-digit code provisoire: continue with choose_code_personnel),
        KIOSK_CODE_ACCEPTED (8-digit code of the kiosks, already personalised: continue with
        accept_terms), or a refusal.
        """
        check = identifiers.check_nir(nir)
        if not check.ok:
            return _fail(check.reason)
        with self._tx() as s:
            world = self._world(s, conversation_id)
            now = self._now(s, world)
            conv = self._conversation(s, world, conversation_id)
            conv.account_id, conv.stage, conv.device_id, conv.updated_at = None, LoginStage.NONE, device_id, now
            found = self._account_by_nir(s, world, check.value or "")
            if found is None:
                return self._login_with_code_provisoire(s, world, conversation_id, check.value or "", password)
            account = self._lock_account(s, found.id)
            if not security.verify_secret(password or "", account.code_hash):
                return _fail(Reason.WRONG_CREDENTIALS)
            conv.account_id, conv.mailbox = account.id, account.email
            masked = identifiers.mask_email(account.email)
            if not account.active:
                conv.stage = LoginStage.INACTIVE
                return _fail(Reason.ACCOUNT_NOT_ACTIVE, {"can_resend": True, "masked_email": masked})
            if (
                device_id
                and s.execute(
                    select(db.TrustedDevice.id).where(
                        db.TrustedDevice.account_id == account.id,
                        db.TrustedDevice.device_id == device_id,
                        db.TrustedDevice.expires_at > now,
                    )
                ).first()
            ):
                conv.stage = LoginStage.LOGGED_IN
                return _ok(Reason.LOGGED_IN_TRUSTED_DEVICE, {"logged_in": True, "masked_email": masked})
            conv.stage = LoginStage.CODE
            return _ok(Reason.SECURITY_CODE_REQUIRED, {"logged_in": False, "masked_email": masked}, masked_email=masked)

    def _login_with_code_provisoire(
        self,
        s: Session,
        world: db.World,
        conversation_id: str,
        nir: str,
        password: str,
    ) -> Result:
        dossier = self._dossier_by_nir(s, world, nir)
        if dossier is None or not dossier.code_provisoire_hash:
            return _fail(Reason.NO_ACCOUNT)
        if not identifiers.check_code_provisoire(password).ok or not security.verify_secret(
            password, dossier.code_provisoire_hash
        ):
            return _fail(Reason.WRONG_CREDENTIALS)
        s.execute(delete(db.Enrolment).where(db.Enrolment.conversation_id == conversation_id))
        # Sheet 1.1: only the 4-digit code of the CPAM desk must be personalised; the 8-digit code
        # of the kiosks is already personalised: it stays the password, the terms come next.
        kiosk = len(password) == policy.CODE_KIOSK_LENGTH
        step = CreationStep.TERMS if kiosk else CreationStep.CODE
        s.add(
            db.Enrolment(
                conversation_id=conversation_id,
                world_id=world.id,
                route=EnrolmentRoute.PROVISIONAL,
                dossier_id=dossier.id,
                step=step,
                updated_at=self._now(s, world),
                code_hash=dossier.code_provisoire_hash if kiosk else None,
            )
        )
        reason = Reason.KIOSK_CODE_ACCEPTED if kiosk else Reason.PERSONALISE_REQUIRED
        return _ok(reason, {"step": step, "logged_in": False})

    @_tracked(progress.LOGIN, "code_required")
    def request_security_code(self, conversation_id: str) -> Result:
        """ "Recevoir un code de sécurité": mails a 6-digit code, at most 5 unused codes an hour."""
        with self._tx() as s:
            world = self._world(s, conversation_id)
            conv = s.get(db.Conversation, conversation_id)
            if conv is None or conv.world_id != world.id or conv.stage != LoginStage.CODE or conv.account_id is None:
                return _fail(Reason.NO_PENDING_LOGIN)
            account = self._lock_account(s, conv.account_id)
            now = self._now(s, world)
            recent = (
                s.execute(
                    select(db.SecurityCode.created_at)
                    .where(
                        db.SecurityCode.account_id == account.id,
                        db.SecurityCode.used_at.is_(None),
                        db.SecurityCode.created_at > now - policy.CODE_RATE_WINDOW,
                    )
                    .order_by(db.SecurityCode.created_at)
                )
                .scalars()
                .all()
            )
            if len(recent) >= policy.MAX_CODES_PER_HOUR:
                wait = recent[len(recent) - policy.MAX_CODES_PER_HOUR] + policy.CODE_RATE_WINDOW - now
                return _fail(Reason.TOO_MANY_CODES, {"retry_after": wait}, wait=wait)
            s.execute(
                update(db.SecurityCode)
                .where(
                    db.SecurityCode.account_id == account.id,
                    db.SecurityCode.used_at.is_(None),
                    db.SecurityCode.superseded_at.is_(None),
                )
                .values(superseded_at=now)
            )
            code = security.new_security_code()
            s.add(
                db.SecurityCode(
                    world_id=world.id,
                    account_id=account.id,
                    conversation_id=conversation_id,
                    code_hash=security.hash_secret(code),
                    created_at=now,
                    expires_at=now + policy.SECURITY_CODE_VALIDITY,
                )
            )
            mail = self._send_mail(
                s,
                world,
                account.email,
                "security_code",
                mailbox.SECURITY_CODE_SUBJECT,
                mailbox.security_code_body(),
                code,
            )
            masked = identifiers.mask_email(account.email)
            return _ok(
                Reason.SECURITY_CODE_SENT,
                {
                    "masked_email": masked,
                    "expires_at": now + policy.SECURITY_CODE_VALIDITY,
                    "mail_id": mail.id,
                    "mail_folder": mail.folder,
                },
                masked_email=masked,
            )

    @_tracked(progress.LOGIN, "code_sent")
    def enter_security_code(self, conversation_id: str, code: str, personal_computer: bool = False) -> Result:
        """Type the code from the mail; "ordinateur personnel" trusts this device for 6 months."""
        check = identifiers.check_security_code(code)
        if not check.ok:
            return _fail(check.reason)
        typed = check.value or ""
        with self._tx() as s:
            world = self._world(s, conversation_id)
            conv = s.get(db.Conversation, conversation_id)
            if conv is None or conv.world_id != world.id or conv.stage != LoginStage.CODE or conv.account_id is None:
                return _fail(Reason.NO_PENDING_LOGIN)
            account = self._lock_account(s, conv.account_id)
            now = self._now(s, world)
            codes = (
                s.execute(
                    select(db.SecurityCode)
                    .where(db.SecurityCode.account_id == account.id, db.SecurityCode.conversation_id == conversation_id)
                    .order_by(db.SecurityCode.created_at.desc(), db.SecurityCode.id.desc())
                    .limit(policy.MAX_CODES_PER_HOUR + 1)
                )
                .scalars()
                .all()
            )
            current = codes[0] if codes and codes[0].used_at is None else None
            if current is None:
                return _fail(Reason.NO_CODE_REQUESTED)
            if current.superseded_at is not None:  # a newer code was asked from elsewhere
                return _fail(Reason.CODE_SUPERSEDED)
            if current.wrong_entries >= policy.MAX_WRONG_ENTRIES_PER_CODE:
                return _fail(Reason.CODE_BLOCKED)
            if now > current.expires_at:
                return _fail(Reason.CODE_EXPIRED)
            if not security.verify_secret(typed, current.code_hash):
                if any(security.verify_secret(typed, old.code_hash) for old in codes[1:]):
                    return _fail(Reason.CODE_SUPERSEDED)
                current.wrong_entries += 1
                left = policy.MAX_WRONG_ENTRIES_PER_CODE - current.wrong_entries
                if left <= 0:
                    return _fail(Reason.CODE_BLOCKED)
                return _fail(Reason.CODE_WRONG, {"attempts_left": left}, left=left)
            current.used_at, conv.stage, conv.updated_at = now, LoginStage.LOGGED_IN, now
            data: Dict[str, Any] = {"logged_in": True, "trusted_until": None}
            if personal_computer and conv.device_id:
                until = now + policy.TRUSTED_DEVICE_DURATION
                device = s.execute(
                    select(db.TrustedDevice).where(
                        db.TrustedDevice.account_id == account.id,
                        db.TrustedDevice.device_id == conv.device_id,
                    )
                ).scalar_one_or_none()
                if device is None:
                    s.add(
                        db.TrustedDevice(
                            world_id=world.id, account_id=account.id, device_id=conv.device_id, expires_at=until
                        )
                    )
                else:
                    device.expires_at = until
                data["trusted_until"] = until
            return _ok(Reason.LOGGED_IN, data)

    def logout(self, conversation_id: str) -> Result:
        """Log out; the simulated mailbox of the conversation stays readable."""
        with self._tx() as s:
            world = self._world(s, conversation_id)
            conv = self._conversation(s, world, conversation_id)
            conv.account_id, conv.stage, conv.updated_at = None, LoginStage.NONE, self._now(s, world)
            return _ok(Reason.LOGGED_OUT)

    def device_of(self, conversation_id: str) -> Optional[str]:
        """The device (browser) this conversation last used or switched to, if any."""
        with self._tx() as s:
            conv = s.get(db.Conversation, conversation_id)
            return conv.device_id if conv is not None else None

    def switch_device(self, conversation_id: str, device_id: str) -> Result:
        """The user moves to another browser: new device id, logged out (sheet 09)."""
        with self._tx() as s:
            world = self._world(s, conversation_id)
            conv = self._conversation(s, world, conversation_id)
            conv.device_id, conv.account_id, conv.stage, conv.updated_at = (
                device_id,
                None,
                LoginStage.NONE,
                self._now(s, world),
            )
            return _ok(Reason.DEVICE_CHANGED, {"device_id": device_id})

    @staticmethod
    def _logged_in(s: Session, conversation_id: str) -> Union[db.Account, Result]:
        """The account logged in this conversation (server-side state), else the refusal."""
        conv = s.get(db.Conversation, conversation_id)
        if conv is None or conv.stage != LoginStage.LOGGED_IN or conv.account_id is None:
            return _fail(Reason.NOT_LOGGED_IN)
        account = s.get(db.Account, conv.account_id)
        if account is None or not account.active or account.world_id != conv.world_id:
            return _fail(Reason.NOT_LOGGED_IN)
        return account

    def session_info(self, conversation_id: str) -> Result:
        """Who is logged in this conversation, and on which device."""
        with self._tx() as s:
            account = self._logged_in(s, conversation_id)
            if isinstance(account, Result):
                return account
            dossier = s.get(db.Dossier, account.dossier_id)
            name = f"{dossier.first_name} {dossier.last_name}"
            conv = s.get(db.Conversation, conversation_id)
            return _ok(
                Reason.SESSION_INFO,
                {
                    "name": name,
                    "nir": dossier.nir_masked,
                    "masked_email": identifiers.mask_email(account.email),
                    "device_id": conv.device_id,
                },
                name=name,
            )

    # ------------------------------------------------------------------ simulated mailbox

    def _mailbox(self, s: Session, conversation_id: str) -> Optional[Tuple[int, str]]:
        """The world and address of the conversation's simulated mailbox, if it has one."""
        conv = s.get(db.Conversation, conversation_id)
        if conv is None or conv.mailbox is None or self._existing_world(s, conversation_id) is None:
            return None
        return conv.world_id, conv.mailbox

    def list_mails(self, conversation_id: str, folder: str = "inbox") -> Result:
        """Mails of the conversation's simulated user in a folder ("inbox" or "spam"), newest first."""
        if folder not in policy.MAIL_FOLDERS:
            return _fail(Reason.FOLDER_UNKNOWN)
        with self._tx() as s:
            box = self._mailbox(s, conversation_id)
            if box is None:
                return _fail(Reason.NO_MAILBOX)
            world_id, address = box
            rows = (
                s.execute(
                    select(db.Mail)
                    .where(db.Mail.world_id == world_id, db.Mail.recipient == address, db.Mail.folder == folder)
                    .order_by(db.Mail.received_at.desc())
                )
                .scalars()
                .all()
            )
            mails = [
                MailSummary(m.id, m.subject, m.sender, m.received_at, m.folder, m.read_at is not None) for m in rows
            ]
            return _ok(
                Reason.MAILS_LISTED,
                {"mails": mails, "folder": folder},
                count=len(mails),
                folder=folder,
            )

    def read_mail(self, conversation_id: str, mail_id: str) -> Result:
        """Open a mail: the body shows the code or the link in clear."""
        with self._tx() as s:
            mail = self._own_mail(s, conversation_id, mail_id)
            if isinstance(mail, Result):
                return mail
            mail.read_at = mail.read_at or self._now(s, s.get(db.World, mail.world_id))
            secret = self._box.open(mail.sealed_secret) if mail.sealed_secret else None
            view = MailView(
                mail.id, mail.subject, mail.sender, mail.received_at, mail.folder, mailbox.render(mail.body, secret)
            )
            return _ok(Reason.MAIL_SHOWN, {"mail": view})

    def move_mail(self, conversation_id: str, mail_id: str, folder: str) -> Result:
        """Move a mail to "inbox" or "spam"."""
        if folder not in policy.MAIL_FOLDERS:
            return _fail(Reason.FOLDER_UNKNOWN)
        with self._tx() as s:
            mail = self._own_mail(s, conversation_id, mail_id)
            if isinstance(mail, Result):
                return mail
            mail.folder = folder
            return _ok(Reason.MAIL_MOVED, {"folder": folder}, folder=folder)

    def _own_mail(self, s: Session, conversation_id: str, mail_id: str) -> Union[db.Mail, Result]:
        """A mail of the conversation's mailbox, else the refusal."""
        box = self._mailbox(s, conversation_id)
        if box is None:
            return _fail(Reason.NO_MAILBOX)
        mail = s.get(db.Mail, mail_id)
        if mail is None or (mail.world_id, mail.recipient) != box:
            return _fail(Reason.MAIL_NOT_FOUND)
        return mail

    # ------------------------------------------------------------------ « Mon agenda »

    def appointment_reasons(self) -> Result:
        """The short list of reasons for a phone appointment: [(code, label)]."""
        return _ok(Reason.APPOINTMENT_REASONS, {"reasons": list(policy.APPOINTMENT_REASONS.items())})

    def _free_slots(self, s: Session, world: db.World) -> List[datetime]:
        now = self._now(s, world)
        booked = set(
            s.execute(
                select(db.Appointment.slot_start).where(
                    db.Appointment.world_id == world.id,
                    db.Appointment.slot_start >= now,
                )
            ).scalars()
        )
        return appointments.offered_slots(now, booked)

    @_tracked(progress.AGENDA, "slots")
    def appointment_slots(self, conversation_id: str) -> Result:
        """Free weekday slots over the next working days (logged-in user)."""
        with self._tx() as s:
            world = self._world(s, conversation_id)
            account = self._logged_in(s, conversation_id)
            if isinstance(account, Result):
                return account
            slots = [Slot(appointments.slot_id(t), t, appointments.local_label(t)) for t in self._free_slots(s, world)]
            return _ok(Reason.SLOTS_LISTED, {"slots": slots})

    @_tracked(progress.AGENDA, "booking")
    def book_appointment(self, conversation_id: str, slot_id: str, reason: str, phone: Optional[str] = None) -> Result:
        """Book an offered slot; the adviser calls the account's mobile unless another is given."""
        if reason not in policy.APPOINTMENT_REASONS:
            return _fail(Reason.APPOINTMENT_REASON_UNKNOWN)
        start = appointments.parse_slot_id(slot_id)
        with self._tx() as s:
            world = self._world(s, conversation_id)
            account = self._logged_in(s, conversation_id)
            if isinstance(account, Result):
                return account
            number = account.mobile
            if phone:
                check = identifiers.check_mobile(phone)
                if not check.ok:
                    return _fail(check.reason)
                number = check.value or number
            if start is None or start not in self._free_slots(s, world):
                return _fail(Reason.SLOT_UNAVAILABLE)
            row = db.Appointment(
                world_id=world.id,
                account_id=account.id,
                slot_start=start,
                reason=reason,
                phone=number,
                created_at=self._now(s, world),
            )
            try:
                with s.begin_nested():
                    s.add(row)
                    s.flush()
            except IntegrityError:
                return _fail(Reason.SLOT_UNAVAILABLE)
            view = self._appointment_view(row)
            return _ok(Reason.APPOINTMENT_BOOKED, {"appointment": view}, when=view.start, phone=number)

    def list_appointments(self, conversation_id: str) -> Result:
        """Upcoming appointments of the logged-in user."""
        with self._tx() as s:
            world = self._world(s, conversation_id)
            account = self._logged_in(s, conversation_id)
            if isinstance(account, Result):
                return account
            rows = (
                s.execute(
                    select(db.Appointment)
                    .where(db.Appointment.account_id == account.id, db.Appointment.slot_start >= self._now(s, world))
                    .order_by(db.Appointment.slot_start)
                )
                .scalars()
                .all()
            )
            views = [self._appointment_view(r) for r in rows]
            return _ok(Reason.APPOINTMENTS_LISTED, {"appointments": views}, count=len(views))

    def cancel_appointment(self, conversation_id: str, appointment_id: int) -> Result:
        """Cancel an upcoming appointment of the logged-in user."""
        with self._tx() as s:
            world = self._world(s, conversation_id)
            account = self._logged_in(s, conversation_id)
            if isinstance(account, Result):
                return account
            row = s.get(db.Appointment, appointment_id)
            if row is None or row.account_id != account.id or row.slot_start < self._now(s, world):
                return _fail(Reason.APPOINTMENT_NOT_FOUND)
            start = row.slot_start
            s.delete(row)
            return _ok(Reason.APPOINTMENT_CANCELLED, when=start)

    @staticmethod
    def _appointment_view(row: db.Appointment) -> AppointmentView:
        local = row.slot_start.astimezone(appointments.LOCAL)
        return AppointmentView(
            row.id,
            local,
            appointments.local_label(local),
            row.reason,
            policy.APPOINTMENT_REASONS.get(row.reason, row.reason),
            row.phone,
        )

    # ------------------------------------------------------------------ trainer operations (one world)

    def _reset_world(self, s: Session, world: db.World) -> None:
        """The world back to the demo definition: rows, clock offset and progress (not the workshop)."""
        self._delete_world_rows(s, [world.id])
        world.clock_offset_seconds, world.exercise, world.step, world.mistakes, world.status = 0.0, None, None, 0, None
        load_demo(s, world.id, self.clock.now(), self.nir_digest, self._hash_demo_secret)

    def reset(self, conversation_id: str) -> Result:
        """The caller's world only: every row deleted, clock offset to zero, demo dossiers reloaded."""
        with self._tx() as s:
            self._reset_world(s, self._world(s, conversation_id))
        return _ok(Reason.SANDBOX_RESET)

    def advance_clock(self, conversation_id: str, delta: timedelta) -> Result:
        """Move time forward in the caller's world only (persistent offset)."""
        if delta <= timedelta(0):
            return _fail(Reason.CLOCK_INVALID)
        with self._tx() as s:
            world = self._world(s, conversation_id)
            world.clock_offset_seconds = (world.clock_offset_seconds or 0.0) + delta.total_seconds()
            now = self._now(s, world)
            return _ok(
                Reason.CLOCK_MOVED,
                {"now": now, "offset": self._offset(s, world)},
                delta=delta,
                now=now,
            )

    def list_dossiers(self, conversation_id: str) -> Result:
        """Every dossier of the caller's world with its account state (no secrets), plus the demo cheat sheet."""
        with self._tx() as s:
            world = self._world(s, conversation_id)
            views = []
            # Demo NIRs are public (demo.py, README): shown in full; any other one masked.
            demo_nirs = {self.nir_digest(identifiers.check_nir(p.nir).value or ""): p.nir for p in DEMO_PEOPLE}
            for d in s.execute(
                select(db.Dossier).where(db.Dossier.world_id == world.id).order_by(db.Dossier.id)
            ).scalars():
                account = self._account_by_digest(s, world, d.nir_digest)
                views.append(
                    DossierView(
                        demo_nirs.get(d.nir_digest, d.nir_masked),
                        d.first_name,
                        d.last_name,
                        d.birth_date,
                        bool(d.iban),
                        d.status,
                        d.transfer_from,
                        bool(d.code_provisoire_hash),
                        None if account is None else (AccountState.ACTIVE if account.active else AccountState.INACTIVE),
                        None if account is None else account.email,
                    )
                )
            return _ok(Reason.DOSSIERS_LISTED, {"dossiers": views, "demo_people": list(DEMO_PEOPLE)})

    def add_dossier(
        self,
        conversation_id: str,
        nir: str,
        first_name: str,
        last_name: str,
        birth_date: Union[date, str],
        *,
        iban: Optional[str] = None,
        vitale_serial: Optional[str] = None,
        transfer_from: Optional[str] = None,
        code_provisoire: Optional[str] = None,
    ) -> Result:
        """Add a fictitious dossier to the caller's world. transfer_from set means "being transferred"."""
        check = identifiers.check_nir(nir)
        if check.value is None:
            return _fail(check.reason)
        born = identifiers.parse_birth_date(birth_date)
        if born is None:
            return _fail(Reason.BIRTH_DATE_FORMAT)
        iban_value = None
        if iban:
            iban_check = identifiers.check_iban(iban)
            if not iban_check.ok:
                return _fail(iban_check.reason)
            iban_value = iban_check.value
        if code_provisoire is not None and not identifiers.check_code_provisoire(code_provisoire).ok:
            return _fail(Reason.CODE_PROVISOIRE_FORMAT)
        try:
            with self._tx() as s:
                world = self._world(s, conversation_id)
                s.add(
                    db.Dossier(
                        world_id=world.id,
                        nir_digest=self.nir_digest(check.value),
                        nir_masked=identifiers.mask_nir(check.value),
                        first_name=first_name,
                        last_name=last_name,
                        birth_date=born,
                        iban=iban_value,
                        vitale_serial=vitale_serial,
                        status="transfer" if transfer_from else "normal",
                        transfer_from=transfer_from,
                        code_provisoire_hash=security.hash_secret(code_provisoire) if code_provisoire else None,
                    )
                )
        except IntegrityError:
            return _fail(Reason.DOSSIER_EXISTS)
        return _ok(Reason.DOSSIER_ADDED, {"nir": identifiers.mask_nir(check.value)})


_shared: Optional[Sandbox] = None
_shared_lock = threading.Lock()


def get_sandbox() -> Sandbox:
    """The process-wide sandbox (SANDBOX_DATABASE_URL or var/sandbox.sqlite3), opened on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Sandbox()
        return _shared
