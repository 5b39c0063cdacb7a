"""Complaints, the read paths: finding one, its JSON shape (docs/complaints.md), the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from egovctl.complaints.vocabulary import STATUSES, UNANSWERED
from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import _
from egovctl.timeutil import local_iso, today

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.models import Complaint


def find_complaint(session: Session, number: str, *, lock: bool = False) -> Complaint:
    """The complaint with this number (any case), or NotFound."""
    from sqlalchemy import select
    from sqlmodel import col

    from egovctl.identity import printable, shorten
    from egovctl.models import Complaint

    key = number.strip().upper()
    found = None
    if printable(number) and len(key) <= 60:
        query = select(Complaint).where(col(Complaint.number) == key)
        if lock:
            query = query.with_for_update()
        found = session.execute(query).scalar_one_or_none()
    if found is None:
        raise NotFound(
            _("no complaint numbered '{number}'; see 'egovctl complaint list'").format(
                number=shorten(number.strip())
            )
        )
    return found


def overdue(respond_due: date, responded: date | None, on: date) -> bool:
    """Not answered by its deadline: answered late, or still unanswered after it."""
    return (responded or on) > respond_due


def complaint_dict(
    session: Session, row: Complaint, tz: str, *, with_events: bool = True
) -> dict[str, Any]:
    from sqlalchemy import select

    from egovctl.models import Agency, ComplaintEvent, Procedure, ServiceRequest

    agency = session.get_one(Agency, row.agency_id).code
    reg_no = (
        session.execute(
            select(ServiceRequest.__table__.c.reg_no).where(
                ServiceRequest.__table__.c.id == row.request_id
            )
        ).scalar_one()
        if row.request_id is not None
        else None
    )
    procedure = session.get_one(Procedure, row.procedure_id).code if row.procedure_id else None
    data: dict[str, Any] = {
        "number": row.number,
        "status": row.status,
        "channel": row.channel,
        "agency": agency,
        "reg_no": reg_no,
        "procedure": procedure,
        "lapor_id": row.lapor_id,
        "text": row.text,
        "complainant": {
            "name": row.complainant_name,
            "contact": row.complainant_contact,
            "anonymous": bool(row.anonymous),
        },
        "received_at": local_iso(row.received_at, tz),
        "respond_due": row.respond_due.isoformat(),
        "respond_overdue": overdue(row.respond_due, row.responded_date, today(tz)),
        "assigned_to": row.assigned_to,
        "response": row.response,
        "responded_at": local_iso(row.responded_at, tz),
        "closed_at": local_iso(row.closed_at, tz),
        "outcome": row.outcome,
    }
    if with_events:
        E = ComplaintEvent.__table__.c
        data["events"] = [
            {"at": local_iso(at, tz), "action": action, "actor": actor, "note": note}
            for at, action, actor, note in session.execute(
                select(E.at, E.action, E.actor, E.note)
                .where(E.complaint_id == row.id)
                .order_by(E.seq)
            )
        ]
    return data


def show_complaint(db: Database, actor: str, number: str, *, tz: str) -> dict[str, Any]:
    from egovctl.staff.access import authorize

    with db.read() as session:
        row = find_complaint(session, number)
        authorize(session, actor, "complaint.read", row.agency_id)
        return complaint_dict(session, row, tz)


@dataclass
class ComplaintFilter:
    status: str | None = None
    overdue: bool = False
    agency: str | None = None
    year: int | None = None
    limit: int = 100


def list_complaints(
    db: Database, actor: str, flt: ComplaintFilter, *, tz: str
) -> list[dict[str, Any]]:
    """Complaints, the earliest response deadline first; ``overdue``: those still unanswered
    after their deadline."""
    from sqlalchemy import select

    from egovctl.catalogue.queries import get_agency
    from egovctl.identity import shorten
    from egovctl.models import Agency, Complaint
    from egovctl.staff.access import authorize

    if flt.status is not None and flt.status not in STATUSES:
        raise InvalidInput(
            _("unknown status '{status}'; use one of {choices}").format(
                status=shorten(flt.status), choices=", ".join(STATUSES)
            )
        )
    C, A = Complaint.__table__.c, Agency.__table__.c
    on = today(tz)
    with db.read() as session:
        agency_id = get_agency(session, flt.agency).id if flt.agency else None
        authorize(session, actor, "complaint.read", agency_id)
        query = (
            select(Complaint.__table__, A.code.label("agency_code"))
            .join(Agency.__table__, A.id == C.agency_id)
            .order_by(C.respond_due, C.id)
            .limit(flt.limit)
        )
        if flt.status:
            query = query.where(C.status == flt.status)
        if agency_id is not None:
            query = query.where(C.agency_id == agency_id)
        if flt.overdue:
            query = query.where(C.status.in_(sorted(UNANSWERED)), C.respond_due < on)
        return [
            {
                "number": r.number,
                "status": r.status,
                "channel": r.channel,
                "agency": r.agency_code,
                "complainant": None if r.anonymous else r.complainant_name,
                "anonymous": bool(r.anonymous),
                "received_at": local_iso(r.received_at, tz),
                "respond_due": r.respond_due.isoformat(),
                "respond_overdue": overdue(r.respond_due, r.responded_date, on),
                "assigned_to": r.assigned_to,
                "outcome": r.outcome,
            }
            for r in session.execute(query)
        ]
