"""Printed documents: gathers what each document needs from the database and renders it.

The templates and their context contract live in ``egovctl.documents.render``; this module only
knows where the data comes from and what the files are called.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput, NotFound
from egovctl.staff.access import require

if TYPE_CHECKING:
    from egovctl.config import Config
    from egovctl.db import Database


@dataclass
class Document:
    template: str
    context: dict[str, Any]
    default_name: str


def renderer(config: Config) -> Any:
    from egovctl.documents.render import Renderer

    return Renderer(
        config.templates.value, office=config.office.as_dict(), timezone=config.timezone
    )


def _staff_name(session: Any, username: str) -> str:
    from sqlalchemy import select

    from egovctl.models import Staff

    name = session.execute(select(Staff.name).where(Staff.username == username)).scalar()
    return name or username


def receipt(db: Database, actor: str, reg_no: str, *, tz: str, paper: str = "a5") -> Document:
    from sqlalchemy import select

    from egovctl.catalogue.store import agency_dict
    from egovctl.models import Agency, ProcedureVersion, RequestEvent, Requirement
    from egovctl.requests.queries import find_request

    if paper not in ("a5", "80mm"):
        raise InvalidInput(f"unknown paper '{paper}'; use a5 or 80mm")
    with db.read() as session:
        req = find_request(session, reg_no)
        from egovctl.staff.access import authorize

        authorize(session, actor, "print.receipt", req.agency_id)
        version = session.get(ProcedureVersion, req.version_id)
        agency = session.get(Agency, req.agency_id)
        logged_by = session.execute(
            select(RequestEvent.actor).where(
                RequestEvent.request_id == req.id, RequestEvent.seq == 1
            )
        ).scalar_one()
        reqs = session.execute(
            select(Requirement)
            .where(Requirement.version_id == version.id)
            .order_by(Requirement.position)
        ).scalars()
        proc_code = get_procedure_code(session, req.procedure_id)
        context = {
            "request": {
                "reg_no": req.reg_no,
                "received_at": req.received_at,
                "due_date": req.due_date,
                "sla_days": version.sla_days,
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
            "paper": paper,
        }
    # The thermal slip gets a name of its own: printing both must not overwrite the A5 one.
    suffix = "" if paper == "a5" else f"-{paper}"
    return Document("receipt.html.j2", context, f"bukti-{req.reg_no}{suffix}.pdf")


def get_procedure_code(session: Any, procedure_id: int) -> str:
    from egovctl.models import Procedure

    return session.get(Procedure, procedure_id).code


def _phone(value: str | None) -> str | None:
    if not value:
        return None
    from egovctl.identity import format_phone_local

    return format_phone_local(value)


def _procedure_context(session: Any, proc: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from egovctl.catalogue.store import agency_dict, get_agency, procedure_dict

    data = procedure_dict(session, proc)
    agency = agency_dict(get_agency(session, data["agency"]))
    return data, agency


def standard(db: Database, actor: str, code: str) -> Document:
    from egovctl.catalogue.store import get_procedure

    with db.read() as session:
        from egovctl.staff.access import authorize

        authorize(session, actor, "print.board")
        proc = get_procedure(session, code)
        data, agency = _procedure_context(session, proc)
    return Document(
        "standard.html.j2", {"procedure": data, "agency": agency}, f"standar-{proc.code}.pdf"
    )


def catalogue(db: Database, actor: str, agency_code: str | None = None) -> Document:
    from sqlalchemy import select

    from egovctl.catalogue.store import agency_dict, get_agency
    from egovctl.models import Procedure

    with db.read() as session:
        from egovctl.staff.access import authorize

        authorize(session, actor, "print.board")
        query = select(Procedure).where(Procedure.active).order_by(Procedure.code)
        agency = None
        if agency_code:
            agency_row = get_agency(session, agency_code)
            agency = agency_dict(agency_row)
            query = query.where(Procedure.agency_id == agency_row.id)
        procedures = []
        for proc in session.execute(query).scalars():
            data, proc_agency = _procedure_context(session, proc)
            procedures.append({**data, "agency": proc_agency})
    if not procedures:
        raise NotFound(
            "no active procedures to print"
            + (f" for {agency_code.upper()}" if agency_code else "; import the catalogue first")
        )
    procedures.sort(key=lambda p: (p["agency"]["name"], p["name"]))
    name = f"katalog-{agency['code']}.pdf" if agency else "katalog-layanan.pdf"
    return Document("catalogue.html.j2", {"agency": agency, "procedures": procedures}, name)


def maklumat(db: Database, actor: str, agency_code: str, *, day: date) -> Document:
    from egovctl.catalogue.store import agency_dict, get_agency

    with db.read() as session:
        from egovctl.staff.access import authorize

        authorize(session, actor, "print.board")
        agency = agency_dict(get_agency(session, agency_code))
    return Document(
        "maklumat.html.j2", {"agency": agency, "date": day}, f"maklumat-{agency['code']}.pdf"
    )


def announcement(
    db: Database,
    actor: str,
    path: Path,
    *,
    title: str | None,
    signer: str | None,
    number: str | None,
    day: date,
) -> Document:
    require(db, actor, "print.board")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"announcement file {path} does not exist") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text; save it as UTF-8 Markdown") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    if not text.strip():
        raise InvalidInput(f"{path} is empty; write the announcement in Markdown")
    body = text
    if title is None:
        # A first-level Markdown heading doubles as the title.
        match = re.match(r"\s*#\s+(.+?)\s*\n", text)
        if match:
            title, body = match.group(1), text[match.end() :]
        else:
            title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    signer_ctx = _signer(db, signer) if signer else None
    slug = _slug(title) or "pengumuman"
    return Document(
        "announcement.html.j2",
        {
            "title": title,
            "number": number,
            "body_markdown": body,
            "signer": signer_ctx,
            "date": day,
        },
        f"pengumuman-{slug}.pdf",
    )


def _slug(text: str, limit: int = 50) -> str:
    """``text`` as a file-name part of at most ``limit`` characters, cut between words."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1]  # a hyphen right after the limit still ends a whole word
    head = cut[: cut.rfind("-")] if "-" in cut else ""
    # One word longer than the limit has no boundary to cut at: cut it.
    return head.rstrip("-") or slug[:limit]


def _signer(db: Database, signer: str) -> dict[str, Any]:
    """A staff username, an agency code (its head), or 'Name|Title|NIP' written out."""
    from sqlalchemy import select

    from egovctl.models import Agency, Staff

    if "|" in signer:
        parts = [p.strip() for p in signer.split("|")]
        name, title, nip = (parts + [None, None])[:3]
        if not name or not title:
            raise InvalidInput("--signer 'Name|Title|NIP' needs at least a name and a title")
        if nip:
            from egovctl.identity import validate_nip

            try:
                nip = validate_nip(nip)
            except InvalidInput as exc:
                raise InvalidInput(f"--signer: {exc}") from None
        return {"name": name, "title": title, "nip": nip or None}
    with db.read() as session:
        agency = session.execute(select(Agency).where(Agency.code == signer.upper())).scalar()
        if agency is not None and agency.head_name:
            # The unit lets the template write "Kepala Dinas Sosial" for a bare "Kepala".
            return {
                "name": agency.head_name,
                "title": agency.head_title or "Kepala",
                "nip": agency.head_nip,
                "unit": agency.name,
            }
        member = session.execute(select(Staff).where(Staff.username == signer)).scalar()
        if member is not None:
            # Staff have no position on record: the block shows the name and NIP only.
            return {"name": member.name, "title": "", "nip": member.nip}
    raise NotFound(
        f"--signer '{signer}' is neither a staff username nor an agency with a "
        "head; or write it out as 'Name|Title|NIP'"
    )


def ready_list(db: Database, actor: str, agency_code: str | None, *, tz: str, now: Any) -> Document:
    from sqlalchemy import select

    from egovctl.catalogue.store import agency_dict, get_agency
    from egovctl.models import ProcedureVersion, ServiceRequest

    with db.read() as session:
        from egovctl.staff.access import authorize

        authorize(session, actor, "print.board")
        query = (
            select(
                ServiceRequest.reg_no,
                ServiceRequest.applicant_name,
                ServiceRequest.nik,
                ProcedureVersion.name,
                ServiceRequest.ready_at,
            )
            .join(ProcedureVersion, ProcedureVersion.id == ServiceRequest.version_id)
            .where(ServiceRequest.status == "ready")
            .order_by(ServiceRequest.ready_at, ServiceRequest.reg_no)
        )
        agency = None
        if agency_code:
            row = get_agency(session, agency_code)
            agency = agency_dict(row)
            query = query.where(ServiceRequest.agency_id == row.id)
        # The NIK goes to the template only masked: the board is public.
        from egovctl.identity import mask_nik

        rows = [
            {"reg_no": r, "name": n, "nik": mask_nik(k), "procedure": p, "ready_at": at}
            for r, n, k, p, at in session.execute(query)
        ]
    from egovctl.timeutil import local_date

    stamp = local_date(now, tz).isoformat()
    name = f"siap-diambil-{agency['code']}-{stamp}.pdf" if agency else f"siap-diambil-{stamp}.pdf"
    return Document(
        "ready_list.html.j2", {"agency": agency, "rows": rows, "generated_at": now}, name
    )


def output_path(doc: Document, output: Path | None) -> Path:
    if output is not None:
        return Path(output)
    return Path.cwd() / doc.default_name
