"""The procedure catalogue: YAML documents in, versioned rows in the database, YAML out.

Import is one transaction: every file is parsed and validated first, every problem is
reported together, and only a clean import writes anything. Rows are written with Core
executemany on the tables themselves (``insert(Model.__table__)``): the ORM's bulk path sends
one statement per row to PostgreSQL, ten times slower for catalogues of thousands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput, InvalidTransition, NotFound

if TYPE_CHECKING:
    from sqlmodel import Session

    from egovctl.db import Database

Progress = Callable[[str, int, int], None]


@dataclass
class KindSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


@dataclass
class ImportSummary:
    files: int
    dry_run: bool
    agencies: KindSummary = field(default_factory=KindSummary)
    procedures: KindSummary = field(default_factory=KindSummary)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "dry_run": self.dry_run,
            "agencies": {**self.agencies.counts(), "codes": _codes(self.agencies)},
            "procedures": {**self.procedures.counts(), "codes": _codes(self.procedures)},
        }


def _codes(kind: KindSummary) -> dict[str, list[str]]:
    return {"created": kind.created, "updated": kind.updated}


# -- import ---------------------------------------------------------------------------------


def import_catalogue(
    db: Database,
    actor: str,
    paths: Sequence[str | Path],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Validate every document of every path, then write them all or nothing."""
    from sqlalchemy import select

    from egovctl.catalogue.source import collect_files, load_catalogue
    from egovctl.models import Agency
    from egovctl.staff.access import authorize

    tick = progress or (lambda _phase, _done, _total: None)
    # The agencies already known are read first, outside the write transaction, so that
    # procedures naming an unknown agency are reported together with every other problem
    # while parsing does not hold the write lock. Agencies are never deleted, so the set can
    # only grow before the write; a newer one at worst gives a needless error.
    with db.read() as session:
        known_agencies = set(session.execute(select(Agency.code)).scalars())
    tick("reading", 0, 1)
    docs, problems = load_catalogue(paths, known_agencies=known_agencies)
    files = collect_files(paths) if not problems else []
    tick("reading", 1, 1)

    with db.write() as session:
        if not dry_run:
            authorize(session, actor, "catalogue.import")
        if problems:
            nfiles = len({p.path for p in problems})
            raise InvalidInput(
                f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {nfiles} "
                f"file{'s' if nfiles != 1 else ''}; nothing was imported",
                details=[str(p) for p in problems],
            )
        summary = ImportSummary(files=len(files), dry_run=dry_run)
        _apply(session, docs, summary, dry_run, tick)
        if dry_run:
            session.rollback()
            return summary
        from egovctl.staff import audit

        audit.append(
            session,
            actor,
            "catalogue.import",
            "catalogue",
            {
                "files": [str(f) for f in files],
                "agencies": summary.agencies.counts(),
                "procedures": summary.procedures.counts(),
                "created": summary.procedures.created + summary.agencies.created,
                "updated": summary.procedures.updated + summary.agencies.updated,
            },
        )
    return summary


def _apply(
    session: Session, docs: list[Any], summary: ImportSummary, dry_run: bool, tick: Progress
) -> None:
    from sqlalchemy import insert, select, update

    from egovctl.catalogue.schema import content_hash
    from egovctl.models import Agency, Procedure, ProcedureVersion, Requirement, Step

    now = datetime.now(UTC)
    agencies = [d.doc for d in docs if d.kind == "agency"]
    procedures = [d.doc for d in docs if d.kind == "procedure"]
    total = len(agencies) + len(procedures)

    # Agencies: few, updated in place (their history lives in the audit log).
    existing = {
        row.code: row
        for row in session.execute(select(Agency.id, Agency.code, Agency.content_hash)).all()
    }
    new_rows = []
    for doc in agencies:
        digest = content_hash(doc)
        values = _agency_values(doc)
        row = existing.get(doc.code)
        if row is None:
            summary.agencies.created.append(doc.code)
            new_rows.append(
                {**values, "content_hash": digest, "created_at": now, "updated_at": now}
            )
        elif row.content_hash != digest:
            summary.agencies.updated.append(doc.code)
            if not dry_run:
                session.execute(
                    update(Agency)
                    .where(Agency.id == row.id)
                    .values(**values, content_hash=digest, updated_at=now)
                )
        else:
            summary.agencies.unchanged.append(doc.code)
    if new_rows and not dry_run:
        session.execute(insert(Agency.__table__), new_rows)
    agency_ids = dict(session.execute(select(Agency.code, Agency.id)).all())
    tick("writing", len(agencies), total)

    # Procedures: a changed definition becomes version N+1; requests keep their version.
    current = {
        row.code: row
        for row in session.execute(
            select(
                Procedure.id,
                Procedure.code,
                Procedure.current_version,
                ProcedureVersion.content_hash,
            ).join(
                ProcedureVersion,
                (ProcedureVersion.procedure_id == Procedure.id)
                & (ProcedureVersion.version == Procedure.current_version),
            )
        ).all()
    }
    to_create, to_version = [], []
    for doc in procedures:
        digest = content_hash(doc)
        row = current.get(doc.code)
        if row is None:
            summary.procedures.created.append(doc.code)
            to_create.append((doc, digest))
        elif row.content_hash != digest:
            summary.procedures.updated.append(doc.code)
            to_version.append((doc, digest, row))
        else:
            summary.procedures.unchanged.append(doc.code)
    if dry_run:
        return
    if to_create:
        session.execute(
            insert(Procedure.__table__),
            [
                {
                    "code": doc.code,
                    "agency_id": agency_ids[doc.agency],
                    "current_version": 1,
                    "active": True,
                    "created_at": now,
                }
                for doc, _ in to_create
            ],
        )
    created_codes = [doc.code for doc, _ in to_create]
    proc_ids = (
        dict(
            session.execute(
                select(Procedure.code, Procedure.id).where(Procedure.code.in_(created_codes))
            ).all()
        )
        if len(created_codes) < 900
        else dict(session.execute(select(Procedure.code, Procedure.id)).all())
    )
    versions: list[tuple[Any, str, int, int]] = [
        (doc, digest, proc_ids[doc.code], 1) for doc, digest in to_create
    ]
    for doc, digest, row in to_version:
        versions.append((doc, digest, row.id, row.current_version + 1))
        session.execute(
            update(Procedure)
            .where(Procedure.id == row.id)
            .values(current_version=row.current_version + 1, agency_id=agency_ids[doc.agency])
        )
    if not versions:
        return
    session.execute(
        insert(ProcedureVersion.__table__),
        [
            {
                **_version_values(doc),
                "procedure_id": pid,
                "version": number,
                "agency_id": agency_ids[doc.agency],
                "content_hash": digest,
                "created_at": now,
            }
            for doc, digest, pid, number in versions
        ],
    )
    wanted = {(pid, number) for _, _, pid, number in versions}
    version_ids = {
        (pid, number): vid
        for vid, pid, number in session.execute(
            select(
                ProcedureVersion.id, ProcedureVersion.procedure_id, ProcedureVersion.version
            ).where(ProcedureVersion.created_at == now)
        )
        if (pid, number) in wanted
    }
    req_rows, step_rows = [], []
    for doc, _, pid, number in versions:
        vid = version_ids[(pid, number)]
        for pos, req in enumerate(doc.requirements, start=1):
            req_rows.append(
                {
                    "version_id": vid,
                    "position": pos,
                    "name": req.name,
                    "copies": req.copies,
                    "optional": req.optional,
                    "note": req.note,
                }
            )
        for pos, step in enumerate(doc.steps, start=1):
            step_rows.append(
                {
                    "version_id": vid,
                    "position": pos,
                    "name": step.name,
                    "actor": step.actor,
                    "days": step.days,
                }
            )
    if req_rows:
        session.execute(insert(Requirement.__table__), req_rows)
    session.execute(insert(Step.__table__), step_rows)
    tick("writing", total, total)


def _agency_values(doc: Any) -> dict[str, Any]:
    head = doc.head
    return {
        "code": doc.code,
        "name": doc.name,
        "address": doc.address,
        "phone": doc.phone,
        "head_name": head.name if head else None,
        "head_nip": head.nip if head else None,
        "head_title": head.title if head else None,
    }


def _version_values(doc: Any) -> dict[str, Any]:
    return {
        "name": doc.name,
        "category": doc.category,
        "description": doc.description,
        "legal_basis": list(doc.legal_basis),
        "sla_days": doc.sla_days,
        "fee": doc.fee,
        "fee_basis": doc.fee_basis,
        "product": doc.product,
        "complaints": doc.complaints,
        "service_hours": doc.service_hours,
    }


# -- reading --------------------------------------------------------------------------------


def agency_dict(agency: Any) -> dict[str, Any]:
    head = None
    if agency.head_name:
        head = {
            k: v
            for k, v in (
                ("name", agency.head_name),
                ("nip", agency.head_nip),
                ("title", agency.head_title),
            )
            if v is not None
        }
    out = {
        "code": agency.code,
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "head": head,
    }
    return out


def get_agency(session: Session, code: str) -> Any:
    from sqlalchemy import select

    from egovctl.models import Agency

    agency = session.execute(select(Agency).where(Agency.code == code.upper())).scalar_one_or_none()
    if agency is None:
        codes = list(session.execute(select(Agency.code)).scalars())
        raise NotFound(
            f"no agency with code '{code}'{_suggest(code, codes, 'egovctl agency list')}"
        )
    return agency


def get_procedure(session: Session, code: str) -> Any:
    from sqlalchemy import select

    from egovctl.models import Procedure

    proc = session.execute(
        select(Procedure).where(Procedure.code == code.upper())
    ).scalar_one_or_none()
    if proc is None:
        codes = list(session.execute(select(Procedure.code)).scalars())
        raise NotFound(
            f"no procedure with code '{code}'"
            f"{_suggest(code, codes, 'egovctl procedure list --all')}"
        )
    return proc


def _suggest(code: str, choices: list[str], listing: str) -> str:
    """The end of a not-found message: a close code, else the command listing them all."""
    from egovctl.suggest import closest

    close = closest(code, choices)
    if close:
        return f"; did you mean '{close}'? (see '{listing}')"
    return (
        f"; see '{listing}'"
        if choices
        else "; the catalogue is empty: run 'egovctl procedure import'"
    )


def list_agencies(db: Database) -> list[dict[str, Any]]:
    from sqlalchemy import func, select

    from egovctl.models import Agency, Procedure

    with db.read() as session:
        counts = dict(
            session.execute(
                select(Procedure.agency_id, func.count())
                .where(Procedure.active)
                .group_by(Procedure.agency_id)
            ).all()
        )
        rows = session.execute(select(Agency).order_by(Agency.code)).scalars().all()
        return [{**agency_dict(a), "procedures": counts.get(a.id, 0)} for a in rows]


def show_agency(db: Database, code: str) -> dict[str, Any]:
    from sqlalchemy import select

    from egovctl.models import Procedure, ProcedureVersion

    with db.read() as session:
        agency = get_agency(session, code)
        procs = session.execute(
            select(Procedure.code, ProcedureVersion.name, Procedure.active)
            .join(
                ProcedureVersion,
                (ProcedureVersion.procedure_id == Procedure.id)
                & (ProcedureVersion.version == Procedure.current_version),
            )
            .where(Procedure.agency_id == agency.id)
            .order_by(Procedure.code)
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
) -> list[dict[str, Any]]:
    from sqlalchemy import func, select

    from egovctl.models import Agency, Procedure, ProcedureVersion

    with db.read() as session:
        query = (
            select(
                Procedure.code,
                ProcedureVersion.name,
                Agency.code.label("agency"),
                Procedure.current_version,
                ProcedureVersion.sla_days,
                ProcedureVersion.fee,
                Procedure.active,
                ProcedureVersion.category,
            )
            .join(
                ProcedureVersion,
                (ProcedureVersion.procedure_id == Procedure.id)
                & (ProcedureVersion.version == Procedure.current_version),
            )
            .join(Agency, Agency.id == Procedure.agency_id)
            .order_by(Agency.code, Procedure.code)
        )
        if agency:
            get_agency(session, agency)
            query = query.where(Agency.code == agency.upper())
        if category:
            query = query.where(func.lower(ProcedureVersion.category) == category.lower())
        if not include_retired:
            query = query.where(Procedure.active)
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


def catalogue_overview(db: Database) -> dict[str, Any]:
    """How many procedures there are (active, retired) and their categories: what a user
    needs to hear when a filtered listing comes back empty."""
    from sqlalchemy import func, select

    from egovctl.models import Procedure, ProcedureVersion

    with db.read() as session:
        counts = dict(
            session.execute(select(Procedure.active, func.count()).group_by(Procedure.active)).all()
        )
        categories = (
            session.execute(
                select(ProcedureVersion.category)
                .distinct()
                .join(
                    Procedure,
                    (ProcedureVersion.procedure_id == Procedure.id)
                    & (ProcedureVersion.version == Procedure.current_version),
                )
                .where(ProcedureVersion.category.is_not(None))
                .order_by(ProcedureVersion.category)
            )
            .scalars()
            .all()
        )
    return {
        "active": counts.get(True, 0),
        "retired": counts.get(False, 0),
        "categories": list(categories),
    }


def procedure_dict(session: Session, proc: Any, version: int | None = None) -> dict[str, Any]:
    """Every YAML field of one version, plus version bookkeeping."""
    from sqlalchemy import select

    from egovctl.models import Agency, ProcedureVersion, Requirement, Step

    number = version or proc.current_version
    ver = session.execute(
        select(ProcedureVersion).where(
            ProcedureVersion.procedure_id == proc.id, ProcedureVersion.version == number
        )
    ).scalar_one_or_none()
    if ver is None:
        latest = proc.current_version
        have = "it has only version 1" if latest == 1 else f"its versions are 1 to {latest}"
        raise NotFound(f"procedure {proc.code} has no version {number}; {have}")
    agency = session.get(Agency, ver.agency_id)
    reqs = (
        session.execute(
            select(Requirement)
            .where(Requirement.version_id == ver.id)
            .order_by(Requirement.position)
        )
        .scalars()
        .all()
    )
    steps = (
        session.execute(select(Step).where(Step.version_id == ver.id).order_by(Step.position))
        .scalars()
        .all()
    )
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


def show_procedure(db: Database, code: str, version: int | None = None) -> dict[str, Any]:
    with db.read() as session:
        proc = get_procedure(session, code)
        data = procedure_dict(session, proc, version)
        data.pop("version_id")
        data["agency_detail"] = agency_dict(get_agency(session, data["agency"]))
        return data


# -- export ---------------------------------------------------------------------------------

YAML_FIELDS = (
    "code",
    "name",
    "agency",
    "category",
    "description",
    "legal_basis",
    "requirements",
    "steps",
    "sla_days",
    "fee",
    "fee_basis",
    "product",
    "complaints",
    "service_hours",
)


def export_catalogue(db: Database, codes: Sequence[str] = ()) -> str:
    """YAML of the procedures (all active and retired ones when no codes) and their agencies."""
    from sqlalchemy import select

    from egovctl.catalogue.source import dump_catalogue
    from egovctl.models import Procedure

    with db.read() as session:
        if codes:
            procs = [get_procedure(session, c) for c in codes]
        else:
            procs = list(session.execute(select(Procedure).order_by(Procedure.code)).scalars())
        docs = [procedure_dict(session, p) for p in procs]
        agency_codes = sorted({d["agency"] for d in docs})
        agencies = [_strip(agency_dict(get_agency(session, c))) for c in agency_codes]
    procedures = [_strip({k: d[k] for k in YAML_FIELDS}) for d in docs]
    return dump_catalogue(agencies, procedures)


def _strip(value: Any) -> Any:
    """Drop empty optional fields so the YAML reads like a hand-written file."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


# -- retire / reactivate --------------------------------------------------------------------


def set_active(db: Database, actor: str, code: str, active: bool) -> dict[str, Any]:
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    with db.write() as session:
        authorize(session, actor, "catalogue.retire")
        proc = get_procedure(session, code)
        if proc.active == active:
            state = "active" if active else "retired"
            raise InvalidTransition(f"procedure {proc.code} is already {state}")
        proc.active = active
        proc.retired_at = None if active else datetime.now(UTC)
        session.add(proc)
        audit.append(
            session,
            actor,
            "procedure.reactivate" if active else "procedure.retire",
            f"procedure:{proc.code}",
            {"version": proc.current_version},
        )
        session.flush()
        return {"code": proc.code, "active": proc.active, "version": proc.current_version}
