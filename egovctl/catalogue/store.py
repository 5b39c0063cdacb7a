"""Changing the catalogue: YAML documents in as versioned rows; procedures retired and back.

Import is one transaction: every file is parsed and validated first (:mod:`.load`), every
problem is reported together, and only a clean import writes anything. Rows are written with
Core executemany on the tables themselves (``insert(table)``): the ORM's bulk path sends one
statement per row to PostgreSQL, far slower for catalogues of thousands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from egovctl.errors import InvalidInput, InvalidTransition
from egovctl.i18n import _, ngettext
from egovctl.timeutil import now_utc

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlmodel import Session, SQLModel

    from egovctl.catalogue.load import SourceDoc
    from egovctl.catalogue.schema import AgencyDoc, ProcedureDoc
    from egovctl.db import Database

Progress = Callable[[str, int, int], None]


class KindCounts(TypedDict):
    created: int
    updated: int
    unchanged: int


class KindCodes(KindCounts):
    codes: dict[str, list[str]]  # "created" and "updated" → the codes


class ImportResult(TypedDict):
    """What ``procedure import --json`` prints."""

    files: int
    dry_run: bool
    agencies: KindCodes
    procedures: KindCodes
    warnings: list[str]  # "FILE:LINE:COLUMN: field: message", as printed after "warning: "


class ActiveState(TypedDict):
    """What ``procedure retire|reactivate --json`` prints."""

    code: str
    active: bool
    version: int


@dataclass
class KindSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def counts(self) -> KindCounts:
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
    # What the import let through but an administrator should fix, in file order.
    warnings: list[str] = field(default_factory=list)
    said_warnings: list[str] = field(default_factory=list)  # the same, as the terminal says

    def as_dict(self) -> ImportResult:
        return {
            "files": self.files,
            "dry_run": self.dry_run,
            "agencies": {**self.agencies.counts(), "codes": _codes(self.agencies)},
            "procedures": {**self.procedures.counts(), "codes": _codes(self.procedures)},
            "warnings": self.warnings,
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
    from sqlmodel import col

    from egovctl.catalogue.checks import sla_warnings
    from egovctl.catalogue.load import collect_files, load_catalogue
    from egovctl.models import Agency
    from egovctl.staff.access import authorize

    tick = progress or (lambda _phase, _done, _total: None)
    # The agencies already known are read first, outside the write transaction, so that
    # procedures naming an unknown agency are reported together with every other problem
    # while parsing does not hold the write lock. Agencies are never deleted, so the set can
    # only grow before the write; a newer one at worst gives a needless error.
    with db.read() as session:
        known_agencies = set(session.execute(select(col(Agency.code))).scalars())
    tick(_("reading"), 0, 1)
    docs, problems = load_catalogue(paths, known_agencies=known_agencies)
    files = collect_files(paths) if not problems else []
    tick(_("reading"), 1, 1)

    with db.write() as session:
        if not dry_run:
            authorize(session, actor, "catalogue.import")
        if problems:
            nfiles = len({p.path for p in problems})
            found = ngettext("{n} problem", "{n} problems", len(problems)).format(n=len(problems))
            where = ngettext("{n} file", "{n} files", nfiles).format(n=nfiles)
            raise InvalidInput(
                _("{problems} in {files}; nothing was imported").format(
                    problems=found, files=where
                ),
                details=[str(p) for p in problems],
            )
        summary = ImportSummary(
            files=len(files),
            dry_run=dry_run,
            # The JSON keeps the English words; the terminal says them in its language.
            warnings=[str(w) for w in sla_warnings(docs, say=str)],
            said_warnings=[str(w) for w in sla_warnings(docs)],
        )
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


def _table(model: type[SQLModel]) -> Table:
    """The Core table of a model, for executemany inserts."""
    from sqlalchemy import Table, inspect

    table = inspect(model).local_table
    assert isinstance(table, Table)  # every egovctl model maps one plain table
    return table


def _apply(
    session: Session,
    docs: Sequence[SourceDoc],
    summary: ImportSummary,
    dry_run: bool,
    tick: Progress,
) -> None:
    from sqlalchemy import insert, select, update
    from sqlmodel import col

    from egovctl.catalogue.schema import AgencyDoc, ProcedureDoc, content_hash
    from egovctl.models import Agency, Procedure, ProcedureVersion, Requirement, Step

    now = now_utc()
    agencies = [d.doc for d in docs if isinstance(d.doc, AgencyDoc)]
    procedures = [d.doc for d in docs if isinstance(d.doc, ProcedureDoc)]
    total = len(agencies) + len(procedures)

    # Agencies: few, updated in place (their history lives in the audit log).
    existing = {
        row.code: row
        for row in session.execute(
            select(col(Agency.id), col(Agency.code), col(Agency.content_hash))
        ).all()
    }
    new_rows = []
    for agency in agencies:
        digest = content_hash(agency)
        values = _agency_values(agency)
        row = existing.get(agency.code)
        if row is None:
            summary.agencies.created.append(agency.code)
            new_rows.append(
                {**values, "content_hash": digest, "created_at": now, "updated_at": now}
            )
        elif row.content_hash != digest:
            summary.agencies.updated.append(agency.code)
            if not dry_run:
                session.execute(
                    update(Agency)
                    .where(col(Agency.id) == row.id)
                    .values(**values, content_hash=digest, updated_at=now)
                )
        else:
            summary.agencies.unchanged.append(agency.code)
    if new_rows and not dry_run:
        session.execute(insert(_table(Agency)), new_rows)
    agency_ids: dict[str, int] = dict(
        session.execute(select(col(Agency.code), col(Agency.id))).all()
    )
    tick(_("writing"), len(agencies), total)

    # Procedures: a changed definition becomes version N+1; requests keep their version.
    current = {
        row.code: row
        for row in session.execute(
            select(
                col(Procedure.id),
                col(Procedure.code),
                col(Procedure.current_version),
                col(ProcedureVersion.content_hash),
            ).join(
                ProcedureVersion,
                (col(ProcedureVersion.procedure_id) == col(Procedure.id))
                & (col(ProcedureVersion.version) == col(Procedure.current_version)),
            )
        ).all()
    }
    to_create: list[tuple[ProcedureDoc, str]] = []
    to_version: list[tuple[ProcedureDoc, str, Any]] = []
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
            insert(_table(Procedure)),
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
    ids_query = select(col(Procedure.code), col(Procedure.id))
    if len(created_codes) < 900:
        ids_query = ids_query.where(col(Procedure.code).in_(created_codes))
    proc_ids: dict[str, int] = dict(session.execute(ids_query).all())
    versions: list[tuple[ProcedureDoc, str, int, int]] = [
        (doc, digest, proc_ids[doc.code], 1) for doc, digest in to_create
    ]
    for doc, digest, row in to_version:
        versions.append((doc, digest, row.id, row.current_version + 1))
        session.execute(
            update(Procedure)
            .where(col(Procedure.id) == row.id)
            .values(current_version=row.current_version + 1, agency_id=agency_ids[doc.agency])
        )
    if not versions:
        return
    session.execute(
        insert(_table(ProcedureVersion)),
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
                col(ProcedureVersion.id),
                col(ProcedureVersion.procedure_id),
                col(ProcedureVersion.version),
            ).where(col(ProcedureVersion.created_at) == now)
        )
        if (pid, number) in wanted
    }
    req_rows, step_rows = [], []
    for doc, _unused, pid, number in versions:
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
        session.execute(insert(_table(Requirement)), req_rows)
    session.execute(insert(_table(Step)), step_rows)
    tick(_("writing"), total, total)


def _agency_values(doc: AgencyDoc) -> dict[str, Any]:
    head = doc.head
    return {
        "code": doc.code,
        "name": doc.name,
        "address": doc.address,
        "phone": doc.phone,
        "head_name": head.name if head else None,
        "head_nip": head.nip if head else None,
        "head_title": head.title if head else None,
        "hours": _hours_json(doc.hours),
    }


def _hours_json(hours: dict[str, str] | None) -> str | None:
    import json

    return json.dumps(hours, separators=(",", ":")) if hours else None


def _version_values(doc: ProcedureDoc) -> dict[str, Any]:
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


# -- retire / reactivate --------------------------------------------------------------------


def set_active(db: Database, actor: str, code: str, active: bool) -> ActiveState:
    from egovctl.catalogue.queries import get_procedure
    from egovctl.staff import audit
    from egovctl.staff.access import authorize

    with db.write() as session:
        authorize(session, actor, "catalogue.retire")
        proc = get_procedure(session, code)
        if proc.active == active:
            if active:
                said = _("procedure {code} is already active")
            else:
                said = _("procedure {code} is already retired")
            raise InvalidTransition(said.format(code=proc.code))
        proc.active = active
        proc.retired_at = None if active else now_utc()
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
