"""Complaints as the public may look them up on the site's status page: the number, the
status and the dates only. No complainant, no text, no response, no agency or procedure link
is read, so none can leak (docs/complaints.md, docs/public.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

# Status as a complainant reads it: (label, what happens next or None).
PUBLIC_COMPLAINT_STATUS: dict[str, tuple[str, str | None]] = {
    "received": ("Pengaduan diterima", "Pengaduan sedang ditelaah oleh petugas."),
    "in_progress": ("Sedang ditindaklanjuti", None),
    "responded": ("Sudah ditanggapi", None),
    "closed": ("Selesai", None),
}


def public_complaints(
    session: Session, tz: str, now: datetime, window_days: int
) -> list[dict[str, Any]]:
    """Every complaint not yet closed, and those closed within ``window_days`` days."""
    from sqlalchemy import or_, select

    from egovctl.models import Complaint
    from egovctl.timeutil import local_date

    C = Complaint.__table__.c
    cutoff = local_date(now, tz) - timedelta(days=window_days)
    query = (
        select(C.number, C.status, C.received_date, C.respond_due, C.responded_date, C.closed_date)
        .where(or_(C.status != "closed", C.closed_date >= cutoff))
        .order_by(C.id)
    )
    return [
        {
            "number": number,
            "status": status,
            "received_date": received,
            "respond_due": due,
            "responded_date": responded,
            "closed_date": closed,
        }
        for number, status, received, due, responded, closed in session.execute(query)
    ]


def complaint_status_data(rows: list[dict[str, Any]], day: Any) -> dict[str, Any]:
    """``{"statuses": [[status, label, hint|null]], "complaints": {prefix: {serial:
    [status, received, due, responded|null, closed|null]}}}``, numbers split as
    ``ADU-DISDUKCAPIL-2026`` / ``000001`` and days counted as ``day`` does."""
    index = {s: i for i, s in enumerate(PUBLIC_COMPLAINT_STATUS)}
    table: dict[str, dict[str, list[Any]]] = {}

    def opt(value: date | None) -> int | None:
        return day(value) if value is not None else None

    for r in rows:
        prefix, _, serial = r["number"].rpartition("-")
        table.setdefault(prefix, {})[serial] = [
            index[r["status"]],
            day(r["received_date"]),
            day(r["respond_due"]),
            opt(r["responded_date"]),
            opt(r["closed_date"]),
        ]
    return {
        "statuses": [[key, *words] for key, words in PUBLIC_COMPLAINT_STATUS.items()],
        "complaints": table,
    }
