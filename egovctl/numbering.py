"""Registration numbers: one sequence per agency and year, never given twice.

Requests (and anything else numbered per agency and year) take their number here, inside the
transaction that writes them, so a rolled-back write gives its number back and two counters
never get the same one (docs/requests.md, "Registration numbers").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from egovctl.db import table_of

if TYPE_CHECKING:
    from sqlmodel import Session


# The numbered series: the table of its counters and the prefix of its numbers (before the
# agency code), which is also how its high-water marks are keyed in ``reg_high_water``.
NUMBER_SERIES = {"request": ("RegCounter", ""), "complaint": ("ComplaintCounter", "ADU-")}


def next_number(session: Session, agency_id: int, year: int, series: str = "request") -> int:
    """The next registration number of an agency and year, inside the caller's transaction.

    ``series`` is "request" (``AGENCY-YYYY-NNNNNN``) or "complaint"
    (``ADU-AGENCY-YYYY-NNNNNN``): each has its own gap-free counters.

    An upsert that increments and returns the counter in one statement: on PostgreSQL it
    locks the counter row until the transaction ends, on SQLite the transaction already
    holds the write lock (BEGIN IMMEDIATE). A rolled-back request gives its number back.

    The number is also above the agency's high-water mark (``reg_high_water``), the highest
    number issued before the database was restored from an older backup: a number printed
    on a receipt is never given again (docs/requests.md).
    """
    from sqlalchemy import case, func, select

    import egovctl.models as models
    from egovctl.models import Agency, RegHighWater

    model, prefix = NUMBER_SERIES[series]
    counter, mark, agency = (
        table_of(getattr(models, model)),
        table_of(RegHighWater),
        table_of(Agency),
    )
    key = agency.c.code if not prefix else prefix + agency.c.code
    floor = (
        select(func.coalesce(func.max(mark.c.last), 0))
        .join_from(mark, agency, key == mark.c.agency_code)
        .where(agency.c.id == agency_id, mark.c.year == year)
        .scalar_subquery()
    )
    values = {"agency_id": agency_id, "year": year, "last": floor + 1}
    bumped = {"last": case((counter.c.last < floor, floor), else_=counter.c.last) + 1}
    keys = [counter.c.agency_id, counter.c.year]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(counter).values(values)
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=bumped)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(counter).values(values)
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=bumped)
    return int(session.execute(stmt.returning(counter.c.last)).scalar_one())
