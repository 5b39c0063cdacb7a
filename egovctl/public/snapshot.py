"""What the public may see, read from the database: the catalogue, and the requests without
personal data (docs/public.md). ``egovctl.public.site`` and ``egovctl.public.open311`` publish it.

Personal data never leaves the database: the requests carry only registration number,
status, procedure, and the dates of receipt, due and completion (see ``public_requests``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from egovctl.errors import NotFound
from egovctl.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database


class PublicRequest(TypedDict):
    """A request as the public may see it: no name, NIK, phone, address, note or reason."""

    reg_no: str
    status: str
    procedure: str
    procedure_name: str
    sla_days: int
    fee: int
    agency: str
    agency_name: str
    received_at: datetime
    received_date: date
    due_date: date
    finished_date: date | None  # ready, delivered, rejected or cancelled on this day
    updated_at: datetime  # the last event


# Requests shown publicly: every one not yet handed over or closed, and those delivered,
# rejected or cancelled within this many days (what Open311 servers list by default).
PUBLIC_WINDOW_DAYS = 90
# The due date is a calendar day; as a moment it is the end of that office day.
OFFICE_DAY_END = time(16, 0)

# Status as a citizen reads it: (label, what to do next or None).
PUBLIC_STATUS: dict[str, tuple[str, str | None]] = {
    "in_progress": ("Sedang diproses", None),
    "on_hold": (
        "Ditunda, menunggu kelengkapan dari pemohon",
        "Silakan hubungi loket pelayanan untuk melengkapi persyaratan. Jangka waktu "
        "penyelesaian berhenti selama permohonan ditunda.",
    ),
    "ready": (
        "Selesai, dokumen siap diambil",
        "Silakan ambil di loket pelayanan dengan membawa bukti pendaftaran.",
    ),
    "delivered": ("Sudah diserahkan", None),
    "rejected": ("Ditolak", "Silakan hubungi loket pelayanan untuk mengetahui alasannya."),
    "cancelled": ("Dibatalkan", None),
}


def public_catalogue(session: Session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """All agencies (by name) and the active procedures (by code) as plain dicts."""
    from sqlmodel import col, select

    from egovctl.catalogue.queries import agency_dict, procedure_dict
    from egovctl.models import Agency, Procedure

    # Plain dicts: what is published is a copy the site may reshape, not the catalogue's record.
    agencies: list[dict[str, Any]] = [
        dict(agency_dict(a))
        for a in session.execute(
            select(Agency).order_by(col(Agency.name), col(Agency.code))
        ).scalars()
    ]
    procedures: list[dict[str, Any]] = []
    for proc in session.execute(
        select(Procedure).where(col(Procedure.active)).order_by(col(Procedure.code))
    ).scalars():
        data: dict[str, Any] = dict(procedure_dict(session, proc))
        data.pop("version_id")
        procedures.append(data)
    return agencies, procedures


def public_requests(session: Session, tz: str, now: datetime) -> list[PublicRequest]:
    """The requests the public may look up, newest received first, without personal data.

    Every request still in progress, on hold or ready for pickup, and those delivered,
    rejected or cancelled in the last ``PUBLIC_WINDOW_DAYS`` days. No name, NIK, phone,
    address, note or reason is read, so none can leak.
    """
    from sqlalchemy import and_, func, or_, select
    from sqlmodel import col

    from egovctl.models import Agency, Procedure, ProcedureVersion, RequestEvent
    from egovctl.models import ServiceRequest as R
    from egovctl.timeutil import local_date, zone

    today = local_date(now, tz)
    cutoff = today - timedelta(days=PUBLIC_WINDOW_DAYS)
    cutoff_at = datetime.combine(cutoff, time(0), tzinfo=zone(tz)).astimezone(UTC)
    last_event = (
        select(func.max(col(RequestEvent.at)))
        .where(col(RequestEvent.request_id) == R.id)
        .correlate(R)
        .scalar_subquery()
    )
    query = (
        select(
            col(R.reg_no),
            col(R.status),
            col(R.received_at),
            col(R.received_date),
            col(R.due_date),
            col(R.ready_date),
            col(R.delivered_at),
            col(R.closed_date),
            col(R.updated_at),
            col(Procedure.code),
            col(ProcedureVersion.name),
            col(ProcedureVersion.sla_days),
            col(ProcedureVersion.fee),
            col(Agency.code),
            col(Agency.name),
            last_event,
        )
        .join(Procedure, col(Procedure.id) == R.procedure_id)
        .join(ProcedureVersion, col(ProcedureVersion.id) == R.version_id)
        .join(Agency, col(Agency.id) == R.agency_id)
        .where(
            or_(
                col(R.status).in_(("in_progress", "on_hold", "ready")),
                and_(col(R.status) == "delivered", col(R.delivered_at) >= cutoff_at),
                and_(col(R.status).in_(("rejected", "cancelled")), col(R.closed_date) >= cutoff),
            )
        )
        .order_by(col(R.received_at).desc(), col(R.id).desc())
    )
    rows: list[PublicRequest] = []
    for (
        reg_no,
        status,
        received_at,
        received_date,
        due,
        ready_date,
        delivered_at,
        closed_date,
        updated_at,
        code,
        name,
        sla_days,
        fee,
        agency,
        agency_name,
        last_at,
    ) in session.execute(query):
        finished = {
            "ready": ready_date,
            "rejected": closed_date,
            "cancelled": closed_date,
            "delivered": local_date(delivered_at, tz) if delivered_at else None,
        }.get(status)
        rows.append(
            {
                "reg_no": reg_no,
                "status": status,
                "procedure": code,
                "procedure_name": name,
                "sla_days": sla_days,
                "fee": fee,
                "agency": agency,
                "agency_name": agency_name,
                "received_at": received_at,
                "received_date": received_date,
                "due_date": due,
                "finished_date": finished,
                "updated_at": last_at or updated_at,
            }
        )
    return rows


def status_label(status: str) -> str:
    return PUBLIC_STATUS[status][0]


def due_moment(due: date, tz: str) -> datetime:
    """The due date as an aware moment: the end of that office day in the office's zone."""
    from egovctl.timeutil import zone

    return datetime.combine(due, OFFICE_DAY_END, tzinfo=zone(tz))


def public_snapshot(
    db: Database, actor: str, tz: str, now: datetime | None, *, with_requests: bool, verb: str
) -> tuple[datetime, list[dict[str, Any]], list[dict[str, Any]], list[PublicRequest]]:
    """What may be published, read in one transaction: (now in the office's zone, agencies,
    active procedures, recent requests without personal data, if asked for).

    Refuses an empty catalogue: publishing it would replace the public copy with nothing,
    which most likely means the wrong database.
    """
    from egovctl.staff.access import authorize
    from egovctl.timeutil import now_utc, zone

    now = (now or now_utc()).astimezone(zone(tz))
    with db.read() as session:
        authorize(session, actor, "publish")  # in the same snapshot as what it publishes
        agencies, procedures = public_catalogue(session)
        requests = public_requests(session, tz, now) if with_requests else []
    if not procedures:
        if verb == "export":
            said = _(
                "no active procedures to export; import the catalogue first "
                "(egovctl procedure import)"
            )
        else:
            said = _(
                "no active procedures to publish; import the catalogue first "
                "(egovctl procedure import)"
            )
        raise NotFound(said)
    return now, agencies, procedures, requests
