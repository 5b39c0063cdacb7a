"""Printed complaint documents: the complainant's receipt (tanda terima pengaduan, A5) and the
notice-board recap of a period (counts only: no names, no texts). See docs/complaints.md."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from egovctl.documents.printing import Document, _staff_name

if TYPE_CHECKING:
    from egovctl.db import Database
    from egovctl.reports.periods import Period


def complaint_receipt(db: Database, actor: str, number: str, *, tz: str) -> Document:
    from egovctl.catalogue.queries import agency_dict
    from egovctl.complaints.queries import complaint_dict, find_complaint
    from egovctl.complaints.vocabulary import CHANNEL_LABELS
    from egovctl.models import Agency, Complaint, Procedure, ProcedureVersion
    from egovctl.staff.access import authorize

    with db.read() as session:
        row: Complaint = find_complaint(session, number)
        authorize(session, actor, "print.receipt", row.agency_id)
        data = complaint_dict(session, row, tz)
        procedure_name = None
        if row.procedure_id is not None:
            proc = session.get_one(Procedure, row.procedure_id)
            version_id = _version_id(session, row.procedure_id, proc.current_version)
            procedure_name = session.get_one(ProcedureVersion, version_id).name
        first = data["events"][0]["actor"]
        context: dict[str, Any] = {
            "complaint": {
                "number": row.number,
                "received_at": row.received_at,
                "respond_due": row.respond_due,
                "channel": CHANNEL_LABELS.get(row.channel, row.channel),
                "lapor_id": row.lapor_id,
                "reg_no": data["reg_no"],
                "procedure": {"code": data["procedure"], "name": procedure_name}
                if data["procedure"]
                else None,
                "agency": agency_dict(session.get_one(Agency, row.agency_id)),
                "text": row.text,
                "complainant": data["complainant"],
                "officer": {"name": _staff_name(session, first), "username": first},
            }
        }
    return Document("complaint_receipt.html.j2", context, f"tanda-terima-{row.number}.pdf")


def _version_id(session: Any, procedure_id: int, version: int) -> int:
    from sqlalchemy import select

    from egovctl.models import ProcedureVersion

    V = ProcedureVersion.__table__.c
    return int(
        session.execute(
            select(V.id).where(V.procedure_id == procedure_id, V.version == version)
        ).scalar_one()
    )


def complaint_recap(
    db: Database, actor: str, period: Period, *, tz: str, agency: str | None = None
) -> Document:
    from egovctl.complaints.report import complaints_report
    from egovctl.staff.access import require

    require(db, actor, "print.board")
    data = complaints_report(db, actor, period, tz=tz, agency=agency)
    context = {
        "period_title": period.title(),
        "period": {"from": period.start, "to": period.end},
        "as_of": data["as_of"],
        "agency": agency.upper() if agency else None,
        "totals": data["totals"],
        "by_channel": data["by_channel"],
        "by_outcome": data["by_outcome"],
    }
    suffix = f"-{agency.upper()}" if agency else ""
    return Document(
        "complaint_recap.html.j2", context, f"rekap-pengaduan-{period.label}{suffix}.pdf"
    )
