"""What the trainer's view shows of a learner: the exercise, the step reached, the mistakes on it.

Pure bookkeeping on a `db.World` row, called by the sandbox after each exercise operation with
the step attempted and the outcome. Only exercise and step names and a count are kept: never
what the learner typed. The labels (the sheets' own step names) are in `messages`.
"""

from __future__ import annotations

from typing import Optional

from . import db

CREATION = "creation"  # sheet 07
PROVISIONAL = "provisional"  # sheet 1.1: first login with a code provisoire
LOGIN = "login"  # sheets 09, 08 and « Connexion compte ameli »
AGENDA = "agenda"  # « Mon agenda / Prendre un rendez-vous »
EXERCISES = (CREATION, PROVISIONAL, LOGIN, AGENDA)

IN_PROGRESS, DONE, STOPPED = "in_progress", "done", "stopped"

# Steps both account routes share: they belong to the route under way.
_SHARED_STEPS = frozenset({"terms", "contact", "contacts", "code", "done"})
# The step reached when an operation succeeds and its result names no step of its own.
_REACHED = {
    "security_code_required": "code_required",
    "security_code_sent": "code_sent",
    "logged_in": "logged_in",
    "logged_in_trusted_device": "logged_in",
    "account_activated": "activated",
    "slots_listed": "booking",
    "appointment_booked": "booked",
}
_FINAL_STEPS = frozenset({"activated", "logged_in", "booked"})


def record(world: db.World, exercise: str, step: str, ok: bool, reason: str, new_step: Optional[str]) -> None:
    """Update the world's progress after one operation on `step` of `exercise`."""
    if reason == "personalise_required":  # a code provisoire: the sheet 1.1 route starts
        exercise, ok, new_step = PROVISIONAL, True, "code"
    elif reason == "kiosk_code_accepted":  # a code of the kiosks: same route, no new password
        exercise, ok, new_step = PROVISIONAL, True, "terms"
    elif exercise == CREATION and world.exercise == PROVISIONAL and step in _SHARED_STEPS:
        exercise = PROVISIONAL
    if ok:
        _move(world, exercise, new_step or _REACHED.get(reason, step))
        return
    if (world.exercise, world.step, world.status) != (exercise, step, IN_PROGRESS):
        _move(world, exercise, step)
    world.mistakes = (world.mistakes or 0) + 1


def stop(world: db.World) -> None:
    """The learner left the exercise under way."""
    if world.status == IN_PROGRESS:
        world.status = STOPPED


def _move(world: db.World, exercise: str, step: str) -> None:
    if (world.exercise, world.step) != (exercise, step):
        world.exercise, world.step, world.mistakes = exercise, step, 0
    world.status = DONE if step in _FINAL_STEPS else IN_PROGRESS
