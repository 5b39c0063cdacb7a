"""`egovctl report ikm`: the satisfaction index of a period, per procedure and agency.

The database adds up the answers (COUNT and SUM per unsur, grouped by procedure); the
arithmetic of the index is ``ikm.py``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from egovctl.reports.periods import Period
from egovctl.reports.query import procedure_names, reading, sorted_rows, table

if TYPE_CHECKING:
    from egovctl.db import Database


def ikm(
    db: Database,
    actor: str,
    period: Period,
    *,
    agency: str | None = None,
    procedure: str | None = None,
) -> dict[str, Any]:
    """The satisfaction index of the period: overall, per agency and per procedure."""
    from sqlalchemy import func, select
    from sqlmodel import col

    from egovctl.models import Procedure, SurveyResponse
    from egovctl.reports import ikm as arithmetic

    s = table(SurveyResponse)
    with reading(db, actor, agency, procedure) as (session, scope):
        where = [s.c.day >= period.start, s.c.day <= period.end]
        if scope.procedure_id is not None:
            where.append(s.c.procedure_id == scope.procedure_id)
        if scope.agency_id is not None:
            where.append(
                s.c.procedure_id.in_(
                    select(col(Procedure.id)).where(col(Procedure.agency_id) == scope.agency_id)
                )
            )
        unsur_cols = [s.c[u.lower()] for u in arithmetic.UNSUR]
        grouped = session.execute(
            select(s.c.procedure_id, func.count(), *(func.sum(c) for c in unsur_cols))
            .where(*where)
            .group_by(s.c.procedure_id)
        ).all()
        names = procedure_names(session, (g[0] for g in grouped))
        per_proc = {g[0]: arithmetic.compute(g[1], [int(x) for x in g[2:]]) for g in grouped}
        by_procedure = sorted_rows(
            {
                "procedure": names[pid]["procedure"],
                "procedure_name": names[pid]["procedure_name"],
                "agency": names[pid]["agency"],
                **res.as_dict(),
            }
            for pid, res in per_proc.items()
        )
        agencies: dict[str, list[Any]] = {}
        agency_names: dict[str, str] = {}
        for pid, res in per_proc.items():
            agencies.setdefault(names[pid]["agency"], []).append(res)
            agency_names[names[pid]["agency"]] = names[pid]["agency_name"]
        by_agency = [
            {
                "agency": code,
                "agency_name": agency_names[code],
                **arithmetic.combine(results).as_dict(),
            }
            for code, results in sorted(agencies.items())
        ]
        overall = arithmetic.combine(list(per_proc.values()))
        for row in (*by_procedure, *by_agency):
            row.pop("message", None)
        return {
            **overall.as_dict(),
            "weakest": overall.weakest(),
            "period": period.as_dict(),
            "filters": scope.as_dict(),
            "unsur": dict(arithmetic.UNSUR_NAMES),
            "by_agency": by_agency,
            "by_procedure": by_procedure,
        }
