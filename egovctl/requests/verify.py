"""Checking requests against their history: replaying events, the applicant digest, and
``egovctl audit verify``'s pass over every request.

The state stored on a request is always the replay of its events (``replay``); the due date
and the applicant's details are what the hash-chained audit log recorded for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from egovctl.errors import InvalidTransition
from egovctl.i18n import _
from egovctl.requests.vocabulary import DUE_CHANGED, TRANSITIONS, is_action
from egovctl.timeutil import local_date

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database


@dataclass
class Replayed:
    status: str
    step: int
    holds: list[tuple[date, date | None]]


def replay(actions: Sequence[tuple[str, datetime]], n_steps: int, tz: str) -> Replayed:
    """The status, step and hold periods that a list of (action, at) events leads to."""
    status, step = "in_progress", 1
    holds: list[tuple[date, date | None]] = []
    for action, at in actions:
        if action in ("log", DUE_CHANGED):  # a calendar change moves no status
            continue
        if not is_action(action):
            raise InvalidTransition(_("unknown event {action}").format(action=action))
        allowed, target = TRANSITIONS[action]
        if status not in allowed:
            raise InvalidTransition(
                _("event {action} is not possible from {status}").format(
                    action=action, status=status
                )
            )
        if action == "advance":
            if step >= n_steps:
                status = "ready"
            else:
                step += 1
        else:
            status = target or status
        if action == "hold":
            holds.append((local_date(at, tz), None))
        elif action == "resume":
            holds[-1] = (holds[-1][0], local_date(at, tz))
    return Replayed(status, step, holds)


def applicant_digest(name: str, nik: str, phone: str | None, address: str | None) -> str:
    """SHA-256 of the applicant's details as logged: the audit log can then tell that they
    were changed later without holding them itself."""
    import hashlib

    from egovctl.staff.audit import canonical_json

    return hashlib.sha256(canonical_json([name, nik, phone, address]).encode()).hexdigest()


def _audited_requests(session: Session) -> dict[str, dict[str, str]]:
    """Per registration number, the due date and applicant digest the audit log last gave
    (requests loaded in bulk by seed-demo have no per-request records and are absent)."""
    import json

    from sqlalchemy import select

    from egovctl.models import AuditRecord

    A = AuditRecord.__table__.c
    audited: dict[str, dict[str, str]] = {}
    for entity, details in session.execute(
        select(A.entity, A.details)
        .where(A.action.in_(("request.log", "request.resume", f"request.{DUE_CHANGED}")))
        .order_by(A.id)
    ).yield_per(20000):
        values = json.loads(details)
        known = audited.setdefault(entity.removeprefix("request:"), {})
        for key in ("due_date", "applicant"):
            if key in values:
                known[key] = values[key]
    return audited


def verify_requests(db: Database, tz: str) -> int:
    """Check every request against its history: the stored status and step must equal the
    replay of its events, and the due date and applicant details what the (hash-chained)
    audit log recorded for it.

    Returns how many requests verified; raises AuditMismatch naming the first that does not.
    """
    from sqlalchemy import func, select

    from egovctl.errors import AuditMismatch
    from egovctl.models import RequestEvent, ServiceRequest, Step

    R, E, S = ServiceRequest.__table__.c, RequestEvent.__table__.c, Step.__table__.c
    with db.read() as session:
        n_steps: dict[int, int] = dict(
            session.execute(select(S.version_id, func.count()).group_by(S.version_id)).all()
        )
        audited = _audited_requests(session)
        stored = session.execute(
            select(
                R.id,
                R.reg_no,
                R.status,
                R.step,
                R.version_id,
                R.due_date,
                R.applicant_name,
                R.nik,
                R.phone,
                R.address,
            ).order_by(R.id)
        ).yield_per(10000)
        events = iter(
            session.execute(
                select(E.request_id, E.action, E.at).order_by(E.request_id, E.seq)
            ).yield_per(20000)
        )
        pending = next(events, None)
        count = 0
        for rid, reg_no, status, step, version_id, due, name, nik, phone, address in stored:
            record = audited.get(reg_no, {})
            if record.get("due_date", due.isoformat()) != due.isoformat():
                raise AuditMismatch(
                    _(
                        "request {reg_no} is due {due}, but the audit log gave it {logged}: "
                        "the due date was changed outside egovctl"
                    ).format(reg_no=reg_no, due=due.isoformat(), logged=record["due_date"])
                )
            if record.get("applicant", "") not in ("", applicant_digest(name, nik, phone, address)):
                raise AuditMismatch(
                    _(
                        "request {reg_no}: the applicant's name, NIK, phone or address differ "
                        "from what was logged: they were changed outside egovctl"
                    ).format(reg_no=reg_no)
                )
            actions: list[tuple[str, datetime]] = []
            if pending is not None and pending[0] < rid:
                raise AuditMismatch(
                    _(
                        "history of a request (id {id}) that no longer exists: "
                        "a request was deleted outside egovctl"
                    ).format(id=pending[0])
                )
            while pending is not None and pending[0] == rid:
                actions.append((pending[1], pending[2]))
                pending = next(events, None)
            if not actions or actions[0][0] != "log":
                raise AuditMismatch(
                    _("request {reg_no} has lost its history (no 'log' event)").format(
                        reg_no=reg_no
                    )
                )
            try:
                got = replay(actions, n_steps.get(version_id, 0), tz)
            except InvalidTransition as exc:
                raise AuditMismatch(
                    _("request {reg_no}: its history does not replay ({problem})").format(
                        reg_no=reg_no, problem=exc.message
                    )
                ) from None
            if (got.status, got.step) != (status, step):
                raise AuditMismatch(
                    _(
                        "request {reg_no} is stored as {status} at step {step}, but its history "
                        "leads to {expected} at step {expected_step}: it was changed outside "
                        "egovctl"
                    ).format(
                        reg_no=reg_no,
                        status=status,
                        step=step,
                        expected=got.status,
                        expected_step=got.step,
                    )
                )
            count += 1
    return count
