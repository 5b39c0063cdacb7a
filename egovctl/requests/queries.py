"""Reading requests: look-up by number, the shapes that commands print (docs/requests.md), the
filtered and searched list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import N_, Said, _
from egovctl.requests.calendar import load_calendar
from egovctl.requests.search import check_search, search_clause
from egovctl.requests.shapes import RequestDetail, RequestRow, StepDict, row_dict
from egovctl.requests.vocabulary import OPEN_STATUSES, STATUSES, status_word
from egovctl.timeutil import local_date, local_iso, now_utc

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.models import ServiceRequest

# The longest procedure or agency code (the catalogue tables' limit).
MAX_CODE = 40


# -- one request ------------------------------------------------------------------------------


def find_request(session: Session, reg_no: str, *, lock: bool = False) -> ServiceRequest:
    """The request with this registration number (any case), or NotFound."""
    from sqlalchemy import select
    from sqlmodel import col

    from egovctl.identity import printable
    from egovctl.models import ServiceRequest

    if not printable(reg_no):
        raise _not_found(reg_no)
    query = select(ServiceRequest).where(col(ServiceRequest.reg_no) == reg_no.strip().upper())
    if lock:
        query = query.with_for_update()
    req = session.execute(query).scalar_one_or_none()
    if req is None:
        raise _not_found(reg_no)
    return req


def request_state(session: Session, reg_no: str) -> tuple[str, int]:
    """The status and step of the request with this registration number, or NotFound."""
    from sqlalchemy import select

    from egovctl.identity import printable
    from egovctl.models import ServiceRequest

    if not printable(reg_no):
        raise _not_found(reg_no)
    R = ServiceRequest.__table__.c
    found = session.execute(
        select(R.status, R.step).where(R.reg_no == reg_no.strip().upper())
    ).one_or_none()
    if found is None:
        raise _not_found(reg_no)
    return found.status, found.step


def _not_found(reg_no: str) -> NotFound:
    from egovctl.identity import shorten

    return NotFound(
        _(
            "no request with registration number '{reg_no}'; "
            "search with 'egovctl request list --search NAME_OR_NIK'"
        ).format(reg_no=shorten(reg_no))
    )


def step_list(session: Session, version_id: int) -> list[StepDict]:
    """The steps of a procedure version, in order, as ``step_list`` in docs/requests.md."""
    from sqlalchemy import select

    from egovctl.models import Step

    S = Step.__table__.c
    rows = session.execute(
        select(S.position, S.name, S.actor, S.days)
        .where(S.version_id == version_id)
        .order_by(S.position)
    )
    return [
        StepDict(position=position, name=name, actor=actor, days=days)
        for position, name, actor, days in rows
    ]


def request_dict(
    session: Session,
    req: ServiceRequest,
    tz: str,
    *,
    with_events: bool = False,
    today: date | None = None,
    mask: bool = False,
) -> RequestDetail:
    """The shape (docs/requests.md) of a request; ``with_events`` adds its history (``events``)."""
    from sqlalchemy import select

    from egovctl.models import Agency, Procedure, ProcedureVersion, RequestEvent

    today = today or local_date(now_utc(), tz)
    proc = session.get_one(Procedure, req.procedure_id)
    version = session.get_one(ProcedureVersion, req.version_id)
    agency = session.get_one(Agency, req.agency_id)
    steps = step_list(session, req.version_id)
    row = row_dict(
        req, proc.code, version.version, version.name, agency.code, len(steps), tz, today, mask
    )
    data = RequestDetail(**row, sla_days=version.sla_days, step_list=steps)
    if with_events:
        E = RequestEvent.__table__.c
        data["events"] = [
            {"at": local_iso(at, tz), "action": action, "actor": actor, "note": note}
            for at, action, actor, note in session.execute(
                select(E.at, E.action, E.actor, E.note)
                .where(E.request_id == req.id)
                .order_by(E.seq)
            )
        ]
    return data


def show_request(db: Database, reg_no: str, *, tz: str, actor: str | None = None) -> RequestDetail:
    """A request with its history. Once staff exist, someone who is not an active member
    (``actor``) sees the NIK masked, as on public sheets; staff see it whole."""
    from egovctl.staff.access import is_active_member

    with db.read() as session:
        req = find_request(session, reg_no)
        mask = actor is not None and not is_active_member(session, actor)
        data = request_dict(session, req, tz, with_events=True, mask=mask)
        data["service_hours"] = _hours_lines(session, req.agency_id)
        from egovctl.notify.outbox import consent_dict

        data["notify"] = consent_dict(session, req.id or 0, mask)
        cal = load_calendar(session)
        if req.counted_from is not None:  # after the cut-off: the working day it counts from
            data["counted_from"] = cal.next_working_day(req.counted_from).isoformat()
        today = local_date(now_utc(), tz)
        due = req.due_date
        if req.status == "in_progress":
            if today <= due:
                data["working_days_left"] = cal.working_days_after(today, due)
                data["today"] = today.isoformat()
            else:
                data["days_overdue"] = cal.working_days_after(due, today)
        return data


def _hours_lines(session: Session, agency_id: int) -> list[str]:
    from egovctl.catalogue.hours import from_json
    from egovctl.models import Agency

    hours = from_json(session.get_one(Agency, agency_id).hours)
    return hours.lines() if hours else []


# What check_code says of a code that cannot be one, per kind of code (whole sentences).
_NO_SUCH_CODE = {
    "procedure": N_(
        "no procedure with code {code}: codes have at most {n} letters, digits and dashes; "
        "see '{listing}'"
    ),
    "agency": N_(
        "no agency with code {code}: codes have at most {n} letters, digits and dashes; "
        "see '{listing}'"
    ),
}


def check_code(code: str, what: str, listing: str) -> str:
    """A procedure or agency code (``what``: "procedure" or "agency") as typed, refused at once
    when it is longer than any code can be (the look-up's message would otherwise repeat, and
    compare, all of it)."""
    from egovctl.identity import printable, shorten

    if len(code.strip()) > MAX_CODE or not printable(code):
        raise NotFound(
            _(_NO_SUCH_CODE[what]).format(
                code=repr(shorten(code.strip())), n=MAX_CODE, listing=listing
            )
        )
    return code


def _same_name(a: str, b: str) -> bool:
    return a.casefold().split() == b.casefold().split()


def duplicate_warnings(
    session: Session, procedure_id: int, procedure_code: str, nik: str, name: str, tz: str
) -> list[str]:
    """What a counter clerk should know before logging: the same NIK has an open request for
    the same procedure, or was registered under another name (a typo in the NIK or the name)."""
    from sqlalchemy import select

    from egovctl.identity import shorten
    from egovctl.models import ServiceRequest

    R = ServiceRequest.__table__.c
    earlier = session.execute(
        select(R.reg_no, R.procedure_id, R.status, R.received_at, R.applicant_name)
        .where(R.nik == nik)  # ix_service_request_nik
        .order_by(R.id)
    ).all()
    warnings: list[str] = [
        Said(
            "NIK {nik} already has an open request for {procedure}: {reg_no} ({status}, "
            "received {received}); is this the same application again?",
            nik=nik,
            procedure=procedure_code,
            reg_no=e.reg_no,
            status=status_word(e.status),
            received=local_date(e.received_at, tz).isoformat(),
        )
        for e in earlier
        if e.procedure_id == procedure_id and e.status in OPEN_STATUSES
    ]
    for e in reversed(earlier):  # the latest name the NIK was registered under
        if not _same_name(e.applicant_name, name):
            warnings.append(
                Said(
                    "NIK {nik} was registered as '{earlier}' ({reg_no}), not '{name}'; "
                    "check the name and NIK against the KTP",
                    nik=nik,
                    earlier=shorten(e.applicant_name),
                    reg_no=e.reg_no,
                    name=shorten(name),
                )
            )
            break
    return warnings


# -- lists ------------------------------------------------------------------------------------


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
) -> list[RequestRow]:
    """Requests matching the filter, oldest due first; NIK masked unless show_nik."""
    from sqlalchemy import func, select

    from egovctl.catalogue.queries import get_agency, get_procedure
    from egovctl.identity import shorten
    from egovctl.models import Agency, Procedure, ProcedureVersion, ServiceRequest, Step
    from egovctl.staff.access import authorize

    if flt.since and flt.until and flt.since > flt.until:
        raise InvalidInput(
            _("--since {since} is after --until {until}; give the earlier date first").format(
                since=flt.since, until=flt.until
            )
        )
    if flt.status and flt.status not in STATUSES:
        raise InvalidInput(
            _("unknown status '{status}'; use one of {choices}").format(
                status=shorten(flt.status), choices=", ".join(STATUSES)
            )
        )
    if flt.limit < 1:
        raise InvalidInput(_("--limit must be at least 1"))
    if flt.due_within is not None and flt.due_within < 0:
        raise InvalidInput(_("--due-within must be 0 or more working days"))
    if flt.search is not None:
        check_search(flt.search)  # refused before any database is opened
    today = local_date(now_utc(), tz)
    R = ServiceRequest.__table__.c
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
            code = check_code(flt.procedure, "procedure", "egovctl procedure list --all")
            page = page.where(R.procedure_id == get_procedure(session, code).id)
        if flt.agency:
            code = check_code(flt.agency, "agency", "egovctl agency list")
            page = page.where(R.agency_id == get_agency(session, code).id)
        if flt.overdue:
            page = page.where(R.status.in_(OPEN_STATUSES), R.due_date < today)
        if flt.due_within is not None:
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
        search = None
        if flt.search is not None:
            dialect = "sqlite" if db.is_sqlite else db.engine.dialect.name
            alone = not (
                flt.status
                or flt.procedure
                or flt.agency
                or flt.overdue
                or flt.due_within is not None
                or flt.since
                or flt.until
            )
            search = search_clause(
                flt.search, dialect, session, newest=flt.limit if alone else None
            )
            page = page.where(search)
        # A search lists the newest first (docs/requests.md); other lists the oldest due.
        order = (R.id.desc(),) if search is not None else (R.due_date, R.id)
        ids = page.order_by(*order).limit(flt.limit).subquery()
        S = Step.__table__.c
        n_steps = select(S.version_id, func.count().label("n")).group_by(S.version_id).subquery()
        P, V, A = Procedure.__table__.c, ProcedureVersion.__table__.c, Agency.__table__.c
        query = (
            select(
                ServiceRequest.__table__,
                P.code.label("procedure_code"),
                V.version.label("version_number"),
                V.name.label("procedure_name"),
                A.code.label("agency_code"),
                n_steps.c.n,
            )
            .join(ids, ids.c.id == R.id)
            .join(Procedure.__table__, P.id == R.procedure_id)
            .join(ProcedureVersion.__table__, V.id == R.version_id)
            .join(Agency.__table__, A.id == R.agency_id)
            .join(n_steps, n_steps.c.version_id == R.version_id)
            # By the page's own column: ordered by service_request.id, the planner would read
            # the whole table newest first to find the page's rows.
            .order_by(*((ids.c.id.desc(),) if search is not None else order))
        )
        return [
            row_dict(
                r,
                r.procedure_code,
                r.version_number,
                r.procedure_name,
                r.agency_code,
                r.n,
                tz,
                today,
                not show_nik,
            )
            for r in session.execute(query)
        ]
