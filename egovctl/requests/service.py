"""Service requests: logging, numbering, the status machine, due dates, look-ups.

Every change runs in one write transaction that checks the actor's role, appends an event
and an audit record, and recomputes the due date; a refused move raises before anything is
written. The state stored on a request is always the replay of its events (``replay``), which
``egovctl audit verify`` checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput, InvalidTransition, NotFound
from egovctl.requests.vocabulary import (
    CHANNELS,
    OPEN_STATUSES,
    STATUS_WORDS,
    STATUSES,
    TRANSITIONS,
)
from egovctl.timeutil import EARLIEST_RECORD, local_date, local_iso, now_utc

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.requests.workdays import WorkCalendar

# Backdating may not be used to slip an event in earlier than this much before the clock.
FUTURE_TOLERANCE = timedelta(seconds=60)


def load_calendar(session: Session) -> WorkCalendar:
    from sqlalchemy import select

    from egovctl.models import CalendarDay
    from egovctl.requests.workdays import WorkCalendar

    days = CalendarDay.__table__.c
    closures, workdays = {}, {}
    for day, name, working in session.execute(select(days.day, days.name, days.working)):
        (workdays if working else closures)[day] = name
    return WorkCalendar(closures, workdays)


# -- replay ---------------------------------------------------------------------------------


@dataclass
class Replayed:
    status: str
    step: int
    holds: list[tuple[date, date | None]]


def replay(actions: Sequence[tuple[str, datetime]], n_steps: int, tz: str) -> Replayed:
    """The status, step and hold periods that a list of (action, at) events leads to."""
    status, step, holds = "in_progress", 1, []
    for action, at in actions:
        if action == "log":
            continue
        allowed, target = TRANSITIONS[action]
        if status not in allowed:
            raise InvalidTransition(f"event {action} is not possible from {status}")
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
            name=clean_name(name, "applicant name"),
            nik=validate_nik(nik),
            phone=normalize_phone(phone) if phone not in (None, "") else None,
            address=clean_text(address, "address", limit=500),
        )


def _check_at(at: datetime | None, previous: datetime | None, now: datetime, tz: str) -> datetime:
    """The time of a new event (now, or a back-filled --at), refused when it is in the
    future or before the request's previous event; times in messages are office time."""
    if at is None:
        at = now
    if local_date(at, tz) < EARLIEST_RECORD:
        raise InvalidInput(
            f"--at {local_date(at, tz).isoformat()} is before "
            f"{EARLIEST_RECORD.year}; back-filled records start on "
            f"{EARLIEST_RECORD.isoformat()} (is the year a typo?)"
        )
    if at > now + FUTURE_TOLERANCE:
        raise InvalidInput(
            f"--at {local_iso(at, tz)} lies in the future (it is now "
            f"{local_iso(now, tz)}); back-filled events must have happened"
        )
    if previous is not None and at < previous:
        raise InvalidInput(
            f"--at {local_iso(at, tz)} is before the request's previous event "
            f"({local_iso(previous, tz)}); events must be in order"
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
) -> dict[str, Any]:
    """Log a new application: number it, pin its procedure version, compute its due date.

    Logging is the counter's most frequent command, so it is written with Core statements on
    the tables: no ORM object is built, which spares each process SQLAlchemy's mapper
    configuration and unit-of-work set-up (about 10 ms of a 400 ms command).
    """
    from types import SimpleNamespace

    from sqlalchemy import insert, select

    from egovctl.catalogue.queries import get_procedure
    from egovctl.db import next_number
    from egovctl.identity import clean_text
    from egovctl.models import Agency, Procedure, ProcedureVersion, RequestEvent, ServiceRequest
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    if channel not in CHANNELS:
        raise InvalidInput(f"unknown channel '{channel}'; use one of {', '.join(CHANNELS)}")
    note = clean_text(note, "--note")
    now = now_utc()
    at = _check_at(at, None, now, tz)
    P, V, A = Procedure.__table__.c, ProcedureVersion.__table__.c, Agency.__table__.c
    with db.write() as session:
        # The procedure, its current version and its agency in one statement.
        found = session.execute(
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
            )
            .join_from(
                Procedure.__table__,
                ProcedureVersion.__table__,
                (V.procedure_id == P.id) & (V.version == P.current_version),
            )
            .join(Agency.__table__, A.id == P.agency_id)
            .where(P.code == procedure_code.upper())
        ).one_or_none()
        if found is None:
            get_procedure(session, procedure_code)  # raises NotFound, with a suggestion
            raise NotFound(f"procedure {procedure_code} has no current version")
        authorize(session, actor, "request.log", found.agency_id)
        if not found.active:
            raise InvalidTransition(
                f"procedure {found.code} is retired and takes no new requests; "
                f"reactivate it with 'egovctl procedure reactivate {found.code}'"
            )
        received = local_date(at, tz)
        due = load_calendar(session).due_date(received, found.sla_days)
        number = next_number(session, found.agency_id, received.year)
        reg_no = f"{found.agency_code}-{received.year}-{number:06d}"
        table = ServiceRequest.__table__
        values = {
            "reg_no": reg_no,
            "agency_id": found.agency_id,
            "procedure_id": found.id,
            "version_id": found.version_id,
            "status": "in_progress",
            "step": 1,
            "applicant_name": applicant.name,
            "applicant_name_fold": applicant.name.casefold(),
            "nik": applicant.nik,
            "phone": applicant.phone,
            "address": applicant.address,
            "channel": channel,
            "note": note,
            "received_at": at,
            "received_date": received,
            "due_date": due,
            "updated_at": now,
        }
        new_id = session.execute(insert(table).values(values)).inserted_primary_key[0]
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
                "channel": channel,
                "applicant": applicant_digest(
                    applicant.name, applicant.nik, applicant.phone, applicant.address
                ),
            },
            at=now,
        )
        req = SimpleNamespace(**{**{c.name: None for c in table.columns}, **values, "id": new_id})
        steps = _step_list(session, found.version_id)
        data = _row_dict(
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
        data["sla_days"] = found.sla_days
        data["step_list"] = steps
        data["events"] = [{"at": local_iso(at, tz), "action": "log", "actor": actor, "note": note}]
        return data


# -- transitions ----------------------------------------------------------------------------


def find_request(session: Session, reg_no: str, *, lock: bool = False) -> Any:
    """The request with this registration number (any case), or NotFound."""
    from sqlalchemy import select

    from egovctl.models import ServiceRequest

    query = select(ServiceRequest).where(ServiceRequest.reg_no == reg_no.strip().upper())
    if lock:
        query = query.with_for_update()
    req = session.execute(query).scalar_one_or_none()
    if req is None:
        raise NotFound(
            f"no request with registration number '{reg_no}'; "
            "search with 'egovctl request list --search NAME_OR_NIK'"
        )
    return req


def transition(
    db: Database,
    actor: str,
    reg_no: str,
    action: str,
    *,
    tz: str,
    note: str | None = None,
    at: datetime | None = None,
    delivered_to: str | None = None,
) -> dict[str, Any]:
    """Apply one action (advance, hold, resume, deliver, reject, cancel) to a request."""
    from sqlalchemy import func, select

    from egovctl.identity import clean_text
    from egovctl.models import ProcedureVersion, RequestEvent, Step
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    allowed, target = TRANSITIONS[action]
    note = clean_text(note, "--reason" if action in ("hold", "reject", "cancel") else "note")
    delivered_to = clean_text(delivered_to, "--to")
    if action in ("hold", "reject", "cancel") and not note:
        raise InvalidInput(f"{action} needs --reason: say why, it is kept in the history")
    now = now_utc()
    with db.write() as session:
        req = find_request(session, reg_no, lock=True)
        authorize(session, actor, f"request.{action}", req.agency_id)
        if req.status not in allowed:
            need = " or ".join(STATUS_WORDS[s] for s in allowed)
            raise InvalidTransition(
                f"cannot {action} {req.reg_no}: it is {STATUS_WORDS[req.status]} "
                f"(status {req.status}); {action} needs a request that is {need}"
            )
        last = session.execute(
            select(func.max(RequestEvent.seq), func.max(RequestEvent.at)).where(
                RequestEvent.request_id == req.id
            )
        ).one()
        at = _check_at(at, last[1], now, tz)
        day = local_date(at, tz)
        n_steps = session.execute(
            select(func.count()).select_from(Step).where(Step.version_id == req.version_id)
        ).scalar_one()
        details: dict[str, Any] = {"from": req.status}
        if action == "advance":
            details["step"] = req.step
            if req.step >= n_steps:
                req.status, req.ready_at, req.ready_date = "ready", at, day
            else:
                req.step += 1
        else:
            req.status = target
        if action == "hold":
            req.hold_started = day
        elif action == "resume":
            holds = _holds(session, req, tz)  # ends with the open hold, closed here today
            holds[-1] = (holds[-1][0], day)
            sla = session.get(ProcedureVersion, req.version_id).sla_days
            req.due_date = load_calendar(session).due_date(req.received_date, sla, holds)
            req.hold_started = None
        elif action == "deliver":
            req.delivered_at, req.delivered_to = at, (delivered_to or None)
        if req.status in ("rejected", "cancelled"):
            req.closed_at, req.closed_date, req.hold_started = at, day, None
        req.updated_at = now
        event_note = (
            note
            if action != "deliver"
            else (note or (f"diserahkan kepada {delivered_to}" if delivered_to else None))
        )
        session.add(
            RequestEvent(
                request_id=req.id,
                seq=(last[0] or 0) + 1,
                at=at,
                action=action,
                actor=actor,
                note=event_note,
            )
        )
        details.update({"to": req.status, "at": at.isoformat()})
        if event_note:
            details["note"] = event_note
        if action == "resume":
            details["due_date"] = req.due_date.isoformat()
        audit.append(session, actor, f"request.{action}", f"request:{req.reg_no}", details, at=now)
        session.flush()
        return request_dict(session, req, tz, with_events=True)


def _holds(session: Session, req: Any, tz: str) -> list[tuple[date, date | None]]:
    from sqlalchemy import select

    from egovctl.models import RequestEvent

    holds: list[tuple[date, date | None]] = []
    for action, at in session.execute(
        select(RequestEvent.action, RequestEvent.at)
        .where(RequestEvent.request_id == req.id, RequestEvent.action.in_(("hold", "resume")))
        .order_by(RequestEvent.seq)
    ):
        if action == "hold":
            holds.append((local_date(at, tz), None))
        else:
            holds[-1] = (holds[-1][0], local_date(at, tz))
    return holds


# -- reading --------------------------------------------------------------------------------


def request_dict(
    session: Session,
    req: Any,
    tz: str,
    *,
    with_events: bool = False,
    today: date | None = None,
    mask: bool = False,
) -> dict[str, Any]:
    """The SPEC §5 shape of a request; ``with_events`` adds its history (``events``)."""
    from sqlalchemy import select

    from egovctl.models import Agency, Procedure, ProcedureVersion, RequestEvent

    today = today or local_date(now_utc(), tz)
    proc = session.get(Procedure, req.procedure_id)
    version = session.get(ProcedureVersion, req.version_id)
    agency = session.get(Agency, req.agency_id)
    steps = _step_list(session, req.version_id)
    data = _row_dict(
        req, proc.code, version.version, version.name, agency.code, len(steps), tz, today, mask
    )
    data["sla_days"] = version.sla_days
    data["step_list"] = steps
    if with_events:
        events = (
            session.execute(
                select(RequestEvent)
                .where(RequestEvent.request_id == req.id)
                .order_by(RequestEvent.seq)
            )
            .scalars()
            .all()
        )
        data["events"] = [
            {"at": local_iso(e.at, tz), "action": e.action, "actor": e.actor, "note": e.note}
            for e in events
        ]
    return data


def _step_list(session: Session, version_id: int) -> list[dict[str, Any]]:
    """The steps of a procedure version, in order, as the SPEC §5 ``step_list``."""
    from sqlalchemy import select

    from egovctl.models import Step

    S = Step.__table__.c
    rows = session.execute(
        select(S.position, S.name, S.actor, S.days)
        .where(S.version_id == version_id)
        .order_by(S.position)
    )
    return [dict(row._mapping) for row in rows]


def _row_dict(
    req: Any,
    procedure: str,
    version: int,
    procedure_name: str,
    agency: str,
    n_steps: int,
    tz: str,
    today: date,
    mask: bool,
) -> dict[str, Any]:
    from egovctl.identity import mask_nik
    from egovctl.requests.workdays import is_overdue

    overdue = is_overdue(req.status, req.due_date, today)
    return {
        "reg_no": req.reg_no,
        "procedure": procedure,
        "procedure_name": procedure_name,
        "version": version,
        "agency": agency,
        "status": req.status,
        "step": req.step,
        "steps": n_steps,
        "applicant": {
            "name": req.applicant_name,
            "nik": mask_nik(req.nik) if mask else req.nik,
            "phone": req.phone,
            "address": req.address,
        },
        "channel": req.channel,
        "received_at": local_iso(req.received_at, tz),
        "due_date": req.due_date.isoformat(),
        "ready_at": local_iso(req.ready_at, tz),
        "delivered_at": local_iso(req.delivered_at, tz),
        "delivered_to": req.delivered_to,
        "closed_at": local_iso(req.closed_at, tz),
        "on_hold_since": req.hold_started.isoformat() if req.hold_started else None,
        "overdue": overdue,
    }


def show_request(db: Database, reg_no: str, *, tz: str, actor: str | None = None) -> dict[str, Any]:
    """A request with its history. Once staff exist, someone who is not an active member
    (``actor``) sees the NIK masked, as on public sheets; staff see it whole."""
    from egovctl.staff.access import is_active_member

    with db.read() as session:
        req = find_request(session, reg_no)
        mask = actor is not None and not is_active_member(session, actor)
        data = request_dict(session, req, tz, with_events=True, mask=mask)
        cal = load_calendar(session)
        today = local_date(now_utc(), tz)
        due = req.due_date
        if req.status == "in_progress":
            if today <= due:
                data["working_days_left"] = cal.working_days_after(today, due)
                data["today"] = today.isoformat()
            else:
                data["days_overdue"] = cal.working_days_after(due, today)
        return data


@dataclass
class RequestFilter:
    status: str | None = None
    procedure: str | None = None
    agency: str | None = None
    overdue: bool = False
    due_within: int | None = None
    since: date | None = None
    until: date | None = None
    search: str | None = None
    limit: int = 50


def list_requests(
    db: Database, actor: str, flt: RequestFilter, *, tz: str, show_nik: bool = False
) -> list[dict[str, Any]]:
    """Requests matching the filter, oldest due first; NIK masked unless show_nik."""
    from sqlalchemy import func, select

    from egovctl.catalogue.queries import get_agency, get_procedure
    from egovctl.models import Agency, Procedure, ProcedureVersion, ServiceRequest, Step
    from egovctl.staff.access import authorize

    if flt.since and flt.until and flt.since > flt.until:
        raise InvalidInput(
            f"--since {flt.since} is after --until {flt.until}; give the earlier date first"
        )
    if flt.status and flt.status not in STATUSES:
        raise InvalidInput(f"unknown status '{flt.status}'; use one of {', '.join(STATUSES)}")
    if flt.limit < 1:
        raise InvalidInput("--limit must be at least 1")
    today = local_date(now_utc(), tz)
    R = ServiceRequest
    with db.read() as session:
        if show_nik:
            authorize(session, actor, "nik.show")
        # The page of requests is chosen on service_request alone, from its indexes (for
        # --overdue the (status, due_date) index covers the filter and the order); only
        # those rows are then joined to their procedure, version, agency and step count.
        page = select(R.id)
        if flt.status:
            page = page.where(R.status == flt.status)
        if flt.procedure:
            page = page.where(R.procedure_id == get_procedure(session, flt.procedure).id)
        if flt.agency:
            page = page.where(R.agency_id == get_agency(session, flt.agency).id)
        if flt.overdue:
            page = page.where(R.status.in_(OPEN_STATUSES), R.due_date < today)
        if flt.due_within is not None:
            if flt.due_within < 0:
                raise InvalidInput("--due-within must be 0 or more working days")
            cutoff = (
                today
                if flt.due_within == 0
                else load_calendar(session).add_working_days(today, flt.due_within)
            )
            page = page.where(R.status.in_(OPEN_STATUSES), R.due_date <= cutoff)
        if flt.since:
            page = page.where(R.received_date >= flt.since)
        if flt.until:
            page = page.where(R.received_date <= flt.until)
        if flt.search:
            page = page.where(_search_clause(flt.search))
        ids = page.order_by(R.due_date, R.id).limit(flt.limit).subquery()
        n_steps = (
            select(Step.version_id, func.count().label("n")).group_by(Step.version_id).subquery()
        )
        query = (
            select(
                R,
                Procedure.code,
                ProcedureVersion.version,
                ProcedureVersion.name,
                Agency.code,
                n_steps.c.n,
            )
            .join(ids, ids.c.id == R.id)
            .join(Procedure, Procedure.id == R.procedure_id)
            .join(ProcedureVersion, ProcedureVersion.id == R.version_id)
            .join(Agency, Agency.id == R.agency_id)
            .join(n_steps, n_steps.c.version_id == R.version_id)
            .order_by(R.due_date, R.id)
        )
        return [
            _row_dict(r, pcode, ver, pname, acode, n, tz, today, not show_nik)
            for r, pcode, ver, pname, acode, n in session.execute(query).all()
        ]


def _search_clause(text: str) -> Any:
    from egovctl.models import ServiceRequest as R

    term = text.strip()
    if not term:
        raise InvalidInput("--search needs some text: a registration number, name or NIK")
    compact = term.replace(" ", "")
    if compact.isdigit() and len(compact) == 16:
        return R.nik == compact  # uses ix_service_request_nik
    upper = term.upper()
    if "-" in upper and any(ch.isdigit() for ch in upper) and " " not in upper:
        # A registration number or its start: a range keeps the unique index usable.
        return (R.reg_no >= upper) & (R.reg_no < upper + "\uffff")
    pattern = (
        "%" + term.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    )
    return R.applicant_name_fold.like(pattern, escape="\\")


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

    audited: dict[str, dict[str, str]] = {}
    for entity, details in session.execute(
        select(AuditRecord.entity, AuditRecord.details)
        .where(AuditRecord.action.in_(("request.log", "request.resume")))
        .order_by(AuditRecord.id)
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

    with db.read() as session:
        n_steps = dict(
            session.execute(select(Step.version_id, func.count()).group_by(Step.version_id)).all()
        )
        audited = _audited_requests(session)
        stored = session.execute(
            select(
                ServiceRequest.id,
                ServiceRequest.reg_no,
                ServiceRequest.status,
                ServiceRequest.step,
                ServiceRequest.version_id,
                ServiceRequest.due_date,
                ServiceRequest.applicant_name,
                ServiceRequest.nik,
                ServiceRequest.phone,
                ServiceRequest.address,
            ).order_by(ServiceRequest.id)
        ).yield_per(10000)
        events = iter(
            session.execute(
                select(RequestEvent.request_id, RequestEvent.action, RequestEvent.at).order_by(
                    RequestEvent.request_id, RequestEvent.seq
                )
            ).yield_per(20000)
        )
        pending = next(events, None)
        count = 0
        for rid, reg_no, status, step, version_id, due, *applicant in stored:
            record = audited.get(reg_no, {})
            if record.get("due_date", due.isoformat()) != due.isoformat():
                raise AuditMismatch(
                    f"request {reg_no} is due {due.isoformat()}, but the audit log gave it "
                    f"{record['due_date']}: the due date was changed outside egovctl"
                )
            if record.get("applicant", "") not in ("", applicant_digest(*applicant)):
                raise AuditMismatch(
                    f"request {reg_no}: the applicant's name, NIK, phone or address differ "
                    "from what was logged: they were changed outside egovctl"
                )
            actions: list[tuple[str, datetime]] = []
            if pending is not None and pending[0] < rid:
                raise AuditMismatch(
                    f"history of a request (id {pending[0]}) that no longer "
                    "exists: a request was deleted outside egovctl"
                )
            while pending is not None and pending[0] == rid:
                actions.append((pending[1], pending[2]))
                pending = next(events, None)
            if not actions or actions[0][0] != "log":
                raise AuditMismatch(f"request {reg_no} has lost its history (no 'log' event)")
            try:
                got = replay(actions, n_steps.get(version_id, 0), tz)
            except InvalidTransition as exc:
                raise AuditMismatch(
                    f"request {reg_no}: its history does not replay ({exc.message})"
                ) from None
            if (got.status, got.step) != (status, step):
                raise AuditMismatch(
                    f"request {reg_no} is stored as {status} at step {step}, but its "
                    f"history leads to {got.status} at step {got.step}: it was changed "
                    "outside egovctl"
                )
            count += 1
    return count
