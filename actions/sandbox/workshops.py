"""Workshops: a trainer opens one, learners join it with a short code, the trainer follows the room.

A mixin of `Sandbox` (it uses the façade's transactions and worlds). The trainer is known only by
a secret handed out once (`trainer_secret`); the database keeps its digest. Learners are shown by
the nickname they typed and the progress their world records; a learner's conversation id is never
shown to the trainer, whose page names learners by their world's number.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Optional, Tuple, Union

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.formats import format_duration

from . import db, identifiers, policy, security
from .appointments import local_label
from .reasons import Reason
from .results import LearnerRow, Result

if TYPE_CHECKING:  # pragma: no cover
    from .service import Sandbox


def _result(ok: bool, reason: Reason, data: Optional[dict] = None, **values: object) -> Result:
    return Result(ok, reason, dict(data or {}), dict(values))


def new_workshop_code() -> str:
    """A short code to read aloud or type: 6 characters, no look-alikes (policy)."""
    alphabet = policy.WORKSHOP_CODE_ALPHABET
    return "".join(secrets.choice(alphabet) for _ in range(policy.WORKSHOP_CODE_LENGTH))


class WorkshopOps:
    """Workshop operations of the sandbox (mixed into `Sandbox`)."""

    def create_workshop(self: "Sandbox", name: str) -> Result:
        """Open a workshop. data: code (for learners), trainer_secret (shown once), name."""
        check = identifiers.check_workshop_name(name)
        if not check.ok:
            return _result(False, check.reason)
        trainer_secret = secrets.token_urlsafe(24)
        for _ in range(10):  # a code already taken: draw another
            code = new_workshop_code()
            try:
                with self._tx() as s:
                    s.add(
                        db.Workshop(
                            code=code,
                            name=check.value,
                            trainer_digest=security.token_digest(trainer_secret),
                            clock_offset_seconds=0.0,
                            created_at=self.clock.now(),
                        )
                    )
            except IntegrityError:
                continue
            return _result(
                True,
                Reason.WORKSHOP_CREATED,
                {"code": code, "trainer_secret": trainer_secret, "name": check.value},
                name=check.value,
                code=code,
            )
        raise RuntimeError("no free workshop code after 10 draws")

    @staticmethod
    def _workshop_by_code(s: Session, code: str) -> Optional[db.Workshop]:
        wanted = identifiers.normalise_workshop_code(code)
        if not wanted:
            return None
        return s.execute(select(db.Workshop).where(db.Workshop.code == wanted)).scalar_one_or_none()

    @staticmethod
    def _workshop_by_secret(s: Session, trainer_secret: str) -> Optional[db.Workshop]:
        if not trainer_secret:
            return None
        digest = security.token_digest(trainer_secret)
        return s.execute(select(db.Workshop).where(db.Workshop.trainer_digest == digest)).scalar_one_or_none()

    def workshop_info(self: "Sandbox", code: str) -> Result:
        """What a learner's join page shows: the workshop's name (data: name, code)."""
        with self._tx() as s:
            workshop = self._workshop_by_code(s, code)
            if workshop is None:
                return _result(False, Reason.WORKSHOP_UNKNOWN)
            return _result(True, Reason.WORKSHOP_ROOM, {"name": workshop.name, "code": workshop.code})

    def join_workshop(self: "Sandbox", conversation_id: str, code: str, nickname: str) -> Result:
        """The conversation's world joins the workshop under a nickname (made unique in the room)."""
        check = identifiers.check_nickname(nickname)
        if not check.ok:
            return _result(False, check.reason)
        with self._tx() as s:
            workshop = self._workshop_by_code(s, code)
            if workshop is None:
                return _result(False, Reason.WORKSHOP_UNKNOWN)
            world = self._world(s, conversation_id)
            shown = self._free_nickname(s, workshop, world, check.value or "")
            world.workshop_id, world.nickname = workshop.id, shown
            return _result(
                True,
                Reason.WORKSHOP_JOINED,
                {"name": workshop.name, "code": workshop.code, "nickname": shown},
                nickname=shown,
                name=workshop.name,
            )

    @staticmethod
    def _free_nickname(s: Session, workshop: db.Workshop, world: db.World, wanted: str) -> str:
        """'Léa', or 'Léa (2)' when another learner of the room already has that name."""
        taken = {
            n.casefold()
            for n in s.execute(
                select(db.World.nickname).where(
                    db.World.workshop_id == workshop.id,
                    db.World.id != world.id,
                    db.World.nickname.is_not(None),
                )
            ).scalars()
        }
        shown, rank = wanted, 2
        while shown.casefold() in taken:
            shown, rank = f"{wanted} ({rank})", rank + 1
        return shown

    def leave_workshop(self: "Sandbox", conversation_id: str, code: str) -> Result:
        """An earlier conversation of a learner (« Recommencer ») leaves the workshop's room."""
        with self._tx() as s:
            workshop = self._workshop_by_code(s, code)
            world = self._find_world(s, conversation_id)
            if workshop is None or world is None or world.workshop_id != workshop.id:
                return _result(False, Reason.WORKSHOP_UNKNOWN)
            world.workshop_id = None
            return _result(True, Reason.EXERCISE_STOPPED)

    def workshop_of(self: "Sandbox", conversation_id: str) -> Result:
        """The workshop the conversation joined, if any (data: name, code, nickname)."""
        with self._tx() as s:
            world = self._find_world(s, conversation_id)
            workshop = s.get(db.Workshop, world.workshop_id) if world is not None and world.workshop_id else None
            if world is None or workshop is None:
                return _result(False, Reason.WORKSHOP_UNKNOWN)
            return _result(
                True,
                Reason.WORKSHOP_JOINED,
                {"name": workshop.name, "code": workshop.code, "nickname": world.nickname},
                nickname=world.nickname,
                name=workshop.name,
            )

    def workshop_room(self: "Sandbox", trainer_secret: str) -> Result:
        """The trainer's view: one row per learner (no secret, no identity beyond the nickname)."""
        with self._tx() as s:
            workshop = self._workshop_by_secret(s, trainer_secret)
            if workshop is None:
                return _result(False, Reason.WORKSHOP_UNKNOWN)
            worlds = (
                s.execute(
                    select(db.World).where(db.World.workshop_id == workshop.id).order_by(db.World.nickname, db.World.id)
                )
                .scalars()
                .all()
            )
            rows = [self._learner_row(s, w) for w in worlds]
            clock = timedelta(seconds=workshop.clock_offset_seconds or 0.0)
            return _result(
                True,
                Reason.WORKSHOP_ROOM,
                {
                    "name": workshop.name,
                    "code": workshop.code,
                    "learners": rows,
                    "clock_offset": clock,
                    "clock_label": format_duration(clock) if clock else "",
                },
            )

    def _learner_row(self: "Sandbox", s: Session, world: db.World) -> LearnerRow:
        own = timedelta(seconds=world.clock_offset_seconds or 0.0)
        return LearnerRow(
            id=world.id,
            nickname=world.nickname or "?",
            exercise=world.exercise,
            step=world.step,
            mistakes=world.mistakes or 0,
            status=world.status,
            last_activity=world.last_used_at,
            world_time=local_label(self._now(s, world)),
            own_clock_label=format_duration(own) if own else "",
        )

    def _learner(
        self: "Sandbox",
        s: Session,
        trainer_secret: str,
        learner_id: Optional[int],
    ) -> Union[Tuple[db.Workshop, Optional[db.World]], Result]:
        workshop = self._workshop_by_secret(s, trainer_secret)
        if workshop is None:
            return _result(False, Reason.WORKSHOP_UNKNOWN)
        if learner_id is None:
            return workshop, None
        world = s.get(db.World, learner_id)
        if world is None or world.workshop_id != workshop.id:
            return _result(False, Reason.LEARNER_UNKNOWN)
        return workshop, world

    def advance_workshop_clock(
        self: "Sandbox",
        trainer_secret: str,
        delta: timedelta,
        learner_id: Optional[int] = None,
    ) -> Result:
        """Move time forward for the whole workshop, or for one of its learners."""
        if delta <= timedelta(0):
            return _result(False, Reason.CLOCK_INVALID)
        with self._tx() as s:
            found = self._learner(s, trainer_secret, learner_id)
            if isinstance(found, Result):
                return found
            workshop, world = found
            if world is None:
                workshop.clock_offset_seconds = (workshop.clock_offset_seconds or 0.0) + delta.total_seconds()
                now: datetime = self.clock.now() + timedelta(seconds=workshop.clock_offset_seconds)
                who: Optional[str] = None  # the whole room
            else:
                world.clock_offset_seconds = (world.clock_offset_seconds or 0.0) + delta.total_seconds()
                now, who = self._now(s, world), world.nickname or ""
            return _result(
                True,
                Reason.WORKSHOP_CLOCK_MOVED,
                {"now": now},
                who=who,
                delta=delta,
                now=now,
            )

    def reset_learner(self: "Sandbox", trainer_secret: str, learner_id: int) -> Result:
        """One learner's world back to the demo dossiers (the nickname and workshop stay)."""
        with self._tx() as s:
            found = self._learner(s, trainer_secret, learner_id)
            if isinstance(found, Result):
                return found
            _, world = found
            assert world is not None
            self._reset_world(s, world)
            return _result(True, Reason.LEARNER_RESET, nickname=world.nickname)

    def count_worlds(self: "Sandbox") -> int:
        """How many worlds exist (for the trainer CLI and the purge tests)."""
        with self._tx() as s:
            return int(s.execute(select(func.count(db.World.id))).scalar_one())
