"""Service requests, the write paths: logging (numbering, due date) and the status machine.

Every change runs in one write transaction that checks the actor's role, appends an event
and an audit record, and recomputes the due date; a refused move raises before anything is
written. The state stored on a request is always the replay of its events
(``requests.verify.replay``), which ``egovctl audit verify`` checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput, InvalidTransition, NotFound
from egovctl.i18n import N_, _
from egovctl.requests.calendar import load_calendar
from egovctl.requests.hours import counted_from, hours_lines
from egovctl.requests.queries import (
    check_code,
    duplicate_warnings,
    find_request,
    request_dict,
    request_state,
    step_list,
)
from egovctl.requests.search import fold_name, remember_words
from egovctl.requests.shapes import RequestDetail, row_dict
from egovctl.requests.verify import applicant_digest
from egovctl.requests.vocabulary import (
    CHANNELS,
    DUE_CHANGED,
    OPEN_STATUSES,
    REASON_ACTIONS,
    TRANSITIONS,
    Action,
    status_word,
)
from egovctl.timeutil import EARLIEST_RECORD, local_date, local_iso, now_utc

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.models import ServiceRequest
    from egovctl.notify.addresses import Consent

# Backdating may not be used to slip an event in earlier than this much before the clock.
FUTURE_TOLERANCE = timedelta(seconds=60)


# -- logging --------------------------------------------------------------------------------


@dataclass
class Applicant:
    name: str
    nik: str
    phone: str | None = None
    address: str | None = None

    @classmethod
    def checked(cls, name: str, nik: str, phone: str | None, address: str | None) -> Applicant:
        from egovctl.identity import clean_name, clean_text, normalize_phone, validate_nik

        return cls(
            name=clean_name(name, N_("applicant name")),
            nik=validate_nik(nik),
            phone=normalize_phone(phone) if phone not in (None, "") else None,
            address=clean_text(address, N_("address"), limit=500),
        )


def _check_at(at: datetime | None, previous: datetime | None, now: datetime, tz: str) -> datetime:
    """The time of a new event (now, or a back-filled --at), refused when it is in the
    future or before the request's previous event; times in messages are office time."""
    if at is None:
        at = now
    if local_date(at, tz) < EARLIEST_RECORD:
        raise InvalidInput(
            _(
                "--at {day} is before {year}; back-filled records start on {earliest} "
                "(is the year a typo?)"
            ).format(
                day=local_date(at, tz).isoformat(),
                year=EARLIEST_RECORD.year,
                earliest=EARLIEST_RECORD.isoformat(),
            )
        )
    if at > now + FUTURE_TOLERANCE:
        raise InvalidInput(
            _(
                "--at {at} lies in the future (it is now {now}); "
                "back-filled events must have happened"
            ).format(at=local_iso(at, tz), now=local_iso(now, tz))
        )
    if previous is not None and at < previous:
        raise InvalidInput(
            _(
                "--at {at} is before the request's previous event ({previous}); "
                "events must be in order"
            ).format(at=local_iso(at, tz), previous=local_iso(previous, tz))
        )
    return at


def log_request(
    db: Database,
    actor: str,
    procedure_code: str,
    applicant: Applicant,
    *,
    tz: str,
    channel: str = "counter",
    note: str | None = None,
    at: datetime | None = None,
    confirm: Callable[[list[str]], bool] | None = None,
    consent: Consent | None = None,
) -> RequestDetail:
    """Log a new application: number it, pin its procedure version, compute its due date.

    A likely duplicate (see ``duplicate_warnings``) is shown to ``confirm`` before anything is
    written (outside the write transaction: a clerk's answer must not hold other counters'
    lock); when it answers no, nothing is logged. The answer carries the ``warnings``.
    With the applicant's ``consent`` the ``logged`` message is queued in the same transaction
    (docs/notify.md).

    Logging is the counter's most frequent command, so it is written with Core statements on
    the tables: no ORM object is built, which spares each process SQLAlchemy's mapper
    configuration and unit-of-work set-up.
    """
    from types import SimpleNamespace

    from sqlalchemy import insert, select

    from egovctl.catalogue.queries import get_procedure
    from egovctl.identity import clean_text
    from egovctl.models import Agency, Procedure, ProcedureVersion, RequestEvent, ServiceRequest
    from egovctl.numbering import next_number
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    if channel not in CHANNELS:
        from egovctl.identity import shorten

        raise InvalidInput(
            _("unknown channel '{channel}'; use one of {choices}").format(
                channel=shorten(channel), choices=", ".join(CHANNELS)
            )
        )
    note = clean_text(note, "--note")
    check_code(procedure_code, "procedure", "egovctl procedure list --all")
    now = now_utc()
    at = _check_at(at, None, now, tz)
    P, V, A = Procedure.__table__.c, ProcedureVersion.__table__.c, Agency.__table__.c
    # The procedure, its current version and its agency in one statement.
    current = (
        select(
            P.id,
            P.code,
            P.active,
            P.agency_id,
            V.id.label("version_id"),
            V.version,
            V.name,
            V.sla_days,
            A.code.label("agency_code"),
            A.hours.label("agency_hours"),
        )
        .join_from(
            Procedure.__table__,
            ProcedureVersion.__table__,
            (V.procedure_id == P.id) & (V.version == P.current_version),
        )
        .join(Agency.__table__, A.id == P.agency_id)
        .where(P.code == procedure_code.upper())
    )
    if confirm is not None:
        with db.read() as session:
            seen = session.execute(current).one_or_none()
            warnings = (
                duplicate_warnings(session, seen.id, seen.code, applicant.nik, applicant.name, tz)
                if seen
                else []
            )
        if warnings and not confirm(warnings):
            raise InvalidInput(_("not logged: the likely duplicate was not confirmed"))
    with db.write() as session:
        found = session.execute(current).one_or_none()
        if found is None:
            get_procedure(session, procedure_code)  # raises NotFound, with a suggestion
            raise NotFound(_("procedure {code} has no current version").format(code=procedure_code))
        authorize(session, actor, "request.log", found.agency_id)
        if not found.active:
            raise InvalidTransition(
                _(
                    "procedure {code} is retired and takes no new requests; "
                    "reactivate it with 'egovctl procedure reactivate {code}'"
                ).format(code=found.code)
            )
        warnings = duplicate_warnings(
            session, found.id, found.code, applicant.nik, applicant.name, tz
        )
        received = local_date(at, tz)
        cal = load_calendar(session)
        counted = counted_from(session, cal, found.agency_hours, at, tz)
        due = cal.due_date(counted, found.sla_days)
        number = next_number(session, found.agency_id, received.year)
        reg_no = f"{found.agency_code}-{received.year}-{number:06d}"
        table = ServiceRequest.__table__
        values: dict[str, Any] = {
            "reg_no": reg_no,
            "agency_id": found.agency_id,
            "procedure_id": found.id,
            "version_id": found.version_id,
            "status": "in_progress",
            "step": 1,
            "applicant_name": applicant.name,
            "applicant_name_fold": fold_name(applicant.name),
            "nik": applicant.nik,
            "phone": applicant.phone,
            "address": applicant.address,
            "channel": channel,
            "note": note,
            "received_at": at,
            "received_date": received,
            "counted_from": counted if counted != received else None,
            "due_date": due,
            "updated_at": now,
        }
        new_id = session.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
        if db.is_sqlite:  # the name's words, for the search (docs/requests.md)
            remember_words(session.connection(), [values["applicant_name_fold"]])
        session.execute(
            insert(RequestEvent.__table__).values(
                request_id=new_id, seq=1, at=at, action="log", actor=actor, note=note
            )
        )
        audit.append(
            session,
            actor,
            "request.log",
            f"request:{reg_no}",
            {
                "procedure": found.code,
                "version": found.version,
                "received_at": at.isoformat(),
                "due_date": due.isoformat(),
                **({"counted_from": counted.isoformat()} if counted != received else {}),
                "channel": channel,
                "applicant": applicant_digest(
                    applicant.name, applicant.nik, applicant.phone, applicant.address
                ),
            },
            at=now,
        )
        if consent is not None and consent.channel != "none":
            _queue_logged(session, new_id, reg_no, found.name, due, consent, now)
        req = SimpleNamespace(**{**{c.name: None for c in table.columns}, **values, "id": new_id})
        steps = step_list(session, found.version_id)
        row = row_dict(
            req,
            found.code,
            found.version,
            found.name,
            found.agency_code,
            len(steps),
            tz,
            local_date(now, tz),
            False,
        )
        data = RequestDetail(**row, sla_days=found.sla_days, step_list=steps)
        data["service_hours"] = hours_lines(found.agency_hours)
        if counted != received:
            data["counted_from"] = cal.next_working_day(counted).isoformat()
        data["events"] = [{"at": local_iso(at, tz), "action": "log", "actor": actor, "note": note}]
        if consent is not None:
            data["notify"] = consent.as_dict()
        if warnings:
            data["warnings"] = warnings
        return data


def _queue_logged(
    session: Session,
    request_id: int,
    reg_no: str,
    procedure: str,
    due: date,
    consent: Consent,
    now: datetime,
) -> None:
    from egovctl.notify.outbox import queue, record_consent

    record_consent(session, request_id, consent.channel, consent.address, now)
    data = {"reg_no": reg_no, "procedure": procedure, "due_date": due.isoformat()}
    queue(session, request_id, reg_no, "logged", data, now, (consent.channel, consent.address))


# -- transitions ----------------------------------------------------------------------------


def _describe_state(session: Session, req: ServiceRequest, n_steps: int) -> str:
    """A request's state in words, e.g. "in progress at step 2 of 4 (Verifikasi)"."""
    words = status_word(req.status)
    if req.status not in OPEN_STATUSES:
        return words
    names = [s["name"] for s in step_list(session, req.version_id)]
    if 0 < req.step <= len(names):
        return _("{status} at step {step} of {steps} ({step_name})").format(
            status=words, step=req.step, steps=n_steps, step_name=names[req.step - 1]
        )
    return _("{status} at step {step} of {steps}").format(
        status=words, step=req.step, steps=n_steps
    )


def transition(
    db: Database,
    actor: str,
    reg_no: str,
    action: Action,
    *,
    tz: str,
    note: str | None = None,
    at: datetime | None = None,
    delivered_to: str | None = None,
    began: datetime | None = None,
) -> RequestDetail:
    """Apply one action (advance, hold, resume, deliver, reject, cancel) to a request.

    The move is meant for the state the request was in when the command began (``began``, or
    the moment this function starts): should another counter move it in the meantime, the move
    is refused naming the new state (checked inside the write transaction, which holds the
    request's row), so a request never skips a step. Two clerks pressing "advance" at once
    start together, and the second finds a move recorded after its start.
    ``deliver`` on a request at its last step (the handover) completes that step, makes it
    ready and delivers it, in one transaction, at one time.
    """
    from sqlalchemy import func, insert, select

    from egovctl.identity import clean_text
    from egovctl.models import ProcedureVersion, RequestEvent, Step
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    allowed, target = TRANSITIONS[action]
    note = clean_text(note, "--reason" if action in REASON_ACTIONS else N_("note"))
    delivered_to = clean_text(delivered_to, "--to")
    if action in REASON_ACTIONS and not note:
        raise InvalidInput(
            _("{action} needs --reason: say why, it is kept in the history").format(action=action)
        )
    with db.read() as session:
        expected = request_state(session, reg_no)
    now = now_utc()
    E, S = RequestEvent.__table__.c, Step.__table__.c
    with db.write() as session:
        req = find_request(session, reg_no, lock=True)
        authorize(session, actor, f"request.{action}", req.agency_id)
        n_steps = session.execute(
            select(func.count()).select_from(Step.__table__).where(S.version_id == req.version_id)
        ).scalar_one()
        moved_meanwhile = InvalidTransition(
            _(
                "cannot {action} {reg_no}: another counter moved it a moment ago, it is now "
                "{state}; check it with 'egovctl request show {reg_no}' before moving it again"
            ).format(action=action, reg_no=req.reg_no, state=_describe_state(session, req, n_steps))
        )
        if (req.status, req.step) != expected:
            raise moved_meanwhile
        handover = action == "deliver" and req.status == "in_progress" and req.step >= n_steps
        if req.status not in allowed and not handover:
            need = _(" or ").join(status_word(s) for s in allowed)
            if action == "deliver":
                need = _("{statuses} (or in progress at its last step, the handover)").format(
                    statuses=need
                )
            raise InvalidTransition(
                _(
                    "cannot {action} {reg_no}: it is {status} (status {code}); "
                    "{action} needs a request that is {need}"
                ).format(
                    action=action,
                    reg_no=req.reg_no,
                    status=status_word(req.status),
                    code=req.status,
                    need=need,
                )
            )
        # A due date moved by a calendar change is not one of the request's moves: a clerk
        # back-filling a move from before that change must not be refused for it.
        last_seq, last_at = session.execute(
            select(func.max(E.seq), func.max(E.at).filter(E.action != DUE_CHANGED)).where(
                E.request_id == req.id
            )
        ).one()
        if began is not None and last_at is not None and last_at > began:
            raise moved_meanwhile  # recorded after this command began: not the state it meant
        at = _check_at(at, last_at, now, tz)
        day = local_date(at, tz)
        moves: list[tuple[str, dict[str, Any], str | None]] = []  # (action, audit details, note)
        if action == "advance" or handover:
            details: dict[str, Any] = {"from": req.status, "step": req.step}
            if req.step >= n_steps:
                req.status, req.ready_at, req.ready_date = "ready", at, day
            else:
                req.step += 1
            moves.append(("advance", details, None if handover else note))
        if action != "advance":
            details = {"from": req.status}
            req.status = target or req.status
            if action == "hold":
                req.hold_started = day
            elif action == "resume":
                holds = _holds(session, req, tz)  # ends with the open hold, closed here today
                holds[-1] = (holds[-1][0], day)
                sla = session.get_one(ProcedureVersion, req.version_id).sla_days
                req.due_date = load_calendar(session).due_date(
                    req.counted_from or req.received_date, sla, holds
                )
                req.hold_started = None
                details["due_date"] = req.due_date.isoformat()
            elif action == "deliver":
                req.delivered_at, req.delivered_to = at, (delivered_to or None)
                note = note or (f"diserahkan kepada {delivered_to}" if delivered_to else None)
            moves.append((action, details, note))
        if req.status in ("rejected", "cancelled"):  # closed without a document
            req.closed_at, req.closed_date, req.hold_started = at, day, None
        req.updated_at = now
        for seq, (move, details, event_note) in enumerate(moves, start=(last_seq or 0) + 1):
            session.execute(
                insert(RequestEvent.__table__).values(
                    request_id=req.id, seq=seq, at=at, action=move, actor=actor, note=event_note
                )
            )
            details["to"] = "ready" if move == "advance" and handover else req.status
            details["at"] = at.isoformat()
            if event_note:
                details["note"] = event_note
            audit.append(
                session, actor, f"request.{move}", f"request:{req.reg_no}", details, at=now
            )
        session.flush()
        result = request_dict(session, req, tz, with_events=True)
        _queue_move(session, req, action, result, note, now)
        return result


def _queue_move(
    session: Session,
    req: ServiceRequest,
    action: Action,
    result: RequestDetail,
    note: str | None,
    now: datetime,
) -> None:
    """The applicant's message for this move, when they agreed to one (docs/notify.md)."""
    from egovctl.notify.vocabulary import EVENT_OF_ACTION

    event = "ready" if action == "advance" and req.status == "ready" else None
    event = EVENT_OF_ACTION.get(action, event)
    if event is None:
        return
    from egovctl.notify.outbox import consent_of, queue

    assert req.id is not None
    consent = consent_of(session, req.id)
    if consent is None:
        return
    data: dict[str, Any] = {
        "reg_no": req.reg_no,
        "procedure": result["procedure_name"],
        "due_date": result["due_date"],
    }
    if event in ("on_hold", "rejected"):
        data["reason"] = note
    if event == "ready":
        from sqlalchemy import select

        from egovctl.models import Agency

        hours = session.execute(
            select(Agency.__table__.c.hours).where(Agency.__table__.c.id == req.agency_id)
        ).scalar_one_or_none()
        data["hours"] = hours_lines(hours)
    queue(session, req.id, req.reg_no, event, data, now, consent)


def _holds(session: Session, req: ServiceRequest, tz: str) -> list[tuple[date, date | None]]:
    from sqlalchemy import select

    from egovctl.models import RequestEvent

    E = RequestEvent.__table__.c
    holds: list[tuple[date, date | None]] = []
    for action, at in session.execute(
        select(E.action, E.at)
        .where(E.request_id == req.id, E.action.in_(("hold", "resume")))
        .order_by(E.seq)
    ):
        if action == "hold":
            holds.append((local_date(at, tz), None))
        else:
            holds[-1] = (holds[-1][0], local_date(at, tz))
    return holds
