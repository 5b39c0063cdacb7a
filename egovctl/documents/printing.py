"""Printed documents: gathers what each document needs from the database and renders it.

What each template receives is described in ``templates/README.md``; this module only knows
where the data comes from and what the files are called. The announcement, which starts from
a Markdown file rather than the database, is in :mod:`egovctl.documents.announcement`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.catalogue.queries import AgencyRecord, ProcedureRecord
    from egovctl.config import Config
    from egovctl.db import Database
    from egovctl.documents.context import (
        CatalogueContext,
        MaklumatContext,
        Paper,
        ReadyListContext,
        ReceiptContext,
        StandardContext,
    )
    from egovctl.documents.render import Renderer
    from egovctl.models import Procedure, ServiceRequest


@dataclass
class Document:
    template: str
    context: Mapping[str, Any]
    default_name: str


def renderer(config: Config) -> Renderer:
    from egovctl.documents.render import Renderer

    return Renderer(
        config.templates.value, office=config.office.as_dict(), timezone=config.timezone
    )


def _staff_name(session: Session, username: str) -> str:
    from sqlmodel import col, select

    from egovctl.models import Staff

    name = session.exec(select(col(Staff.name)).where(col(Staff.username) == username)).first()
    return name or username


def receipt(db: Database, actor: str, reg_no: str, *, tz: str, paper: str = "a5") -> Document:
    from sqlmodel import col, select

    from egovctl.catalogue.queries import agency_dict
    from egovctl.models import Agency, ProcedureVersion, RequestEvent, Requirement
    from egovctl.requests.queries import find_request
    from egovctl.staff.access import authorize

    if paper not in ("a5", "80mm"):
        raise InvalidInput(_("unknown paper '{paper}'; use a5 or 80mm").format(paper=paper))
    paper_size: Paper = "a5" if paper == "a5" else "80mm"
    with db.read() as session:
        req: ServiceRequest = find_request(session, reg_no)
        authorize(session, actor, "print.receipt", req.agency_id)
        version = session.get_one(ProcedureVersion, req.version_id)
        agency = session.get_one(Agency, req.agency_id)
        logged_by = session.exec(
            select(col(RequestEvent.actor)).where(
                col(RequestEvent.request_id) == req.id, col(RequestEvent.seq) == 1
            )
        ).one()
        reqs = session.exec(
            select(Requirement)
            .where(col(Requirement.version_id) == version.id)
            .order_by(col(Requirement.position))
        ).all()
        proc_code = get_procedure_code(session, req.procedure_id)
        context: ReceiptContext = {
            "request": {
                "reg_no": req.reg_no,
                "received_at": req.received_at,
                "due_date": req.due_date,
                "sla_days": version.sla_days,
                "fee": version.fee,
                "status": req.status,
                "applicant": {
                    "name": req.applicant_name,
                    "nik": req.nik,
                    "phone": _phone(req.phone),
                    "address": req.address,
                },
                "procedure": {"code": proc_code, "name": version.name, "version": version.version},
                "agency": agency_dict(agency),
                "requirements": [
                    {"name": r.name, "copies": r.copies, "optional": r.optional, "note": r.note}
                    for r in reqs
                ],
                "officer": {"name": _staff_name(session, logged_by), "username": logged_by},
            },
            "paper": paper_size,
        }
        from egovctl.notify.outbox import consent_dict

        # How the citizen chose to be told (docs/notify.md), printed on the receipt.
        consent = consent_dict(session, req.id or 0)
        if consent["channel"] != "none":
            to = consent["to"]
            context["request"]["notify"] = {
                "channel": consent["channel"],
                "to": _phone(to) if consent["channel"] != "email" else to,
            }
        if req.counted_from is not None:
            from egovctl.requests.calendar import load_calendar

            context["request"]["counted_from"] = load_calendar(session).next_working_day(
                req.counted_from
            )
    # The thermal slip gets a name of its own: printing both must not overwrite the A5 one.
    suffix = "" if paper == "a5" else f"-{paper}"
    return Document("receipt.html.j2", context, f"bukti-{req.reg_no}{suffix}.pdf")


def get_procedure_code(session: Session, procedure_id: int) -> str:
    from egovctl.models import Procedure

    return session.get_one(Procedure, procedure_id).code


def _phone(value: str | None) -> str | None:
    if not value:
        return None
    from egovctl.identity import format_phone_local

    return format_phone_local(value)


def _procedure_context(session: Session, proc: Procedure) -> tuple[ProcedureRecord, AgencyRecord]:
    from egovctl.catalogue.queries import agency_dict, get_agency, procedure_dict

    data = procedure_dict(session, proc)
    agency = agency_dict(get_agency(session, data["agency"]))
    return data, agency


def standard(db: Database, actor: str, code: str) -> Document:
    from egovctl.catalogue.queries import get_procedure
    from egovctl.staff.access import authorize

    with db.read() as session:
        authorize(session, actor, "print.board")
        proc: Procedure = get_procedure(session, code)
        data, agency = _procedure_context(session, proc)
    context: StandardContext = {"procedure": data, "agency": agency}
    return Document("standard.html.j2", context, f"standar-{proc.code}.pdf")


def catalogue(db: Database, actor: str, agency_code: str | None = None) -> Document:
    from sqlmodel import col, select

    from egovctl.catalogue.queries import agency_dict, get_agency
    from egovctl.models import Agency, Procedure
    from egovctl.staff.access import authorize

    with db.read() as session:
        authorize(session, actor, "print.board")
        query = select(Procedure).where(col(Procedure.active)).order_by(col(Procedure.code))
        agency = None
        if agency_code:
            agency_row: Agency = get_agency(session, agency_code)
            agency = agency_dict(agency_row)
            query = query.where(col(Procedure.agency_id) == agency_row.id)
        procedures: list[dict[str, Any]] = []
        for proc in session.exec(query):
            data, proc_agency = _procedure_context(session, proc)
            procedures.append({**data, "agency": proc_agency})
    if not procedures:
        if agency_code:
            raise NotFound(
                _("no active procedures to print for {agency}").format(agency=agency_code.upper())
            )
        raise NotFound(_("no active procedures to print; import the catalogue first"))
    procedures.sort(key=lambda p: (p["agency"]["name"], p["name"]))
    name = f"katalog-{agency['code']}.pdf" if agency else "katalog-layanan.pdf"
    context: CatalogueContext = {"agency": agency, "procedures": procedures}
    return Document("catalogue.html.j2", context, name)


def maklumat(db: Database, actor: str, agency_code: str, *, day: date) -> Document:
    from egovctl.catalogue.queries import agency_dict, get_agency
    from egovctl.staff.access import authorize

    with db.read() as session:
        authorize(session, actor, "print.board")
        agency = agency_dict(get_agency(session, agency_code))
    context: MaklumatContext = {"agency": agency, "date": day}
    return Document("maklumat.html.j2", context, f"maklumat-{agency['code']}.pdf")


def ready_list(
    db: Database, actor: str, agency_code: str | None, *, tz: str, now: datetime
) -> Document:
    from sqlalchemy import select
    from sqlmodel import col

    from egovctl.catalogue.queries import agency_dict, get_agency
    from egovctl.identity import mask_nik
    from egovctl.models import Agency, ProcedureVersion, ServiceRequest
    from egovctl.staff.access import authorize
    from egovctl.timeutil import local_date

    with db.read() as session:
        authorize(session, actor, "print.board")
        # Five columns, one more than sqlmodel.select is typed for: SQLAlchemy's select, and
        # plain rows rather than 500 ORM objects.
        query = (
            select(
                col(ServiceRequest.reg_no),
                col(ServiceRequest.applicant_name),
                col(ServiceRequest.nik),
                col(ProcedureVersion.name),
                col(ServiceRequest.ready_at),
            )
            .join(ProcedureVersion, col(ProcedureVersion.id) == col(ServiceRequest.version_id))
            .where(col(ServiceRequest.status) == "ready")
            .order_by(col(ServiceRequest.ready_at), col(ServiceRequest.reg_no))
        )
        agency = None
        if agency_code:
            row: Agency = get_agency(session, agency_code)
            agency = agency_dict(row)
            query = query.where(col(ServiceRequest.agency_id) == row.id)
        # The NIK goes to the template only masked: the board is public.
        context: ReadyListContext = {
            "agency": agency,
            "rows": [
                {"reg_no": r, "name": n, "nik": mask_nik(k), "procedure": p, "ready_at": at}
                for r, n, k, p, at in session.execute(query)
            ],
            "generated_at": now,
        }
    stamp = local_date(now, tz).isoformat()
    name = f"siap-diambil-{agency['code']}-{stamp}.pdf" if agency else f"siap-diambil-{stamp}.pdf"
    return Document("ready_list.html.j2", context, name)


def output_path(doc: Document, output: Path | None) -> Path:
    if output is not None:
        return Path(output)
    return Path.cwd() / doc.default_name
