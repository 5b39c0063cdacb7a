"""Building blocks the report queries share: the --agency/--procedure scope, a read session
allowed to read reports, procedure names, and the requests open at the end of a day.

The definitions of the figures themselves are in ``summary.py``'s docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from egovctl.errors import InvalidInput
from egovctl.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Subquery, Table
    from sqlmodel import Session, SQLModel

    from egovctl.db import Database

OPEN = ("in_progress", "on_hold")


class ProcedureName(TypedDict):
    procedure: str
    procedure_name: str
    agency: str
    agency_name: str


def table(model: type[SQLModel]) -> Table:
    """The Core table of a SQLModel class (typed; SQLModel adds ``__table__`` at runtime)."""
    from sqlalchemy import Table, inspect

    found = inspect(model).local_table
    assert isinstance(found, Table)
    return found


@dataclass(frozen=True)
class Scope:
    """The --agency / --procedure filters, resolved to ids."""

    agency_id: int | None = None
    procedure_id: int | None = None
    agency: str | None = None
    procedure: str | None = None

    def where(self, t: Table) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.agency_id is not None:
            clauses.append(t.c.agency_id == self.agency_id)
        if self.procedure_id is not None:
            clauses.append(t.c.procedure_id == self.procedure_id)
        return clauses

    def as_dict(self) -> dict[str, str | None]:
        return {"agency": self.agency, "procedure": self.procedure}


def resolve_scope(session: Session, agency: str | None, procedure: str | None) -> Scope:
    from egovctl.catalogue.queries import get_agency, get_procedure
    from egovctl.models import Agency

    agency_row = get_agency(session, agency) if agency else None
    proc_row = get_procedure(session, procedure) if procedure else None
    if agency_row is not None and proc_row is not None and proc_row.agency_id != agency_row.id:
        owner = session.get(Agency, proc_row.agency_id)
        raise InvalidInput(
            _("procedure {code} belongs to {owner}, not {agency}").format(
                code=proc_row.code, owner=owner.code if owner else "?", agency=agency_row.code
            )
        )
    return Scope(
        agency_row.id if agency_row else None,
        proc_row.id if proc_row else None,
        agency_row.code if agency_row else None,
        proc_row.code if proc_row else None,
    )


@contextmanager
def reading(
    db: Database, actor: str, agency: str | None, procedure: str | None
) -> Iterator[tuple[Session, Scope]]:
    """A read session with the filters resolved and the actor allowed to read reports."""
    from egovctl.staff.access import authorize

    with db.read() as session:
        scope = resolve_scope(session, agency, procedure)
        authorize(session, actor, "report.read", scope.agency_id)
        yield session, scope


def today_in(tz: str, today: date | None) -> date:
    from egovctl.timeutil import today as local_today

    return today or local_today(tz)


def as_day(value: date | str) -> date:
    """A day as the driver returns it (ISO text on SQLite when type-coerced)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def open_at(
    t: Table, as_of: date, scope: Scope, columns: Sequence[Any], *, overdue: bool = False
) -> Subquery:
    """Requests open at the end of ``as_of`` (see ``summary.py``), as a UNION ALL of three
    index-friendly branches: still open now (index on status, due_date), ready after the
    day, and closed without being ready after the day (both on the covering index that
    starts with ready_date).

    Each branch selects ``columns``; ``overdue`` keeps only those past due on the day.
    """
    from sqlalchemy import or_, select, union_all

    where = scope.where(t)
    late = [t.c.due_date < as_of] if overdue else []
    still_open = select(*columns).where(
        t.c.status.in_(OPEN), t.c.received_date <= as_of, *where, *late
    )
    ready_after = select(*columns).where(
        t.c.ready_date > as_of,
        t.c.received_date <= as_of,
        or_(t.c.closed_date.is_(None), t.c.closed_date > as_of),
        *where,
        *late,
    )
    # closed_date is set only when a request is rejected or cancelled.
    closed_after = select(*columns).where(
        t.c.ready_date.is_(None), t.c.closed_date > as_of, t.c.received_date <= as_of, *where, *late
    )
    return union_all(still_open, ready_after, closed_after).subquery("open_at")


def procedure_names(session: Session, ids: Iterable[int]) -> dict[int, ProcedureName]:
    from sqlalchemy import and_, select

    from egovctl.models import Agency, Procedure, ProcedureVersion

    procs, versions, agencies = table(Procedure), table(ProcedureVersion), table(Agency)
    P, V, A = procs.c, versions.c, agencies.c
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(P.id, P.code, V.name, A.code, A.name)
        .join(versions, and_(V.procedure_id == P.id, V.version == P.current_version))
        .join(agencies, A.id == P.agency_id)
        .where(P.id.in_(wanted))
    )
    return {
        pid: {"procedure": code, "procedure_name": name, "agency": acode, "agency_name": aname}
        for pid, code, name, acode, aname in rows
    }


Row = TypeVar("Row", bound="dict[str, Any]")


def sorted_rows(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r["agency"], r["procedure"]))
