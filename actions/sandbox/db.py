"""Database schema and engine (SQLAlchemy 1.4 and 2.0, Core + ORM mapping).

Every row of the simulated ameli system belongs to one *world* (`World`): a learner's own copy
of the demo dossiers, accounts, mails, codes and appointments, with its own clock offset. A
conversation gets its world on first use; worlds of a workshop share the workshop's clock.

Times are stored as naive UTC and read back as aware UTC (`UTCDateTime`).
SQLite: WAL journal, busy timeout, and every transaction opened with BEGIN IMMEDIATE so
that several processes serialise their writes instead of failing or racing.
PostgreSQL: per-account operations lock the account row (SELECT ... FOR UPDATE).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import sqlalchemy
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import declarative_base
from sqlalchemy.pool import QueuePool
from sqlalchemy.types import TypeDecorator

from common import settings

# SQLAlchemy 1.4 needs future=True for 2.0-style behaviour; 2.0 has it always.
FUTURE: dict[str, Any] = {"future": True} if sqlalchemy.__version__.startswith("1.") else {}

DATABASE_URL_ENV = settings.SANDBOX_DATABASE_URL
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "sandbox.sqlite3"


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the sandbox database")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        return None if value is None else value.replace(tzinfo=timezone.utc)


Base: Any = declarative_base()  # Any: SQLAlchemy 1.4 builds the class at run time


class Setting(Base):
    """Key/value settings shared by all processes (when worlds were last purged)."""

    __tablename__ = "sandbox_settings"
    key = Column(String(64), primary_key=True)
    value = Column(String(255), nullable=False)


class Workshop(Base):
    """A workshop run by a trainer: a short code for learners, a secret for the trainer's page."""

    __tablename__ = "sandbox_workshops"
    id = Column(Integer, primary_key=True)
    code = Column(String(16), nullable=False, unique=True)  # given to learners (link, QR code)
    name = Column(String(100), nullable=False)
    trainer_digest = Column(String(64), nullable=False, unique=True)  # digest of the trainer's secret
    clock_offset_seconds = Column(Float, nullable=False, default=0.0)  # workshop-wide clock move
    created_at = Column(UTCDateTime, nullable=False)  # real time


class World(Base):
    """One learner's simulated ameli system. `key` is the conversation id that owns it."""

    __tablename__ = "sandbox_worlds"
    id = Column(Integer, primary_key=True)
    key = Column(String(128), nullable=False, unique=True)
    workshop_id = Column(Integer, ForeignKey("sandbox_workshops.id", ondelete="SET NULL"), index=True)
    nickname = Column(String(40))  # first name or nickname typed when joining a workshop
    clock_offset_seconds = Column(Float, nullable=False, default=0.0)
    created_at = Column(UTCDateTime, nullable=False)  # real time
    last_used_at = Column(UTCDateTime, nullable=False, index=True)  # real time, for the purge
    # Progress shown to the trainer (no secret ever): exercise, step, mistakes on that step.
    exercise = Column(String(16))
    step = Column(String(32))
    mistakes = Column(Integer, nullable=False, default=0)
    status = Column(String(16))  # None | in_progress | done | stopped


class Dossier(Base):
    """The CPAM's file on a person."""

    __tablename__ = "sandbox_dossiers"
    __table_args__ = (UniqueConstraint("world_id", "nir_digest", name="uq_sandbox_dossier_nir"),)
    id = Column(Integer, primary_key=True)
    world_id = Column(Integer, ForeignKey("sandbox_worlds.id", ondelete="CASCADE"), nullable=False, index=True)
    # The NIR is never stored in clear: a keyed digest for lookups (security.nir_digest)
    # and a masked form for display (identifiers.mask_nir).
    nir_digest = Column(String(64), nullable=False)
    nir_masked = Column(String(32), nullable=False)
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)
    birth_date = Column(Date, nullable=False)
    iban = Column(String(34))  # None: no RIB on file
    vitale_serial = Column(String(32))  # None: no carte Vitale yet
    status = Column(String(16), nullable=False, default="normal")  # "normal" | "transfer"
    transfer_from = Column(String(32))  # MSA, MGEN, ENIM... when status is "transfer"
    code_provisoire_hash = Column(String(255))  # code from the CPAM desk, if any
    is_demo = Column(Boolean, nullable=False, default=False)


class Account(Base):
    """A compte ameli. Inactive until the validation link is used."""

    __tablename__ = "sandbox_accounts"
    __table_args__ = (
        UniqueConstraint("world_id", "nir_digest", name="uq_sandbox_account_nir"),
        UniqueConstraint("world_id", "email", name="uq_sandbox_account_email"),
    )
    id = Column(Integer, primary_key=True)
    world_id = Column(Integer, ForeignKey("sandbox_worlds.id", ondelete="CASCADE"), nullable=False, index=True)
    dossier_id = Column(Integer, ForeignKey("sandbox_dossiers.id", ondelete="CASCADE"), nullable=False, unique=True)
    nir_digest = Column(String(64), nullable=False)  # same digest as the dossier's
    email = Column(String(254), nullable=False)  # lower case; unique in a world
    mobile = Column(String(10), nullable=False)
    code_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False, default=False)
    accepts_contacts = Column(Boolean, nullable=False, default=False)  # sheet 1.1: "accepter ou non les contacts"
    terms_accepted_at = Column(UTCDateTime, nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    activated_at = Column(UTCDateTime)


class Enrolment(Base):
    """An account creation in progress in one conversation (sheet 07 or sheet 1.1)."""

    __tablename__ = "sandbox_enrolments"
    conversation_id = Column(String(128), primary_key=True)
    world_id = Column(Integer, ForeignKey("sandbox_worlds.id", ondelete="CASCADE"), nullable=False, index=True)
    route = Column(String(16), nullable=False)  # "creation" | "provisional"
    dossier_id = Column(Integer, ForeignKey("sandbox_dossiers.id", ondelete="CASCADE"), nullable=False)
    step = Column(String(16), nullable=False)
    email = Column(String(254))
    mobile = Column(String(10))
    accepts_contacts = Column(Boolean, nullable=False, default=False)
    code_hash = Column(String(255))  # personalised code (sheet 1.1 route), before the account exists
    terms_accepted_at = Column(UTCDateTime)
    account_id = Column(Integer, ForeignKey("sandbox_accounts.id", ondelete="CASCADE"))
    updated_at = Column(UTCDateTime, nullable=False)


class ValidationLink(Base):
    """Account validation link sent by e-mail."""

    __tablename__ = "sandbox_validation_links"
    id = Column(Integer, primary_key=True)
    world_id = Column(Integer, ForeignKey("sandbox_worlds.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(Integer, ForeignKey("sandbox_accounts.id", ondelete="CASCADE"), nullable=False)
    token_digest = Column(String(64), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)
    used_at = Column(UTCDateTime)


class Conversation(Base):
    """Server-side state of one conversation: who is logging in or logged in, where."""

    __tablename__ = "sandbox_conversations"
    conversation_id = Column(String(128), primary_key=True)
    world_id = Column(Integer, ForeignKey("sandbox_worlds.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(Integer, ForeignKey("sandbox_accounts.id", ondelete="CASCADE"))
    device_id = Column(String(128))
    stage = Column(String(16), nullable=False, default="none")  # none|code|inactive|logged_in
    mailbox = Column(String(254))  # the simulated user's address in this conversation
    updated_at = Column(UTCDateTime, nullable=False)


class SecurityCode(Base):
    """A security code sent by e-mail (hash only)."""

    __tablename__ = "sandbox_security_codes"
    id = Column(Integer, primary_key=True)
    world_id = Column(Integer, ForeignKey("sandbox_worlds.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(Integer, ForeignKey("sandbox_accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    conversation_id = Column(String(128), nullable=False)
    code_hash = Column(String(255), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)
    wrong_entries = Column(Integer, nullable=False, default=0)
    used_at = Column(UTCDateTime)
    superseded_at = Column(UTCDateTime)


class TrustedDevice(Base):
    """A device ticked "ordinateur personnel": no security code until expires_at."""

    __tablename__ = "sandbox_trusted_devices"
    __table_args__ = (UniqueConstraint("account_id", "device_id", name="uq_sandbox_trusted_device"),)
    id = Column(Integer, primary_key=True)
    world_id = Column(Integer, ForeignKey("sandbox_worlds.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(Integer, ForeignKey("sandbox_accounts.id", ondelete="CASCADE"), nullable=False)
    device_id = Column(String(128), nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)


class Mail(Base):
    """A mail in the simulated mailbox of an address. The secret is encrypted (see security)."""

    __tablename__ = "sandbox_mails"
    id = Column(String(32), primary_key=True)  # random hex
    world_id = Column(Integer, ForeignKey("sandbox_worlds.id", ondelete="CASCADE"), nullable=False, index=True)
    recipient = Column(String(254), nullable=False)
    folder = Column(String(8), nullable=False)  # inbox | spam
    kind = Column(String(32), nullable=False)  # security_code | validation_link
    sender = Column(String(128), nullable=False)
    subject = Column(String(200), nullable=False)
    body = Column(Text, nullable=False)  # with a placeholder where the secret goes
    sealed_secret = Column(Text)
    received_at = Column(UTCDateTime, nullable=False)
    read_at = Column(UTCDateTime)


class Appointment(Base):
    """A phone appointment booked in « Mon agenda ». One adviser per world: one booking per slot."""

    __tablename__ = "sandbox_appointments"
    __table_args__ = (UniqueConstraint("world_id", "slot_start", name="uq_sandbox_appointment_slot"),)
    id = Column(Integer, primary_key=True)
    world_id = Column(Integer, ForeignKey("sandbox_worlds.id", ondelete="CASCADE"), nullable=False, index=True)
    account_id = Column(Integer, ForeignKey("sandbox_accounts.id", ondelete="CASCADE"), nullable=False)
    slot_start = Column(UTCDateTime, nullable=False)
    reason = Column(String(32), nullable=False)
    phone = Column(String(10), nullable=False)
    created_at = Column(UTCDateTime, nullable=False)


def database_url(explicit: Optional[str] = None) -> str:
    """Explicit URL, else SANDBOX_DATABASE_URL, else the SQLite file var/sandbox.sqlite3."""
    return explicit or settings.sandbox_database_url() or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def sqlite_path(url: str) -> Optional[Path]:
    """The file of a file-based SQLite URL, else None."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).resolve()


def make_engine(url: str) -> Engine:
    """Create the engine; for SQLite, create the folder and set up safe concurrency."""
    path = sqlite_path(url)
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **FUTURE)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    # A pool of open connections (SQLAlchemy 1.4 gives file SQLite a NullPool): closing the last
    # connection checkpoints the WAL and syncs the file, which cost ~20 ms on every operation.
    pool = {"poolclass": QueuePool, "pool_size": 5, "max_overflow": 10} if path is not None else {}
    engine = create_engine(url, **FUTURE, **pool, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        if path is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
