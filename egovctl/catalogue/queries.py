"""Reading the catalogue: agencies and procedures by code, listed, shown.

The shapes returned here are what ``egovctl agency|procedure list|show`` print (as tables or
``--json``) and what the printed documents and the public site are filled with; their keys
are part of the JSON contract (docs/catalogue.md), so they are spelt out as ``TypedDict``s.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from egovctl.errors import NotFound
from egovctl.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlmodel import Session

    from egovctl.db import Database
    from egovctl.models import Agency, Procedure


class AgencyHeadRecord(TypedDict):
    name: str
    nip: NotRequired[str]
    title: NotRequired[str]


class AgencyRecord(TypedDict):
    """An agency as ``agency show --json`` and the printed documents see it."""

    code: str
    name: str
    address: str | None
    phone: str | None
    head: AgencyHeadRecord | None
    # Service hours as written in the catalogue (normalised), None when not given.
    hours: dict[str, str] | None


class AgencyRow(AgencyRecord):
    """One row of ``agency list``."""

    procedures: int  # how many active procedures


class AgencyProcedure(TypedDict):
    code: str
    name: str
    active: bool


class AgencyDetail(AgencyRecord):
    """``agency show``: the agency with its procedures."""

    procedures: list[AgencyProcedure]


class ProcedureRow(TypedDict):
    """One row of ``procedure list``."""

    code: str
    name: str
    agency: str
    version: int
    sla_days: int
    fee: int
    active: bool
    category: str | None


class RequirementRecord(TypedDict):
    name: str
    copies: int
    optional: bool
    note: str | None


class StepRecord(TypedDict):
    name: str
    actor: str | None
    days: int | None


class ProcedureRecord(TypedDict):
    """Every YAML field of one version of a procedure, plus its version bookkeeping."""

    code: str
    name: str
    agency: str
    category: str | None
    description: str | None
    legal_basis: list[str]
    requirements: list[RequirementRecord]
    steps: list[StepRecord]
    sla_days: int
    fee: int
    fee_basis: str | None
    product: str
    complaints: str | None
    service_hours: str | None
    version: int
    latest_version: int
    active: bool
    version_created_at: datetime
    # The row id, for callers that read more of the version; dropped before it is shown.
    version_id: NotRequired[int]
    # ``show_procedure`` only: the agency, for the terminal panel (not in ``--json``).
    agency_detail: NotRequired[AgencyRecord]


class CatalogueOverview(TypedDict):
    active: int
    retired: int
    categories: list[str]


def agency_dict(agency: Agency) -> AgencyRecord:
    head: AgencyHeadRecord | None = None
    if agency.head_name:
        head = {"name": agency.head_name}
        if agency.head_nip is not None:
            head["nip"] = agency.head_nip
        if agency.head_title is not None:
            head["title"] = agency.head_title
    return {
        "code": agency.code,
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "head": head,
        "hours": json.loads(agency.hours) if agency.hours else None,
    }


def get_agency(session: Session, code: str) -> Agency:
    from sqlmodel import select

    from egovctl.models import Agency

    agency = session.exec(select(Agency).where(Agency.code == code.upper())).one_or_none()
    if agency is None:
        codes = list(session.exec(select(Agency.code)))
        close = _closest(code, codes)
        if close:
            said = _("no agency with code '{code}'; did you mean '{close}'? (see '{listing}')")
        elif codes:
            said = _("no agency with code '{code}'; see '{listing}'")
        else:
            said = _("no agency with code '{code}'; the catalogue is empty: run '{listing}'")
        listing = "egovctl agency list" if codes else "egovctl procedure import"
        raise NotFound(said.format(code=code, close=close, listing=listing))
    return agency


def get_procedure(session: Session, code: str) -> Procedure:
    from sqlmodel import select

    from egovctl.models import Procedure

    proc = session.exec(select(Procedure).where(Procedure.code == code.upper())).one_or_none()
    if proc is None:
        codes = list(session.exec(select(Procedure.code)))
        close = _closest(code, codes)
        if close:
            said = _("no procedure with code '{code}'; did you mean '{close}'? (see '{listing}')")
        elif codes:
            said = _("no procedure with code '{code}'; see '{listing}'")
        else:
            said = _("no procedure with code '{code}'; the catalogue is empty: run '{listing}'")
        listing = "egovctl procedure list --all" if codes else "egovctl procedure import"
        raise NotFound(said.format(code=code, close=close, listing=listing))
    return proc


def _closest(code: str, choices: list[str]) -> str | None:
    """A code close to the one not found, for the "did you mean" of the message."""
    from egovctl.suggest import closest

    return closest(code, choices)


def list_agencies(db: Database) -> list[AgencyRow]:
    from sqlalchemy import func
    from sqlmodel import col, select

    from egovctl.models import Agency, Procedure

    with db.read() as session:
        counts = dict(
            session.exec(
                select(Procedure.agency_id, func.count())
                .where(col(Procedure.active))
                .group_by(col(Procedure.agency_id))
            ).all()
        )
        rows = session.exec(select(Agency).order_by(col(Agency.code))).all()
        return [
            {**agency_dict(a), "procedures": counts.get(a.id, 0) if a.id is not None else 0}
            for a in rows
        ]


def show_agency(db: Database, code: str) -> AgencyDetail:
    from sqlmodel import col, select

    from egovctl.models import Procedure, ProcedureVersion

    with db.read() as session:
        agency = get_agency(session, code)
        procs = session.exec(
            select(Procedure.code, ProcedureVersion.name, Procedure.active)
            .join(
                ProcedureVersion,
                (col(ProcedureVersion.procedure_id) == col(Procedure.id))
                & (col(ProcedureVersion.version) == col(Procedure.current_version)),
            )
            .where(Procedure.agency_id == agency.id)
            .order_by(col(Procedure.code))
        ).all()
        return {
            **agency_dict(agency),
            "procedures": [{"code": c, "name": n, "active": a} for c, n, a in procs],
        }


def list_procedures(
    db: Database,
    *,
    agency: str | None = None,
    category: str | None = None,
    include_retired: bool = False,
) -> list[ProcedureRow]:
    from sqlalchemy import func, select
    from sqlmodel import col

    from egovctl.models import Agency, Procedure, ProcedureVersion

    with db.read() as session:
        query: Select[*tuple[Any, ...]] = (
            select(
                col(Procedure.code),
                col(ProcedureVersion.name),
                col(Agency.code).label("agency"),
                col(Procedure.current_version),
                col(ProcedureVersion.sla_days),
                col(ProcedureVersion.fee),
                col(Procedure.active),
                col(ProcedureVersion.category),
            )
            .join(
                ProcedureVersion,
                (col(ProcedureVersion.procedure_id) == col(Procedure.id))
                & (col(ProcedureVersion.version) == col(Procedure.current_version)),
            )
            .join(Agency, col(Agency.id) == col(Procedure.agency_id))
            .order_by(col(Agency.code), col(Procedure.code))
        )
        if agency:
            get_agency(session, agency)
            query = query.where(col(Agency.code) == agency.upper())
        if category:
            query = query.where(func.lower(col(ProcedureVersion.category)) == category.lower())
        if not include_retired:
            query = query.where(col(Procedure.active))
        return [
            {
                "code": r.code,
                "name": r.name,
                "agency": r.agency,
                "version": r.current_version,
                "sla_days": r.sla_days,
                "fee": r.fee,
                "active": r.active,
                "category": r.category,
            }
            for r in session.execute(query).all()
        ]


def catalogue_overview(db: Database) -> CatalogueOverview:
    """How many procedures there are (active, retired) and their categories: what a user
    needs to hear when a filtered listing comes back empty."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from egovctl.models import Procedure, ProcedureVersion

    with db.read() as session:
        counts = dict(
            session.exec(
                select(Procedure.active, func.count()).group_by(col(Procedure.active))
            ).all()
        )
        categories = session.exec(
            select(ProcedureVersion.category)
            .distinct()
            .join(
                Procedure,
                (col(ProcedureVersion.procedure_id) == col(Procedure.id))
                & (col(ProcedureVersion.version) == col(Procedure.current_version)),
            )
            .where(col(ProcedureVersion.category).is_not(None))
            .order_by(col(ProcedureVersion.category))
        ).all()
    return {
        "active": counts.get(True, 0),
        "retired": counts.get(False, 0),
        "categories": [c for c in categories if c is not None],
    }


def procedure_dict(
    session: Session, proc: Procedure, version: int | None = None
) -> ProcedureRecord:
    """Every YAML field of one version, plus version bookkeeping."""
    from sqlmodel import col, select

    from egovctl.models import Agency, ProcedureVersion, Requirement, Step

    number = version or proc.current_version
    ver = session.exec(
        select(ProcedureVersion).where(
            ProcedureVersion.procedure_id == proc.id, ProcedureVersion.version == number
        )
    ).one_or_none()
    if ver is None:
        latest = proc.current_version
        if latest == 1:
            said = _("procedure {code} has no version {number}; it has only version 1")
        else:
            said = _("procedure {code} has no version {number}; its versions are 1 to {latest}")
        raise NotFound(said.format(code=proc.code, number=number, latest=latest))
    assert ver.id is not None  # a stored row
    agency = session.get_one(Agency, ver.agency_id)
    reqs = session.exec(
        select(Requirement)
        .where(Requirement.version_id == ver.id)
        .order_by(col(Requirement.position))
    ).all()
    steps = session.exec(
        select(Step).where(Step.version_id == ver.id).order_by(col(Step.position))
    ).all()
    return {
        "code": proc.code,
        "name": ver.name,
        "agency": agency.code,
        "category": ver.category,
        "description": ver.description,
        "legal_basis": list(ver.legal_basis),
        "requirements": [
            {"name": r.name, "copies": r.copies, "optional": r.optional, "note": r.note}
            for r in reqs
        ],
        "steps": [{"name": s.name, "actor": s.actor, "days": s.days} for s in steps],
        "sla_days": ver.sla_days,
        "fee": ver.fee,
        "fee_basis": ver.fee_basis,
        "product": ver.product,
        "complaints": ver.complaints,
        "service_hours": ver.service_hours,
        "version": ver.version,
        "latest_version": proc.current_version,
        "active": proc.active,
        "version_created_at": ver.created_at,
        "version_id": ver.id,
    }


def show_procedure(db: Database, code: str, version: int | None = None) -> ProcedureRecord:
    with db.read() as session:
        proc = get_procedure(session, code)
        data = procedure_dict(session, proc, version)
        data.pop("version_id")
        data["agency_detail"] = agency_dict(get_agency(session, data["agency"]))
        return data
